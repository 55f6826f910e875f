"""Drafts of live posts: an editor's save keeps the change from readers until it is published, now or at a time;
the preview shows it as readers will; every save is a revision, compared and restored in the history; a form
opened before someone else's save is refused, with what they changed and nothing typed lost."""

import datetime
import re

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.drafts import post_drafts_publish_due
from articles.models import Post, PostEditing, PostRevision
from tests.admin_forms import admin_change, admin_form_data
from tests.conftest import staff_in_group
from tests.factories import LibraryFactory, ListEntryFactory, PostFactory

pytestmark = pytest.mark.django_db

TOP_13 = "/posts/top-13-python-deep-learning-libraries/"


def change_url(post):
    return reverse("admin:articles_post_change", args=[post.pk])


def reader_text(url: str = TOP_13) -> str:
    """What a new reader gets, through the page cache."""
    html = Client().get(url).content.decode()
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def live_post(imported_series):
    return Post.objects.get(slug="top-13-python-deep-learning-libraries")


def entry_forms(page_html: str) -> dict[str, str]:
    """The ranked list's form prefixes by the library each entry names."""
    data = admin_form_data(page_html, "post_form")
    return {values[0]: name.rsplit("-", 1)[0] for name, values in data.items() if name.endswith("-library")}


def test_saving_a_live_post_keeps_the_change_from_readers_until_it_is_published(live_post, editor_client, committed):
    assert "Work in progress" not in reader_text()  # a reader has it in the page cache now
    with committed():
        response = admin_change(editor_client, change_url(live_post), subtitle="Work in progress")
    assert response.url == reverse("admin:articles_post_changelist")

    live_post.refresh_from_db()
    assert live_post.subtitle != "Work in progress"
    assert "Work in progress" not in reader_text()
    assert Client().get(TOP_13)["X-Page-Cache"] == "hit"  # a draft changes nothing readers are served
    editing = PostEditing.objects.get(post=live_post)
    assert editing.has_draft and editing.draft.user.username == "editor"
    page = editor_client.get(change_url(live_post)).content.decode()
    assert 'value="Work in progress"' in page and "You are editing the draft" in page
    preview = editor_client.get(reverse("admin:articles_post_preview", args=[live_post.pk])).content.decode()
    assert "Work in progress" in preview and "Preview of the draft saved by editor" in preview

    with committed():
        admin_change(editor_client, change_url(live_post), _publish_now="1")
    assert "Work in progress" in reader_text()
    live_post.refresh_from_db()
    assert live_post.subtitle == "Work in progress" and not PostEditing.objects.get(post=live_post).has_draft


def test_the_draft_holds_the_ranked_list_too(live_post, editor_client, committed):
    page = editor_client.get(change_url(live_post)).content.decode()
    forms = entry_forms(page)
    tensorflow = next(
        prefix for library, prefix in forms.items() if library == str(live_post.entries.get(rank=1).library_id)
    )
    theano = next(
        prefix for library, prefix in forms.items() if library == str(live_post.entries.get(rank=4).library_id)
    )
    extra = LibraryFactory(name="JAX", github_owner="jax-ml", github_repo="jax")
    changes = {
        f"{tensorflow}-description": "Rewritten in the draft.",
        f"{theano}-DELETE": "on",
        "entries-13-library": str(extra.pk),
        "entries-13-rank": "",
        "entries-13-description": "A newcomer.",
    }
    with committed():
        admin_change(editor_client, change_url(live_post), **changes)

    assert live_post.entries.count() == 13 and not live_post.entries.filter(library=extra).exists()
    post_page = reader_text()
    assert "Rewritten in the draft." not in post_page and ">Theano</a>" in post_page
    preview = editor_client.get(reverse("admin:articles_post_preview", args=[live_post.pk])).content.decode()
    assert "Rewritten in the draft." in preview and "A newcomer." in preview and ">Theano</a>" not in preview
    assert "A newcomer." in editor_client.get(change_url(live_post)).content.decode()

    with committed():
        admin_change(editor_client, change_url(live_post), _publish_now="1")
    assert live_post.entries.count() == 13 and live_post.entries.get(library=extra).rank == 14  # blank: the end
    assert "Rewritten in the draft." in reader_text() and ">Theano</a>" not in reader_text()


