"""Writing a part of the series in the admin: its ranked list from the catalogue or from GitHub addresses,
today's figures taken as the post's own, and a "Top N" title counted from the list."""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import F, Max
from django.utils import timezone

from articles.models import ListEntry, Post
from core.page_generations import CONTENT, FIGURES, page_generations_bump
from libraries.catalogue import library_for_repository
from libraries.models import Library, StatsSnapshot

_TOP_COUNT = re.compile(r"^(top\s+)(\d+|x)(?=\s)", re.IGNORECASE)
PRINTED_FIGURES = ("contributors", "commits", "stars")
# How far back a figure missing from the newest snapshot is looked for (about a month of daily refreshes).
LOOK_BACK_SNAPSHOTS = 30


class AlreadyInList(ValueError):
    pass


@dataclass
class EntryAdded:
    entry: ListEntry
    library_created: bool

    @property
    def needs_figures(self) -> bool:
        """A library GitHub has not been asked about yet: its figures are to be fetched now."""
        return self.entry.library.has_repository and self.entry.library.last_refreshed_at is None


@dataclass
class FiguresTaken:
    taken: list[ListEntry] = field(default_factory=list)
    without_figures: list[ListEntry] = field(default_factory=list)


def entry_add_from_repository(*, post: Post, owner: str, repo: str) -> EntryAdded:
    """Add a GitHub repository's library at the end of the post's list, creating the library if it is new."""
    library, created = library_for_repository(owner=owner, repo=repo)
    if post.entries.filter(library=library).exists():
        raise AlreadyInList(f"{library.name} is already in the list.")
    last_rank = post.entries.aggregate(last=Max("rank"))["last"] or 0
    entry = ListEntry.objects.create(post=post, library=library, rank=last_rank + 1)
    page_generations_bump(CONTENT)
    return EntryAdded(entry=entry, library_created=created)


def entries_make_room(*, post: Post, entry_ids) -> None:
    """Before entries are saved with new ranks (a reordered list), move theirs past every rank in the list,
    so that no entry meets another's rank halfway through."""
    past_the_end = (post.entries.aggregate(last=Max("rank"))["last"] or 0) + 1
    post.entries.filter(pk__in=entry_ids).update(rank=F("rank") + past_the_end)


def latest_figures(library_id: int) -> tuple[datetime.datetime, dict[str, int | None]] | None:
    """A library's newest snapshot's time and figures; a figure that snapshot lacks (GitHub would not count
    contributors that day) from the newest one that has it. None when the library was never fetched."""
    recent = StatsSnapshot.objects.filter(library_id=library_id).order_by("-taken_at")[:LOOK_BACK_SNAPSHOTS]
    rows = list(recent.values_list("taken_at", *PRINTED_FIGURES))
    if not rows:
        return None
    figures = {
        name: next((row[index] for row in rows if row[index] is not None), None)
        for index, name in enumerate(PRINTED_FIGURES, start=1)
    }
    return rows[0][0], figures


def post_figures_take(*, post: Post) -> FiguresTaken:
    """Print each entry's latest GitHub figures as the post's own, and date them: from then on they stay as
    taken, however the library's figures of today move. Entries of libraries never fetched are left as they are."""
    result, taken_at = FiguresTaken(), []
    for entry in post.entries.select_related("library").order_by("rank"):
        latest = latest_figures(entry.library_id)
        if latest is None:
            result.without_figures.append(entry)
            continue
        taken_at.append(latest[0])
        for name, value in latest[1].items():
            setattr(entry, name, value)
        entry.save(update_fields=list(PRINTED_FIGURES))
        result.taken.append(entry)
    if taken_at:
        post.figures_as_of = timezone.localdate(min(taken_at))
        post.save(update_fields=["figures_as_of", "updated_at"])
        page_generations_bump(CONTENT, FIGURES)
    return result


def title_counted(title: str, count: int) -> str:
    """ "Top X Python … Libraries" with its number from the list ("Top 5 …"); other titles as they are."""
    if count < 1:
        return title
    return _TOP_COUNT.sub(lambda match: f"{match.group(1)}{count}", title, count=1)


def post_title_count(*, post: Post) -> bool:
    """Give a "Top N" title the number of entries in the list; True when the title changed."""
    title = title_counted(post.title, post.entries.count())
    if title == post.title:
        return False
    post.title = title
    post.save(update_fields=["title", "updated_at"])
    page_generations_bump(CONTENT)
    return True


def post_publish_now(post: Post, *, was_out: bool) -> None:
    """Set (not save) a post to be out now: published today, unless it was out already (its date stays)."""
    post.status = Post.Status.PUBLISHED
    if not was_out:
        post.published_on, post.published_time = timezone.localdate(), None


def library_figures_state(library: Library) -> str:
    """What the admin says of a library's figures of today: being fetched, failing, or as last fetched."""
    if not library.has_repository:
        return "No GitHub repository: give the library one to fetch its figures."
    failing = library.last_error_at and (
        library.last_refreshed_at is None or library.last_error_at > library.last_refreshed_at
    )
    if failing:
        return f"Fetching failed: {library.last_error[:200]}"
    if library.last_refreshed_at is None:
        return "Fetching from GitHub…"
    when = timezone.localtime(library.last_refreshed_at).strftime("%Y-%m-%d %H:%M")
    figures = [
        f"{value:,} {label}" if value is not None else f"– {label}"
        for value, label in (
            (library.stars, "stars"),
            (library.contributors, "contributors"),
            (library.commits, "commits"),
        )
    ]
    return f"Today ({when}): {', '.join(figures)}"


def library_is_fetching(library: Library) -> bool:
    return library.has_repository and library.last_refreshed_at is None and library.last_error_at is None


def post_schedule_note(post: Post) -> str:
    """What publishing did: out now, or on the day it is set for."""
    if post.is_readable:
        return f"“{post.title}” is published: readers see it now."
    at = f" at {post.published_time:%H:%M} ({timezone.get_current_timezone_name()})" if post.published_time else ""
    return f"“{post.title}” is scheduled: readers see it from {post.published_on:%B %-d, %Y}{at}."
