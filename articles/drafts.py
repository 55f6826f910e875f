"""Drafts of live posts, and every post's revisions (django-reversion's tables, see core.revisions).

Readers see a post's own rows. Once a post is live, an editor's save does not change them: the save is made
within a savepoint, the post and its ranked list are taken as a revision, and the savepoint is rolled back;
that revision is the post's draft. Editing, previewing and publishing apply the draft to the rows the same
way (`post_draft_applied`), so the admin's form, the composing tools and the reader's page all work on rows as
the draft has them, and only publishing keeps them."""

import json
import logging
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F, Max
from django.utils import timezone
from reversion.models import Revision, Version

from articles.models import ListEntry, Post, PostEditing, PostRevision
from core.page_generations import CONTENT, FIGURES, page_generations_bump
from core.revisions import (
    revision_save,
    revision_versions_replace,
    version_fields_kept,
    versions_by_model,
    versions_of,
)
from core.search import search_vector_update
from libraries.models import Library

logger = logging.getLogger(__name__)

# What a restored revision brings back: the post's words, tags, figures and list, not where and when it is out.
PUBLICATION_FIELDS = ("status", "published_on", "published_time", "slug", "series", "series_position")


class StaleDraft(ValidationError):
    """A revision cannot be what the post is now: a library it names is gone, its address or place is taken."""


class StaleEdit(Exception):
    """Someone saved the post since the editor's page was opened."""


def post_editing(post: Post, *, for_update: bool = False) -> PostEditing:
    queryset = PostEditing.objects.select_related("draft__user")
    if for_update:  # the row alone: PostgreSQL locks no row on the nullable side of a join
        queryset = queryset.select_for_update(of=("self",))
    editing = queryset.filter(post=post).first()
    if editing is None:
        editing, _ = PostEditing.objects.get_or_create(post=post)
    return editing


def post_is_drafted(post: Post, editing: PostEditing) -> bool:
    """Saves of this post go to its draft: readers see it now, or it already has a draft."""
    return post.is_readable or editing.has_draft


def post_versions(post: Post) -> list:
    """The post and its ranked list as the rows are now (not as an instance in hand says), as unsaved versions."""
    return versions_of([Post.objects.get(pk=post.pk), *ListEntry.objects.filter(post=post).order_by("rank")])


def post_revision_record(post: Post, versions, *, user, kind: str, comment: str) -> Revision:
    """Keep `versions` as the post's next revision: a draft (of a live post) or what its rows now are. An
    autosave following the same editor's autosave of the same draft replaces it rather than adding another."""
    editing = post_editing(post, for_update=True)
    is_draft = kind == PostRevision.Kind.DRAFT or (
        kind in (PostRevision.Kind.AUTOSAVED, PostRevision.Kind.RESTORED) and post_is_drafted(post, editing)
    )
    editing.version += 1
    latest = PostRevision.objects.filter(post=post).select_related("revision").first()
    if (
        kind == PostRevision.Kind.AUTOSAVED
        and latest is not None
        and latest.kind == kind
        and latest.revision.user_id == getattr(user, "pk", None)
        # the same draft still pending, or the same rows: never a discarded draft, never across going live
        and (latest.revision_id == editing.draft_id if is_draft else not latest.is_draft)
    ):
        revision = revision_versions_replace(latest.revision, versions, comment=comment)
        latest.version = editing.version
        latest.save(update_fields=["version"])
    else:
        revision = revision_save(versions, user=user, comment=comment)
        PostRevision.objects.create(revision=revision, post=post, version=editing.version, kind=kind, is_draft=is_draft)
    if is_draft:
        editing.draft = revision
    editing.save()
    return revision


def post_rows_apply(post: Post, revision: Revision, *, keep: tuple[str, ...] = ()) -> None:
    """Make the post's rows (its fields, tags and ranked list) what `revision` holds, but for the fields named in
    `keep`, which stay as they are. StaleDraft when the revision cannot be what the post is now (a library gone,
    its address or place in the series another post's since)."""
    (post_version,) = versions_by_model(revision, Post)
    if keep:
        post_version = version_fields_kept(post_version, Post.objects.get(pk=post.pk), keep)
    _post_fields_check(post, post_version.field_dict)
    entries = [version.field_dict for version in versions_by_model(revision, ListEntry)]
    library_ids = {fields["library_id"] for fields in entries}
    if library_ids - set(Library.objects.filter(pk__in=library_ids).values_list("pk", flat=True)):
        raise StaleDraft("It names a library that is no longer in the catalogue (merged or deleted).")
    ListEntry.objects.filter(post=post).exclude(pk__in=[fields["id"] for fields in entries]).delete()
    # Every rank moved past both lists first, so that no entry meets another's rank on the way.
    highest = max([fields["rank"] for fields in entries] + [post.entries.aggregate(Max("rank"))["rank__max"] or 0])
    ListEntry.objects.filter(post=post).update(rank=F("rank") + highest + 1)
    post_version.revert()
    for fields in entries:
        _entry_restore(post, fields)


