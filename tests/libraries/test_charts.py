"""The site's own Fig. 1: one circle per library that printed commits and contributors."""

import pytest

from libraries.charts import bubble_chart
from tests.factories import ListEntryFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_post_page_draws_one_circle_per_library(client, imported_series):
    html = client.get("/posts/top-13-python-deep-learning-libraries/").content.decode()
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert chart.count("<circle") == 13
    assert "<title>1. TensorFlow: 1,700 contributors, 42,256 commits, 112,591 stars</title>" in chart
    assert 'aria-labelledby="chart-caption"' in chart


def test_more_stars_draw_a_bigger_circle_and_more_commits_sit_further_right():
    post = PostFactory()
    big = ListEntryFactory(post=post, commits=40000, contributors=1700, stars=100000)
    small = ListEntryFactory(post=post, commits=100, contributors=5, stars=500)
    chart = bubble_chart([big, small])
    by_rank = {bubble.rank: bubble for bubble in chart.bubbles}
    assert by_rank[big.rank].r > by_rank[small.rank].r
    assert by_rank[big.rank].x > by_rank[small.rank].x
    assert by_rank[big.rank].y < by_rank[small.rank].y  # more contributors is higher up


def test_no_chart_without_two_plottable_entries(client):
    post = PostFactory(figure_caption="Fig. 1: a chart")
    ListEntryFactory(post=post, commits=None, contributors=None)
    ListEntryFactory(post=post, commits=10, contributors=2)
    assert bubble_chart(list(post.entries.all())) is None
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<svg" not in html
    assert "Fig. 1: a chart" in html
