"""End to end through a real Celery worker and broker: the scheduled run's snapshots land, even when
GitHub's rate limit runs out halfway. Needs a real broker (Redis on CI); the in-memory default is skipped."""

import time
from collections import Counter

import pytest

from libraries.models import Library, StatsSnapshot
from libraries.runlock import refresh_run_holder
from libraries.tasks import refresh_all_libraries
from tests.conftest import needs_real_broker
from tests.factories import LibraryFactory

pytestmark = needs_real_broker


def wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.django_db(transaction=True)
def test_scheduled_run_through_a_worker_lands_every_snapshot_across_a_rate_limit_reset(github, github_settings, worker):
    for n in range(3):
        github.add(f"org{n}/lib{n}", stars=1000 + n, contributors=5 + n, commits=300 + n)
        LibraryFactory(github_owner=f"org{n}", github_repo=f"lib{n}")
    # Six requests a two-second window: the third library must wait for the reset and then be refreshed.
    github.limit, github.window = 6, 2
    github.refill()
    github.forget()

    refresh_all_libraries.delay()

    snapshots = StatsSnapshot.objects.all()
    assert wait_for(lambda: snapshots.count() == 3), list(Library.objects.values_list("last_error", flat=True))
    assert sorted(Library.objects.values_list("stars", flat=True)) == [1000, 1001, 1002]
    assert len(set(snapshots.values_list("run_id", flat=True))) == 1
    per_window = Counter(seen.window for seen in github.seen)
    assert len(per_window) >= 2 and max(per_window.values()) <= 6  # nine requests: some waited for the reset
    assert 403 not in github.statuses()  # the budget was respected: stopped before GitHub had to refuse
    assert wait_for(lambda: refresh_run_holder() is None, seconds=5)


@pytest.mark.django_db(transaction=True)
def test_a_library_that_always_fails_is_deferred_and_the_run_ends(github, github_settings, worker):
    from tests.libraries import github_standin as standin

    github_settings.GITHUB_TIMEOUT, github_settings.GITHUB_RETRY_BACKOFF = (0.5, 0.2), 0.01
    github.add("org/healthy", stars=10)
    github.add("org/broken", stars=20)
    github.script("/repos/org/broken", *[standin.error(500)] * 50)
    healthy = LibraryFactory(github_owner="org", github_repo="healthy")
    broken = LibraryFactory(github_owner="org", github_repo="broken")

    refresh_all_libraries.delay()

    assert wait_for(lambda: healthy.snapshots.exists() and refresh_run_holder() is None)
    broken.refresh_from_db()
    assert broken.failures_in_a_row == 1 and broken.next_check_after is not None
    assert github.count("org/broken") == 3  # the client's three tries, no task retry
