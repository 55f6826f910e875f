"""A reader comments in a real browser; the comment waits for moderation, then shows inert."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from articles.models import Comment
from articles.services import comment_approve
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POST_URL = "/posts/top-13-python-deep-learning-libraries/"
HOSTILE = 'Keras belongs here too. <script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2">'


def test_reader_comments_and_sees_it_only_after_approval(page, live_server, imported_series, settings, admin_user):
    settings.COMMENT_MIN_SECONDS = 0  # a person types for longer than the trap; the test does not
    page.goto(live_server.url + POST_URL)
    page.get_by_label("Name", exact=True).fill("Ada")
    page.get_by_label("Email", exact=True).fill("ada@example.org")
    page.get_by_label("Comment", exact=True).fill(HOSTILE)
    page.get_by_role("button", name="Send comment").click()

    assert "awaits moderation" in page.locator("#comments").inner_text()
    assert "Keras belongs here too" not in page.locator("#comments").inner_text()
    screenshot(page, "comment-sent", "#comments")

    comment_approve(comment=Comment.objects.get(), by=admin_user)
    page.goto(live_server.url + POST_URL)
    comments = page.locator("#comments")
    assert "Keras belongs here too." in comments.inner_text()
    assert "<script>" in comments.inner_text()  # shown as typed, never run
    assert page.evaluate("window.pwned === undefined")
    assert "ada@example.org" not in page.content()
    assert Axe().run(page, context="#comments").violations_count == 0
    screenshot(page, "comment-approved", "#comments")


def test_refused_comment_keeps_what_the_reader_typed(page, live_server, imported_series, settings):
    settings.COMMENT_MIN_SECONDS = 0
    page.goto(live_server.url + POST_URL)
    page.get_by_label("Name", exact=True).fill("Ada")
    page.get_by_label("Email", exact=True).fill("ada@example.org")
    too_long = "My carefully written comment. " * 200  # 6,000 characters: over the limit
    page.get_by_label("Comment", exact=True).fill(too_long)
    page.get_by_role("button", name="Send comment").click()

    assert page.get_by_label("Comment", exact=True).input_value() == too_long
    assert "please correct what is marked below" in page.get_by_role("alert").first.inner_text()
    assert not Comment.objects.exists()
    assert Axe().run(page, context="#comments").violations_count == 0
    screenshot(page, "comment-refused", "#comments")
