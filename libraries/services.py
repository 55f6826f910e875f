"""Writes to the library catalogue, and the GitHub refresh of its figures."""

import hashlib
import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.history import command_change_record
from core.page_cache import CONTENT, FIGURES, page_generations_bump
from libraries.catalogue_file import CatalogueEntry
from libraries.github import (
    Blocked,
    CountAnswer,
    GitHubClient,
    GitHubError,
    NotFound,
    RateLimited,
    RepositoryAnswer,
    TransientError,
    backoff_seconds,
)
from libraries.models import Library, ListEntry, StatsSnapshot


@dataclass
class CatalogueResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # changed since imported: left as they are


def library_fingerprint(library: Library) -> str:
    """A hash of what the catalogue import writes to a library."""
    fields = [library.name, sorted(library.aliases), library.homepage, library.description]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()


class LibraryIndex:
    """Every library by lower-cased name, alias and repository, for matching an article's entries."""

    def __init__(self, libraries):
        self.by_name: dict[str, Library] = {}
        self.by_repository: dict[tuple[str, str], Library] = {}
        for library in libraries:
            self.add(library)

    def add(self, library: Library) -> None:
        for name in library.all_names():
            self.by_name.setdefault(name.lower(), library)
        if library.has_repository:
            self.by_repository[(library.github_owner.lower(), library.github_repo.lower())] = library

    def find(self, *, name: str, repository: tuple[str, str] | None = None) -> Library | None:
        if repository:
            found = self.by_repository.get((repository[0].lower(), repository[1].lower()))
            if found:
                return found
        return self.by_name.get(name.lower())


def library_former_name_keep(*, library: Library, former_name: str) -> None:
    """A library renamed in the admin keeps its former name as an alias, so the articles that print it still
    find it (rather than an import creating it anew)."""
    if former_name and former_name.lower() not in {name.lower() for name in library.all_names()}:
        library.aliases = [*library.aliases, former_name]


def _changed_since_import(library: Library, *, would_change: bool) -> bool:
    """With the file's values assigned but not saved: was the stored library changed since its import?"""
    if not would_change:
        return False
    stored = Library.objects.get(pk=library.pk)
    if stored.imported_hash:
        return library_fingerprint(stored) != stored.imported_hash
    return True  # imported before fingerprints were kept: nothing says what the import wrote


def unique_slug(model, text: str, *, instance=None, max_length: int = 100) -> str:
    base = (slugify(text) or "item")[:max_length]
    candidate, number = base, 2
    others = model.objects.exclude(pk=instance.pk) if instance and instance.pk else model.objects.all()
    while others.filter(slug=candidate).exists():
        candidate = f"{base[: max_length - 4]}-{number}"
        number += 1
    return candidate


def assign(instance, **fields) -> bool:
    """Set the fields that differ; True when any did, so callers save only real changes."""
    changed = False
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def library_get_or_create(*, index: LibraryIndex, name: str, repository: tuple[str, str] | None) -> Library:
    """The catalogue's library for an article's entry; an unknown one is created (without a
    repository unless the entry links one) and shows up in the admin as needing one."""
    library = index.find(name=name, repository=repository)
    if library is None:
        library = Library(name=name, slug=unique_slug(Library, name))
        if repository:
            library.github_owner, library.github_repo = repository
        library.imported_hash = library_fingerprint(library)
        library.save()
        index.add(library)
    elif repository and not library.has_repository:
        library.github_owner, library.github_repo = repository
        library.save(update_fields=["github_owner", "github_repo"])
        index.add(library)
    return library


@transaction.atomic
def library_catalogue_import(*, entries: list[CatalogueEntry], force: bool = False) -> CatalogueResult:
    """Create or update each library by name (or alias); a field the file leaves empty is kept.

    A library changed since it was imported (in the admin, or renamed on GitHub), or imported before
    fingerprints were kept and which the file would change, is left as it is (`result.skipped`), unless
    `force`: then it is overwritten, and its admin history says so."""
    result = CatalogueResult()
    index = LibraryIndex(Library.objects.all())
    for entry in entries:
        repository = (entry.owner, entry.repo) if entry.repo else None
        library = index.find(name=entry.name, repository=repository)
        if library is None:
            for alias in entry.aliases:
                library = index.find(name=alias)
                if library:
                    break
        if library is None:
            library = Library(name=entry.name, slug=unique_slug(Library, entry.name))
            result.created += 1
            changed = True
        else:
            changed = False
        aliases = list(library.aliases)
        aliases += [a for a in entry.aliases if a.lower() not in {x.lower() for x in aliases}]
        changed |= assign(library, name=entry.name, aliases=aliases)
        if entry.repo and not library.has_repository:
            changed |= assign(library, github_owner=entry.owner, github_repo=entry.repo)
        if entry.homepage:
            changed |= assign(library, homepage=entry.homepage)
        if entry.description:
            changed |= assign(library, description=entry.description)
        if library.pk and _changed_since_import(library, would_change=changed) and not force:
            result.skipped.append(entry.name)
            library.refresh_from_db()
            continue
        if changed:
            if library.pk:
                result.updated += 1
                if force:
                    command_change_record(obj=library, message="Overwritten by import_libraries --force")
            library.imported_hash = library_fingerprint(library)
            library.save()
            index.add(library)
        else:
            if library.imported_hash != library_fingerprint(library):
                library.imported_hash = library_fingerprint(library)
                library.save(update_fields=["imported_hash"])
            result.unchanged += 1
    if result.created or result.updated:
        page_generations_bump(CONTENT)
    return result


