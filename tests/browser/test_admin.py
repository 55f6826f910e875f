"""The editor's Markdown field previews as they type, sanitized like the page."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in_editor(page, live_server, admin_user):
    # A transactional test flushes what migrations created (the Editors group); the group's
    # permissions are tested in tests/articles/test_admin.py, the editor's screen here.
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    return page


def test_markdown_editor_shows_a_sanitized_live_preview(signed_in_editor, live_server):
    page = signed_in_editor
    page.goto(live_server.url + "/admin/articles/post/add/")
    page.locator("#id_body").fill("Intro with **bold** and <script>window.pwned = 1</script>")
    page.locator("#id_body").press("End")
    preview = page.locator(".markdownx-preview").first
    preview.locator("strong").wait_for()
    assert preview.locator("strong").inner_text() == "bold"
    assert preview.locator("script").count() == 0
    assert page.evaluate("window.pwned === undefined")
    screenshot(page, "admin-post-add")


def test_the_post_change_page_and_its_preview_work_under_the_security_policy(signed_in_editor, live_server):
    from articles.models import Post
    from tests.factories import ListEntryFactory

    post = ListEntryFactory(post__title="Top 3 Python Things").post
    page = signed_in_editor
    response = page.goto(f"{live_server.url}/admin/articles/post/{post.pk}/change/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator("#id_closing").fill("A closing with _emphasis_")
    page.locator("#id_closing").press("End")
    page.locator(".markdownx-preview em").first.wait_for()
    page.get_by_role("button", name="Save and continue editing").click()
    assert "Saved as a draft" in page.locator(".messagelist").inner_text()  # a live post: readers wait for it
    assert Post.objects.get(pk=post.pk).closing == ""
    page.get_by_role("button", name="Save and publish the changes").click()
    assert "readers see the changes now" in page.locator(".messagelist").inner_text()
    assert Post.objects.get(pk=post.pk).closing == "A closing with _emphasis_"


def test_the_policy_refuses_a_script_written_into_a_page(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    try:
        page.goto(live_server.url + "/")
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
            " document.body.appendChild(s); }"
        )
        assert page.evaluate("window.ran === undefined")
        assert any("Content Security Policy" in text for text in refused)
    finally:
        context.close()


def test_the_comment_queue_fits_a_phone_with_a_comment_on_the_first_screen(browser, live_server, admin_user):
    from tests.browser.test_composing import sign_in
    from tests.factories import CommentFactory, PostFactory

    post = PostFactory()
    for _ in range(5):
        CommentFactory(post=post, status="pending", body="A comment that says something about the post. " * 3)
    context, page = sign_in(browser, live_server, admin_user, width="phone")
    try:
        page.goto(live_server.url + "/admin/articles/comment/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        first = page.locator("#result_list .field-excerpt a").first
        assert first.bounding_box()["y"] + first.bounding_box()["height"] <= 844  # on the first screen
        screenshot(page, "comment-queue")
    finally:
        context.close()
