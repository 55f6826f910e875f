"""The site's own Fig. 1: one circle per library, area proportional to stars, positions by commits and
contributors, and labels that never cover another label or any circle (by the layout's own measure; the
browser test measures what Chromium draws)."""

import math
import random
import re
import xml.etree.ElementTree as ElementTree

import pytest

from libraries.chart_labels import PADDING
from libraries.charts import NARROW, WIDE, ChartPoint, bubble_chart
from tests.factories import LibraryFactory, ListEntryFactory, PostFactory
from tests.when import hours_ago

SVG = "{http://www.w3.org/2000/svg}"
TOP_13 = "/posts/top-13-python-deep-learning-libraries/"
REFRESHED = hours_ago(2)  # within GITHUB_FIGURES_TODAY_HOURS: "today" on any day the suite runs


def synthetic(count: int, seed: int = 13) -> list[ChartPoint]:
    """Libraries spread as real ones are: log-uniform figures, a few without a star count."""
    rng = random.Random(seed)
    return [
        ChartPoint(
            rank,
            f"library-{rank}-{'x' * rng.randint(0, 12)}",
            int(10 ** rng.uniform(1.5, 5)),
            int(10 ** rng.uniform(0.3, 3.4)),
            None if rank % 17 == 0 else int(10 ** rng.uniform(1, 5.2)),
        )
        for rank in range(1, count + 1)
    ]


def published_points(post_slug):
    from articles.models import Post

    post = Post.objects.get(slug=post_slug)
    return [ChartPoint(e.rank, e.name, e.commits, e.contributors, e.stars) for e in post.entries.all()]


