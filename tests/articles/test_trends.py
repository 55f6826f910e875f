"""Figures over time: a stars sparkline per row of a list, and a library's history chart and placings."""

import datetime
import re
import xml.etree.ElementTree as ElementTree

import pytest
from django.utils import timezone

from libraries.models import Library
from libraries.trend_charts import TrendPoint, history_chart, sparkline
from tests.factories import LibraryFactory, ListEntryFactory, PostFactory, StatsSnapshotFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
TOP_13 = "/posts/top-13-python-deep-learning-libraries/"


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_a_sparkline_needs_two_points_and_runs_left_to_right():
    assert sparkline([TrendPoint(days_ago(1), 5)]) is None
    line = sparkline([TrendPoint(days_ago(days), 1000 - days) for days in range(300, 0, -10)])
    xs = [float(pair.split(",")[0]) for pair in line.polyline.split()]
    ys = [float(pair.split(",")[1]) for pair in line.polyline.split()]
    assert xs == sorted(xs) and ys == sorted(ys, reverse=True)  # later to the right, more stars higher up
    assert line.description.startswith("Stars from 700 (") and "to 990 (" in line.description


def test_each_row_of_the_list_has_its_stars_over_the_last_year(client, imported_series):
    tensorflow = Library.objects.get(name="TensorFlow")
    for days, stars in ((400, 90000), (200, 150000), (100, 170000), (1, 190000)):
        StatsSnapshotFactory(library=tensorflow, taken_at=days_ago(days), stars=stars)
    StatsSnapshotFactory(library=Library.objects.get(name="PyTorch"), taken_at=days_ago(3), stars=5)  # one point
    html = client.get(TOP_13).content.decode()
    lines = re.findall(r'<svg class="sparkline"[^>]*aria-label="([^"]+)"', html)
    assert len(lines) == 1
    assert lines[0].startswith("Stars from 150,000") and "to 190,000" in lines[0]  # the year's, not older


def test_library_page_charts_each_figure_and_marks_what_posts_printed(client, imported_series):
    tensorflow = Library.objects.get(name="TensorFlow")
    Library.objects.filter(pk=tensorflow.pk).update(stars=190000, last_refreshed_at=timezone.now())
    for days in range(30, 0, -1):
        StatsSnapshotFactory(
            library=tensorflow, taken_at=days_ago(days), stars=180000 + days, contributors=3000, commits=None
        )
    html = client.get("/libraries/tensorflow/").content.decode()
    charts = [ElementTree.fromstring(svg) for svg in re.findall(r'<svg class="history-chart.*?</svg>', html, re.S)]
    assert len(charts) == 2  # a wide screen's and a phone's
    for chart in charts:
        titles = [t.text for t in chart.iter(f"{SVG}text") if t.get("class") == "panel-title"]
        assert titles == ["Stars", "Contributors"]  # commits: only the post's one point, no line to draw
        printed = [g.find(f"{SVG}title").text for g in chart.iter(f"{SVG}g") if g.get("class") == "printed"]
        assert "Oct 23, 2018: 112,591, as a post printed it" in printed
        stars_line = next(chart.iter(f"{SVG}polyline")).get("points").split()
        assert len(stars_line) == 30
        xs = [float(point.split(",")[0]) for point in stars_line]
        assert xs == sorted(xs)


def test_history_chart_is_none_without_two_points_of_any_figure():
    assert history_chart({"Stars": [TrendPoint(days_ago(1), 3)]}) is None


def test_library_page_gives_each_post_with_its_rank_then_and_today(client):
    post = PostFactory(title="Top 3 Python Things")
    ours = LibraryFactory(name="Ours", stars=500, last_refreshed_at=timezone.now())
    ListEntryFactory(post=post, rank=1, library=ours)
    ListEntryFactory(post=post, rank=2, library=LibraryFactory(stars=900, last_refreshed_at=timezone.now()))
    ListEntryFactory(post=post, rank=3, library=LibraryFactory(stars=None))
    html = client.get(ours.get_absolute_url()).content.decode()
    assert re.search(r"#1 in <a [^>]+>Top 3 Python Things</a> · #2 today by stars among that list", html)