def _post_fields_check(post: Post, fields: dict) -> None:
    if Post.objects.filter(slug=fields["slug"]).exclude(pk=post.pk).exists():
        raise StaleDraft(f"Its address ({fields['slug']}) is another post's now.")
    taken = Post.objects.filter(series_id=fields["series_id"], series_position=fields["series_position"])
    if fields["series_id"] and fields["series_position"] and taken.exclude(pk=post.pk).exclude(status="retired"):
        raise StaleDraft(f"Its place in the series (part {fields['series_position']}) is another post's now.")


def _entry_restore(post: Post, fields: dict) -> None:
    """An entry as a revision holds it, under its own id unless another post's entry has that id now (SQLite
    hands out again the ids of rows rolled back, as a draft's new entries are)."""
    entry = ListEntry(**fields)
    if ListEntry.objects.filter(pk=entry.pk).exclude(post=post).exists():
        entry.pk = None
    entry.post_id = post.pk
    entry.save()


def entry_versions_library_replace(old_id: int, new_id: int) -> int:
    """Revisions of ranked lists that name library `old_id` name `new_id` instead (it was merged into it). One that
    ranked both keeps the entry of `new_id`, its empty figures and words filled from the other's."""
    changed = 0
    for version in Version.objects.get_for_model(ListEntry).filter(serialized_data__contains=f'"library": {old_id}'):
        data = json.loads(version.serialized_data)
        fields = data[0]["fields"]
        if fields.get("library") != old_id:
            continue
        both = _revision_entry_of(version.revision_id, new_id)
        if both is None:
            fields["library"] = new_id
            version.serialized_data = json.dumps(data)
            version.save(update_fields=["serialized_data"])
        else:
            kept = json.loads(both.serialized_data)
            for name in ("contributors", "commits", "stars", "description", "printed_name"):
                if kept[0]["fields"].get(name) in (None, "") and fields.get(name) not in (None, ""):
                    kept[0]["fields"][name] = fields[name]
            both.serialized_data = json.dumps(kept)
            both.save(update_fields=["serialized_data"])
            version.delete()
        changed += 1
    return changed


def _revision_entry_of(revision_id: int, library_id: int) -> Version | None:
    candidates = Version.objects.get_for_model(ListEntry).filter(
        revision_id=revision_id, serialized_data__contains=f'"library": {library_id}'
    )
    return next((v for v in candidates if json.loads(v.serialized_data)[0]["fields"]["library"] == library_id), None)


def post_entries_as_edited(post: Post) -> list[tuple[int, int]]:
    """(entry id, library id) of the list as the admin's form shows it: the draft's, for a post that has one.
    Read from the revision, not applied: for a page that asks every few seconds."""
    editing = post_editing(post)
    if editing.has_draft:
        return [(int(v.object_id), v.field_dict["library_id"]) for v in versions_by_model(editing.draft, ListEntry)]
    return list(ListEntry.objects.filter(post=post).values_list("pk", "library_id"))


class _Discarded(Exception):
    """Raised to roll back what a `post_rows_kept` block did."""


@contextmanager
def post_rows_kept(post: Post, revision: Revision | None = None):
    """Within the block the post's rows are as `revision` has them (as they are, without one); after it, as they
    were before: nothing done within the block is kept, in the database or in what it would send on commit. An
    error within it comes out as itself."""
    try:
        with transaction.atomic():
            if revision is not None:
                post_rows_apply(post, revision)
            yield
            raise _Discarded
    except _Discarded:
        pass


def post_draft_applied(post: Post, editing: PostEditing | None = None):
    """`post_rows_kept` with the post's draft, if it has one."""
    editing = editing or post_editing(post)
    return post_rows_kept(post, editing.draft if editing.draft_id else None)


