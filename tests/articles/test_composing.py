"""Writing the next part in the admin: the ranked list from the catalogue or GitHub addresses, today's figures
taken as the post's own, the "Top N" count, reordering, preview and publishing."""

import datetime
from functools import partial
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.composing import post_figures_take, title_counted
from articles.models import ListEntry, Post
from libraries.models import Library
from libraries.names import NotARepositoryAddress, repository_from_address
from tests.admin_forms import admin_change, admin_form_data
from tests.conftest import TOP_8, TOP_13
from tests.factories import LibraryFactory, ListEntryFactory, PostFactory, SeriesFactory, StatsSnapshotFactory

pytestmark = pytest.mark.django_db


def change_url(post):
    return reverse("admin:articles_post_change", args=[post.pk])


@pytest.fixture
def placeholder():
    series = SeriesFactory(title="Top Python Libraries")
    PostFactory(series=series, series_position=1, title="Top 8 Python Machine Learning Libraries")
    return PostFactory(
        series=series,
        series_position=2,
        title="Top X Python Reinforcement Learning Libraries",
        slug="top-x-python-reinforcement-learning-libraries",
        status=Post.Status.COMING_SOON,
        published_on=None,
        figures_as_of=None,
        body="",
    )


@pytest.mark.parametrize(
    "address",
    [
        "https://github.com/DLR-RM/stable-baselines3",
        "https://github.com/DLR-RM/stable-baselines3/",
        "  github.com/DLR-RM/stable-baselines3  ",
        "https://www.github.com/DLR-RM/stable-baselines3.git",
        "https://github.com/DLR-RM/stable-baselines3/tree/master/docs",
        "https://github.com/DLR-RM/stable-baselines3#readme",
    ],
)
def test_a_repository_address_is_read_as_github_shows_it(address):
    assert repository_from_address(address) == ("DLR-RM", "stable-baselines3")


@pytest.mark.parametrize(
    "address",
    [
        "stable-baselines3",
        "https://gitlab.com/org/repo",
        "https://github.com/only-owner",
        "https://github.com/a/..",
        "",
    ],
)
def test_anything_else_is_refused_with_what_an_address_looks_like(address):
    with pytest.raises(NotARepositoryAddress, match=r"https://github.com/owner/repository"):
        repository_from_address(address)


def test_adding_by_github_address_creates_the_library_and_fetches_its_figures_on_the_worker(
    editor_client, placeholder, github, github_settings, eager_celery, django_capture_on_commit_callbacks
):
    github.add("DLR-RM/stable-baselines3", stars=9100, contributors=210, commits=1870)
    gym = LibraryFactory(name="Gym", github_owner="openai", github_repo="gym")
    ListEntryFactory(post=placeholder, library=gym, rank=1, stars=None, contributors=None, commits=None)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_change(
            editor_client,
            change_url(placeholder),
            add_from_github="https://github.com/DLR-RM/stable-baselines3\n\nhttps://github.com/openai/gym",
        )

    entries = list(placeholder.entries.order_by("rank").select_related("library"))
    assert [(entry.rank, entry.library.full_name) for entry in entries] == [
        (1, "openai/gym"),
        (2, "DLR-RM/stable-baselines3"),
    ]
    new = entries[1].library
    assert (new.stars, new.contributors, new.commits) == (9100, 210, 1870)
    assert entries[1].stars is None  # fetched, not printed: the post prints figures only once taken
    page = editor_client.get(response.url).content.decode()
    assert "New library stable-baselines3 (DLR-RM/stable-baselines3) added at rank 2 (rename it" in page
    assert "Gym is already in the list." in page
    assert "9,100 stars, 210 contributors, 1,870 commits" in page
    placeholder.refresh_from_db()
    assert placeholder.title == "Top 2 Python Reinforcement Learning Libraries"
    assert placeholder.slug == "top-2-python-reinforcement-learning-libraries"  # not out yet: it takes the count
    coming = Client().get("/coming/top-x-python-reinforcement-learning-libraries/")  # the address announced
    assert coming.status_code == 301 and coming.url == "/coming/top-2-python-reinforcement-learning-libraries/"