# The GitHub refresh.

MISSING_RECHECK_AFTER = timedelta(days=1)
BLOCKED_RECHECK_AFTER = timedelta(days=7)
# A library whose attempts keep failing is asked again after an hour, then two, four… at most a week.
FAILED_RECHECK_FIRST = timedelta(hours=1)
FAILED_RECHECK_LONGEST = timedelta(days=7)
RATE_LIMIT_CACHE_KEY = "libraries:github-rate-limit"
RUN_LOCK_CACHE_KEY = "libraries:refresh-run"
# Waits for GitHub of one in-process (--sync) run: enough for hourly resets to carry 200 libraries
# without a token (600 requests at 60 an hour), and an end when GitHub keeps answering rate limits.
SYNC_MAX_WAITS = 10
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


@dataclass
class RunReport:
    run_id: str
    outcomes: list[RefreshOutcome] = field(default_factory=list)
    left_for_later: list[Library] = field(default_factory=list)
    resume_at: datetime | None = None

    def count(self, result: RefreshResult) -> int:
        return sum(1 for outcome in self.outcomes if outcome.result == result)

    def summary(self) -> str:
        counts = Counter(outcome.result for outcome in self.outcomes)
        parts = [f"{counts[result]} {result}" for result in RefreshResult if counts[result]] or ["nothing to do"]
        text = f"Run {self.run_id}: " + ", ".join(parts)
        if self.left_for_later:
            text += f"; {len(self.left_for_later)} left for after GitHub's reset at {self.resume_at:%Y-%m-%d %H:%M} UTC"
        return text + "."


def new_run_id(kind: str) -> str:
    return f"{kind}-{timezone.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def github_client_from_settings() -> GitHubClient:
    """A client configured from settings, starting from the rate budget the last client saw (shared cache)."""
    return GitHubClient(
        settings.GITHUB_API_URL,
        token=settings.GITHUB_TOKEN or None,
        timeout=tuple(settings.GITHUB_TIMEOUT),
        max_attempts=settings.GITHUB_MAX_ATTEMPTS,
        backoff=settings.GITHUB_RETRY_BACKOFF,
        rate_limit_reserve=settings.GITHUB_RATE_LIMIT_RESERVE,
        rate_limit=cache.get(RATE_LIMIT_CACHE_KEY),
        pool_size=settings.GITHUB_REFRESH_CONCURRENCY,
    )


def github_rate_limit_remember(*, client: GitHubClient) -> None:
    """Share what GitHub last said about the budget with the other workers, until its reset."""
    known = client.rate_limit
    if known and known.reset_at:
        timeout = max(int((known.reset_at - timezone.now()).total_seconds()) + 60, 60)
        cache.set(RATE_LIMIT_CACHE_KEY, known, timeout=timeout)


def github_figures_fetch(*, client: GitHubClient, library: Library) -> GitHubFigures:
    """Ask GitHub about one library (no database access: safe in a worker thread)."""
    etags = library.github_etags or {}
    try:
        repository = client.repository(library.full_name, etag=etags.get("repository", ""))
    except NotFound:
        if not library.github_id:
            raise
        repository = client.repository_by_id(library.github_id)
    full_name = repository.repository.full_name if repository.repository else library.full_name
    return GitHubFigures(
        full_name=full_name,
        repository=repository,
        contributors=client.contributors_count(full_name, etag=etags.get("contributors", "")),
        commits=client.commits_count(full_name, etag=etags.get("commits", "")),
    )


