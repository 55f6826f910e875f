"""The GitHub refresh: asking GitHub about one library, or a run of many within its rate limit; what an answer
writes is libraries.refresh_record."""

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from libraries.github import (
    GitHubClient,
    GitHubError,
    NotFound,
    RateLimited,
    TransientError,
    backoff_seconds,
)
from libraries.models import Library, StatsSnapshot
from libraries.refresh_record import (
    GitHubFigures,
    RefreshOutcome,
    RefreshResult,
    library_error_record,
    library_record,
    snapshot_exists,
)

RATE_LIMIT_CACHE_KEY = "libraries:github-rate-limit"
# Waits for GitHub of one in-process (--sync) run: enough for hourly resets to carry 200 libraries
# without a token (600 requests at 60 an hour), and an end when GitHub keeps answering rate limits.
SYNC_MAX_WAITS = 10


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


def github_client_for_editors() -> GitHubClient:
    """For a question an editor waits on (is this repository known?): one attempt, within the timeouts."""
    return github_client_from_settings(max_attempts=1)


def github_client_from_settings(*, max_attempts: int | None = None) -> GitHubClient:
    """A client configured from settings, starting from the rate budget the last client saw (shared cache)."""
    return GitHubClient(
        settings.GITHUB_API_URL,
        token=settings.GITHUB_TOKEN or None,
        timeout=tuple(settings.GITHUB_TIMEOUT),
        max_attempts=max_attempts or settings.GITHUB_MAX_ATTEMPTS,
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
    if snapshot_exists(library=library, run_id=run_id):
        return RefreshOutcome(library, RefreshResult.ALREADY_DONE)
    try:
        fetched = github_figures_fetch(client=client, library=library)
    except GitHubError as error:
        fetched = error
    outcome = library_record(library=library, fetched=fetched, run_id=run_id)
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
    done = set(StatsSnapshot.objects.filter(run_id=run_id).values_list("library_id", flat=True))
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
                _report(report, library_record(library=library, fetched=fetched, run_id=run_id), on_outcome)
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
