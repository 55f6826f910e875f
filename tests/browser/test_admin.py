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
