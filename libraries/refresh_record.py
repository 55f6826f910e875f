"""What one library's refresh writes: the figures GitHub answered (the plausible ones), a move followed, or an
error and the library's backoff; one snapshot a run. Nothing here asks GitHub (see libraries.refresh)."""

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.page_generations import FIGURES, page_generations_bump
from libraries.github import Blocked, CountAnswer, GitHubError, NotFound, RateLimited, RepositoryAnswer
from libraries.models import Library, StatsSnapshot
from libraries.signals import printed_figure_wanted

MISSING_RECHECK_AFTER = timedelta(days=1)
BLOCKED_RECHECK_AFTER = timedelta(days=7)
# A library whose attempts keep failing is asked again after an hour, then two, four… at most a week.
FAILED_RECHECK_FIRST = timedelta(hours=1)
FAILED_RECHECK_LONGEST = timedelta(days=7)
# Figures a glitch could zero: a known positive value is kept when GitHub suddenly answers 0.
GUARDED_AGAINST_ZERO = ("stars", "forks", "watchers", "contributors", "commits")
# Counts that hardly ever shrink: falling by more than half means an answer gone wrong (a page read as the total).
GUARDED_AGAINST_DROPS = ("contributors", "commits")


class RefreshResult(StrEnum):
    REFRESHED = "refreshed"
    UNCHANGED = "unchanged"
    MISSING = "missing"
    BLOCKED = "blocked"
    FAILED = "failed"
    RATE_LIMITED = "rate limited"
    ALREADY_DONE = "already done"
    NO_REPOSITORY = "no repository"


@dataclass(frozen=True)
class GitHubFigures:
    """What GitHub answered for one library, before anything is written."""

    full_name: str
    repository: RepositoryAnswer
    contributors: CountAnswer
    commits: CountAnswer


@dataclass
class RefreshOutcome:
    library: Library
    result: RefreshResult
    message: str = ""
    error: GitHubError | None = None
    snapshot: StatsSnapshot | None = None

    def line(self) -> str:
        figures = ""
        if self.result in (RefreshResult.REFRESHED, RefreshResult.UNCHANGED):
            lib = self.library
            figures = f" stars={lib.stars} contributors={lib.contributors} commits={lib.commits} forks={lib.forks}"
        message = f" ({self.message})" if self.message else ""
        return f"{self.library.slug}: {self.result}{figures}{message}"


def snapshot_exists(*, library: Library, run_id: str) -> bool:
    return StatsSnapshot.objects.filter(library=library, run_id=run_id).exists()


def library_record(*, library: Library, fetched: GitHubFigures | GitHubError, run_id: str) -> RefreshOutcome:
    if isinstance(fetched, GitHubError):
        return library_error_record(library=library, error=fetched)
    try:
        return _library_figures_write(library=library, figures=fetched, run_id=run_id)
    except IntegrityError:
        # A twin of this task (a redelivery) wrote this run's snapshot first.
        return RefreshOutcome(library, RefreshResult.ALREADY_DONE)


@transaction.atomic
def _library_figures_write(*, library: Library, figures: GitHubFigures, run_id: str) -> RefreshOutcome:
    now = timezone.now()
    current = Library.objects.select_for_update().get(pk=library.pk)
    if snapshot_exists(library=current, run_id=run_id):
        return RefreshOutcome(current, RefreshResult.ALREADY_DONE)
    etags, notes = dict(current.github_etags or {}), []
    changed = _repository_assign(current, figures.repository, etags, notes)
    changed |= _counts_assign(current, figures, etags, notes)
    current.github_etags = etags
    current.repository_status = Library.RepositoryStatus.OK
    current.next_check_after = None
    current.failures_in_a_row = 0
    current.last_refreshed_at = now
    current.last_refresh_notes = "; ".join(notes)  # what was kept, or followed: shown in the admin
    current.save()
    snapshot = _snapshot_create(current, taken_at=now, run_id=run_id, counted=not figures.contributors.unavailable)
    _copy_refreshed_fields(current, into=library)
    # Even unchanged figures change the pages: a new "as of" date and a new row of history.
    page_generations_bump(FIGURES)
    result = RefreshResult.REFRESHED if changed else RefreshResult.UNCHANGED
    return RefreshOutcome(library, result, message="; ".join(notes), snapshot=snapshot)


def _repository_assign(library: Library, answer: RepositoryAnswer, etags: dict, notes: list[str]) -> bool:
    """The repository's own figures and facts; False when GitHub answered "not modified"."""
    repository = answer.repository
    if repository is None:
        return False
    notes += _library_rename(library, repository.full_name)
    library.github_id = repository.github_id
    library.archived = repository.archived
    library.pushed_at = repository.pushed_at or library.pushed_at
    library.default_branch = repository.default_branch or library.default_branch
    kept = _figures_assign(
        library,
        stars=repository.stars,
        forks=repository.forks,
        open_issues=repository.open_issues,
        watchers=repository.watchers,
    )
    notes += kept
    if not kept:  # a kept figure must be asked again in full next time, not answered "not modified"
        etags["repository"] = answer.etag
    return True