def library_refresh(*, library: Library, client: GitHubClient, run_id: str) -> RefreshOutcome:
    """Refresh one library's GitHub figures and keep a snapshot of them for this run (once per run).

    A rate limit or a transient fault is recorded and raised again, for the caller to retry later;
    a missing or blocked repository is recorded and returned."""
    if not library.has_repository:
        return RefreshOutcome(library, RefreshResult.NO_REPOSITORY)
    if _snapshot_exists(library=library, run_id=run_id):
        return RefreshOutcome(library, RefreshResult.ALREADY_DONE)
    try:
        fetched = github_figures_fetch(client=client, library=library)
    except GitHubError as error:
        fetched = error
    outcome = _library_record(library=library, fetched=fetched, run_id=run_id)
    if isinstance(outcome.error, RateLimited | TransientError):
        raise outcome.error
    return outcome


def libraries_refresh_run(
    *,
    libraries,
    client: GitHubClient,
    run_id: str,
    concurrency: int = 4,
    wait_for_reset: bool = False,
    max_wait: float = 3700.0,
    max_waits: int = SYNC_MAX_WAITS,
    sleep: Callable[[float], None] = time.sleep,
    on_outcome: Callable[[RefreshOutcome], None] | None = None,
) -> RunReport:
    """Refresh many libraries in this process, with at most `concurrency` requests in flight.

    On a rate limit it stops asking; with `wait_for_reset` it waits for GitHub's reset and carries on
    (at most `max_waits` times), otherwise it reports which libraries are left and when to resume
    (the same run id skips the done)."""
    report = RunReport(run_id=run_id)
    pending = [library for library in libraries if library.has_repository]
    done = set(
        StatsSnapshot.objects.filter(source=StatsSnapshot.Source.GITHUB, run_id=run_id).values_list(
            "library_id", flat=True
        )
    )
    waits = 0
    while pending:
        pending, limit = _refresh_batch(
            pending,
            client=client,
            run_id=run_id,
            done=done,
            concurrency=concurrency,
            report=report,
            on_outcome=on_outcome,
        )
        if not pending:
            break
        wait = limit.retry_after if limit.retry_after is not None else backoff_seconds(waits)
        report.resume_at = timezone.now() + timedelta(seconds=wait)
        if not wait_for_reset or wait > max_wait or waits >= max_waits:
            report.left_for_later = pending
            break
        sleep(wait)
        waits += 1
        client.rate_limit = None  # what we knew was about the budget before the reset
    return report


def _refresh_batch(pending, *, client, run_id, done, concurrency, report, on_outcome):
    """Fetch in a few threads while this one writes; after the first rate limit nobody asks GitHub again."""
    stop, left, limit = threading.Event(), [], None

    def fetch(library):
        if stop.is_set():
            return None
        fetched = _fetch_or_error(client, library)
        if isinstance(fetched, RateLimited):
            stop.set()
        return fetched

    to_fetch = []
    for library in pending:
        if library.pk in done:
            _report(report, RefreshOutcome(library, RefreshResult.ALREADY_DONE), on_outcome)
        else:
            to_fetch.append(library)
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="github-refresh") as pool:
        futures = {pool.submit(fetch, library): library for library in to_fetch}
        for future in as_completed(futures):
            library, fetched = futures[future], future.result()
            if fetched is None:
                left.append(library)
            elif isinstance(fetched, RateLimited):
                limit = _later(limit, fetched)
                left.append(library)
                library_error_record(library=library, error=fetched)
            else:
                _report(report, _library_record(library=library, fetched=fetched, run_id=run_id), on_outcome)
                done.add(library.pk)
    order = {library.pk: position for position, library in enumerate(pending)}
    return sorted(left, key=lambda library: order[library.pk]), limit


def _fetch_or_error(client, library):
    try:
        return github_figures_fetch(client=client, library=library)
    except GitHubError as error:
        return error


def _later(current: RateLimited | None, new: RateLimited) -> RateLimited:
    if current is None or (new.retry_after or 0) > (current.retry_after or 0):
        return new
    return current


def _report(report: RunReport, outcome: RefreshOutcome, on_outcome) -> None:
    report.outcomes.append(outcome)
    if on_outcome:
        on_outcome(outcome)


def _snapshot_exists(*, library: Library, run_id: str) -> bool:
    return StatsSnapshot.objects.filter(library=library, source=StatsSnapshot.Source.GITHUB, run_id=run_id).exists()


