"""Merging duplicate libraries (one repository that became two rows): the one kept takes the other's names, its
figures' history and whatever refers to it (the apps built on this one move their own rows: `library_merging`)."""

from dataclasses import dataclass, field

from django.db import transaction

from core.page_generations import CONTENT, FIGURES, page_generations_bump
from libraries.catalogue import library_former_name_keep
from libraries.models import Library, StatsSnapshot
from libraries.revisions import library_revision_record
from libraries.signals import library_merging

# Taken from the duplicate when the library kept has none: its repository and what GitHub last said of it.
REPOSITORY_FIELDS = ("github_owner", "github_repo")
GITHUB_FIELDS = (
    "repository_status",
    "archived",
    "stars",
    "forks",
    "contributors",
    "commits",
    "open_issues",
    "watchers",
    "pushed_at",
    "default_branch",
    "last_refreshed_at",
)


class NothingToMerge(ValueError):
    pass


@dataclass
class MergeResult:
    kept: Library
    merged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _snapshots_move(keep: Library, duplicate: Library) -> int:
    """The duplicate's figures history joins the kept one's; a run both were refreshed in keeps the kept one's."""
    runs_kept = set(keep.snapshots.exclude(run_id="").values_list("run_id", flat=True))
    dropped = duplicate.snapshots.filter(run_id__in=runs_kept).delete()[0]
    StatsSnapshot.objects.filter(library=duplicate).update(library=keep)
    return dropped


def _fields_take(keep: Library, duplicate: Library) -> None:
    for name in [duplicate.name, *duplicate.aliases]:
        library_former_name_keep(library=keep, former_name=name)
    if not keep.has_repository and duplicate.has_repository:
        for name in REPOSITORY_FIELDS:
            setattr(keep, name, getattr(duplicate, name))
    if keep.last_refreshed_at is None and duplicate.last_refreshed_at is not None:
        for name in GITHUB_FIELDS:
            setattr(keep, name, getattr(duplicate, name))
    keep.github_id = keep.github_id or duplicate.github_id
    for name in ("homepage", "description"):
        setattr(keep, name, getattr(keep, name) or getattr(duplicate, name))


@transaction.atomic
def libraries_merge(*, keep: Library, duplicates: list[Library], user=None) -> MergeResult:
    """Merge each duplicate into `keep`: nothing that ranked, described or measured it is lost."""
    keep = Library.objects.select_for_update().get(pk=keep.pk)
    duplicates = [library for library in duplicates if library.pk != keep.pk]
    if not duplicates:
        raise NothingToMerge("Choose at least one library besides the one to keep.")
    result = MergeResult(kept=keep)
    for duplicate in Library.objects.select_for_update().filter(pk__in=[d.pk for d in duplicates]):
        for _, notes in library_merging.send(sender=Library, keep=keep, duplicate=duplicate):
            result.notes += notes or []
        dropped = _snapshots_move(keep, duplicate)
        if dropped:
            note = f"{dropped} figures of {duplicate.name} from runs that measured {keep.name} too: dropped."
            result.notes.append(note)
        _fields_take(keep, duplicate)
        result.merged.append(duplicate.name)
        duplicate.delete()
    keep.save()
    library_revision_record(keep, user=user, comment=f"Merged {', '.join(result.merged)} into it.")
    page_generations_bump(CONTENT, FIGURES)
    return result
