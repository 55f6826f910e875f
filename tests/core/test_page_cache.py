"""The page cache: what an anonymous reader gets from it, what a CDN may keep, and when each page changes."""

import datetime
import gzip
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Comment, Post, Series, Tag
from libraries.github import GitHubClient
from libraries.models import Library
from libraries.refresh import library_refresh
from tests.admin_forms import admin_change
from tests.articles.conftest import comment_url, form_data
from tests.conftest import CATALOGUE
from tests.factories import CommentFactory, PostFactory
from tests.libraries.github_standin import GitHubStandIn

pytestmark = pytest.mark.django_db

TOP_13 = "/posts/top-13-python-deep-learning-libraries/"
TOP_8 = "/posts/top-8-python-machine-learning-libraries/"
READER_PAGES = {
    "home": "/",
    "post": TOP_13,
    "library": "/libraries/tensorflow/",
    "library list": "/libraries/",
    "tag": "/tags/learning/",
    "feed": "/feed/",
}


def reader_get(url: str, **headers):
    """A new reader: no cookie of any kind."""
    return Client().get(url, **headers)


def cache_control(response) -> dict[str, str]:
    return dict(
        (part.strip().split("=") + [""])[:2] for part in response.get("Cache-Control", "").split(",") if part.strip()
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def changes(django_capture_on_commit_callbacks):
    """A change made by an editor, a moderator or the refresh, committed: what runs after commit runs."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.parametrize("url", READER_PAGES.values(), ids=READER_PAGES.keys())
def test_an_anonymous_reader_gets_a_page_any_cache_may_keep(imported_series, url):
    response = reader_get(url)

    assert response.status_code == 200
    assert not response.cookies
    assert "cookie" not in response["Vary"].lower()
    assert cache_control(response) == {"public": "", "max-age": "60", "s-maxage": "300"}
    assert re.fullmatch(r'W/"[0-9a-f]{24}"', response["ETag"])
    assert response["Last-Modified"].endswith(" GMT")


@pytest.mark.parametrize("url", READER_PAGES.values(), ids=READER_PAGES.keys())
def test_a_stored_page_is_served_without_a_query_or_a_render(imported_series, url):
    first = reader_get(url)

    with CaptureQueriesContext(connection) as queries:
        again = reader_get(url)

    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert len(queries) == 0 and not again.templates
    assert again.content == first.content and again["ETag"] == first["ETag"]


@pytest.mark.parametrize("page_cache", [True, False], ids=["cache on", "PAGE_CACHE=off"])
def test_a_conditional_get_is_answered_304_without_a_query(imported_series, settings, page_cache):
    settings.PAGE_CACHE = page_cache
    first = reader_get(TOP_13)

    with CaptureQueriesContext(connection) as queries:
        by_etag = reader_get(TOP_13, HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = reader_get(TOP_13, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert (by_etag.status_code, by_date.status_code) == (304, 304)
    assert by_etag.content == b"" and by_etag["ETag"] == first["ETag"]
    assert cache_control(by_etag)["public"] == ""
    assert len(queries) == 0
    assert reader_get(TOP_13, HTTP_IF_NONE_MATCH='W/"another"').status_code == 200


def test_page_cache_off_renders_every_request_and_changes_nothing_else(imported_series, settings):
    settings.PAGE_CACHE = False

    first, again = reader_get(TOP_13), reader_get(TOP_13)

    assert first.templates and again.templates  # rendered both times
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("off", "off")
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        assert first[header] == again[header]
    assert cache_control(again)["public"] == "" and not again.cookies
    assert first.content == again.content


def test_readers_who_accept_gzip_get_the_page_compressed(imported_series):
    plain = reader_get(TOP_13)

    for attempt in ("miss", "hit"):
        compressed = reader_get(TOP_13, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert compressed["Content-Encoding"] == "gzip", attempt
        assert gzip.decompress(compressed.content) == plain.content
        assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain.content) / 3


def test_parameters_a_page_does_not_read_share_its_stored_copy(imported_series):
    reader_get("/libraries/")

    assert reader_get("/libraries/?utm_source=news&ref=hn")["X-Page-Cache"] == "hit"
    by_stars = reader_get("/libraries/?sort=stars")
    assert by_stars["X-Page-Cache"] == "miss" and by_stars["ETag"] != reader_get("/libraries/")["ETag"]


def test_signed_in_staff_bypass_the_cache_and_get_private_pages(imported_series, editor_client):
    reader_get(TOP_13)
    draft = PostFactory(status=Post.Status.DRAFT, title="Secret draft")

    staff_page = editor_client.get(TOP_13)
    preview = editor_client.get(draft.get_absolute_url())

    assert "X-Page-Cache" not in staff_page and staff_page.templates
    for response in (staff_page, preview):
        assert cache_control(response) == {"private": "", "no-cache": ""}
        assert "ETag" not in response
    assert "Preview: Draft" in preview.content.decode()
    assert reader_get(draft.get_absolute_url()).status_code == 404
    assert reader_get(TOP_13)["X-Page-Cache"] == "hit"


def test_a_reader_with_a_message_waiting_gets_a_page_of_their_own(imported_series, settings):
    settings.COMMENT_MIN_SECONDS = 0
    reader = Client(headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    reader_get(TOP_13)

    confirmed = reader.post(comment_url(post), form_data(post), follow=True)

    assert "awaits moderation" in confirmed.content.decode()
    assert cache_control(confirmed) == {"private": "", "no-cache": ""}
    assert "awaits moderation" not in reader.get(TOP_13).content.decode()  # shown once, never stored
    assert "awaits moderation" not in reader_get(TOP_13).content.decode()


def test_a_pending_comment_changes_no_page(imported_series, settings, changes):
    settings.COMMENT_MIN_SECONDS = 0
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    before = {url: reader_get(url)["ETag"] for url in READER_PAGES.values()}

    with changes():
        Client(headers={"Origin": "http://testserver"}).post(comment_url(post), form_data(post))

    assert Comment.objects.get().status == Comment.Status.PENDING
    assert {url: reader_get(url)["ETag"] for url in READER_PAGES.values()} == before


def test_a_comment_approved_in_the_admin_shows_on_its_post_and_in_counts_and_nowhere_else(
    imported_series, changes, client, admin_user
):
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    comment = CommentFactory(post=post, status=Comment.Status.PENDING, body="Where is Keras?")
    before = {url: reader_get(url)["ETag"] for url in READER_PAGES.values()}
    client.force_login(admin_user)

    with changes():
        response = client.post(
            reverse("admin:articles_comment_changelist"), {"action": "approve", "_selected_action": [comment.pk]}
        )

    assert response.status_code == 302
    assert "Where is Keras?" in reader_get(TOP_13).content.decode()
    assert "1 comment" in text(reader_get("/")) and "1 comment" in text(reader_get("/tags/learning/"))
    unchanged = {url for url, etag in before.items() if reader_get(url)["ETag"] == etag}
    assert unchanged == {"/libraries/tensorflow/", "/libraries/", "/feed/"}


def test_a_comment_rejected_or_removed_in_the_admin_leaves_the_page(imported_series, changes, client, admin_user):
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    rejected = CommentFactory(post=post, body="Rejected later.")
    removed = CommentFactory(post=post, body="Removed later.")
    other_post_etag = reader_get(TOP_8)["ETag"]
    assert "Rejected later." in reader_get(TOP_13).content.decode()
    client.force_login(admin_user)

    with changes():
        admin_change(client, reverse("admin:articles_comment_change", args=[rejected.pk]), status="rejected")
    with changes():
        client.post(reverse("admin:articles_comment_delete", args=[removed.pk]), {"post": "yes"})

    page = reader_get(TOP_13).content.decode()
    assert "Rejected later." not in page and "Removed later." not in page
    assert reader_get(TOP_8)["ETag"] == other_post_etag


def test_a_post_edited_in_the_admin_changes_every_page_that_shows_it(imported_series, changes, editor_client):
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    for url in READER_PAGES.values():
        reader_get(url)

    with changes():
        admin_change(  # a live post: its changes are saved as a draft, and published with this button
            editor_client,
            reverse("admin:articles_post_change", args=[post.pk]),
            title="Top 13 Deep Libraries",
            _publish_now="1",
        )

    for url in ("/", TOP_13, "/libraries/tensorflow/", "/libraries/", "/tags/learning/", "/feed/"):
        assert "Top 13 Deep Libraries" in reader_get(url).content.decode(), url


def test_a_post_published_in_the_admin_appears_for_readers(imported_series, changes, editor_client):
    draft = PostFactory(status=Post.Status.DRAFT, title="Fresh standalone post", published_on=datetime.date(2020, 1, 1))
    assert "Fresh standalone post" not in reader_get("/").content.decode()
    assert reader_get("/feed/")["X-Page-Cache"] == "miss"

    with changes():
        admin_change(editor_client, reverse("admin:articles_post_change", args=[draft.pk]), status="published")

    assert "Fresh standalone post" in reader_get("/").content.decode()
    assert "Fresh standalone post" in reader_get("/feed/").content.decode()
    assert reader_get(draft.get_absolute_url()).status_code == 200


def test_a_series_tag_or_library_edited_in_the_admin_shows_at_once(imported_series, changes, editor_client):
    series = Series.objects.get()
    tag = Tag.objects.get(slug="learning")
    library = Library.objects.get(slug="tensorflow")
    for url in READER_PAGES.values():
        reader_get(url)

    with changes():
        admin_change(
            editor_client, reverse("admin:articles_series_change", args=[series.pk]), title="The Python Top Lists"
        )
        admin_change(editor_client, reverse("admin:articles_tag_change", args=[tag.pk]), name="Learning things")
        admin_change(
            editor_client,
            reverse("admin:libraries_library_change", args=[library.pk]),
            description="The numerical computation library from Google.",
        )

    assert "The Python Top Lists" in reader_get("/").content.decode()
    assert "Learning things" in reader_get(TOP_13).content.decode()
    assert "Learning things" in reader_get("/tags/learning/").content.decode()
    assert "The numerical computation library from Google." in reader_get("/libraries/tensorflow/").content.decode()


def after_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0, 0, 5), tzinfo=timezone.get_current_timezone())


def test_a_scheduled_post_goes_live_when_its_date_arrives_with_no_one_saving_anything(
    imported_series, changes, editor_client
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    draft = PostFactory(status=Post.Status.DRAFT, title="Scheduled for tomorrow", slug="scheduled")
    with changes():
        admin_change(
            editor_client,
            reverse("admin:articles_post_change", args=[draft.pk]),
            status="published",
            published_on=tomorrow.isoformat(),
        )
    home = reader_get("/")
    assert "Scheduled for tomorrow" not in home.content.decode()
    assert reader_get("/")["X-Page-Cache"] == "hit"
    # No cache, here or in a CDN, may keep the page past midnight.
    seconds_to_midnight = (after_midnight(tomorrow) - timezone.now()).total_seconds()
    assert int(cache_control(home)["max-age"]) <= min(60, seconds_to_midnight)
    assert int(cache_control(home)["s-maxage"]) <= min(300, seconds_to_midnight)

    with time_machine.travel(after_midnight(tomorrow)):
        assert "Scheduled for tomorrow" in reader_get("/").content.decode()
        assert "Scheduled for tomorrow" in reader_get("/feed/").content.decode()
        assert reader_get("/posts/scheduled/").status_code == 200


def test_comments_close_on_their_day_with_no_one_saving_anything(changes, editor_client):
    today = timezone.localdate()
    post = PostFactory(slug="closing", published_on=today - datetime.timedelta(days=2))
    with changes():
        admin_change(
            editor_client,
            reverse("admin:articles_post_change", args=[post.pk]),
            comments_close_after_days="2",
            _publish_now="1",
        )
    assert 'id="comment-form"' in reader_get(post.get_absolute_url()).content.decode()

    with time_machine.travel(after_midnight(today + datetime.timedelta(days=1))):
        page = reader_get(post.get_absolute_url()).content.decode()
        assert 'id="comment-form"' not in page and "Comments are closed." in page


def test_a_refresh_that_changed_figures_shows_today_on_the_post_and_library_pages(imported_series, changes):
    tensorflow = Library.objects.get(slug="tensorflow")
    for url in READER_PAGES.values():
        reader_get(url)
    with GitHubStandIn() as github:
        github.add(tensorflow.full_name, stars=190123, contributors=3456, commits=180000)
        with changes():
            library_refresh(library=tensorflow, client=GitHubClient(github.url, timeout=(1, 1)), run_id="run-1")

    assert "190,123 today" in text(reader_get(TOP_13))
    assert "190,123" in text(reader_get("/libraries/tensorflow/"))
    assert "190,123 stars today" in text(reader_get("/libraries/"))
    assert reader_get("/feed/")["X-Page-Cache"] == "hit"  # the feed shows no figures


def test_an_import_that_changes_nothing_keeps_the_pages(imported_series, changes):
    before = reader_get(TOP_13)["ETag"]
    with changes():
        call_command("import_libraries", str(CATALOGUE), stdout=None)
    assert reader_get(TOP_13)["ETag"] == before


@pytest.mark.parametrize("url", READER_PAGES.values(), ids=READER_PAGES.keys())
def test_a_cold_page_takes_at_most_ten_queries_whatever_the_data(imported_series, url, settings):
    settings.PAGE_CACHE = False
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    CommentFactory(post=post, parent=CommentFactory(post=post))
    with CaptureQueriesContext(connection) as small:
        assert reader_get(url).status_code == 200
    for parent in CommentFactory.create_batch(30, post=post):
        CommentFactory(post=post, parent=parent)
    PostFactory.create_batch(5)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert reader_get(url).status_code == 200

    assert len(large) == len(small) <= 10
    with CaptureQueriesContext(connection) as stored_fragments:
        reader_get(url)
    assert len(stored_fragments) == 0


def test_the_admin_is_never_kept_by_a_cache(admin_user):
    browser = Client()
    browser.force_login(admin_user)
    assert "private" in browser.get(reverse("admin:index"))["Cache-Control"]
    assert "no-store" in Client().get(reverse("healthz"))["Cache-Control"]


def test_figures_stop_being_today_when_no_refresh_follows_with_no_one_saving_anything(
    imported_series, changes, settings
):
    settings.GITHUB_FIGURES_TODAY_HOURS = 2  # well within the time pages and fragments are kept
    tensorflow = Library.objects.get(slug="tensorflow")
    with GitHubStandIn() as github:
        github.add(tensorflow.full_name, stars=190123, contributors=3456, commits=180000)
        with changes():
            library_refresh(library=tensorflow, client=GitHubClient(github.url, timeout=(1, 1)), run_id="run-1")
    fetched_at = Library.objects.get(slug="tensorflow").last_refreshed_at
    fetched_on = timezone.localtime(fetched_at)
    for url in (TOP_13, "/libraries/", "/libraries/tensorflow/"):
        assert "190,123" in text(reader_get(url)) and reader_get(url)["X-Page-Cache"] == "hit"
    assert "190,123 today" in text(reader_get(TOP_13))

    # The refreshes that follow fail: nobody writes, yet the pages stop saying "today" once the figures are old.
    later = fetched_at + datetime.timedelta(hours=2, minutes=1)  # in UTC: 2 h 1 min later across a DST change too
    with time_machine.travel(later):
        stale = f"as of {fetched_on:%b} {fetched_on.day}, {fetched_on.year}"
        post = text(reader_get(TOP_13))
        assert f"190,123 {stale}" in post and "190,123 today" not in post
        assert f"190,123 stars {stale}" in text(reader_get("/libraries/"))
        library_page = text(reader_get("/libraries/tensorflow/"))
        assert "On GitHub today" not in library_page and "it has not answered since" in library_page


@pytest.mark.parametrize("written", ["1", "01", "0001"])
def test_one_page_however_its_number_is_written_is_one_stored_page(imported_series, written):
    assert reader_get("/tags/learning/?page=1")["X-Page-Cache"] == "miss"
    assert reader_get(f"/tags/learning/?page={written}")["X-Page-Cache"] == "hit"
    reader_get(f"{TOP_13}?page={written}")
    assert reader_get(f"{TOP_13}?page=1")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("written", ["%201", "abc", "0", "-1", "99999999999999999999", "1.0"])
def test_a_page_number_that_is_no_page_is_a_404_and_never_stored(imported_series, written):
    for url in (f"{TOP_13}?page={written}", f"/tags/learning/?page={written}", f"/archive/2018/?page={written}"):
        first, again = reader_get(url), reader_get(url)
        assert first.status_code == again.status_code == 404, url
        assert "X-Page-Cache" not in again and "private" in again["Cache-Control"]


def test_an_order_a_page_does_not_have_is_its_own_order_from_the_same_stored_page(imported_series):
    assert reader_get(TOP_13)["X-Page-Cache"] == "miss"
    for query in ("?sort=nonsense", "?sort=stars_today&sort=nonsense", "?sort=" + "x" * 500):
        assert reader_get(TOP_13 + query)["X-Page-Cache"] == "hit", query
    assert reader_get(TOP_13 + "?sort=stars_today")["X-Page-Cache"] == "miss"
    assert reader_get("/libraries/?sort=name")["X-Page-Cache"] == "miss"
    assert reader_get("/libraries/")["X-Page-Cache"] == "hit"  # by name is the list's own order
