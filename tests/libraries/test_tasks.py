"""The Celery tasks' logic, run eagerly: fan-out, the run lock, idempotent retries, countdowns."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from libraries.checks import refresh_run_timeout_check
from libraries.github import RateLimited, TransientError
from libraries.models import Library, StatsSnapshot
from libraries.runlock import refresh_run_holder, refresh_run_lock
from libraries.tasks import (
    library_longest_seconds,
    longest_countdown,
    rate_limit_countdown,
    rate_limit_max_retries,
    refresh_all_libraries,
    refresh_library,
)
from tests.factories import LibraryFactory
from tests.libraries import github_standin as standin


def libraries_on_github(github, number):
    libraries = []
    for n in range(number):
        github.add(f"org{n}/lib{n}", stars=10 * (n + 1))
        libraries.append(LibraryFactory(github_owner=f"org{n}", github_repo=f"lib{n}"))
    return libraries


@pytest.mark.django_db
def test_refresh_all_fans_out_to_every_library_due(github, github_settings, eager_celery):
    due = libraries_on_github(github, 3)
    LibraryFactory(github_owner="", github_repo="")
    waiting = LibraryFactory(
        github_owner="gone",
        github_repo="away",
        repository_status=Library.RepositoryStatus.MISSING,
        next_check_after=timezone.now() + timedelta(hours=20),
    )
    refresh_all_libraries.delay()
    snapshots = StatsSnapshot.objects.all()
    assert sorted(snapshots.values_list("library_id", flat=True)) == [library.pk for library in due]
    assert len(set(snapshots.values_list("run_id", flat=True))) == 1
    assert not waiting.snapshots.exists() and github.count("gone/away") == 0
    assert refresh_run_holder() is None  # the last library freed the lock


@pytest.mark.django_db
def test_a_run_is_skipped_while_another_is_going(github, github_settings, eager_celery):
    libraries = libraries_on_github(github, 2)
    assert refresh_run_lock(run_id="first", libraries=2)
    assert refresh_all_libraries.delay().get() == "skipped"
    assert not StatsSnapshot.objects.exists() and github.count() == 0
    for library in libraries:  # the first run's tasks report back
        refresh_library.delay(library.pk, "first")
    assert refresh_run_holder() is None
    assert "queued" in refresh_all_libraries.delay().get()
    for library in libraries:
        assert list(library.snapshots.values_list("run_id", flat=True).order_by("taken_at"))[0] == "first"
        assert library.snapshots.count() == 2  # one per run


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_write_one_snapshot_per_library(github, github_settings, eager_celery):
    libraries = libraries_on_github(github, 3)
    github.latency = 0.1  # long enough for the two runs to overlap, even on a busy machine
    start, results = threading.Barrier(2), []

    def run():
        start.wait()
        try:
            results.append(refresh_all_libraries())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(result == "skipped" for result in results) == [False, True]
    for library in libraries:
        assert library.snapshots.count() == 1


@pytest.mark.django_db
def test_a_task_run_twice_for_the_same_run_writes_one_snapshot(github, github_settings, eager_celery):
    [library] = libraries_on_github(github, 1)
    assert refresh_library.delay(library.pk, "run-1").get() == "refreshed"
    assert refresh_library.delay(library.pk, "run-1").get() == "already done"  # e.g. redelivered after a crash
    assert library.snapshots.count() == 1 and github.count() == 3


@pytest.mark.django_db
def test_a_redelivered_task_does_not_free_the_lock_while_its_run_has_libraries_queued(
    github, github_settings, eager_celery
):
    first, second, third = libraries_on_github(github, 3)
    assert refresh_run_lock(run_id="run-1", libraries=3)
    refresh_library.delay(first.pk, "run-1")
    assert refresh_library.delay(first.pk, "run-1").get() == "already done"  # redelivered (acks_late)
    refresh_library.on_failure(TransientError("502"), "task-id", (first.pk, "run-1"), {}, None)  # and given up
    assert refresh_run_holder() == "run-1"  # the second and third are still queued
    assert refresh_all_libraries.delay().get() == "skipped"
    refresh_library.delay(second.pk, "run-1")
    assert refresh_run_holder() == "run-1"
    refresh_library.on_failure(TransientError("502"), "task-id", (), {"library_id": third.pk, "run_id": "run-1"}, None)
    assert refresh_run_holder() is None  # every library of the run reported back, once each


@pytest.mark.django_db
def test_a_task_for_a_deleted_library_ends_quietly(github_settings, eager_celery):
    assert refresh_library.delay(987654, "run-1").get() == "gone"


def test_the_retry_policy():
    assert refresh_library.acks_late and refresh_library.reject_on_worker_lost
    assert TransientError not in getattr(refresh_library, "autoretry_for", ())  # deferred, not retried in the run
    assert refresh_library.soft_time_limit < refresh_library.time_limit


@pytest.mark.django_db
def test_libraries_that_always_fail_never_hold_the_run_and_back_off(github, github_settings, eager_celery):
    github_settings.GITHUB_TIMEOUT, github_settings.GITHUB_RETRY_BACKOFF = (0.5, 0.2), 0.01
    github_settings.GITHUB_REFRESH_MIN_INTERVAL = 3600
    healthy, erroring, nonsense, hanging = libraries_on_github(github, 4)
    for library, fault in [(erroring, standin.error(500)), (nonsense, standin.malformed()), (hanging, standin.slow(1))]:
        github.script(f"/repos/{library.full_name}", *[fault] * 50)

    refresh_all_libraries.delay()

    assert refresh_run_holder() is None  # every library answered or was deferred: the run is over
    for library in (erroring, nonsense, hanging):
        assert github.count(library.full_name) == 3  # one attempt of the client's three tries, no task retries
        library.refresh_from_db()
        assert library.failures_in_a_row == 1 and not library.snapshots.exists()
        assert timezone.now() + timedelta(minutes=50) < library.next_check_after < timezone.now() + timedelta(hours=2)
    assert healthy.snapshots.count() == 1

    github.forget()
    assert "0 libraries queued" in refresh_all_libraries.delay().get()  # a minute later: nothing is due
    assert github.count() == 0


def test_rate_limit_countdowns(settings):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    assert rate_limit_countdown(RateLimited("x", retry_after=42), 0) == 43
    assert rate_limit_countdown(RateLimited("x", retry_after=7200), 0) == longest_countdown() < 3600
    waits = [rate_limit_countdown(RateLimited("x"), retries) for retries in range(4)]
    assert all(wait >= 60 for wait in waits) and waits[3] > waits[0]
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
    assert rate_limit_countdown(RateLimited("x", retry_after=900), 0) < 600


@pytest.mark.parametrize(
    ("visibility", "run_timeout"),
    [(3600, 6 * 3600), (600, 6 * 3600), (3600, 24 * 3600), (600, 2 * 3600), (7200, 12 * 3600)],
)
def test_a_librarys_retries_end_before_its_runs_lock_can_expire(settings, visibility, run_timeout):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": visibility}
    settings.GITHUB_REFRESH_RUN_TIMEOUT = run_timeout
    assert rate_limit_max_retries() >= 1  # a rate limit is waited out at least once
    assert rate_limit_max_retries() * longest_countdown() < run_timeout
    assert library_longest_seconds() <= run_timeout
    assert refresh_run_timeout_check(None) == []


def test_a_run_timeout_too_short_for_the_retries_is_reported(settings):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    settings.GITHUB_REFRESH_RUN_TIMEOUT = 60  # shorter than one library's attempt
    [warning] = refresh_run_timeout_check(None)
    assert warning.id == "libraries.W001" and "GITHUB_REFRESH_RUN_TIMEOUT" in warning.msg


@pytest.mark.django_db
def test_a_rate_limit_that_never_lifts_gives_up_within_the_runs_timeout(github, github_settings):
    [library] = libraries_on_github(github, 1)
    github.answer_always(standin.rate_limited(429, retry_after=1))
    assert refresh_run_lock(run_id="run-1", libraries=1)
    # Applied in this thread: each retry runs at once (its countdown skipped), then the task gives up.
    result = refresh_library.apply((library.pk, "run-1"), throw=False)
    assert isinstance(result.result, RateLimited)
    assert github.count() == 1 + rate_limit_max_retries() < 10
    assert refresh_run_holder() is None  # given up: the run's lock is free for the next one
    library.refresh_from_db()
    assert "rate limited" in library.last_error and not library.snapshots.exists()


@pytest.mark.django_db
def test_a_too_frequent_schedule_skips_libraries_refreshed_recently(github, github_settings, eager_celery, settings):
    settings.GITHUB_REFRESH_MIN_INTERVAL = 3600
    libraries = libraries_on_github(github, 2)
    refresh_all_libraries.delay()
    requests_after_first_run = github.count()
    assert "0 libraries queued" in refresh_all_libraries.delay().get()  # a minute later, say
    assert github.count() == requests_after_first_run
    for library in libraries:
        assert library.snapshots.count() == 1
