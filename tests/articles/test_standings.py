"""The ranked list then and now: changes, ranks today, sort orders, and what the post page shows of them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.standings import DEFAULT_ORDERING, FigureThenNow, Ordering, Standings, ordering_from
from libraries.models import Library
from tests.conftest import cold_get
from tests.factories import LibraryFactory, ListEntryFactory, PostFactory, StatsSnapshotFactory
from tests.when import as_shown, hours_ago

REFRESHED = hours_ago(2)  # within GITHUB_FIGURES_TODAY_HOURS: "today" on any day the suite runs
TOP_13 = "/posts/top-13-python-deep-learning-libraries/"


@pytest.mark.parametrize(
    ("then", "today", "change", "percent"),
    [
        (112591, 190123, 77532, 68.862),
        (8872, 8642, -230, -2.592),
        (500, 500, 0, 0.0),
        (None, 500, None, None),  # the post printed no figure
        (500, None, None, None),  # no figure today
        (0, 12, 12, None),  # no percentage of nothing
    ],
)
def test_change_and_percent_with_either_side_missing(then, today, change, percent):
    figure = FigureThenNow("stars", "Stars", then, today)
    assert figure.change == change
    assert figure.change_percent == (pytest.approx(percent, abs=0.001) if percent is not None else None)


def entry(rank, *, stars_then=None, stars_today=None, commits_then=None, commits_today=None, refreshed=True, name=""):
    library = Library(
        name=name or f"Library {rank}",
        stars=stars_today,
        commits=commits_today,
        last_refreshed_at=REFRESHED if refreshed else None,
    )
    from articles.models import ListEntry

    return ListEntry(pk=rank, rank=rank, library=library, stars=stars_then, commits=commits_then)


@pytest.fixture
def listed():
    return [
        entry(1, stars_then=1000, stars_today=1500, commits_then=10, commits_today=30, name="beta"),
        entry(2, stars_then=800, stars_today=3000, commits_then=None, commits_today=5, name="Alpha"),
        entry(3, stars_then=900, stars_today=1500, commits_then=40, commits_today=41, name="gamma"),
        entry(4, stars_then=None, stars_today=None, commits_then=7, commits_today=None, refreshed=False, name="delta"),
    ]


def test_rank_today_is_by_stars_with_ties_sharing_a_rank_and_unknown_left_out(listed):
    rows = {row.entry.rank: row.rank_today for row in Standings(listed).rows}
    assert rows == {1: 2, 2: 1, 3: 2, 4: None}


@pytest.mark.parametrize(
    ("key", "descending", "expected"),
    [
        ("rank", False, [1, 2, 3, 4]),
        ("rank", True, [4, 3, 2, 1]),
        ("name", False, [2, 1, 4, 3]),  # Alpha, beta, delta, gamma: case does not matter
        ("rank_today", False, [2, 1, 3, 4]),  # ties keep the post's order; unknown last
        ("stars_then", True, [1, 3, 2, 4]),
        ("stars_then", False, [2, 3, 1, 4]),  # unknown last either way
        ("stars_today", True, [2, 1, 3, 4]),
        ("stars_change", True, [2, 3, 1, 4]),
        ("stars_change", False, [1, 3, 2, 4]),
        ("commits_then", True, [3, 1, 4, 2]),
        ("commits_today", True, [3, 1, 2, 4]),
        ("commits_change", True, [1, 3, 2, 4]),
        ("contributors_today", True, [1, 2, 3, 4]),  # nobody has one: the list's own order
    ],
)
def test_every_sort_order(listed, key, descending, expected):
    assert [row.entry.rank for row in Standings(listed, Ordering(key, descending)).rows] == expected


@pytest.mark.parametrize(
    ("sort", "direction", "expected"),
    [
        (None, None, DEFAULT_ORDERING),
        ("stars_today", None, Ordering("stars_today", descending=True)),  # figures: descending first
        ("stars_today", "asc", Ordering("stars_today", descending=False)),
        ("name", None, Ordering("name", descending=False)),
        ("rank_today", "desc", Ordering("rank_today", descending=True)),
        ("stars", None, DEFAULT_ORDERING),
        ("body_today", None, DEFAULT_ORDERING),
        ("<script>", "asc", DEFAULT_ORDERING),
    ],
)
def test_the_order_a_reader_asks_for(sort, direction, expected):
    assert ordering_from(sort, direction) == expected


def table_rows(html):
    section = html.split('id="then-and-now"')[1].split("</table>")[0]
    return re.findall(r'<td class="name">.*?<a href="[^"]+">([^<]+)</a>', section)


@pytest.mark.django_db
def test_post_page_shows_then_today_change_and_rank_today(client, imported_series):
    Library.objects.filter(name="TensorFlow").update(stars=190123, contributors=3100, last_refreshed_at=REFRESHED)
    Library.objects.filter(name="PyTorch").update(stars=200000, last_refreshed_at=REFRESHED)
    html = client.get(TOP_13).content.decode()
    tensorflow = html.split('id="then-and-now"')[1].split("<tr>")[2]
    assert "112,591" in tensorflow and "190,123" in tensorflow and "+77,532 · +68.9%" in tensorflow
    assert "1,700" in tensorflow and "3,100" in tensorflow and "+1,400 · +82.4%" in tensorflow
    assert re.search(r'data-label="Rank today">2<', tensorflow)  # PyTorch has more stars today
    assert "not fetched yet" not in html
    assert f'(the latest on <time datetime="{as_shown(REFRESHED, "c")}">' in html
    assert f"{as_shown(REFRESHED, 'M j, Y')}</time>)" in html


@pytest.mark.django_db
def test_sorting_by_a_figure_today_uses_plain_links_descending_first(client, imported_series):
    Library.objects.filter(name="Caffe").update(stars=90000, last_refreshed_at=REFRESHED)
    Library.objects.filter(name="Theano").update(stars=70000, last_refreshed_at=REFRESHED)
    html = client.get(TOP_13).content.decode()
    assert 'href="?sort=stars_today#then-and-now"' in html
    by_stars = client.get(TOP_13 + "?sort=stars_today").content.decode()
    assert table_rows(by_stars)[:2] == ["Caffe", "Theano"]
    assert 'href="?sort=stars_today&amp;dir=asc#then-and-now" aria-current="true"' in by_stars
    ascending = table_rows(client.get(TOP_13 + "?sort=stars_today&dir=asc").content.decode())
    assert ascending[:2] == ["Theano", "Caffe"]  # the rest have no figure today: last either way
    assert table_rows(html)[:3] == ["TensorFlow", "PyTorch", "Apache MXNet"]  # the post's own order by default


@pytest.mark.django_db
def test_a_notice_when_no_figures_of_today_exist(client, imported_series):
    html = client.get(TOP_13 + "?sort=stars_today").content.decode()
    assert "GitHub's figures of today are not fetched yet" in html and "in its own order" in html
    assert table_rows(html)[:3] == ["TensorFlow", "PyTorch", "Apache MXNet"]


@pytest.mark.django_db
def test_entries_show_the_name_the_article_printed(client, imported_series, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "2019-05-01-top-2-python-classics.md"
    path.write_text(
        "---\ntitle: Top 2 Python Classics\ndate: 2019-05-01\n---\n\nFigures correct as of 2019-04-30:\n\n"
        "**1. Scikit-learn (Stars – 40,000)**\n\nBy its alias.\n\n**2. Statsmodels (Stars – 5,000)**\n\nAnother.\n"
    )
    call_command("import_article", str(path))
    html = client.get("/posts/top-2-python-classics/").content.decode()
    assert ">Scikit-learn</a>" in html and ">Statsmodels</a>" in html
    assert ">scikit-learn</a>" not in html and ">StatsModels</a>" not in html
    library_page = client.get("/libraries/scikit-learn/").content.decode()
    assert "<h1>scikit-learn</h1>" in library_page  # the catalogue's name


@pytest.mark.django_db
def test_post_page_queries_do_not_grow_with_the_list(client):
    counts = []
    for size in (3, 40):
        post = PostFactory()
        for rank in range(1, size + 1):
            library = LibraryFactory(stars=rank * 10, last_refreshed_at=REFRESHED)
            ListEntryFactory(post=post, rank=rank, library=library)
            for days in (30, 20, 10):  # a sparkline for every row
                StatsSnapshotFactory(library=library, taken_at=timezone.now() - datetime.timedelta(days=days))
        with CaptureQueriesContext(connection) as queries:
            response = cold_get(client, post.get_absolute_url() + "?sort=stars_change")
        assert response.status_code == 200 and response.content.decode().count('class="sparkline"') == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
