"""Merging duplicate libraries: the one kept takes the others' places in posts, figures history, names and
revisions; a post that ranked both keeps one entry; drafts naming a duplicate still publish."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.drafts import post_draft_publish
from articles.models import ListEntry
from libraries.merging import NothingToMerge, libraries_merge
from libraries.models import Library, StatsSnapshot
from tests.admin_forms import admin_change
from tests.factories import LibraryFactory, ListEntryFactory, PostFactory, StatsSnapshotFactory
from tests.when import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins():
    kept = LibraryFactory(name="LightGBM", github_owner="microsoft", github_repo="LightGBM", github_id=64991887)
    duplicate = LibraryFactory(
        name="lightgbm-org/LightGBM",
        github_owner="lightgbm-org",
        github_repo="LightGBM",
        stars=17000,
        last_refreshed_at=timezone.now(),
    )
    return kept, duplicate


def test_the_kept_library_takes_everything_of_the_duplicate(twins):
    kept, duplicate = twins
    only_duplicate = ListEntryFactory(library=duplicate, stars=9000)
    both = PostFactory(title="Top 2 Python Boosters")
    kept_entry = ListEntryFactory(post=both, library=kept, rank=1, stars=None, description="")
    ListEntryFactory(post=both, library=duplicate, rank=2, stars=15000, description="Fast boosting.")
    StatsSnapshotFactory(library=kept, taken_at=days_ago(2), run_id="run-1", stars=16000)
    StatsSnapshotFactory(library=duplicate, taken_at=days_ago(2), run_id="run-1", stars=16001)
    StatsSnapshotFactory(library=duplicate, taken_at=days_ago(1), run_id="run-2", stars=17000)

    result = libraries_merge(keep=kept, duplicates=[duplicate])

    assert not Library.objects.filter(pk=duplicate.pk).exists()
    only_duplicate.refresh_from_db()
    assert only_duplicate.library == kept and only_duplicate.name == "lightgbm-org/LightGBM"  # as that post printed it
    kept_entry.refresh_from_db()
    assert (kept_entry.stars, kept_entry.description) == (15000, "Fast boosting.")
    assert ListEntry.objects.filter(post=both).count() == 1
    assert sorted(StatsSnapshot.objects.filter(library=kept).values_list("run_id", flat=True)) == ["run-1", "run-2"]
    kept.refresh_from_db()
    assert "lightgbm-org/LightGBM" in kept.aliases and kept.github_id == 64991887
    assert any("listed both" in note for note in result.notes)


def test_a_draft_that_ranks_the_duplicate_still_publishes(twins, editor_client, imported_series):
    from articles.models import Post

    kept, duplicate = twins
    post = Post.objects.get(slug="top-13-python-deep-learning-libraries")
    admin_change(
        editor_client,
        reverse("admin:articles_post_change", args=[post.pk]),
        **{"entries-13-library": str(duplicate.pk), "entries-13-rank": ""},
    )
    libraries_merge(keep=kept, duplicates=[duplicate])
    assert post_draft_publish(post)
    assert post.entries.filter(library=kept).exists()


def test_the_command_names_libraries_by_slug_name_or_repository_and_refuses_what_it_cannot_find(twins):
    kept, duplicate = twins
    out = StringIO()
    call_command("merge_libraries", "microsoft/LightGBM", duplicate.slug, stdout=out)
    assert "Merged lightgbm-org/LightGBM into LightGBM." in out.getvalue()
    with pytest.raises(CommandError, match="“nothing-like-it” names no library"):
        call_command("merge_libraries", kept.slug, "nothing-like-it")
    with pytest.raises(NothingToMerge):
        libraries_merge(keep=kept, duplicates=[kept])


def test_the_admin_asks_which_to_keep_then_merges(twins, editor_client):
    kept, duplicate = twins
    changelist = reverse("admin:libraries_library_changelist")
    chosen = {"action": "merge_libraries", "_selected_action": [kept.pk, duplicate.pk]}
    confirm = editor_client.post(changelist, chosen).content.decode()
    assert "Merge them into the one kept" in confirm and 'name="keep"' in confirm
    assert Library.objects.filter(pk=duplicate.pk).exists()

    done = editor_client.post(changelist, {**chosen, "keep": kept.pk, "merge": "1"}, follow=True)
    assert "Merged lightgbm-org/LightGBM into LightGBM." in done.content.decode()
    assert not Library.objects.filter(pk=duplicate.pk).exists()
    history = editor_client.get(reverse("admin:libraries_library_history", args=[kept.pk])).content.decode()
    assert "Merged lightgbm-org/LightGBM into it." in history