def test_an_address_github_does_not_know_is_refused_and_nothing_typed_is_lost(
    editor_client, placeholder, github, github_settings
):
    page = editor_client.get(change_url(placeholder)).content.decode()
    data = admin_form_data(page, "post_form", add_from_github="https://github.com/openai/gym", subtitle="Kept")
    response = editor_client.post(change_url(placeholder), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "GitHub does not know openai/gym: check the address." in text and 'value="Kept"' in text
    assert "https://github.com/openai/gym</textarea>" in text
    assert not placeholder.entries.exists() and not Library.objects.filter(github_repo="gym").exists()


def test_a_library_picked_from_the_catalogue_without_figures_is_fetched_too(
    editor_client, placeholder, github, github_settings, eager_celery, committed
):
    chosen = LibraryFactory(name="DEAP", github_owner="DEAP", github_repo="deap")
    github.add("DEAP/deap", stars=5300, contributors=60, commits=2400)
    with committed():
        response = admin_change(
            editor_client, change_url(placeholder), **{"entries-0-library": str(chosen.pk), "_continue": "1"}
        )
    chosen.refresh_from_db()
    assert (chosen.stars, chosen.contributors, chosen.commits) == (5300, 60, 2400)
    assert "Fetching from GitHub the figures of DEAP" in editor_client.get(response.url).content.decode()


def test_a_fetch_that_fails_says_why_and_what_to_do_without_internals(
    editor_client, placeholder, github, github_settings, eager_celery, committed
):
    gone = LibraryFactory(name="Gone", github_owner="gone", github_repo="away")
    with committed():
        admin_change(editor_client, change_url(placeholder), **{"entries-0-library": str(gone.pk)})
    page = editor_client.get(change_url(placeholder)).content.decode()
    assert "Fetching failed: GitHub does not know gone/away: check the library&#x27;s repository" in page
    assert github.url not in page and "/repos/" not in page
    figures = editor_client.get(reverse("admin:articles_post_figures_today", args=[placeholder.pk])).json()
    (state,) = figures["entries"].values()
    assert state["fetching"] is False and state["text"].startswith("Fetching failed: GitHub does not know")


def test_while_the_worker_has_not_fetched_the_admin_says_it_waits_and_follows_it(
    editor_client, placeholder, github, github_settings, committed
):
    github.add("DLR-RM/stable-baselines3")
    with committed():
        admin_change(
            editor_client, change_url(placeholder), add_from_github="https://github.com/DLR-RM/stable-baselines3"
        )
    figures = editor_client.get(reverse("admin:articles_post_figures_today", args=[placeholder.pk])).json()
    assert list(figures["entries"].values()) == [
        {"text": "Waiting for the worker to fetch its figures from GitHub…", "fetching": True}
    ]
    assert "data-fetching" in editor_client.get(change_url(placeholder)).content.decode()


def test_with_the_broker_down_the_library_is_still_added_and_the_admin_says_the_fetch_waits(
    editor_client, placeholder, github, github_settings, unreachable_broker
):
    github.add("DLR-RM/stable-baselines3")
    response = admin_change(
        editor_client, change_url(placeholder), add_from_github="https://github.com/DLR-RM/stable-baselines3"
    )
    assert placeholder.entries.get().library.full_name == "DLR-RM/stable-baselines3"
    assert "did not answer" in editor_client.get(response.url).content.decode()


def test_a_bad_address_is_refused_by_name_and_nothing_typed_is_lost(editor_client, placeholder):
    page = editor_client.get(change_url(placeholder)).content.decode()
    data = admin_form_data(
        page, "post_form", add_from_github="https://github.com/DLR-RM/stable-baselines3\nnot a url", subtitle="Kept"
    )
    response = editor_client.post(change_url(placeholder), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "“not a url” is not a GitHub repository&#x27;s address" in text
    assert "https://github.com/DLR-RM/stable-baselines3\nnot a url</textarea>" in text
    assert 'value="Kept"' in text
    assert not ListEntry.objects.exists() and not Library.objects.filter(github_repo="stable-baselines3").exists()


def test_taking_todays_figures_prints_each_entrys_latest_snapshot_and_dates_them(placeholder):
    fetched, never = LibraryFactory(), LibraryFactory()
    StatsSnapshotFactory(library=fetched, stars=100, contributors=1, commits=10)
    latest = StatsSnapshotFactory(
        library=fetched, stars=200, contributors=2, commits=20, taken_at=timezone.now() - datetime.timedelta(hours=1)
    )
    taken = ListEntryFactory(post=placeholder, library=fetched, stars=None, contributors=None, commits=None)
    left = ListEntryFactory(post=placeholder, library=never, stars=5, contributors=None, commits=None)

    result = post_figures_take(post=placeholder)

    assert result.taken == [taken] and result.without_figures == [left]
    taken.refresh_from_db(), left.refresh_from_db(), placeholder.refresh_from_db()
    assert (taken.stars, taken.contributors, taken.commits) == (200, 2, 20)
    assert left.stars == 5  # nothing to take: kept as it was
    assert placeholder.figures_as_of == timezone.localdate(latest.taken_at)


def test_take_todays_figures_button_saves_the_form_first_and_stays_on_the_page(editor_client, placeholder):
    library = LibraryFactory(name="DEAP")
    StatsSnapshotFactory(library=library, stars=5300, contributors=60, commits=2400, taken_at=timezone.now())
    entry = ListEntryFactory(post=placeholder, library=library, rank=1, stars=None, contributors=None, commits=None)

    response = admin_change(editor_client, change_url(placeholder), subtitle="Evolution", _take_figures="1")

    assert response.url == change_url(placeholder)
    entry.refresh_from_db(), placeholder.refresh_from_db()
    assert (entry.stars, entry.contributors, entry.commits) == (5300, 60, 2400)
    assert placeholder.subtitle == "Evolution" and placeholder.figures_as_of == timezone.localdate()
    assert "Took today&#x27;s GitHub figures for 1 of 1 entries" in editor_client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("title", "count", "expected"),
    [
        ("Top X Python Data Science Libraries", 7, "Top 7 Python Data Science Libraries"),
        ("top x Python Data Science Libraries", 7, "top 7 Python Data Science Libraries"),
        ("Top 8 Python Machine Learning Libraries", 9, "Top 9 Python Machine Learning Libraries"),
        ("Top X Python Data Science Libraries", 0, "Top X Python Data Science Libraries"),
        ("Python Data Science Libraries, Top X", 7, "Python Data Science Libraries, Top X"),
        ("Topology in Python", 3, "Topology in Python"),
    ],
)
def test_a_top_x_title_takes_its_number_from_the_list(title, count, expected):
    assert title_counted(title, count) == expected


def test_ranks_can_be_swapped_and_a_blank_rank_goes_to_the_end(editor_client, placeholder):
    first, second = ListEntryFactory(post=placeholder, rank=1), ListEntryFactory(post=placeholder, rank=2)
    third = LibraryFactory(name="Ray RLlib")
    page = editor_client.get(change_url(placeholder)).content.decode()
    forms = {"entries-0-rank": "2", "entries-1-rank": "1", "entries-2-library": str(third.pk), "entries-2-rank": ""}
    response = editor_client.post(change_url(placeholder), admin_form_data(page, "post_form", **forms))
    assert response.status_code == 302, response.content.decode()[:2000]
    ranks = dict(placeholder.entries.values_list("library_id", "rank"))
    assert ranks == {first.library_id: 2, second.library_id: 1, third.pk: 3}


def test_two_entries_left_at_one_rank_are_refused_and_nothing_changes(editor_client, placeholder):
    first, second = ListEntryFactory(post=placeholder, rank=1), ListEntryFactory(post=placeholder, rank=2)
    page = editor_client.get(change_url(placeholder)).content.decode()
    response = editor_client.post(
        change_url(placeholder), admin_form_data(page, "post_form", **{"entries-1-rank": "1"})
    )
    assert response.status_code == 200
    assert "Please correct the duplicate data for rank" in response.content.decode()
    assert dict(placeholder.entries.values_list("pk", "rank")) == {first.pk: 1, second.pk: 2}


def test_a_deleted_entrys_rank_can_be_taken_in_the_same_save(editor_client, placeholder):
    first, second = ListEntryFactory(post=placeholder, rank=1), ListEntryFactory(post=placeholder, rank=2)
    admin_change(editor_client, change_url(placeholder), **{"entries-0-DELETE": "on", "entries-1-rank": "1"})
    assert list(placeholder.entries.values_list("pk", "rank")) == [(second.pk, 1)]
    assert not ListEntry.objects.filter(pk=first.pk).exists()


def test_a_post_sent_back_untouched_as_a_browser_sends_it_records_no_change(editor_client, imported_series):
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    page = editor_client.get(change_url(post)).content.decode()
    # Browsers send a textarea's line ends as CRLF; the stored Markdown has LF.
    data = {
        name: [value.replace("\n", "\r\n") for value in values]
        for name, values in admin_form_data(page, "post_form").items()
    }
    before = LogEntry.objects.count()
    body, descriptions = post.body, list(post.entries.values_list("description", flat=True))
    response = editor_client.post(change_url(post), data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == body and list(post.entries.values_list("description", flat=True)) == descriptions
    assert LogEntry.objects.count() == before  # nothing changed, nothing recorded


def test_a_real_change_is_still_recorded_once(editor_client, placeholder):
    admin_change(editor_client, change_url(placeholder), subtitle="Agents that learn")
    (entry,) = LogEntry.objects.all()
    assert "Subtitle" in entry.get_change_message()


def test_publish_now_publishes_today_and_a_future_date_is_a_schedule(editor_client, placeholder):
    ListEntryFactory(post=placeholder)
    response = admin_change(editor_client, change_url(placeholder), _publish_now="1")
    placeholder.refresh_from_db()
    assert placeholder.status == Post.Status.PUBLISHED and placeholder.published_on == timezone.localdate()
    assert "is published: readers see it now" in editor_client.get(response.url).content.decode()

    later = timezone.localdate() + datetime.timedelta(days=3)
    other = PostFactory(status=Post.Status.DRAFT, published_on=None)
    response = admin_change(editor_client, change_url(other), status="published", published_on=later.isoformat())
    assert f"readers see it from {later:%B %-d, %Y}" in editor_client.get(response.url).content.decode()
    assert editor_client.get(other.get_absolute_url()).status_code == 200  # the editor's preview
    editor_client.logout()
    assert editor_client.get(other.get_absolute_url()).status_code == 404  # not out yet for readers


def test_save_and_preview_opens_the_post_as_readers_will_see_it(editor_client, placeholder):
    ListEntryFactory(post=placeholder, library__name="Gym", rank=1)
    ListEntryFactory(post=placeholder, library__name="DEAP", rank=2)
    response = admin_change(editor_client, change_url(placeholder), _save_and_preview="1")
    placeholder.refresh_from_db()  # "Top 2 …" now, at top-2-…
    assert response.url == placeholder.get_absolute_url() == "/posts/top-2-python-reinforcement-learning-libraries/"
    page = editor_client.get(response.url).content.decode()
    assert "Preview: Coming soon" in page and "Gym" in page and "<svg" in page  # the list and its chart


def test_the_body_preview_shows_the_series_parts_where_readers_see_them(editor_client, placeholder):
    url = reverse("admin:articles_post_markdown_preview", args=[placeholder.pk])
    html = editor_client.post(url, {"content": "Before **this**.\n\n[series]\n\nAfter <script>x()</script>"})
    text = html.content.decode()
    assert "<strong>this</strong>" in text and "[series]" not in text
    assert "Top 8 Python Machine Learning Libraries" in text and 'class="series-parts"' in text
    assert "<script>" not in text
    page = editor_client.get(change_url(placeholder)).content.decode()
    assert f'data-markdownx-urls-path="{url}"' in page
    assert "Preview, as readers will see it:" in page
    assert Client().post(url, {"content": "x"}).status_code == 302  # readers are sent to the login


def test_a_part_an_editor_has_started_keeps_its_title_and_list_when_the_articles_are_imported_again(imported_series):
    part = Post.objects.get(title__startswith="Top X Python Reinforcement")
    ListEntryFactory(post=part, rank=1)
    part.title = title_counted(part.title, 1)
    part.save()

    call_command("import_article", str(TOP_8), str(TOP_13))

    part.refresh_from_db()
    assert part.title == "Top 1 Python Reinforcement Learning and evolutionary computation Libraries"
    assert part.status == Post.Status.COMING_SOON and part.entries.count() == 1
    assert Post.objects.filter(title__contains="Reinforcement").count() == 1


def test_the_library_autocomplete_finds_a_library_by_an_alias_and_ignores_case(editor_client):
    LibraryFactory(name="Gym", aliases=["OpenAI Gym"])
    LibraryFactory(name="DEAP")
    answer = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "openai", "app_label": "articles", "model_name": "listentry", "field_name": "library"},
    )
    assert [result["text"] for result in answer.json()["results"]] == ["Gym"]


