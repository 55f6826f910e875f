"""Writing a part of the series in the admin: its ranked list from the catalogue or from GitHub addresses,
today's figures taken as the post's own, and a "Top N" title counted from the list."""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import F, Max, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from articles.models import ListEntry, Post, slug_counted
from core.page_generations import CONTENT, FIGURES, page_generations_bump
from libraries.models import Library, StatsSnapshot
from libraries.tasks import library_fetch_started

_TOP_COUNT = re.compile(r"^(top\s+)(\d+|x)(?=\s)", re.IGNORECASE)
PRINTED_FIGURES = ("contributors", "commits", "stars")
# How far back a figure missing from the newest snapshot is looked for (about a month of daily refreshes).
LOOK_BACK_SNAPSHOTS = 30


class AlreadyInList(ValueError):
    pass


@dataclass
class FiguresTaken:
    taken: list[ListEntry] = field(default_factory=list)
    without_figures: list[ListEntry] = field(default_factory=list)


def entry_add(*, post: Post, library: Library) -> ListEntry:
    """Add a library at the end of the post's list."""
    if post.entries.filter(library=library).exists():
        raise AlreadyInList(f"{library.name} is already in the list.")
    last_rank = post.entries.aggregate(last=Max("rank"))["last"] or 0
    entry = ListEntry.objects.create(post=post, library=library, rank=last_rank + 1)
    page_generations_bump(CONTENT)
    return entry


def entries_make_room(*, post: Post, entry_ids) -> None:
    """Before entries are saved with new ranks (a reordered list), move theirs past every rank in the list,
    so that no entry meets another's rank halfway through."""
    past_the_end = (post.entries.aggregate(last=Max("rank"))["last"] or 0) + 1
    post.entries.filter(pk__in=entry_ids).update(rank=F("rank") + past_the_end)


def latest_figures(library_ids) -> dict[int, tuple[datetime.datetime, dict[str, int | None]]]:
    """Each fetched library's newest snapshot time and figures, in one query; a figure that snapshot lacks
    (GitHub would not count contributors that day) comes from the newest one that has it."""
    newest_first = Window(RowNumber(), partition_by=F("library_id"), order_by=F("taken_at").desc())
    recent = (
        StatsSnapshot.objects.filter(library_id__in=library_ids)
        .annotate(place=newest_first)
        .filter(place__lte=LOOK_BACK_SNAPSHOTS)
        .order_by("library_id", "-taken_at")
        .values_list("library_id", "taken_at", *PRINTED_FIGURES)
    )
    rows_of: dict[int, list[tuple]] = {}
    for library_id, *row in recent:
        rows_of.setdefault(library_id, []).append(row)
    return {
        library_id: (
            rows[0][0],
            {
                name: next((row[index] for row in rows if row[index] is not None), None)
                for index, name in enumerate(PRINTED_FIGURES, start=1)
            },
        )
        for library_id, rows in rows_of.items()
    }


def post_figures_take(*, post: Post) -> FiguresTaken:
    """Print each entry's latest GitHub figures as the post's own, and date them: from then on they stay as
    taken, however the library's figures of today move. Entries of libraries never fetched are left as they are."""
    entries = list(post.entries.select_related("library").order_by("rank"))
    latest = latest_figures([entry.library_id for entry in entries])
    result = FiguresTaken()
    for entry in entries:
        if entry.library_id not in latest:
            result.without_figures.append(entry)
            continue
        for name, value in latest[entry.library_id][1].items():
            setattr(entry, name, value)
        entry.save(update_fields=list(PRINTED_FIGURES))
        result.taken.append(entry)
    if result.taken:
        oldest = min(latest[entry.library_id][0] for entry in result.taken)
        post.figures_as_of = timezone.localdate(oldest)
        post.save(update_fields=["figures_as_of", "updated_at"])
        page_generations_bump(CONTENT, FIGURES)
    return result


def title_counted(title: str, count: int) -> str:
    """ "Top X Python … Libraries" with its number from the list ("Top 5 …"); other titles as they are."""
    if count < 1:
        return title
    return _TOP_COUNT.sub(lambda match: f"{match.group(1)}{count}", title, count=1)


def post_title_count(*, post: Post, was_out: bool = True) -> bool:
    """Give a "Top N" title the number of entries in the list; True when the title changed. A post that was not
    out yet takes the count into its address too (a "top-x-…" address redirects to it); one out keeps its own."""
    count = post.entries.count()
    title = title_counted(post.title, count)
    if title == post.title:
        return False
    post.title = title
    fields = ["title", "updated_at"]
    slug = slug_counted(post.slug, count)
    if not was_out and slug != post.slug and not Post.objects.filter(slug=slug).exists():
        post.slug = slug
        fields.append("slug")
    post.save(update_fields=fields)
    page_generations_bump(CONTENT)
    return True


def post_publish_now(post: Post, *, was_out: bool) -> None:
    """Set (not save) a post to be out now: published today, unless it was out already (its date stays)."""
    post.status = Post.Status.PUBLISHED
    if not was_out:
        post.published_on, post.published_time = timezone.localdate(), None


def library_figures_state(library: Library) -> str:
    """What the admin says of a library's figures of today, in plain words with what to do: waiting for the
    worker, being fetched, failed (and why), or as last fetched."""
    if not library.has_repository:
        return "No GitHub repository: give the library one on its own page to fetch its figures."
    if library.is_failing:
        return f"Fetching failed: {library_failure_words(library)}"
    if library.last_refreshed_at is None:
        if library_fetch_started(library.pk):
            return "Fetching from GitHub now…"
        return "Waiting for the worker to fetch its figures from GitHub…"
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


def library_failure_words(library: Library) -> str:
    """Why the last fetch failed and what to do, without the request's internals."""
    if library.is_missing:
        return f"GitHub does not know {library.full_name}: check the library's repository on its own page."
    if library.is_blocked:
        return f"GitHub blocks {library.full_name} for legal reasons: its figures cannot be fetched."
    retry = ""
    if library.next_check_after:
        retry = f" It is tried again after {timezone.localtime(library.next_check_after):%Y-%m-%d %H:%M}"
    return f"GitHub did not answer properly (it timed out or failed).{retry}; nothing to do meanwhile."


def post_schedule_note(post: Post) -> str:
    """What publishing did: out now, or on the day it is set for."""
    if post.is_readable:
        return f"“{post.title}” is published: readers see it now."
    at = f" at {post.published_time:%H:%M} ({timezone.get_current_timezone_name()})" if post.published_time else ""
    return f"“{post.title}” is scheduled: readers see it from {post.published_on:%B %-d, %Y}{at}."