def _counts_assign(library: Library, figures: GitHubFigures, etags: dict, notes: list[str]) -> bool:
    """The contributors and commits counts; False when neither changed."""
    changed = False
    for name in ("contributors", "commits"):
        count = getattr(figures, name)
        if count.unavailable:
            etags.pop(name, None)
            kept = "kept the last count" if getattr(library, name) is not None else "there is no count yet"
            notes.append(f"GitHub will not count the {name} of a repository this large; {kept}")
        elif not count.unchanged:
            kept = _figures_assign(library, **{name: count.count})
            notes += kept
            if kept:
                etags.pop(name, None)
            else:
                etags[name] = count.etag
            changed = True
    return changed


def _snapshot_create(library: Library, *, taken_at, run_id: str, counted: bool) -> StatsSnapshot:
    """This run's snapshot; no contributors on a day GitHub would not count them."""
    return StatsSnapshot.objects.create(
        library=library,
        taken_at=taken_at,
        run_id=run_id,
        stars=library.stars,
        forks=library.forks,
        contributors=library.contributors if counted else None,
        commits=library.commits,
        open_issues=library.open_issues,
        watchers=library.watchers,
    )


def _figures_assign(library: Library, **values: int | None) -> list[str]:
    """Set the figures GitHub gave; a known figure is never replaced by nothing, a sudden zero, or a count
    of contributors or commits under half the last one known (a page of results read as the total)."""
    kept = []
    for name, value in values.items():
        previous = getattr(library, name)
        if value is None:
            continue
        if value == 0 and previous and name in GUARDED_AGAINST_ZERO:
            kept.append(f"GitHub answered 0 {name.replace('_', ' ')}; kept {previous:,}")
            continue
        known = (
            previous if previous is not None or name not in GUARDED_AGAINST_DROPS else _printed_figure(library, name)
        )
        if name in GUARDED_AGAINST_DROPS and known and value < known / 2:
            kept.append(
                f"GitHub answered {value:,} {name}, under half the {known:,} known; "
                f"kept {'the last figure' if previous is not None else 'none'} (check the repository)"
            )
            continue
        setattr(library, name, value)
    return kept


def _printed_figure(library: Library, name: str) -> int | None:
    """The figure printed elsewhere for a library GitHub has not answered for yet (see libraries.signals)."""
    answers = printed_figure_wanted.send(sender=Library, library=library, figure=name)
    return next((value for _receiver, value in answers if value is not None), None)


def _library_rename(library: Library, full_name: str) -> list[str]:
    """GitHub moved the repository (a rename or a transfer): follow it and keep the old name as an alias."""
    if full_name.lower() == library.full_name.lower():
        return []
    old = library.full_name
    library.github_owner, library.github_repo = full_name.split("/")
    # Readers see where it was when the posts printed it; moved back there, it carries no mark.
    first = library.moved_from or old
    library.moved_from = "" if first.lower() == full_name.lower() else first
    if old.lower() not in {alias.lower() for alias in library.aliases}:
        library.aliases = [*library.aliases, old]
    return [f"the repository moved from {old} to {full_name}"]


def library_error_record(*, library: Library, error: GitHubError) -> RefreshOutcome:
    """Record what went wrong; the figures stay as they were, and a failing library is asked again later."""
    if isinstance(error, RateLimited) and error.anticipated:
        # No request was made: the run stopped short of the budget, nothing happened to this library.
        return RefreshOutcome(library, RefreshResult.RATE_LIMITED, message=str(error), error=error)
    now, status = timezone.now(), Library.RepositoryStatus
    fields = {"last_error": str(error)[:1000], "last_error_at": now}
    if isinstance(error, NotFound):
        result = RefreshResult.MISSING
        fields |= {"repository_status": status.MISSING, "next_check_after": now + MISSING_RECHECK_AFTER}
    elif isinstance(error, Blocked):
        result = RefreshResult.BLOCKED
        fields |= {"repository_status": status.BLOCKED, "next_check_after": now + BLOCKED_RECHECK_AFTER}
    elif isinstance(error, RateLimited):
        result = RefreshResult.RATE_LIMITED
    else:
        result = RefreshResult.FAILED
        failures = library.failures_in_a_row + 1
        fields |= {"failures_in_a_row": failures, "next_check_after": now + failed_recheck_after(failures)}
    Library.objects.filter(pk=library.pk).update(**fields)
    if fields.get("repository_status", library.repository_status) != library.repository_status:
        page_generations_bump(FIGURES)  # pages mark a repository missing or blocked
    for name, value in fields.items():
        setattr(library, name, value)
    return RefreshOutcome(library, result, message=str(error), error=error)


def failed_recheck_after(failures: int) -> timedelta:
    """How long a library that failed `failures` times in a row waits before it is asked again."""
    return min(FAILED_RECHECK_FIRST * 2 ** min(max(failures - 1, 0), 16), FAILED_RECHECK_LONGEST)


def _copy_refreshed_fields(source: Library, *, into: Library) -> None:
    if source is into:
        return
    for model_field in Library._meta.concrete_fields:
        setattr(into, model_field.attname, getattr(source, model_field.attname))
