"""The list and each library's history as CSV and JSON: stable columns, exact numbers, published data only."""

import csv
import datetime
import io

import pytest

from libraries.models import Library
from tests.factories import LibraryFactory, ListEntryFactory, PostFactory, StatsSnapshotFactory
from tests.when import days_ago, hours_ago

pytestmark = pytest.mark.django_db

TOP_13 = "/posts/top-13-python-deep-learning-libraries/"
REFRESHED = hours_ago(2)  # within GITHUB_FIGURES_TODAY_HOURS: "today" on any day the suite runs
LIST_COLUMNS = (
    "rank,name,library,library_url,repository,published_as_of,stars_published,contributors_published,"
    "commits_published,today_as_of,stars_today,contributors_today,commits_today,stars_change,contributors_change,"
    "commits_change,rank_today"
).split(",")


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def number(cell):
    return int(cell) if cell != "" else None


def test_the_list_as_csv_round_trips_every_figure(client, imported_series):
    Library.objects.filter(name="TensorFlow").update(
        stars=190123, contributors=3100, commits=2**31 - 1, last_refreshed_at=REFRESHED
    )
    response = client.get(TOP_13 + "figures.csv")
    assert response["Content-Disposition"] == 'attachment; filename="top-13-python-deep-learning-libraries-figures.csv"'
    rows = csv_rows(response)
    assert list(rows[0]) == LIST_COLUMNS and len(rows) == 13
    tensorflow = rows[0]
    assert tensorflow["name"] == "TensorFlow" and tensorflow["repository"] == "tensorflow/tensorflow"
    assert tensorflow["published_as_of"] == "2018-10-23" and tensorflow["today_as_of"] == REFRESHED.isoformat()
    assert [number(tensorflow[c]) for c in ("stars_published", "stars_today", "stars_change")] == [
        112591,
        190123,
        190123 - 112591,
    ]
    assert number(tensorflow["commits_today"]) == 2**31 - 1 and number(tensorflow["rank_today"]) == 1
    caffe = next(row for row in rows if row["name"] == "Caffe")
    assert caffe["stars_today"] == caffe["stars_change"] == caffe["rank_today"] == caffe["today_as_of"] == ""
    assert number(caffe["stars_published"]) == 25927


def test_the_list_as_json_has_the_same_columns_and_nulls(client, imported_series):
    data = client.get(TOP_13 + "figures.json").json()
    assert data["post"] == "Top 13 Python Deep Learning Libraries" and data["columns"] == LIST_COLUMNS
    assert [row["rank"] for row in data["rows"]] == list(range(1, 14))
    assert data["rows"][0]["stars_published"] == 112591 and data["rows"][0]["stars_today"] is None


def test_a_draft_has_no_data(client):
    draft = PostFactory(status="draft")
    ListEntryFactory(post=draft)
    for suffix in ("figures.csv", "figures.json"):
        assert client.get(draft.get_absolute_url() + suffix).status_code == 404


def test_a_name_a_spreadsheet_would_run_is_quoted(client):
    post = PostFactory()
    ListEntryFactory(post=post, library=LibraryFactory(name='=HYPERLINK("http://evil","x")', stars=5))
    row = csv_rows(client.get(post.get_absolute_url() + "figures.csv"))[0]
    assert row["name"].startswith("'=") and row["library"].startswith("'=")


def test_a_library_history_has_every_row_the_posts_printed_and_github_gave(client):
    library = LibraryFactory(name="Keras", slug="keras")
    entry = ListEntryFactory(library=library, stars=30000, contributors=700, commits=4500)
    first = days_ago(80)
    for day in range(75):
        StatsSnapshotFactory(library=library, taken_at=first + datetime.timedelta(days=day), stars=40000 + day)
    rows = csv_rows(client.get("/libraries/keras/history.csv"))
    assert len(rows) == 76  # the page shows the latest 60; the data has them all
    assert rows[0]["date"] == (first + datetime.timedelta(days=74)).isoformat() and rows[0]["source"] == "github"
    assert number(rows[0]["stars"]) == 40074
    printed = rows[-1]
    assert printed["source"] == "post" and printed["post"] == entry.post.title
    assert [number(printed[c]) for c in ("stars", "contributors", "commits", "forks")] == [30000, 700, 4500, None]
    data = client.get("/libraries/keras/history.json").json()
    assert data["library"] == "Keras" and len(data["rows"]) == 76 and data["rows"][-1]["forks"] is None


def test_a_library_no_published_post_ranks_has_no_history(client):
    library = LibraryFactory(slug="secret")
    ListEntryFactory(library=library, post=PostFactory(status="draft"))
    assert client.get("/libraries/secret/history.csv").status_code == 404


def test_the_pages_link_their_data(client, imported_series):
    html = client.get(TOP_13).content.decode()
    assert 'href="/posts/top-13-python-deep-learning-libraries/figures.csv"' in html
    assert 'href="/posts/top-13-python-deep-learning-libraries/figures.json"' in html
    library = client.get("/libraries/tensorflow/").content.decode()
    assert 'href="/libraries/tensorflow/history.csv"' in library