def _library_record(*, library: Library, fetched: GitHubFigures | GitHubError, run_id: str) -> RefreshOutcome:
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
    if _snapshot_exists(library=current, run_id=run_id):
        return RefreshOutcome(current, RefreshResult.ALREADY_DONE)
    etags, notes, changed = dict(current.github_etags or {}), [], False
    answer = figures.repository
    if answer.repository is not None:
        repository = answer.repository
        notes += _library_rename(current, repository.full_name)
        current.github_id = repository.github_id
        current.archived = repository.archived
        current.pushed_at = repository.pushed_at or current.pushed_at
        current.default_branch = repository.default_branch or current.default_branch
        figures_kept = _figures_assign(
            current,
            stars=repository.stars,
            forks=repository.forks,
            open_issues=repository.open_issues,
            watchers=repository.watchers,
        )
        notes += figures_kept
        if not figures_kept:
            etags["repository"] = answer.etag
        changed = True
    contributors_unavailable = figures.contributors.unavailable
    for name in ("contributors", "commits"):
        count = getattr(figures, name)
        if count.unavailable:
            etags.pop(name, None)
            notes.append(f"GitHub will not count the {name} of a repository this large; kept the last count")
        elif not count.unchanged:
            kept = _figures_assign(current, **{name: count.count})
            notes += kept
            if kept:
                etags.pop(name, None)
            else:
                etags[name] = count.etag
            changed = True
    current.github_etags = etags
    current.repository_status = Library.RepositoryStatus.OK
    current.next_check_after = None
    current.failures_in_a_row = 0
    current.last_refreshed_at = now
    if notes:
        current.last_error, current.last_error_at = "; ".join(notes), now
    current.save()
    snapshot = StatsSnapshot.objects.create(
        library=current,
        taken_at=now,
        source=StatsSnapshot.Source.GITHUB,
        run_id=run_id,
        stars=current.stars,
        forks=current.forks,
        contributors=None if contributors_unavailable else current.contributors,
        commits=current.commits,
        open_issues=current.open_issues,
        watchers=current.watchers,
    )
    _copy_refreshed_fields(current, into=library)
    # Even unchanged figures change the pages: a new "as of" date and a new row of history.
    page_generations_bump(FIGURES)
    result = RefreshResult.REFRESHED if changed else RefreshResult.UNCHANGED
    return RefreshOutcome(library, result, message="; ".join(notes), snapshot=snapshot)


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
    """The figure the newest post that printed one gave for this library."""
    printed = ListEntry.objects.filter(library=library).exclude(**{name: None}).order_by("-post__published_on")
    return printed.values_list(name, flat=True).first()


def _library_rename(library: Library, full_name: str) -> list[str]:
    """GitHub moved the repository (a rename or a transfer): follow it and keep the old name as an alias."""
    if full_name.lower() == library.full_name.lower():
        return []
    old = library.full_name
    library.github_owner, library.github_repo = full_name.split("/")
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


# The run lock: one refresh run at a time, held until each of its libraries has reported back.


def refresh_run_lock(*, run_id: str, libraries: int) -> bool:
    """Take the run lock for `run_id`; False when another run holds it."""
    timeout = settings.GITHUB_REFRESH_RUN_TIMEOUT
    if not cache.add(RUN_LOCK_CACHE_KEY, run_id, timeout=timeout):
        return False
    if libraries:
        cache.set(_pending_key(run_id), libraries, timeout=timeout)
    else:
        cache.delete(RUN_LOCK_CACHE_KEY)
    return True


def refresh_run_library_finished(*, run_id: str, library_id: int) -> None:
    """One library of the run is done for good (refreshed, recorded or given up); the last frees the lock.

    Each library counts once: a redelivered task (acks_late) for a library already done must not
    free the lock while others of the run are still queued."""
    if not run_id or cache.get(_pending_key(run_id)) is None:
        return  # not a locked run (a manual refresh), or its lock has expired
    if not cache.add(_done_key(run_id, library_id), 1, timeout=settings.GITHUB_REFRESH_RUN_TIMEOUT):
        return  # counted already
    try:
        left = cache.decr(_pending_key(run_id))
    except ValueError:
        return  # the lock expired a moment ago
    if left <= 0 and cache.get(RUN_LOCK_CACHE_KEY) == run_id:
        cache.delete(RUN_LOCK_CACHE_KEY)
        cache.delete(_pending_key(run_id))


def refresh_run_holder() -> str | None:
    return cache.get(RUN_LOCK_CACHE_KEY)


def _pending_key(run_id: str) -> str:
    return f"{RUN_LOCK_CACHE_KEY}:{run_id}:pending"


def _done_key(run_id: str, library_id: int) -> str:
    return f"{RUN_LOCK_CACHE_KEY}:{run_id}:done:{library_id}"
