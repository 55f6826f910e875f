"""A feed opened in a browser reads as a page (the XSL stylesheet), not as raw XML; the footer's link goes to
an HTML page that lists every feed."""

import pytest

from tests.browser.conftest import VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("url", ["/feed/", "/feed/rss/"])
def test_a_feed_in_a_browser_is_a_readable_page(browser, live_server, imported_series, url):
    # Its own page, not the fixture's: Chromium 156 puts a banner of its own (with an inline handler the
    # site's policy refuses) on every XSLT page, to say browsers are dropping XSLT; the feed still reads.
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(live_server.url + url)
    text = page.inner_text("body")
    assert "This is a feed." in text and "<?xml" not in text
    assert "Top 13 Python Deep Learning Libraries" in text
    link = page.get_by_role("link", name="Top 8 Python Machine Learning Libraries")
    assert link.get_attribute("href").endswith("/posts/top-8-python-machine-learning-libraries/")
    context.close()


def test_the_footer_leads_to_a_page_of_feeds(page, live_server, imported_series):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Feeds").click()
    assert page.get_by_role("heading", name="Feeds").is_visible()
    assert page.get_by_role("link", name="Atom").first.get_attribute("href") == "/feed/"
