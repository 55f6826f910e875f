"""What readers see of today's GitHub figures, and that the pages' query counts stay flat."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from libraries.models import Library
from tests.conftest import cold_get
from tests.factories import LibraryFactory, ListEntryFactory, PostFactory, StatsSnapshotFactory
from tests.when import as_shown, days_ago, hours_ago

pytestmark = pytest.mark.django_db

REFRESHED = hours_ago(2)  # within GITHUB_FIGURES_TODAY_HOURS: "today" on any day the suite runs


def ranked(library):
    """Readers see a library once a published post ranks it."""
    ListEntryFactory(library=library)
    return library


def refreshed_library(**fields):
    defaults = {
        "stars": 61500,
        "contributors": 1300,
        "commits": 12000,
        "last_refreshed_at": REFRESHED,
        "repository_status": Library.RepositoryStatus.OK,
    }
    return ranked(LibraryFactory(**{**defaults, **fields}))


def test_post_shows_todays_figures_beside_the_printed_ones(client):
    entry = ListEntryFactory(library=refreshed_library(name="Keras"), stars=30000, contributors=700, commits=4500)
    text = client.get(entry.post.get_absolute_url()).content.decode()
    assert "30,000" in text and "61,500 today" in text
    assert "700" in text and "1,300 today" in text
    assert "4,500" in text and "12,000 today" in text
    assert "Today's figures from GitHub as of" in text and as_shown(REFRESHED, "F j, Y") in text


def test_post_without_a_refresh_shows_only_the_printed_figures(client):
    entry = ListEntryFactory(stars=30000)
    html = client.get(entry.post.get_absolute_url()).content.decode()
    ranking = html[html.index('<ol class="entries">') : html.index("</ol>", html.index('<ol class="entries">'))]
    assert "30,000" in ranking and "today" not in ranking


def test_post_says_when_a_repository_is_missing(client):
    library = refreshed_library(repository_status=Library.RepositoryStatus.MISSING)
    entry = ListEntryFactory(library=library)
    assert "Missing on GitHub" in client.get(entry.post.get_absolute_url()).content.decode()


def post_with_entries(number):
    post = PostFactory()
    for rank in range(1, number + 1):
        ListEntryFactory(post=post, rank=rank, library=refreshed_library())
    return post


def test_post_query_count_does_not_grow_with_its_entries(client):
    small, large = post_with_entries(13), post_with_entries(100)
    counts = []
    for post in (small, large):
        with CaptureQueriesContext(connection) as queries:
            html = cold_get(client, post.get_absolute_url()).content.decode()
            assert html.count(" today</dd>") == 3 * post.entries.count()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_library_page_shows_today_status_and_last_refresh(client):
    library = refreshed_library(
        name="Theano",
        archived=True,
        forks=2500,
        open_issues=700,
        watchers=300,
        pushed_at=REFRESHED,
        default_branch="main",
    )
    text = client.get(library.get_absolute_url()).content.decode()
    assert "On GitHub today" in text and "61,500" in text and "2,500" in text
    assert "Archived" in text
    assert "Last refreshed" in text and as_shown(REFRESHED, "F j, Y, H:i e") in text
    assert "Open issues and PRs" in text


@pytest.mark.parametrize(("status", "words"), [("missing", "no longer answers"), ("blocked", "legal reasons")])
def test_library_page_says_missing_or_blocked_and_keeps_the_figures(client, status, words):
    library = refreshed_library(repository_status=status)
    text = client.get(library.get_absolute_url()).content.decode()
    assert words in text and "61,500" in text


def test_library_page_before_any_refresh(client):
    library = ranked(LibraryFactory())
    assert "Not fetched from GitHub yet" in client.get(library.get_absolute_url()).content.decode()


def test_library_list_shows_stars_today(client):
    refreshed_library(name="Keras")
    ranked(LibraryFactory(name="Unrefreshed"))
    text = client.get(reverse("libraries:library_list")).content.decode()
    assert text.count("stars today</span>") == 1 and "61,500 stars today" in text


def test_library_list_query_count_does_not_grow(client):
    counts = []
    for number in (2, 20):
        for _ in range(number):
            ListEntryFactory(library=refreshed_library())
        with CaptureQueriesContext(connection) as queries:
            cold_get(client, reverse("libraries:library_list"))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_unknown_figures_show_a_dash_not_none(client):
    library = refreshed_library(forks=None)
    entry = ListEntryFactory(library=library, commits=None)
    for url in (library.get_absolute_url(), entry.post.get_absolute_url()):
        text = client.get(url).content.decode()
        assert ">None<" not in text and "<dd>–</dd>" in text


def test_library_page_shows_the_latest_60_snapshots_and_how_many_there_are(client):
    library = refreshed_library()
    first = days_ago(80)
    for day in range(75):
        StatsSnapshotFactory(library=library, taken_at=first + datetime.timedelta(days=day), stars=1000 + day)
    StatsSnapshotFactory(stars=5)  # another library's
    text = client.get(library.get_absolute_url()).content.decode()
    assert "Showing the latest 60 of 76." in text
    assert text.count('<th scope="row">') == 60

    def row_date(day):
        return as_shown(first + datetime.timedelta(days=day), "M j, Y")

    assert row_date(74) in text and "1,074" in text  # the newest
    assert row_date(15) in text and row_date(14) not in text  # the 15 oldest are left out


def test_library_page_query_count_does_not_grow_with_its_history(client):
    library = refreshed_library()
    counts = []
    for number in (3, 80):
        StatsSnapshotFactory.create_batch(number, library=library)
        with CaptureQueriesContext(connection) as queries:
            text = cold_get(client, library.get_absolute_url()).content.decode()
        counts.append(len(queries))
    assert "Showing the latest 60 of 84." in text
    assert counts[0] == counts[1]


def test_library_list_sorts_by_name_ignoring_case_or_by_stars_today(client):
    ranked(LibraryFactory(name="fast.ai", stars=10))
    ranked(LibraryFactory(name="Keras", stars=300))
    ranked(LibraryFactory(name="Caffe", stars=None))
    ranked(LibraryFactory(name="theano", stars=20))

    def order(url):
        html = client.get(url).content.decode()
        return sorted(["fast.ai", "Keras", "Caffe", "theano"], key=lambda name: html.index(f">{name}</a>"))

    assert order(reverse("libraries:library_list")) == ["Caffe", "fast.ai", "Keras", "theano"]
    assert order(reverse("libraries:library_list") + "?sort=stars") == ["Keras", "theano", "fast.ai", "Caffe"]


def test_library_history_shows_what_each_published_post_printed_as_of_its_date(client):
    library = refreshed_library()  # ranked in a published post whose figures are as of Oct 23, 2018
    StatsSnapshotFactory(library=library, taken_at=REFRESHED, stars=61500)
    draft = PostFactory(status="draft", title="Secret draft", figures_as_of=datetime.date(2019, 4, 30))
    ListEntryFactory(library=library, post=draft, stars=999999)
    history = client.get(library.get_absolute_url()).content.decode().split('id="history"')[1]
    rows = history.split('<th scope="row">')[1:]
    assert len(rows) == 2
    assert as_shown(REFRESHED, "M j, Y") in rows[0] and ">GitHub<" in rows[0] and "61,500" in rows[0]
    post = library.entries.get(post__status="published").post
    assert "Oct 23, 2018" in rows[1] and f'href="{post.get_absolute_url()}"' in rows[1] and "12,345" in rows[1]
    assert "999,999" not in history and "Secret draft" not in history


def test_sorting_by_stars_before_any_refresh_says_why_the_list_is_by_name(client):
    ranked(LibraryFactory(name="Keras"))
    assert "No figures of today from GitHub yet" in client.get("/libraries/?sort=stars").content.decode()
    assert "No figures of today from GitHub yet" not in client.get("/libraries/").content.decode()
    refreshed_library(name="Theano")
    assert "No figures of today from GitHub yet" not in cold_get(client, "/libraries/?sort=stars").content.decode()
