"""`manage.py refresh_github_stats`: what an operator sees."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from libraries.models import StatsSnapshot
from tests.factories import LibraryFactory
from tests.libraries import github_standin as standin

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("refresh_github_stats", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def two_libraries(github):
    github.add("pytorch/pytorch", stars=80000, contributors=3500, commits=70000)
    github.add("gone/away", status=404)
    return (
        LibraryFactory(slug="pytorch", github_owner="pytorch", github_repo="pytorch"),
        LibraryFactory(slug="away", github_owner="gone", github_repo="away"),
    )


def test_sync_prints_a_line_per_library_and_a_summary(github_settings, two_libraries):
    out, err = run("--sync")
    assert "pytorch: refreshed stars=80000 contributors=3500 commits=70000" in out
    assert "away: missing" in out
    assert "1 refreshed, 1 missing" in out and "4 requests to GitHub" in out
    assert StatsSnapshot.objects.count() == 1


def test_sync_for_one_library(github, github_settings, two_libraries):
    out, _ = run("--sync", "--library", "pytorch")
    assert "pytorch: refreshed" in out and "away" not in out
    assert github.count("gone/away") == 0


def test_sync_reports_failures(github, github_settings, two_libraries):
    github.script("/repos/pytorch/pytorch", *[standin.error(503)] * 3)
    out, err = run("--sync", "--library", "pytorch")
    assert "pytorch: failed" in out and "503" in out
    assert "not refreshed" in err


def test_sync_without_waiting_says_when_to_resume(github, github_settings, two_libraries):
    github.exhaust(reset_in=1800)
    out, err = run("--sync", "--library", "pytorch", "away", "--no-wait")
    assert "2 left for after GitHub's reset" in out


def test_unknown_slug_is_an_error(two_libraries):
    with pytest.raises(CommandError, match="nope"):
        run("--sync", "--library", "nope")


def test_without_sync_it_queues_after_commit(two_libraries, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        out, _ = run("--library", "pytorch", "away")
    assert "Queued 2 libraries" in out and len(callbacks) == 2