def test_the_preview_leaves_nothing_a_reader_would_be_served(live_post, editor_client):
    reader_text()
    admin_change(editor_client, change_url(live_post), title="Top 13 Drafted Libraries")
    for _ in range(2):
        preview = editor_client.get(reverse("admin:articles_post_preview", args=[live_post.pk]))
        assert "Top 13 Drafted Libraries" in preview.content.decode()
        assert "private" in preview["Cache-Control"] or "no-cache" in preview["Cache-Control"]
    assert "Top 13 Drafted Libraries" not in reader_text()
    assert "Top 13 Drafted Libraries" not in Client().get("/").content.decode()


def test_changes_set_for_a_time_are_published_then(live_post, editor_client, committed):
    later = timezone.now() + datetime.timedelta(hours=3)
    local = timezone.localtime(later)
    admin_change(
        editor_client,
        change_url(live_post),
        subtitle="Out this afternoon",
        publish_changes_at_0=local.date().isoformat(),
        publish_changes_at_1=local.strftime("%H:%M:%S"),
    )
    assert PostEditing.objects.get(post=live_post).draft_publish_at is not None
    assert post_drafts_publish_due() == []
    assert "Out this afternoon" not in reader_text()

    with time_machine.travel(later + datetime.timedelta(minutes=1)), committed():
        assert post_drafts_publish_due() == [live_post.pk]
    assert "Out this afternoon" in reader_text()
    assert PostRevision.objects.filter(post=live_post).first().kind == PostRevision.Kind.PUBLISHED


def test_no_cache_keeps_the_page_past_the_time_its_changes_come_out(live_post, editor_client, committed):
    from django_celery_beat.models import PeriodicTask

    soon = timezone.localtime() + datetime.timedelta(seconds=50)
    with committed():
        admin_change(
            editor_client,
            change_url(live_post),
            subtitle="Out in a minute",
            publish_changes_at_0=soon.date().isoformat(),
            publish_changes_at_1=soon.strftime("%H:%M:%S"),
        )
    cache_control = Client().get(TOP_13)["Cache-Control"]
    assert int(re.search(r"s-maxage=(\d+)", cache_control).group(1)) <= 50
    beat = PeriodicTask.objects.get(task="articles.tasks.publish_due_drafts")
    assert beat.enabled and (beat.interval.every, beat.interval.period) == (1, "minutes")


def test_a_time_already_past_is_refused_and_nothing_is_lost(live_post, editor_client):
    page = editor_client.get(change_url(live_post)).content.decode()
    earlier = timezone.localtime() - datetime.timedelta(hours=1)
    data = admin_form_data(
        page,
        "post_form",
        subtitle="Typed before the mistake",
        publish_changes_at_0=earlier.date().isoformat(),
        publish_changes_at_1=earlier.strftime("%H:%M:%S"),
    )
    response = editor_client.post(change_url(live_post), data)
    assert response.status_code == 200
    assert (
        "A time still to come" in response.content.decode() and "Typed before the mistake" in response.content.decode()
    )
    assert not PostEditing.objects.get(post=live_post).has_draft


def test_a_draft_is_discarded_and_kept_in_the_history(live_post, editor_client):
    admin_change(editor_client, change_url(live_post), subtitle="Second thoughts")
    editor_client.post(reverse("admin:articles_post_draft_discard", args=[live_post.pk]))
    assert not PostEditing.objects.get(post=live_post).has_draft
    assert 'value="Second thoughts"' not in editor_client.get(change_url(live_post)).content.decode()
    history = editor_client.get(reverse("admin:articles_post_history", args=[live_post.pk])).content.decode()
    assert "Draft saved" in history and "Draft: Changed Subtitle." in history


def test_a_post_readers_do_not_see_yet_is_saved_as_it_is(editor_client):
    draft = PostFactory(status=Post.Status.DRAFT, title="Top 2 Python Tools")
    admin_change(editor_client, change_url(draft), subtitle="Straight in")
    draft.refresh_from_db()
    assert draft.subtitle == "Straight in" and not PostEditing.objects.get(post=draft).has_draft
    assert PostRevision.objects.get(post=draft).kind == PostRevision.Kind.SAVED


