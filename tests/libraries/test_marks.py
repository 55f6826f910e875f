"""The marks readers see beside a library, each from what the refresh itself recorded of GitHub's answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from libraries.refresh import library_refresh
from tests.factories import LibraryFactory, ListEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(github):
    def make(full_name, **repository):
        github.add(full_name, **repository)
        owner, repo = full_name.split("/")
        library = LibraryFactory(name=repo.title(), slug=repo, github_owner=owner, github_repo=repo)
        return ListEntryFactory(library=library)

    return make


def marks_on_the_post(client, entry):
    html = client.get(entry.post.get_absolute_url()).content.decode()
    row = next(row for row in html.split('id="then-and-now"')[1].split("<tr>") if f">{entry.library.name}</a>" in row)
    return row.split("</td>")[0]


def test_archived_and_inactive_marks_come_from_the_refresh(client, github, github_client, ranked, committed):
    entry = ranked("old/theano", archived=True, pushed_at="2024-09-28T10:00:00Z")
    assert "Archived" not in marks_on_the_post(client, entry)
    with committed():  # the refresh's commit is what tells the stored pages to go
        library_refresh(library=entry.library, client=github_client, run_id="run-1")
    marks = marks_on_the_post(client, entry)
    assert "Archived" in marks and "Inactive since" in marks and "Sep 2024" in marks


def test_a_recent_push_is_not_inactive(client, github, github_client, ranked):
    last_week = timezone.now() - timedelta(days=6)
    entry = ranked("live/keras", pushed_at=f"{last_week:%Y-%m-%dT%H:%M:%SZ}")
    library_refresh(library=entry.library, client=github_client, run_id="run-1")
    assert "Inactive" not in marks_on_the_post(client, entry)


def test_a_moved_repository_is_marked_with_its_new_name_and_link(client, github, github_client, ranked):
    entry = ranked("maxpumperla/elephas")
    github.rename("maxpumperla/elephas", "elephas-team/elephas")
    library_refresh(library=entry.library, client=github_client, run_id="run-1")
    marks = marks_on_the_post(client, entry)
    assert 'Moved to <a href="https://github.com/elephas-team/elephas"' in marks
    assert 'title="Moved from maxpumperla/elephas"' in marks
    library_page = client.get(entry.library.get_absolute_url()).content.decode()
    assert "Moved to" in library_page


def test_moved_back_carries_no_mark(client, github, github_client, ranked):
    entry = ranked("a/lib")
    github.rename("a/lib", "b/lib")
    library_refresh(library=entry.library, client=github_client, run_id="run-1")
    github.rename("b/lib", "a/lib")
    library_refresh(library=entry.library, client=github_client, run_id="run-2")
    entry.library.refresh_from_db()
    assert entry.library.moved_from == "" and "Moved" not in marks_on_the_post(client, entry)


@pytest.mark.parametrize(("status", "mark"), [(404, "Missing on GitHub"), (451, "Blocked on GitHub")])
def test_missing_and_blocked_are_marked_on_the_post(client, github, github_client, ranked, status, mark):
    entry = ranked("gone/away")
    library_refresh(library=entry.library, client=github_client, run_id="run-1")
    github.repositories["gone/away"].status = status
    try:
        library_refresh(library=entry.library, client=github_client, run_id="run-2")
    except Exception:  # how the refresh reports it is tested elsewhere; the mark is what counts here
        pass
    assert mark in marks_on_the_post(client, entry)


def test_a_library_missing_from_its_first_refresh_does_not_claim_figures(client, github, github_client, ranked):
    entry = ranked("never/there")
    github.repositories["never/there"].status = 404
    try:
        library_refresh(library=entry.library, client=github_client, run_id="run-1")
    except Exception:
        pass
    page = client.get(entry.library.get_absolute_url()).content.decode()
    assert "Missing on GitHub" in page and "it never gave figures here" in page
    assert "the last it gave" not in page and "Not fetched from GitHub yet" not in page
