"""The post's catalog in Chromium: beside the text on a desktop, collapsed at the top on a phone; its links
land on their entries, and on a desktop it marks the entry being read."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalog_links_land_on_their_entries(page, live_server, imported_series):
    page.goto(live_server.url + "/posts/top-13-python-deep-learning-libraries/")
    if page.width_name == "phone":
        assert not page.locator(".catalog-aside").is_visible()
        page.locator(".catalog-details summary").click()
        catalog = page.locator(".catalog-details")
    else:
        assert not page.locator(".catalog-details").is_visible()
        catalog = page.locator(".catalog-aside")
    catalog.get_by_role("link", name="7. CNTK").click()
    page.wait_for_function("location.hash === '#rank-7'")
    top = page.evaluate("document.getElementById('rank-7').getBoundingClientRect().top")
    assert -1 <= top < 50  # the entry is at the top of the screen
    if page.width_name == "desktop":
        assert page.locator(".catalog-aside").is_visible()  # still in view while reading
        marked = page.locator(".catalog-aside a[aria-current]")
        marked.wait_for()
        assert marked.inner_text() == "7. CNTK"