def test_a_post_scheduled_at_a_time_comes_out_then_and_the_pages_know_when(editor_client):
    import time_machine

    from articles.visibility import next_visibility_change

    day = timezone.localdate()  # the editor's session is today's
    at = partial(datetime.datetime.combine, day, tzinfo=timezone.get_current_timezone())
    post = PostFactory(status=Post.Status.DRAFT, published_on=None)
    ListEntryFactory(post=post)
    with time_machine.travel(at(datetime.time(9, 0)), tick=False):
        response = admin_change(
            editor_client,
            change_url(post),
            status="published",
            published_on=day.isoformat(),
            published_time="14:30",
        )
        note = f"readers see it from {day:%B %-d, %Y} at 14:30 ({timezone.get_current_timezone_name()})"
        assert note in editor_client.get(response.url).content.decode()
        assert not Post.objects.published().filter(pk=post.pk).exists()
        assert next_visibility_change() == at(datetime.time(14, 30))
        post.refresh_from_db()  # its "Top N" title counted its one entry, and so did its address
        assert post.slug == "top-1-python-things"
        assert Client().get(post.get_absolute_url()).status_code == 404
        preview = editor_client.get(post.get_absolute_url()).content.decode()
        assert f"Preview: scheduled for {day:%B %-d, %Y}, 14:30" in preview
    with time_machine.travel(at(datetime.time(14, 30, 1)), tick=False):
        assert Post.objects.published().filter(pk=post.pk).exists()
        post.refresh_from_db()
        assert post.is_readable and post.comments_open
        assert Client().get(post.get_absolute_url()).status_code == 200


