"""A reader comments in a real browser, from a post page that came out of the page cache: with JavaScript
(the form fills itself in), without it (the form's own page), and never from another site."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from articles.comments import comment_approve
from articles.models import Comment, Post
from tests.browser.conftest import VIEWPORTS, screenshot
from tests.factories import CommentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POST_URL = "/posts/top-13-python-deep-learning-libraries/"
HOSTILE = 'Keras belongs here too. <script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2">'


@pytest.fixture
def cached_post(live_server, imported_series, settings):
    """The post page as the page cache holds it: stored by an earlier reader."""
    settings.COMMENT_MIN_SECONDS = 0  # a person types for longer than the time trap; the test does not
    earlier_reader = Client(HTTP_HOST=urlsplit(live_server.url).netloc)
    earlier_reader.get(POST_URL)
    assert earlier_reader.get(POST_URL)["X-Page-Cache"] == "hit"
    return live_server.url + POST_URL


def open_comment_form(page) -> None:
    """Scroll down to the comments, as a reader does: the script then asks for a token and shows the form."""
    assert page.locator("#comment-form").is_hidden()
    page.locator("#comments").scroll_into_view_if_needed()
    page.locator("#comment-form").wait_for(state="visible")


def write_comment(page, body: str, *, name: str = "Ada") -> None:
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email", exact=True).fill("ada@example.org")
    page.get_by_label("Comment", exact=True).fill(body)


def test_with_javascript_a_reader_comments_from_the_cached_page_and_sees_it_after_approval(
    page, cached_post, live_server, admin_user
):
    response = page.goto(cached_post)
    assert response.headers["x-page-cache"] == "hit"
    open_comment_form(page)
    assert page.locator("#comment-cta").is_hidden()
    write_comment(page, HOSTILE)
    page.get_by_role("button", name="Send comment").click()
    page.wait_for_load_state("networkidle")  # the live server shares this test's SQLite connection

    assert "awaits moderation" in page.locator("#comments").inner_text()
    assert "Keras belongs here too" not in page.locator("#comments").inner_text()
    screenshot(page, "comment-sent", "#comments")

    comment = Comment.objects.get()
    assert (comment.status, comment.held_reason) == ("pending", "")  # the token passed the time trap
    comment_approve(comment=comment, by=admin_user)
    page.goto(cached_post)
    comments = page.locator("#comments")
    assert "Keras belongs here too." in comments.inner_text()
    assert "<script>" in comments.inner_text()  # shown as typed, never run
    assert page.evaluate("window.pwned === undefined")
    assert "ada@example.org" not in page.content()
    assert Axe().run(page, context="#comments").violations_count == 0
    screenshot(page, "comment-approved", "#comments")


def test_with_javascript_a_reply_is_written_in_place(page, cached_post, admin_user):
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    parent = CommentFactory(post=post, author_name="Grace", status=Comment.Status.PENDING)
    comment_approve(comment=parent, by=admin_user)
    page.goto(cached_post)
    open_comment_form(page)

    page.get_by_role("link", name="Reply to Grace").click()
    assert page.locator("#comment-form-title").inner_text() == "Reply to Grace"
    write_comment(page, "Agreed, Grace.")
    page.get_by_role("button", name="Send reply").click()

    assert "awaits moderation" in page.locator("#comments").inner_text()
    assert Comment.objects.get(body="Agreed, Grace.").parent == parent


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_without_javascript_a_reader_comments_on_the_forms_own_page(browser, cached_post, width):
    context = browser.new_context(viewport=VIEWPORTS[width], java_script_enabled=False)
    page = context.new_page()
    page.width_name = width
    try:
        page.goto(cached_post)
        assert page.locator("#comment-form").is_hidden()
        page.get_by_role("link", name="Leave a comment").click()
        assert page.locator("h1").inner_text() == "Leave a comment"  # (axe needs JavaScript: checked below)
        screenshot(page, "comment-form-page")
        write_comment(page, "Written without JavaScript.")
        page.get_by_role("button", name="Send comment").click()

        assert page.url.endswith(POST_URL + "#comments")
        assert "awaits moderation" in page.locator("#comments").inner_text()
        assert Comment.objects.get().status == Comment.Status.PENDING
    finally:
        context.close()


def test_a_refused_comment_keeps_what_the_reader_typed(page, cached_post):
    page.goto(cached_post)
    open_comment_form(page)
    too_long = "My carefully written comment. " * 200  # 6,000 characters: over the limit
    write_comment(page, too_long)
    page.get_by_role("button", name="Send comment").click()

    assert page.get_by_label("Comment", exact=True).input_value() == too_long
    assert "please correct what is marked below" in page.get_by_role("alert").first.inner_text()
    assert not Comment.objects.exists()
    assert Axe().run(page, context=".comment-page").violations_count == 0
    screenshot(page, "comment-refused", ".comment-page")


class _AnotherSite(BaseHTTPRequestHandler):
    """A page on another origin with a form aimed at the site's comment form."""

    target = ""

    def do_GET(self):  # the name http.server calls
        body = (
            f'<!doctype html><form method="post" action="{self.target}">'
            '<input name="author_name" value="Mallory"><input name="author_email" value="m@example.org">'
            '<input name="body" value="Posted from another site"><button>Send</button></form>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_form_on_another_site_cannot_post_a_comment(page, cached_post):
    _AnotherSite.target = cached_post + "comment/"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AnotherSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        with page.expect_response(lambda response: response.request.method == "POST") as answer:
            page.get_by_role("button", name="Send").click()
        assert answer.value.status == 403
        assert "only be sent from this site" in page.content()
        assert not Comment.objects.exists()
    finally:
        server.shutdown()
