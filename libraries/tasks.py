"""Celery tasks of the GitHub refresh: thin wrappers that take ids, call services and own the retry policy."""

import logging
from contextlib import contextmanager
from datetime import timedelta
from functools import partial

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.health import broker_answers
from libraries.github import RateLimited, TransientError, backoff_seconds
from libraries.models import Library
from libraries.refresh import github_client_from_settings, github_rate_limit_remember, library_refresh, new_run_id
from libraries.refresh_record import RefreshResult, library_error_record
from libraries.runlock import refresh_run_holder, refresh_run_library_finished, refresh_run_lock

logger = logging.getLogger(__name__)

# Per library: three requests, each with a few attempts within the client's timeouts.
SOFT_TIME_LIMIT = 180
TIME_LIMIT = 210


def fetching_key(library_id: int) -> str:
    return f"library-fetching:{library_id}"


def library_fetch_started(library_id: int) -> bool:
    """A worker is asking GitHub about this library right now (the admin tells waiting from fetching)."""
    try:
        return bool(cache.get(fetching_key(library_id)))
    except Exception:  # the cache is down: say waiting rather than fail the admin's page
        return False


@contextmanager
def library_fetching(library_id: int):
    """Marks the library as being asked about (`library_fetch_started`) while the block runs."""
    try:
        cache.set(fetching_key(library_id), True, timeout=TIME_LIMIT)
    except Exception:
        logger.warning("Could not mark library %s as being fetched: the cache did not answer", library_id)
    try:
        yield
    finally:
        try:
            cache.delete(fetching_key(library_id))
        except Exception:
            logger.warning("Could not unmark library %s: the cache did not answer", library_id)


def longest_countdown() -> int:
    """A countdown must stay below the broker's visibility timeout, or Redis hands the task out twice."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    return max(int(visibility) - 120, 60)


# The run lock expires after GITHUB_REFRESH_RUN_TIMEOUT. Rather than extend the lock on every retry
# (a library stuck behind rate limits would then hold off the daily runs for days), the rate-limit
# retries are derived from that timeout: a library's last attempt ends before the lock can expire.
def rate_limit_max_retries() -> int:
    """As many rate-limit retries as fit in the run's timeout, each after the longest countdown."""
    per_retry = longest_countdown() + TIME_LIMIT
    return max(0, (settings.GITHUB_REFRESH_RUN_TIMEOUT - TIME_LIMIT) // per_retry)


def library_longest_seconds() -> int:
    """The longest a library's task can take, first attempt to last, if every retry waits its longest."""
    return rate_limit_max_retries() * (longest_countdown() + TIME_LIMIT) + TIME_LIMIT


def rate_limit_countdown(error: RateLimited, retries: int) -> int:
    """GitHub's `retry-after`, else until its reset, else at least a minute with exponential backoff and jitter."""
    wait = error.retry_after if error.retry_after is not None else backoff_seconds(retries)
    return max(1, min(int(wait) + 1, longest_countdown()))


class RefreshLibraryTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Given up for good: the run must not wait for this library to free its lock.
        library_id = kwargs.get("library_id", args[0] if args else None)
        run_id = kwargs.get("run_id") or (args[1] if len(args) > 1 else "")
        refresh_run_library_finished(run_id=run_id, library_id=library_id)


# A fault (an error answer, nonsense, a hang) is not retried within the run: the client has already
# tried each request a few times, and the library's own backoff (next_check_after) defers it to a later
# run, so a library that always fails costs one attempt per check and never holds the run's lock.
# Only a rate limit, which every library of the run would meet, is waited out here.
@shared_task(
    bind=True,
    base=RefreshLibraryTask,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def refresh_library(self, library_id: int, run_id: str) -> str:
    """Refresh one library for one run; running it twice for the same run writes one snapshot."""
    library = Library.objects.filter(pk=library_id).first()
    if library is None:
        refresh_run_library_finished(run_id=run_id, library_id=library_id)
        return "gone"
    client = github_client_from_settings()
    try:
        with library_fetching(library_id):
            outcome = library_refresh(library=library, client=client, run_id=run_id)
    except (TransientError, SoftTimeLimitExceeded) as error:
        if isinstance(error, SoftTimeLimitExceeded):
            library_error_record(library=library, error=TransientError(f"no answer within {SOFT_TIME_LIMIT} s"))
        github_rate_limit_remember(client=client)
        refresh_run_library_finished(run_id=run_id, library_id=library_id)
        logger.info("%s: failed, next check after %s", library.slug, library.next_check_after)
        return str(RefreshResult.FAILED)
    except RateLimited as error:
        github_rate_limit_remember(client=client)
        countdown = rate_limit_countdown(error, self.request.retries)
        logger.info("%s: rate limited, retrying in %ss", library.slug, countdown)
        raise self.retry(exc=error, countdown=countdown, max_retries=rate_limit_max_retries()) from error
    github_rate_limit_remember(client=client)
    refresh_run_library_finished(run_id=run_id, library_id=library_id)
    return str(outcome.result)


@shared_task(acks_late=True)
def refresh_all_libraries(run_id: str = "") -> str:
    """The scheduled run: one `refresh_library` task per library due, unless another run is still going."""
    run_id = run_id or new_run_id("scheduled")
    min_interval = timedelta(seconds=settings.GITHUB_REFRESH_MIN_INTERVAL)
    due = Library.objects.due_for_scheduled_refresh(timezone.now(), min_interval=min_interval)
    library_ids = list(due.values_list("pk", flat=True))
    if not refresh_run_lock(run_id=run_id, libraries=len(library_ids)):
        logger.info("Refresh %s skipped: run %s is still going", run_id, refresh_run_holder())
        return "skipped"
    for library_id in library_ids:
        refresh_library.delay(library_id, run_id)
    return f"{run_id}: {len(library_ids)} libraries queued"


def library_refresh_enqueue(library_ids) -> str:
    """Queue a refresh of these libraries once the current transaction commits; returns the run id.

    Callers check that the broker answers first (library_refresh_request does). Should it stop between that
    check and the commit, the failure is logged and the libraries stay due: the next scheduled run takes them."""
    run_id = new_run_id("manual")
    for library_id in library_ids:
        transaction.on_commit(partial(refresh_library.delay, library_id, run_id), robust=True)
    return run_id


def library_refresh_request(library_ids) -> str | None:
    """`library_refresh_enqueue` once the broker answers (the admin's way in): the run id, or None when the
    broker is down, logged and with nothing queued; the libraries stay due for the next scheduled run."""
    try:
        broker_answers()
    except Exception:
        logger.exception("The broker did not answer; no refresh queued")
        return None
    return library_refresh_enqueue(library_ids)
