"""The run lock: one refresh run at a time, held until each of its libraries has reported back."""

from django.conf import settings
from django.core.cache import cache

RUN_LOCK_CACHE_KEY = "libraries:refresh-run"


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