def svgs(html: str) -> list[ElementTree.Element]:
    return [ElementTree.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", html, re.S)]


def circles(svg):
    return svg.findall(f"{SVG}g[@class='bubbles']/{SVG}g/{SVG}circle")


@pytest.mark.django_db
def test_the_post_draws_each_state_for_both_widths_as_valid_svg(client, imported_series):
    drawings = svgs(client.get(TOP_13).content.decode())
    assert len(drawings) == 2  # as published, wide and narrow; no figures of today yet
    for svg in drawings:
        assert len(circles(svg)) == 13
        assert svg.find(f"{SVG}title").text.endswith("As published")
        assert "circle area is proportional to stars" in svg.find(f"{SVG}desc").text
        tooltips = [g.find(f"{SVG}title").text for g in svg.findall(f"{SVG}g[@class='bubbles']/{SVG}g")]
        assert "1. TensorFlow: 1,700 contributors, 42,256 commits, 112,591 stars" in tooltips

    from libraries.models import Library

    Library.objects.update(stars=1000, commits=500, contributors=20, last_refreshed_at=REFRESHED)
    drawings = svgs(client.get(TOP_13 + "?sort=name").content.decode())
    assert len(drawings) == 4 and drawings[2].find(f"{SVG}title").text.endswith("Today")


@pytest.mark.django_db
def test_circle_area_is_proportional_to_stars(imported_series):
    chart = bubble_chart(published_points("top-13-python-deep-learning-libraries"))
    drawn_to_scale = [b for b in chart.bubbles if b.has_stars and b.point.stars >= (chart.min_stars_drawn or 0)]
    assert len(drawn_to_scale) >= 10
    areas_per_star = {round(math.pi * b.r**2 / b.point.stars, 9) for b in drawn_to_scale}
    assert len(areas_per_star) == 1
    tensorflow, keras = (
        next(b for b in chart.bubbles if b.point.name == n) for n in ("TensorFlow", "Distributed Keras")
    )
    assert tensorflow.r > keras.r


def test_positions_follow_commits_across_and_contributors_up():
    points = synthetic(40)
    chart = bubble_chart(points)
    by_commits = sorted(chart.bubbles, key=lambda b: b.point.commits)
    by_contributors = sorted(chart.bubbles, key=lambda b: b.point.contributors)
    assert all(a.x <= b.x for a, b in zip(by_commits, by_commits[1:], strict=False))
    assert all(a.y >= b.y for a, b in zip(by_contributors, by_contributors[1:], strict=False))
    inside = all(
        chart.plot_left <= b.x - b.r
        and b.x + b.r <= chart.plot_right
        and chart.plot_top <= b.y - b.r <= b.y + b.r <= chart.plot_bottom
        for b in chart.bubbles
    )
    assert inside


def test_small_circles_get_a_minimum_size_and_say_so():
    points = [ChartPoint(1, "Big", 10000, 1000, 200000), ChartPoint(2, "Tiny", 100, 5, 50)]
    chart = bubble_chart(points)
    tiny = next(b for b in chart.bubbles if b.point.name == "Tiny")
    assert tiny.r == WIDE.min_radius and chart.min_stars_drawn > 50
    assert any(ref.label == f"under {chart.min_stars_drawn:,}" for ref in chart.size_references)


def test_an_entry_without_stars_is_drawn_dashed_and_explained(client, db):
    post = PostFactory()
    ListEntryFactory(post=post, rank=1, commits=4000, contributors=100, stars=9000)
    ListEntryFactory(post=post, rank=2, commits=300, contributors=12, stars=None)
    html = client.get(post.get_absolute_url()).content.decode()
    svg = svgs(html)[0]
    dashed = [c for c in circles(svg) if c.get("class") == "no-stars"]
    assert len(dashed) == 1
    assert "no star count printed" in html and "None stars" not in html
    assert "a dashed circle marks a library whose stars the post did not print" in html


def test_no_figure_without_two_plottable_entries(client, db):
    post = PostFactory(figure_caption="Fig. 1: a chart")
    ListEntryFactory(post=post, commits=None, contributors=None)
    ListEntryFactory(post=post, commits=10, contributors=2)
    assert bubble_chart(published_points(post.slug)) is None
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<svg" not in html and "Fig. 1: a chart" not in html  # no caption for a figure that is not there


def assert_labels_clear(chart):
    boxes = [(b, b.label.box) for b in chart.bubbles]
    assert all(b.label is not None for b in chart.bubbles)
    for index, (bubble, box) in enumerate(boxes):
        assert chart.plot_left <= box[0] and box[2] <= chart.plot_right, bubble.point
        assert chart.plot_top <= box[1] and box[3] <= chart.plot_bottom, bubble.point
        for _, other in boxes[index + 1 :]:
            assert not (box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3])
        for other in chart.bubbles:
            nearest = (min(max(other.x, box[0]), box[2]), min(max(other.y, box[1]), box[3]))
            assert math.dist(nearest, (other.x, other.y)) >= other.r + PADDING - 1e-9, (bubble.point, other.point)


@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=["wide", "narrow"])
@pytest.mark.parametrize("count", [8, 13, 100])
def test_labels_never_cover_a_label_or_a_circle(layout, count):
    chart = bubble_chart(synthetic(count, seed=count), layout)
    assert_labels_clear(chart)
    if layout.numbered:
        assert all(b.label.text == str(b.point.rank) for b in chart.bubbles)


@pytest.mark.django_db
@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=["wide", "narrow"])
def test_the_shipped_posts_are_labelled_by_name_on_a_wide_screen(imported_series, layout):
    for slug in ("top-8-python-machine-learning-libraries", "top-13-python-deep-learning-libraries"):
        chart = bubble_chart(published_points(slug), layout)
        assert_labels_clear(chart)
        if not layout.numbered:
            assert all(b.label.text == b.point.name for b in chart.bubbles)


@pytest.mark.django_db
def test_chart_queries_do_not_grow_with_the_list(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import cold_get

    counts = []
    for size, points in ((5, synthetic(5)), (60, synthetic(60))):
        post = PostFactory()
        for p in points:
            library = LibraryFactory(stars=p.stars, commits=p.commits, contributors=p.contributors)
            library.last_refreshed_at = REFRESHED
            library.save()
            ListEntryFactory(post=post, rank=p.rank, library=library, commits=p.commits, contributors=p.contributors)
        with CaptureQueriesContext(connection) as queries:
            html = cold_get(client, post.get_absolute_url()).content.decode()
        assert len(svgs(html)) == 4 and len(circles(svgs(html)[0])) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