def test_the_post_list_says_which_live_posts_have_changes_and_which_are_scheduled(live_post, editor_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    PostFactory(title="Top 3 Coming Things", published_on=tomorrow, published_time=datetime.time(9, 30))
    admin_change(editor_client, change_url(live_post), subtitle="Pending")
    listing = re.sub(r"\s+", " ", editor_client.get(reverse("admin:articles_post_changelist")).content.decode())
    assert "Published · unpublished changes (draft)" in listing
    assert f"Scheduled for {tomorrow:%b} {tomorrow.day}, {tomorrow.year}, 09:30" in listing


def test_every_save_is_a_revision_compared_side_by_side(live_post, editor_client):
    admin_change(editor_client, change_url(live_post), subtitle="First words", _publish_now="1")
    admin_change(editor_client, change_url(live_post), subtitle="Second words")
    revisions = list(PostRevision.objects.filter(post=live_post))
    assert [r.kind for r in revisions] == ["draft", "published", "draft", "imported"]
    assert [r.version for r in revisions] == [4, 3, 2, 1]

    history = editor_client.get(reverse("admin:articles_post_history", args=[live_post.pk])).content.decode()
    assert history.count("Restore this version") == 4 and "The draft: not published yet." in history
    compare = editor_client.get(
        reverse("admin:articles_post_revision_compare", args=[live_post.pk]),
        {"older": revisions[1].revision_id, "newer": revisions[0].revision_id},
    ).content.decode()
    row = re.search(r'<tr class="changed">\s*<th scope="row">Subtitle.*?</tr>', compare, re.S).group(0)
    assert "<del>First</del> words" in row and "<ins>Second</ins> words" in row
    assert compare.count('<tr class="changed">') == 1  # nothing else differs


def test_restoring_a_live_posts_version_makes_it_the_draft(live_post, editor_client, committed):
    original_subtitle = live_post.subtitle
    with committed():
        admin_change(editor_client, change_url(live_post), subtitle="Regretted", _publish_now="1")
    imported = PostRevision.objects.filter(post=live_post).last()
    assert imported.kind == PostRevision.Kind.IMPORTED

    with committed():
        response = editor_client.post(
            reverse("admin:articles_post_revision_restore", args=[live_post.pk, imported.revision_id])
        )
    assert response.url == change_url(live_post)
    live_post.refresh_from_db()
    assert live_post.subtitle == "Regretted"  # readers see it until the restored version is published
    assert field_value(editor_client.get(change_url(live_post)), "subtitle") == original_subtitle
    with committed():
        admin_change(editor_client, change_url(live_post), _publish_now="1")
    live_post.refresh_from_db()
    assert live_post.subtitle == original_subtitle and original_subtitle in reader_text()
    assert PostRevision.objects.filter(post=live_post).first().kind == PostRevision.Kind.PUBLISHED


def test_restoring_keeps_where_and_when_the_post_is_out(live_post, editor_client):
    admin_change(editor_client, change_url(live_post), published_on="2018-11-05", _publish_now="1")
    imported = PostRevision.objects.filter(post=live_post).last()
    editor_client.post(reverse("admin:articles_post_revision_restore", args=[live_post.pk, imported.revision_id]))
    assert field_value(editor_client.get(change_url(live_post)), "published_on") == "2018-11-05"


def field_value(response, name: str) -> str:
    return admin_form_data(response.content.decode(), "post_form")[name][0]


def test_a_form_opened_before_another_save_is_refused_with_what_changed(live_post, editor_client, django_user_model):
    other = staff_in_group(django_user_model, "second-editor", "Editors")
    other_client = Client()
    other_client.force_login(other)
    mine = editor_client.get(change_url(live_post)).content.decode()
    theirs = other_client.get(change_url(live_post)).content.decode()

    other_client.post(change_url(live_post), admin_form_data(theirs, "post_form", subtitle="Their subtitle"))
    response = editor_client.post(
        change_url(live_post), admin_form_data(mine, "post_form", body="My new introduction.")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "second-editor saved this post on" in page and "They changed: Subtitle." in page
    assert "My new introduction." in page  # nothing typed is lost
    assert "Compare their version with the one you opened" in page
    assert field_value(editor_client.get(change_url(live_post)), "subtitle") == "Their subtitle"

    # Saving the returned form again is a choice, made knowing: it goes through.
    again = editor_client.post(change_url(live_post), admin_form_data(page, "post_form"))
    assert again.status_code == 302
    assert field_value(editor_client.get(change_url(live_post)), "body") == "My new introduction."


def test_a_save_that_changes_nothing_records_nothing(live_post, editor_client):
    admin_change(editor_client, change_url(live_post))
    assert list(PostRevision.objects.filter(post=live_post).values_list("kind", flat=True)) == ["imported"]
    assert not LogEntry.objects.filter(object_id=str(live_post.pk)).exists()
    assert not PostEditing.objects.get(post=live_post).has_draft


def autosave(client, post, version, **fields):
    return client.post(reverse("admin:articles_post_autosave", args=[post.pk]), {"edit_version": version, **fields})


def test_autosave_keeps_a_live_posts_words_in_its_draft_and_moves_the_version_on(live_post, editor_client):
    texts = {name: getattr(live_post, name) for name in ("title", "subtitle", "body", "figure_caption", "closing")}
    entry = live_post.entries.get(rank=2)
    answer = autosave(
        editor_client,
        live_post,
        1,
        **{**texts, "body": "Typed a moment ago.\r\nSecond line.", "entries-1-id": entry.pk},
        **{"entries-1-description": "A description being written."},
    )
    assert answer.status_code == 200 and answer.json()["version"] == 2
    assert answer.json()["status"].startswith("Draft autosaved at")
    assert "Typed a moment ago." not in reader_text()
    page = editor_client.get(change_url(live_post))
    assert field_value(page, "body") == "Typed a moment ago.\nSecond line."
    assert "A description being written." in page.content.decode()

    again = autosave(editor_client, live_post, 2, **{**texts, "body": "Typed on."})
    assert again.json()["version"] == 3
    autosaves = PostRevision.objects.filter(post=live_post, kind=PostRevision.Kind.AUTOSAVED)
    assert autosaves.count() == 1  # one revision for a burst of typing, not one every few seconds


def test_autosave_from_a_page_opened_before_another_save_is_refused(live_post, editor_client):
    admin_change(editor_client, change_url(live_post), subtitle="Saved elsewhere")
    answer = autosave(editor_client, live_post, 1, title=live_post.title, body="Typed in an old tab.")
    assert answer.status_code == 409 and answer.json()["stale"]
    assert field_value(editor_client.get(change_url(live_post)), "body") != "Typed in an old tab."


def test_autosave_refuses_what_a_save_would_refuse(live_post, editor_client):
    answer = autosave(editor_client, live_post, 1, title="", body="No title.")
    assert answer.status_code == 400 and "Title" in answer.json()["error"]
    assert not PostRevision.objects.filter(post=live_post, kind=PostRevision.Kind.AUTOSAVED).exists()


def test_autosave_of_a_post_readers_do_not_see_writes_it(editor_client):
    draft = PostFactory(status=Post.Status.DRAFT, title="Top 2 Python Tools")
    answer = autosave(editor_client, draft, 0, title=draft.title, body="Straight into the post.")
    assert answer.json()["status"].startswith("Autosaved at")
    draft.refresh_from_db()
    assert draft.body == "Straight into the post."


def test_only_those_who_may_change_posts_autosave(live_post, client, django_user_model):
    client.force_login(staff_in_group(django_user_model, "moderator", "Moderators"))
    assert autosave(client, live_post, 1, title="x").status_code == 403


def test_a_draft_that_adds_several_entries_opens_previews_and_publishes(live_post, editor_client, committed):
    jax, flax = LibraryFactory(name="JAX"), LibraryFactory(name="Flax")
    added = {
        "entries-13-library": str(jax.pk),
        "entries-13-rank": "",
        "entries-14-library": str(flax.pk),
        "entries-14-rank": "",
        "entries-TOTAL_FORMS": "15",
    }
    with committed():
        admin_change(editor_client, change_url(live_post), **added)
    assert editor_client.get(change_url(live_post)).status_code == 200
    assert editor_client.get(reverse("admin:articles_post_preview", args=[live_post.pk])).status_code == 200
    with committed():
        admin_change(editor_client, change_url(live_post), _publish_now="1")
    assert list(live_post.entries.order_by("-rank").values_list("library__name", flat=True)[:2]) == ["Flax", "JAX"]


def test_publishing_a_draft_never_takes_another_posts_entry(live_post, editor_client, committed):
    """SQLite hands out again the ids of rows rolled back, as a draft's new entries are."""
    with committed():
        admin_change(editor_client, change_url(live_post), **{"entries-13-library": str(LibraryFactory().pk)})
    other = Post.objects.get(slug="top-8-python-machine-learning-libraries")
    ListEntryFactory(post=other, rank=99)
    before = other.entries.count()
    with committed():
        admin_change(editor_client, change_url(live_post), _publish_now="1")
    assert other.entries.count() == before and live_post.entries.count() == 14


def test_merging_two_libraries_a_draft_ranks_keeps_the_draft_usable(live_post, editor_client, committed):
    from libraries.merging import libraries_merge

    with committed():
        admin_change(editor_client, change_url(live_post), subtitle="Drafted")
    keep, duplicate = live_post.entries.get(rank=1).library, live_post.entries.get(rank=2).library
    libraries_merge(keep=keep, duplicates=[duplicate])
    assert editor_client.get(change_url(live_post)).status_code == 200
    with committed():
        admin_change(editor_client, change_url(live_post), _publish_now="1")
    live_post.refresh_from_db()
    assert live_post.subtitle == "Drafted" and live_post.entries.filter(library=keep).count() == 1


def test_a_draft_that_can_no_longer_be_published_waits_and_the_others_go_out(live_post, editor_client, committed):
    other = Post.objects.get(slug="top-8-python-machine-learning-libraries")
    with committed():
        admin_change(editor_client, change_url(live_post), slug="wanted-address")
        admin_change(editor_client, change_url(other), subtitle="Other's changes")
    PostFactory(slug="wanted-address")  # the address was taken meanwhile
    PostEditing.objects.update(draft_publish_at=timezone.now() - datetime.timedelta(minutes=1))
    assert post_drafts_publish_due() == [other.pk]
    assert PostEditing.objects.get(post=live_post).has_draft


def test_a_stale_draft_is_discarded_from_the_history_and_versions_still_restore(live_post, editor_client, committed):
    gone = LibraryFactory(name="Gone")
    with committed():
        admin_change(editor_client, change_url(live_post), **{"entries-13-library": str(gone.pk)})
    gone.delete()  # only the draft ranked it
    opened = editor_client.get(change_url(live_post), follow=True)
    assert (
        "The draft cannot be opened: It names a library that is no longer in the catalogue" in opened.content.decode()
    )
    assert "Discard the draft" in opened.content.decode()  # the history, where it was sent

    imported = PostRevision.objects.filter(post=live_post).last()
    restored = editor_client.post(
        reverse("admin:articles_post_revision_restore", args=[live_post.pk, imported.revision_id])
    )
    assert restored.status_code == 302 and editor_client.get(change_url(live_post)).status_code == 200
    editor_client.post(reverse("admin:articles_post_draft_discard", args=[live_post.pk]))
    assert not PostEditing.objects.get(post=live_post).has_draft


def test_autosave_never_writes_over_a_discarded_draft(live_post, editor_client):
    texts = {name: getattr(live_post, name) for name in ("title", "subtitle", "body", "figure_caption", "closing")}
    autosave(editor_client, live_post, 1, **{**texts, "body": "First thoughts."})
    editor_client.post(reverse("admin:articles_post_draft_discard", args=[live_post.pk]))
    autosave(editor_client, live_post, 2, **{**texts, "body": "Second thoughts."})
    autosaved = PostRevision.objects.filter(post=live_post, kind=PostRevision.Kind.AUTOSAVED)
    assert autosaved.count() == 2  # the discarded draft stays in the history


def test_the_github_today_lines_follow_the_drafts_entries(live_post, editor_client):
    newcomer = LibraryFactory(name="JAX", github_owner="jax-ml", github_repo="jax")
    admin_change(editor_client, change_url(live_post), **{"entries-13-library": str(newcomer.pk)})
    states = editor_client.get(reverse("admin:articles_post_figures_today", args=[live_post.pk])).json()["entries"]
    assert len(states) == 14 and not live_post.entries.filter(library=newcomer).exists()
    page = editor_client.get(change_url(live_post)).content.decode()
    assert sorted(re.findall(r'data-entry="(\d+)"', page)) == sorted(states)  # the form and its poll agree