def test_publish_now_brings_forward_a_post_scheduled_for_later_today(editor_client):
    import time_machine

    day = timezone.localdate()
    post = PostFactory(status=Post.Status.PUBLISHED, published_on=day, published_time=datetime.time(18, 0))
    morning = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(morning, tick=False):
        assert not post.is_readable
        admin_change(editor_client, change_url(post), _publish_now="1")
        post.refresh_from_db()
        assert post.is_readable and post.published_time is None


def test_only_those_who_may_add_libraries_and_entries_may_add_by_address(client, django_user_model, placeholder):
    from django.contrib.auth.models import Permission

    writer = django_user_model.objects.create_user("writer", password="password", is_staff=True)
    writer.user_permissions.add(*Permission.objects.filter(codename__in=["change_post", "view_post"]))
    client.force_login(writer)
    page = client.get(change_url(placeholder)).content.decode()
    assert "add_from_github" not in page and "_take_figures" not in page
    data = admin_form_data(page, "post_form", add_from_github="https://github.com/DLR-RM/stable-baselines3")
    assert client.post(change_url(placeholder), data).status_code == 302
    assert not Library.objects.filter(github_repo="stable-baselines3").exists() and not placeholder.entries.exists()


def test_an_article_for_a_part_being_written_in_the_admin_is_refused_not_imported_beside_it(imported_series, tmp_path):
    part = Post.objects.get(title__startswith="Top X Python Reinforcement")
    ListEntryFactory(post=part, rank=1)
    article = tmp_path / "2019-01-10-top-1-python-reinforcement-learning.md"
    article.write_text(
        "---\ntitle: Top 1 Python Reinforcement Learning and evolutionary computation Libraries\ndate: 2019-01-10\n"
        "---\n\nThe series:\n\n**Top 8 Python Machine Learning Libraries** **✅**\n\n"
        "**Top 13 Python Deep Learning Libraries ✅**\n\n"
        "**Top 1 Python Reinforcement Learning and evolutionary computation Libraries ✅** - this post\n\n"
        "Top X Python Data Science Libraries – COMING SOON!\n\n**1. Gym (Stars – 5)**\n\nAgents.\n"
    )
    out = StringIO()
    call_command("import_article", str(article), stdout=out, stderr=out)
    assert "is being written in the admin" in out.getvalue()
    assert Post.objects.filter(title__contains="Reinforcement").get() == part
    part.refresh_from_db()
    assert part.status == Post.Status.COMING_SOON and part.entries.count() == 1