@transaction.atomic
def post_draft_publish(post: Post, *, user=None) -> bool:
    """Readers see the draft from now on; False when there was none."""
    editing = post_editing(post, for_update=True)
    if not editing.has_draft:
        return False
    draft = editing.draft
    post_rows_apply(post, draft)
    post.refresh_from_db()
    post.save(update_fields=["updated_at"])  # what a save does: the search vector, the subscribers told
    saved_by = draft.user.get_username() if draft.user else "an editor"
    post_revision_record(
        post,
        post_versions(post),
        user=user,
        kind=PostRevision.Kind.PUBLISHED,
        comment=f"Published the draft saved by {saved_by} on {timezone.localtime(draft.date_created):%Y-%m-%d %H:%M}.",
    )
    PostEditing.objects.filter(post=post).update(draft=None, draft_publish_at=None)
    page_generations_bump(CONTENT, FIGURES)
    return True


@transaction.atomic
def post_draft_discard(post: Post) -> bool:
    """Drop the draft (its revision stays in the history); False when there was none."""
    return PostEditing.objects.filter(post=post, draft__isnull=False).update(draft=None, draft_publish_at=None) > 0


def post_draft_schedule(post: Post, publish_at) -> None:
    PostEditing.objects.filter(post=post, draft__isnull=False).update(draft_publish_at=publish_at)
    page_generations_bump(CONTENT)  # the pages' lifetimes in caches and CDNs end at that time (next_visibility_change)


@transaction.atomic
def post_revision_restore(post: Post, revision: Revision, *, user) -> bool:
    """Bring back what the post said in `revision` (its words, tags, figures and list, not its status, date,
    address or place in the series). A live post gets it as a draft (True); any other post at once."""
    editing = post_editing(post, for_update=True)
    drafted = post_is_drafted(post, editing)
    comment = f"Restored the version of {timezone.localtime(revision.date_created):%Y-%m-%d %H:%M}."
    if drafted:
        with post_rows_kept(post):
            post_rows_apply(post, revision, keep=PUBLICATION_FIELDS)
            versions = post_versions(post)
    else:
        post_rows_apply(post, revision, keep=PUBLICATION_FIELDS)
        Post.objects.filter(pk=post.pk).update(updated_at=timezone.now())
        search_vector_update(Post, [post.pk], Post.SEARCH_WEIGHTS)
        page_generations_bump(CONTENT, FIGURES)
        versions = post_versions(post)
    post_revision_record(post, versions, user=user, kind=PostRevision.Kind.RESTORED, comment=comment)
    post.refresh_from_db()
    return drafted


@transaction.atomic
def post_text_autosave(post: Post, *, opened_at: int, texts: dict, descriptions: dict[int, str], user) -> int:
    """Keep what an editor is typing (the post's words, its entries' descriptions): in the draft of a live post,
    else in the post itself. Refused (StaleEdit) when the page was opened before another save; the new version."""
    editing = post_editing(post, for_update=True)
    if opened_at != editing.version:
        raise StaleEdit
    drafted = post_is_drafted(post, editing)

    def write():
        Post.objects.filter(pk=post.pk).update(**texts, updated_at=timezone.now())
        for entry in ListEntry.objects.filter(post=post, pk__in=descriptions):
            if entry.description != descriptions[entry.pk]:
                entry.description = descriptions[entry.pk]
                entry.save(update_fields=["description"])
        return post_versions(post)

    if drafted:
        with post_draft_applied(post, editing):
            versions = write()
    else:
        versions = write()
        search_vector_update(Post, [post.pk], Post.SEARCH_WEIGHTS)
        if post.status == Post.Status.COMING_SOON:  # its title is in the series' plan; other such posts show nowhere
            page_generations_bump(CONTENT)
    kind = PostRevision.Kind.AUTOSAVED
    post_revision_record(post, versions, user=user, kind=kind, comment="Autosaved while typing.")
    return PostEditing.objects.get(post=post).version


def post_drafts_publish_due(now=None) -> list[int]:
    """Publish the drafts whose time has come (the beat runs it every minute); the posts published."""
    now = now or timezone.now()
    published = []
    for editing in PostEditing.objects.filter(draft__isnull=False, draft_publish_at__lte=now).select_related("post"):
        try:
            if post_draft_publish(editing.post):
                published.append(editing.post_id)
        except (StaleDraft, DatabaseError):  # each post in its own transaction: the others still go out
            logger.exception("The draft of post %s could not be published", editing.post_id)
    return published
