"""The GitHub client against the stand-in, over real sockets."""

import datetime

import pytest

from libraries.github import Blocked, GitHubClient, GitHubError, NotFound, RateLimited, TransientError
from tests.libraries import github_standin as standin
from tests.libraries.conftest import READ_TIMEOUT, TOKEN


def test_sends_the_headers_github_asks_for(github, github_client):
    github.add("numpy/numpy")
    github_client.repository("numpy/numpy")
    headers = github.seen[0].headers
    assert headers["user-agent"].startswith("top-python-libraries")
    assert headers["accept"] == "application/vnd.github+json"
    assert headers["x-github-api-version"] == "2022-11-28"
    assert headers["authorization"] == f"Bearer {TOKEN}"


def test_no_token_sends_no_authorization(github, make_client):
    github.add("numpy/numpy")
    make_client(token="").repository("numpy/numpy")
    assert "authorization" not in github.seen[0].headers


def test_repository_figures(github, github_client):
    github.add(
        "numpy/numpy",
        id=908607,
        stars=27000,
        forks=9000,
        open_issues=2100,
        watchers=580,
        default_branch="main",
        pushed_at="2024-02-29T23:59:58Z",
    )
    answer = github_client.repository("numpy/numpy")
    repository = answer.repository
    assert (repository.github_id, repository.full_name) == (908607, "numpy/numpy")
    assert (repository.stars, repository.forks, repository.open_issues) == (27000, 9000, 2100)
    assert repository.watchers == 580  # subscribers_count, not the legacy watchers_count (= stars)
    assert repository.default_branch == "main"
    assert repository.pushed_at == datetime.datetime(2024, 2, 29, 23, 59, 58, tzinfo=datetime.UTC)
    assert answer.etag and not answer.unchanged


@pytest.mark.parametrize(("count", "requests"), [(0, 1), (1, 1), (2, 1), (4321, 1)])
def test_exact_counts_from_link_header(github, github_client, count, requests):
    github.add("a/b", contributors=count, commits=count)
    assert github_client.contributors_count("a/b").count == count
    assert github_client.commits_count("a/b").count == count
    assert github.count("/contributors") == requests and github.count("/commits") == requests
    contributors_query = github.seen[0].query
    assert contributors_query == {"per_page": ["1"], "anon": ["1"]}


def test_conditional_request_answers_unchanged(github, github_client):
    github.add("a/b", contributors=57)
    first = github_client.contributors_count("a/b")
    second = github_client.contributors_count("a/b", etag=first.etag)
    assert second.unchanged and second.count is None
    assert github.statuses() == [200, 304]
    assert github.seen[1].headers["if-none-match"] == first.etag


def test_304_with_a_token_does_not_count_against_the_rate_limit(github, github_client):
    github.add("a/b")
    etag = github_client.repository("a/b").etag
    github_client.repository("a/b", etag=etag)
    assert github.counted() == 1
    assert github_client.rate_limit.remaining == github.limit - 1


def test_rename_is_followed(github, github_client):
    github.add("old/name", id=77)
    github.rename("old/name", "new/name")
    answer = github_client.repository("old/name")
    assert answer.moved and answer.repository.full_name == "new/name" and answer.repository.github_id == 77
    assert github.statuses() == [301, 200]


def test_too_large_contributors_is_unavailable_and_not_retried(github, github_client):
    github.add("torvalds/linux", contributors_too_large=True)
    answer = github_client.contributors_count("torvalds/linux")
    assert answer.unavailable and answer.count is None
    assert github.count("/contributors") == 1


def test_not_found_and_blocked(github, github_client):
    github.add("gone/away", status=404)
    github.add("dmca/blocked", status=451)
    with pytest.raises(NotFound):
        github_client.repository("gone/away")
    with pytest.raises(Blocked):
        github_client.repository("dmca/blocked")
    assert github.count() == 2  # neither is retried


@pytest.mark.parametrize(
    "fault",
    [standin.error(500), standin.error(502, "Bad Gateway"), standin.malformed(), standin.slow(READ_TIMEOUT * 3)],
)
def test_transient_fault_is_retried_then_succeeds(github, github_client, sleeps, fault):
    github.add("a/b", stars=5)
    github.script("/repos/a/b", fault)
    assert github_client.repository("a/b").repository.stars == 5
    assert github.count("/repos/a/b") == 2 and len(sleeps) == 1


def test_wrong_shape_json_is_retried(github, github_client):
    github.add("a/b", stars=5)
    github.script("/repos/a/b", standin.wrong_shape())
    assert github_client.repository("a/b").repository.stars == 5


def test_transient_fault_gives_up_after_bounded_attempts(github, github_client, sleeps):
    github.add("a/b")
    github.script("/repos/a/b", *[standin.error(502)] * 5)
    with pytest.raises(TransientError, match="502"):
        github_client.repository("a/b")
    assert github.count() == 3
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0] / 2  # backoff between attempts


def test_connection_refused_is_transient(sleeps):
    client = GitHubClient("http://127.0.0.1:9", timeout=(0.2, 0.2), backoff=0, sleep=sleeps.append)
    with pytest.raises(TransientError, match="connection failed"):
        client.repository("a/b")


def test_primary_rate_limit_waits_until_reset(github, github_client):
    github.add("a/b")
    github.exhaust(reset_in=600)
    with pytest.raises(RateLimited) as caught:
        github_client.repository("a/b")
    assert 590 <= caught.value.retry_after <= 602
    assert caught.value.reset_at.timestamp() == github.reset_at


@pytest.mark.parametrize("status", [403, 429])
def test_secondary_rate_limit_honours_retry_after(github, github_client, status):
    github.add("a/b")
    github.script("/repos/a/b", standin.rate_limited(status, retry_after=42))
    with pytest.raises(RateLimited) as caught:
        github_client.repository("a/b")
    assert caught.value.retry_after == 42
    assert github.count() == 1  # a rate limit is not hammered


def test_secondary_rate_limit_without_retry_after_leaves_the_wait_to_the_caller(github, github_client):
    github.add("a/b")
    github.script("/repos/a/b", standin.rate_limited(403))
    with pytest.raises(RateLimited) as caught:
        github_client.repository("a/b")
    assert caught.value.retry_after is None


def test_other_403_is_neither_rate_limit_nor_too_large(github, github_client):
    github.add("a/b")
    github.script("/repos/a/b/contributors", standin.error(403, "Resource not accessible by integration"))
    with pytest.raises(GitHubError) as caught:
        github_client.contributors_count("a/b")
    assert type(caught.value) is GitHubError


def test_stops_before_the_budget_runs_out(github, make_client):
    github.add("a/b")
    github.remaining = 3
    client = make_client(rate_limit_reserve=2)
    client.repository("a/b")  # 2 left after this one: the reserve
    with pytest.raises(RateLimited) as caught:
        client.repository("a/b")
    assert caught.value.anticipated and caught.value.retry_after > 3000
    assert github.count() == 1 and github.remaining == 2


def test_backoff_doubles_with_jitter_and_its_cap_is_a_cap():
    from libraries.github import backoff_seconds

    for attempt in range(12):
        waits = [backoff_seconds(attempt, base=60, cap=3600) for _ in range(50)]
        assert all(min(60 * 2**attempt, 3600) <= wait <= min(90 * 2**attempt, 3600) for wait in waits)
    assert max(backoff_seconds(20, base=60, cap=3600) for _ in range(50)) == 3600
