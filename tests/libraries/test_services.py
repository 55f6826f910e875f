"""The refresh services against the GitHub stand-in: what editors and readers would notice."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from libraries.github import GitHubClient, RateLimited, TransientError
from libraries.models import Library, StatsSnapshot
from libraries.refresh import SYNC_MAX_WAITS, libraries_refresh_run, library_refresh
from libraries.refresh_record import RefreshResult
from tests.factories import LibraryFactory
from tests.libraries import github_standin as standin

pytestmark = pytest.mark.django_db

FIGURES = ("stars", "forks", "contributors", "commits", "open_issues", "watchers")


@pytest.fixture
def keras(github):
    github.add(
        "keras-team/keras",
        id=33015583,
        stars=61000,
        forks=19000,
        open_issues=300,
        watchers=1900,
        contributors=1234,
        commits=11500,
        default_branch="master",
    )
    return LibraryFactory(name="Keras", slug="keras", github_owner="keras-team", github_repo="keras")


def figures_of(library):
    library.refresh_from_db()
    return {name: getattr(library, name) for name in FIGURES}


def github_snapshots(library):
    return StatsSnapshot.objects.filter(library=library)


def test_first_refresh_stores_todays_figures_and_a_snapshot(github, github_client, keras):
    outcome = library_refresh(library=keras, client=github_client, run_id="run-1")
    assert outcome.result == RefreshResult.REFRESHED
    assert figures_of(keras) == {
        "stars": 61000,
        "forks": 19000,
        "contributors": 1234,
        "commits": 11500,
        "open_issues": 300,
        "watchers": 1900,
    }
    assert keras.github_id == 33015583 and keras.default_branch == "master"
    assert keras.repository_status == Library.RepositoryStatus.OK and keras.last_refreshed_at
    snapshot = github_snapshots(keras).get()
    assert (snapshot.run_id, snapshot.stars, snapshot.contributors, snapshot.commits) == ("run-1", 61000, 1234, 11500)
    assert github.count() == 3


def test_unchanged_data_costs_only_304s_on_the_second_run(github, github_client, keras):
    library_refresh(library=keras, client=github_client, run_id="run-1")
    github.forget()
    outcome = library_refresh(library=keras, client=github_client, run_id="run-2")
    assert outcome.result == RefreshResult.UNCHANGED
    assert github.statuses() == [304, 304, 304]
    assert github.counted() == 0
    second = github_snapshots(keras).get(run_id="run-2")
    assert (second.stars, second.contributors, second.commits, second.watchers) == (61000, 1234, 11500, 1900)


def test_changed_figures_are_fetched_again(github, github_client, keras):
    library_refresh(library=keras, client=github_client, run_id="run-1")
    github.repositories["keras-team/keras"].stars = 61500
    github.forget()
    library_refresh(library=keras, client=github_client, run_id="run-2")
    assert github.statuses() == [200, 304, 304]
    assert figures_of(keras)["stars"] == 61500


def test_same_run_twice_writes_one_snapshot_and_asks_nothing(github, github_client, keras):
    library_refresh(library=keras, client=github_client, run_id="run-1")
    github.forget()
    again = library_refresh(library=keras, client=github_client, run_id="run-1")
    assert again.result == RefreshResult.ALREADY_DONE
    assert github_snapshots(keras).count() == 1 and github.count() == 0


def test_rename_updates_the_library_and_keeps_the_old_name(github, github_client, keras):
    library_refresh(library=keras, client=github_client, run_id="run-1")
    github.rename("keras-team/keras", "keras-org/keras3")
    library_refresh(library=keras, client=github_client, run_id="run-2")
    keras.refresh_from_db()
    assert keras.full_name == "keras-org/keras3"
    assert "keras-team/keras" in keras.aliases
    assert keras.github_id == 33015583
    assert "moved" in keras.last_refresh_notes
    github.forget()
    library_refresh(library=keras, client=github_client, run_id="run-3")
    assert github.statuses() == [304, 304, 304]  # asks the new name directly from now on


def test_a_rename_without_redirect_is_found_by_the_repository_id(github, github_client, keras):
    library_refresh(library=keras, client=github_client, run_id="run-1")
    github.rename("keras-team/keras", "keras-org/keras3", redirect=False)
    outcome = library_refresh(library=keras, client=github_client, run_id="run-2")
    keras.refresh_from_db()
    assert outcome.result == RefreshResult.REFRESHED and keras.full_name == "keras-org/keras3"
    assert keras.repository_status == Library.RepositoryStatus.OK
    assert github.statuses("/repositories/") == [200]


def test_a_repository_that_is_gone_by_name_and_id_is_missing(github, github_client, keras):
    library_refresh(library=keras, client=github_client, run_id="run-1")
    github.repositories["keras-team/keras"].status = 404
    github.forget()
    assert library_refresh(library=keras, client=github_client, run_id="run-2").result == RefreshResult.MISSING
    assert github.statuses() == [404, 404]  # by name, then by id


def test_connection_refused_keeps_figures_and_records_the_error(github, github_client, keras, sleeps):
    before, refreshed_at = refreshed_then_changed(github, github_client, keras)
    unreachable = GitHubClient("http://127.0.0.1:9", timeout=(0.2, 0.2), backoff=0, sleep=sleeps.append)
    with pytest.raises(TransientError):
        library_refresh(library=keras, client=unreachable, run_id="during")
    assert figures_of(keras) == before and keras.last_refreshed_at == refreshed_at
    assert "connection failed" in keras.last_error


def refreshed_then_changed(github, client, library):
    """Refresh once, then change every figure on GitHub: a fault must not let any new or empty value in."""
    library_refresh(library=library, client=client, run_id="before")
    library.refresh_from_db()
    before = figures_of(library), library.last_refreshed_at
    repository = github.repositories["keras-team/keras"]
    repository.stars, repository.contributors, repository.commits = 99999, 2, 3
    github.forget()
    return before


@pytest.mark.parametrize(
    ("fault", "raises"),
    [
        ([standin.error(500)] * 3, TransientError),
        ([standin.error(502, "Bad Gateway")] * 3, TransientError),
        ([standin.malformed()] * 3, TransientError),
        ([standin.wrong_shape()] * 3, TransientError),
        ([standin.slow(1.0)] * 3, TransientError),
        ([standin.rate_limited(403, retry_after=30)], RateLimited),
        ([standin.rate_limited(429)], RateLimited),
    ],
    ids=["500", "502", "malformed-json", "wrong-shape-json", "timeout", "403-secondary-limit", "429-no-retry-after"],
)
def test_a_fault_keeps_the_known_figures_and_records_the_error(github, github_client, keras, fault, raises):
    before, refreshed_at = refreshed_then_changed(github, github_client, keras)
    github.script("/repos/keras-team/keras", *fault)
    with pytest.raises(raises):
        library_refresh(library=keras, client=github_client, run_id="during")
    assert figures_of(keras) == before
    assert keras.last_refreshed_at == refreshed_at
    assert keras.last_error and keras.last_error_at > refreshed_at
    assert Library.objects.failing().filter(pk=keras.pk).exists()
    assert not github_snapshots(keras).filter(run_id="during").exists()


def test_a_fault_on_one_count_writes_nothing_half_done(github, github_client, keras):
    before, _ = refreshed_then_changed(github, github_client, keras)
    github.script("/repos/keras-team/keras/commits", *[standin.error(502)] * 3)
    with pytest.raises(TransientError):
        library_refresh(library=keras, client=github_client, run_id="during")
    assert figures_of(keras) == before
    github.forget()
    library_refresh(library=keras, client=github_client, run_id="after")
    assert figures_of(keras)["stars"] == 99999
    assert github.statuses() == [200, 200, 200]  # the ETags of the failed attempt were not kept


def test_primary_rate_limit_keeps_figures(github, github_client, keras):
    before, _ = refreshed_then_changed(github, github_client, keras)
    github.exhaust(reset_in=900)
    with pytest.raises(RateLimited) as caught:
        library_refresh(library=keras, client=github_client, run_id="during")
    assert 880 < caught.value.retry_after <= 902
    assert figures_of(keras) == before


def test_missing_repository_keeps_figures_and_is_not_asked_again_soon(github, github_client, keras):
    before, refreshed_at = refreshed_then_changed(github, github_client, keras)
    github.repositories["keras-team/keras"].status = 404
    outcome = library_refresh(library=keras, client=github_client, run_id="during")
    assert outcome.result == RefreshResult.MISSING
    assert figures_of(keras) == before
    assert keras.repository_status == Library.RepositoryStatus.MISSING
    assert keras.next_check_after >= timezone.now() + timedelta(hours=23)
    assert github.count() == 2  # by name, then by id; neither retried
    assert not Library.objects.due_for_refresh(timezone.now()).filter(pk=keras.pk).exists()
    assert Library.objects.due_for_refresh(timezone.now() + timedelta(days=2)).filter(pk=keras.pk).exists()
    assert list(Library.objects.missing()) == [keras]


def test_blocked_repository_is_marked_and_kept(github, github_client, keras):
    before, _ = refreshed_then_changed(github, github_client, keras)
    github.repositories["keras-team/keras"].status = 451
    assert library_refresh(library=keras, client=github_client, run_id="during").result == RefreshResult.BLOCKED
    assert figures_of(keras) == before
    assert keras.repository_status == Library.RepositoryStatus.BLOCKED
    assert keras.next_check_after > timezone.now() + timedelta(days=6)


def test_a_repository_back_from_missing_is_ok_again(github, github_client, keras):
    github.repositories["keras-team/keras"].status = 404
    library_refresh(library=keras, client=github_client, run_id="run-1")
    github.repositories["keras-team/keras"].status = 200
    library_refresh(library=keras, client=github_client, run_id="run-2")
    keras.refresh_from_db()
    assert keras.repository_status == Library.RepositoryStatus.OK and keras.next_check_after is None


def test_too_large_to_count_contributors_keeps_the_last_count(github, github_client, keras):
    library_refresh(library=keras, client=github_client, run_id="run-1")
    github.repositories["keras-team/keras"].contributors_too_large = True
    outcome = library_refresh(library=keras, client=github_client, run_id="run-2")
    assert outcome.result == RefreshResult.UNCHANGED  # the other figures answered 304
    assert figures_of(keras)["contributors"] == 1234
    assert github_snapshots(keras).get(run_id="run-2").contributors is None  # not counted that day
    assert "this large" in keras.last_refresh_notes and not keras.last_error
    assert "kept the last count" in keras.last_refresh_notes
    assert github.count("/contributors") == 2  # one per run: not retried


def test_too_large_to_count_a_first_time_says_there_is_no_count_yet(github, github_client, keras):
    github.repositories["keras-team/keras"].contributors_too_large = True
    library_refresh(library=keras, client=github_client, run_id="run-1")
    keras.refresh_from_db()
    assert "this large; there is no count yet" in keras.last_refresh_notes and keras.contributors is None


def test_a_sudden_zero_does_not_replace_a_known_count(github, github_client, keras):
    library_refresh(library=keras, client=github_client, run_id="run-1")
    github.repositories["keras-team/keras"].contributors = 0  # GitHub answers 204
    library_refresh(library=keras, client=github_client, run_id="run-2")
    assert figures_of(keras)["contributors"] == 1234
    assert "kept 1,234" in keras.last_refresh_notes


def test_archived_repository_is_flagged(github, github_client, keras):
    github.repositories["keras-team/keras"].archived = True
    library_refresh(library=keras, client=github_client, run_id="run-1")
    assert list(Library.objects.archived()) == [keras]


def many_libraries(github, number):
    libraries = []
    for n in range(number):
        github.add(f"owner{n}/repo{n}", stars=100 + n, contributors=10 + n, commits=1000 + n)
        libraries.append(LibraryFactory(github_owner=f"owner{n}", github_repo=f"repo{n}"))
    return libraries


def test_a_run_refreshes_each_library_with_three_requests_then_304s(github, github_client):
    libraries = many_libraries(github, 6)
    report = libraries_refresh_run(libraries=libraries, client=github_client, run_id="cold", concurrency=3)
    assert report.count(RefreshResult.REFRESHED) == 6 and github.count() == 18
    github.forget()
    report = libraries_refresh_run(libraries=libraries, client=github_client, run_id="warm", concurrency=3)
    assert report.count(RefreshResult.UNCHANGED) == 6
    assert github.count() == 18 and github.counted() == 0
    assert StatsSnapshot.objects.filter(run_id="warm").count() == 6


def test_a_rate_limited_run_resumes_after_the_reset_without_losing_libraries(github, make_client, sleeps):
    libraries = many_libraries(github, 6)
    github.limit = github.remaining = 10  # not enough for 6 libraries × 3 requests

    def wait_for_reset(seconds):
        sleeps.append(seconds)
        github.refill()

    client = make_client(rate_limit_reserve=1)
    report = libraries_refresh_run(
        libraries=libraries, client=client, run_id="run", concurrency=2, wait_for_reset=True, sleep=wait_for_reset
    )
    assert len(sleeps) >= 1 and sleeps[0] > 3000  # waited for the reset, about an hour away
    assert report.count(RefreshResult.REFRESHED) == 6 and not report.left_for_later
    assert StatsSnapshot.objects.filter(run_id="run").count() == 6
    assert sorted(Library.objects.values_list("stars", flat=True)) == [100, 101, 102, 103, 104, 105]


def test_a_rate_limited_run_says_when_to_resume_and_the_same_run_finishes_later(github, make_client):
    libraries = many_libraries(github, 6)
    github.limit = github.remaining = 7
    client = make_client(rate_limit_reserve=1)
    report = libraries_refresh_run(libraries=libraries, client=client, run_id="run", concurrency=1)
    assert report.count(RefreshResult.REFRESHED) == 2 and len(report.left_for_later) == 4
    assert report.resume_at > timezone.now() + timedelta(minutes=50)
    assert "4 left for after GitHub's reset" in report.summary()
    assert github.remaining == 1  # stopped before spending the reserve: no 403 was provoked
    github.limit = 5000
    github.refill()
    client.rate_limit = None
    again = libraries_refresh_run(libraries=libraries, client=client, run_id="run", concurrency=1)
    assert again.count(RefreshResult.ALREADY_DONE) == 2 and again.count(RefreshResult.REFRESHED) == 4
    assert StatsSnapshot.objects.filter(run_id="run").count() == 6


def test_a_run_that_github_keeps_rate_limiting_stops_and_says_what_is_left(github, make_client, sleeps):
    libraries = many_libraries(github, 3)
    github.answer_always(standin.rate_limited(429, retry_after=1))

    def wait(seconds):
        sleeps.append(seconds)
        assert len(sleeps) <= 50, "the run never stops waiting"

    report = libraries_refresh_run(
        libraries=libraries, client=make_client(), run_id="run", wait_for_reset=True, max_wait=60, sleep=wait
    )
    assert len(sleeps) == SYNC_MAX_WAITS
    assert report.left_for_later == libraries and not StatsSnapshot.objects.exists()
    assert "3 left for after GitHub's reset" in report.summary()


def test_a_run_records_each_librarys_fault_and_carries_on(github, github_client):
    libraries = many_libraries(github, 3)
    github.repositories["owner1/repo1"].status = 404
    github.script("/repos/owner2/repo2", *[standin.error(500)] * 3)
    report = libraries_refresh_run(libraries=libraries, client=github_client, run_id="run")
    assert [o.result for o in sorted(report.outcomes, key=lambda o: o.library.pk)] == [
        RefreshResult.REFRESHED,
        RefreshResult.MISSING,
        RefreshResult.FAILED,
    ]
    assert Library.objects.failing().count() == 2


def test_an_implausible_drop_does_not_replace_a_known_count(github, github_client, keras):
    library_refresh(library=keras, client=github_client, run_id="run-1")
    github.repositories["keras-team/keras"].commits = 1  # one item and no Link header: read as the total

    library_refresh(library=keras, client=github_client, run_id="run-2")

    assert figures_of(keras)["commits"] == 11500
    assert "GitHub answered 1 commits, under half the 11,500 known" in keras.last_refresh_notes


def test_before_any_refresh_the_printed_figure_is_what_is_known(github, github_client):
    from tests.factories import ListEntryFactory, PostFactory

    github.add("maxpumperla/elephas", stars=1600, contributors=30, commits=1)
    elephas = LibraryFactory(name="Elephas", github_owner="maxpumperla", github_repo="elephas")
    ListEntryFactory(library=elephas, commits=249, contributors=20)  # the newest post's figures count
    ListEntryFactory(library=elephas, commits=2, contributors=2, post=PostFactory(published_on=date(2017, 1, 1)))

    library_refresh(library=elephas, client=github_client, run_id="run-1")

    assert figures_of(elephas)["commits"] is None and figures_of(elephas)["contributors"] == 30
    assert "under half the 249 known" in elephas.last_refresh_notes


def test_a_count_that_grows_or_falls_a_little_is_stored(github, github_client, keras):
    library_refresh(library=keras, client=github_client, run_id="run-1")
    github.repositories["keras-team/keras"].contributors = 1000  # some authors merged: a smaller count

    library_refresh(library=keras, client=github_client, run_id="run-2")

    assert figures_of(keras)["contributors"] == 1000


def test_a_failing_library_is_asked_again_later_each_time_up_to_a_week(github, github_client, keras):
    github.script("/repos/keras-team/keras", *[standin.error(500)] * 60)
    waits = []
    for attempt in range(10):
        with pytest.raises(TransientError):
            library_refresh(library=keras, client=github_client, run_id=f"run-{attempt}")
        keras.refresh_from_db()
        waits.append(keras.next_check_after - keras.last_error_at)
        assert not Library.objects.due_for_refresh(timezone.now()).filter(pk=keras.pk).exists()

    assert waits[:4] == [timedelta(hours=1), timedelta(hours=2), timedelta(hours=4), timedelta(hours=8)]
    assert waits[-1] == timedelta(days=7) and max(waits) == timedelta(days=7)
    github.scripts.clear()
    library_refresh(library=keras, client=github_client, run_id="run-ok")
    assert keras.failures_in_a_row == 0 and keras.next_check_after is None
