"""Fig. 1 as Chromium draws it: no label covers another label or another library's circle, and every label
is at least 12 CSS px tall, for both shipped posts and a synthetic 100-library list, at 1280 and 390 px."""

import random

import pytest

from tests.browser.conftest import screenshot
from tests.factories import LibraryFactory, ListEntryFactory, PostFactory
from tests.when import hours_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFRESHED = hours_ago(2)  # within GITHUB_FIGURES_TODAY_HOURS: "today" on any day the suite runs

MEASURE = """() => [...document.querySelectorAll("svg.bubble-chart")]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .map((svg) => {
    const box = (element) => {
      const r = element.getBoundingClientRect();
      return {rank: element.closest("[data-rank]").dataset.rank, left: r.left, top: r.top, right: r.right,
              bottom: r.bottom, width: r.width, height: r.height};
    };
    return {
      labels: [...svg.querySelectorAll("text.bubble-label")].map(box),
      circles: [...svg.querySelectorAll("g.bubbles circle")].map(box),
    };
  })"""

TOLERANCE = 0.5  # CSS px: sub-pixel rounding of the boxes Chromium reports


def hundred_libraries():
    rng = random.Random(100)
    post = PostFactory(title="Top 100 Python Things", slug="top-100-python-things")
    for rank in range(1, 101):
        library = LibraryFactory(
            name=f"library-{rank}-{'x' * rng.randint(0, 12)}",
            stars=int(10 ** rng.uniform(1, 5.2)),
            commits=int(10 ** rng.uniform(1.5, 5)),
            contributors=int(10 ** rng.uniform(0.3, 3.4)),
            last_refreshed_at=REFRESHED,
        )
        ListEntryFactory(
            post=post,
            rank=rank,
            library=library,
            stars=None if rank % 17 == 0 else int(10 ** rng.uniform(1, 5.2)),
            commits=int(10 ** rng.uniform(1.5, 5)),
            contributors=int(10 ** rng.uniform(0.3, 3.4)),
        )
    return post.get_absolute_url()


def assert_clear(drawing):
    labels, circles = drawing["labels"], drawing["circles"]
    assert labels and len(labels) == len(circles)
    for index, label in enumerate(labels):
        assert label["height"] >= 12, f"label {label['rank']} is {label['height']:.1f} px tall"
        for other in labels[index + 1 :]:
            overlap = (
                label["left"] < other["right"] - TOLERANCE
                and other["left"] < label["right"] - TOLERANCE
                and label["top"] < other["bottom"] - TOLERANCE
                and other["top"] < label["bottom"] - TOLERANCE
            )
            assert not overlap, f"labels {label['rank']} and {other['rank']} overlap: {label} {other}"
        for circle in circles:
            if circle["rank"] == label["rank"]:
                continue
            cx, cy, r = circle["left"] + circle["width"] / 2, circle["top"] + circle["height"] / 2, circle["width"] / 2
            nearest_x = min(max(cx, label["left"]), label["right"])
            nearest_y = min(max(cy, label["top"]), label["bottom"])
            distance = ((nearest_x - cx) ** 2 + (nearest_y - cy) ** 2) ** 0.5
            assert distance >= r - TOLERANCE, f"label {label['rank']} covers the circle of {circle['rank']}"


@pytest.mark.parametrize("which", ["top-8", "top-13", "top-100"])
def test_labels_are_legible_and_cover_nothing(page, live_server, imported_series, which):
    from libraries.models import Library

    for number, library in enumerate(Library.objects.order_by("name")):  # today's figures, other than the posts'
        library.stars, library.commits, library.contributors = 3000 * number + 50, 900 * number + 40, 7 * number + 3
        library.last_refreshed_at = REFRESHED
        library.save()
    url = {
        "top-8": "/posts/top-8-python-machine-learning-libraries/",
        "top-13": "/posts/top-13-python-deep-learning-libraries/",
        "top-100": None,
    }[which] or hundred_libraries()
    page.goto(live_server.url + url)
    published = page.evaluate(MEASURE)
    assert len(published) == 1  # the toggle shows one state, one width
    assert_clear(published[0])
    screenshot(page, f"chart-{which}-published", "#fig-1")

    page.get_by_role("button", name="Today").click()
    today = page.evaluate(MEASURE)
    assert len(today) == 1 and today[0] != published[0]
    assert_clear(today[0])
    if which == "top-13":  # the page with both states, the toggle and the full table: accessible
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()


def test_without_javascript_both_states_are_shown(browser, live_server, imported_series):
    from libraries.models import Library

    Library.objects.update(stars=5000, commits=3000, contributors=40, last_refreshed_at=REFRESHED)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/posts/top-13-python-deep-learning-libraries/")
    assert len(page.evaluate(MEASURE)) == 2  # as published, then today, one under the other
    assert not page.locator(".chart-toggle").is_visible()
    page.wait_for_load_state("networkidle")
    context.close()