def test_publish_now_dates_a_never_published_draft_today_not_by_its_old_date(editor_client):
    draft = PostFactory(status=Post.Status.DRAFT, published_on=datetime.date(2019, 1, 5))
    admin_change(editor_client, change_url(draft), _publish_now="1")
    draft.refresh_from_db()
    assert draft.status == Post.Status.PUBLISHED and draft.published_on == timezone.localdate()
    out = PostFactory(published_on=datetime.date(2019, 1, 5))  # out already: publishing keeps its date
    admin_change(editor_client, change_url(out), _publish_now="1")
    out.refresh_from_db()
    assert out.published_on == datetime.date(2019, 1, 5)
    page = editor_client.get(change_url(out)).content.decode()  # live: its saves go to a draft, published apart
    assert "Save and publish now" not in page and "Save and publish the changes" in page


def test_a_rank_past_the_end_of_any_list_is_refused(editor_client, placeholder):
    ListEntryFactory(post=placeholder, rank=1)
    page = editor_client.get(change_url(placeholder)).content.decode()
    response = editor_client.post(
        change_url(placeholder), admin_form_data(page, "post_form", **{"entries-0-rank": "5000"})
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 1000." in response.content.decode()


def test_taking_figures_fills_a_figure_the_newest_snapshot_lacks_from_the_one_before(placeholder):
    library = LibraryFactory()
    StatsSnapshotFactory(
        library=library, stars=90, contributors=7, commits=9, taken_at=timezone.now() - datetime.timedelta(days=1)
    )
    StatsSnapshotFactory(library=library, stars=100, contributors=None, commits=10, taken_at=timezone.now())
    entry = ListEntryFactory(post=placeholder, library=library, stars=None, contributors=None, commits=None)
    post_figures_take(post=placeholder)
    entry.refresh_from_db()
    assert (entry.stars, entry.contributors, entry.commits) == (100, 7, 10)


def test_the_writing_buttons_on_the_add_page_go_on_to_the_new_posts_page(editor_client):
    from tests.articles.test_admin import post_form

    data = post_form(**{"entries-TOTAL_FORMS": "0", "status": "draft", "published_on": "", "_take_figures": "1"})
    response = editor_client.post(reverse("admin:articles_post_add"), data)
    post = Post.objects.get(slug=data["slug"])
    assert response.status_code == 302 and response.url == change_url(post)


def test_taking_figures_reads_every_entrys_snapshots_in_one_query(placeholder):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        library = LibraryFactory()
        StatsSnapshotFactory.create_batch(3, library=library)
        ListEntryFactory(post=placeholder, library=library)
    with CaptureQueriesContext(connection) as queries:
        result = post_figures_take(post=placeholder)
    assert len(result.taken) == 5
    reads = [query["sql"] for query in queries if query["sql"].startswith("SELECT") and "statssnapshot" in query["sql"]]
    assert len(reads) == 1


def test_a_live_post_keeps_its_address_when_its_list_is_counted_and_the_placeholders_leads_to_it(
    editor_client, placeholder
):
    ListEntryFactory(post=placeholder, rank=1)
    admin_change(editor_client, change_url(placeholder), _publish_now="1")
    placeholder.refresh_from_db()
    assert placeholder.is_readable and placeholder.slug == "top-1-python-reinforcement-learning-libraries"
    ListEntryFactory(post=placeholder, rank=2)
    admin_change(editor_client, change_url(placeholder), subtitle="Two now", _publish_now="1")
    placeholder.refresh_from_db()
    assert placeholder.title.startswith("Top 2") and placeholder.slug == "top-1-python-reinforcement-learning-libraries"
    for old in (
        "/coming/top-x-python-reinforcement-learning-libraries/",
        "/posts/top-x-python-reinforcement-learning-libraries/",
    ):
        answer = Client().get(old)
        assert answer.status_code == 301 and answer.url == placeholder.get_absolute_url()
    assert Client().get("/posts/top-x-python-other-libraries/").status_code == 404
