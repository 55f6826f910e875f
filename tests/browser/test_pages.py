"""The reader pages in a real browser: readable at desktop and phone widths, accessible, self-contained."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/",
    "post": "/posts/top-13-python-deep-learning-libraries/",
    "library": "/libraries/tensorflow/",
    "libraries": "/libraries/",
    "coming-soon": "/coming/top-x-python-data-science-libraries/",
    "search": "/search/?q=keras",
    "archive": "/archive/2018/",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_fits_the_screen_and_stays_on_site(page, live_server, imported_series, name):
    page.goto(live_server.url + PAGES[name])
    screenshot(page, name)

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {page.width_name} width"

    own_host = urlsplit(live_server.url).netloc
    foreign = {urlsplit(url).netloc for url in page.requested_urls} - {own_host}
    assert not foreign, f"{name} asked other hosts for {foreign}"


def test_reader_goes_from_home_to_a_post_and_a_library(page, live_server, imported_series):
    page.goto(live_server.url + "/")
    assert page.get_by_text("Coming soon").count() == 2
    page.get_by_role("link", name="Top 13 Python Deep Learning Libraries").click()
    assert page.locator("ol.entries > li").count() == 13
    assert page.locator("#rank-1 dd").first.inner_text() == "1,700"
    page.locator("#rank-1 h3 a").click()
    assert page.locator("h1").inner_text() == "TensorFlow"
    assert "#1 in Top 13 Python Deep Learning Libraries" in page.locator("main").inner_text()


@pytest.mark.parametrize("url", [PAGES["post"], PAGES["library"]])
def test_the_tables_fit_without_scrolling_sideways(page, live_server, imported_series, url):
    from django.utils import timezone

    from libraries.models import Library, StatsSnapshot

    for library in Library.objects.all():  # today's figures and some history: the widest the tables get
        library.stars, library.contributors, library.commits = 250000, 3500, 150000
        library.forks = library.open_issues = library.watchers = 99999
        library.last_refreshed_at = timezone.now()
        library.save()
        StatsSnapshot.objects.create(
            library=library, taken_at=timezone.now(), stars=250000, contributors=3500, commits=150000, forks=99999
        )
    page.goto(live_server.url + url)
    widths = page.evaluate(
        """() => [...document.querySelectorAll("table")].map((t) => [t.scrollWidth, t.parentElement.clientWidth])"""
    )
    assert widths and all(table <= box + 1 for table, box in widths), f"{url} at {page.width_name}: {widths}"
    screenshot(page, "tables-" + url.strip("/").replace("/", "-"))
