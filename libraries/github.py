"""A small client for the GitHub REST API: one session, timeouts, conditional requests, typed faults."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

import requests

API_VERSION = "2022-11-28"
DEFAULT_USER_AGENT = "top-python-libraries-refresh/1.0"
# GitHub asks integrators to wait at least a minute when a secondary limit gives no hint.
MINIMUM_RATE_LIMIT_WAIT = 60.0


class GitHubError(Exception):
    """GitHub answered something the refresh cannot use; `str()` says what."""


class NotFound(GitHubError):
    """404: the repository is gone (or private)."""


class Blocked(GitHubError):
    """451: the repository is unavailable for legal reasons."""


class TransientError(GitHubError):
    """A timeout, a connection error, a 5xx or a body that is not the JSON expected; worth retrying later."""


class RateLimited(GitHubError):
    """GitHub's rate limit is spent (or about to be). `retry_after` is seconds from now, or None when GitHub
    gave no hint; `reset_at` is when the primary budget refills, when known."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        reset_at: datetime | None = None,
        anticipated: bool = False,
    ):
        super().__init__(message)
        self.retry_after = retry_after
        self.reset_at = reset_at
        self.anticipated = anticipated


@dataclass(frozen=True)
class RateLimit:
    limit: int | None
    remaining: int | None
    reset_at: datetime | None


@dataclass(frozen=True)
class Repository:
    github_id: int
    full_name: str
    stars: int
    forks: int
    open_issues: int
    watchers: int
    archived: bool
    pushed_at: datetime | None
    default_branch: str


@dataclass(frozen=True)
class RepositoryAnswer:
    """A 200 carries `repository`; a 304 (`unchanged`) carries nothing new. `moved` when GitHub redirected."""

    repository: Repository | None
    etag: str
    unchanged: bool = False
    moved: bool = False


@dataclass(frozen=True)
class CountAnswer:
    """A count of contributors or commits; `unchanged` on 304, `unavailable` when GitHub will not count."""

    count: int | None
    etag: str
    unchanged: bool = False
    unavailable: bool = False


class GitHubClient:
    """Fetches a repository's figures. Thread-safe for plain GETs: the refresh shares one client (and
    one session) between a few worker threads, and the rate-limit bookkeeping sits behind a lock."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeout: tuple[float, float] = (3.05, 10.0),
        session: requests.Session | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        max_attempts: int = 3,
        backoff: float = 1.0,
        rate_limit_reserve: int = 0,
        rate_limit: RateLimit | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        pool_size: int = 4,
    ):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.rate_limit_reserve = rate_limit_reserve
        self.rate_limit = rate_limit
        self.requests_made = 0
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self.session = session or requests.Session()
        if session is None:
            adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=pool_size)
            self.session.mount("http://", adapter)
            self.session.mount("https://", adapter)
        self.session.max_redirects = 5
        self.session.headers.update(
            {"User-Agent": user_agent, "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}
        )
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    # The three figures endpoints.

    def repository(self, full_name: str, *, etag: str = "") -> RepositoryAnswer:
        return self._get(f"/repos/{full_name}", etag=etag, interpret=_repository_answer)

    def repository_by_id(self, github_id: int) -> RepositoryAnswer:
        """The repository by its stable id: finds it after a rename GitHub no longer redirects."""
        answer = self._get(f"/repositories/{int(github_id)}", interpret=_repository_answer)
        return RepositoryAnswer(repository=answer.repository, etag=answer.etag, moved=True)

    def contributors_count(self, full_name: str, *, etag: str = "") -> CountAnswer:
        params = {"per_page": 1, "anon": 1}
        return self._get(f"/repos/{full_name}/contributors", params=params, etag=etag, interpret=_contributors_answer)

    def commits_count(self, full_name: str, *, etag: str = "") -> CountAnswer:
        return self._get(f"/repos/{full_name}/commits", params={"per_page": 1}, etag=etag, interpret=_commits_answer)

    # The plumbing.

    def _get(self, path: str, *, interpret: Callable, params: dict | None = None, etag: str = ""):
        """GET and interpret the answer, retrying transient faults (including a body that is not the JSON
        expected) a bounded number of times with exponential backoff and jitter."""
        headers = {"If-None-Match": etag} if etag else {}
        url = self.base_url + path
        for attempt in range(1, self.max_attempts + 1):
            self._check_budget()
            try:
                with self._lock:
                    self.requests_made += 1
                response = self.session.get(url, params=params, headers=headers, timeout=self.timeout)
            except requests.Timeout as error:
                fault = TransientError(f"{url}: no answer in time ({error.__class__.__name__})")
            except requests.TooManyRedirects as error:
                raise GitHubError(f"{url}: too many redirects") from error
            except requests.RequestException as error:
                fault = TransientError(f"{url}: connection failed ({error.__class__.__name__})")
            else:
                if response.history:  # each redirect hop was a request of its own
                    with self._lock:
                        self.requests_made += len(response.history)
                self._note_rate_limit(response)
                if response.status_code >= 500:
                    fault = TransientError(f"{url}: GitHub answered {response.status_code}")
                else:
                    try:
                        return interpret(response, etag, self._clock())
                    except TransientError as error:
                        fault = error
            if attempt == self.max_attempts:
                raise fault
            self._sleep(self.backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1.0))
        raise AssertionError("unreachable")

    def _note_rate_limit(self, response: requests.Response) -> None:
        remaining = _int_or_none(response.headers.get("x-ratelimit-remaining"))
        if remaining is None:
            return
        with self._lock:
            self.rate_limit = RateLimit(
                limit=_int_or_none(response.headers.get("x-ratelimit-limit")),
                remaining=remaining,
                reset_at=_reset_time(response.headers.get("x-ratelimit-reset")),
            )

    def _check_budget(self) -> None:
        """Stop before the budget runs out rather than spend the last requests and get a 403."""
        known = self.rate_limit
        if known is None or known.remaining is None or known.remaining > self.rate_limit_reserve:
            return
        now = self._clock()
        if known.reset_at is None or known.reset_at.timestamp() <= now:
            return
        raise RateLimited(
            f"only {known.remaining} requests left until {known.reset_at:%H:%M:%S} UTC",
            retry_after=known.reset_at.timestamp() - now + 1,
            reset_at=known.reset_at,
            anticipated=True,
        )


# Reading GitHub's answers: `now` (seconds since the epoch) dates a rate limit's retry-after.


def _repository_answer(response: requests.Response, etag: str, now: float) -> RepositoryAnswer:
    if response.status_code == 304:
        return RepositoryAnswer(repository=None, etag=response.headers.get("ETag", etag), unchanged=True)
    _raise_for_status(response, now)
    return RepositoryAnswer(
        repository=_parse_repository(_json_of(response, dict)),
        etag=response.headers.get("ETag", ""),
        moved=any(r.status_code in (301, 302, 307, 308) for r in response.history),
    )


def _contributors_answer(response: requests.Response, etag: str, now: float) -> CountAnswer:
    if response.status_code == 403 and "too large" in _message(response).lower():
        return CountAnswer(count=None, etag="", unavailable=True)
    return _count_answer(response, etag, now)


def _commits_answer(response: requests.Response, etag: str, now: float) -> CountAnswer:
    if response.status_code == 409:  # "Git Repository is empty."
        return CountAnswer(count=0, etag="")
    return _count_answer(response, etag, now)


def _count_answer(response: requests.Response, etag: str, now: float) -> CountAnswer:
    if response.status_code == 304:
        return CountAnswer(count=None, etag=response.headers.get("ETag", etag), unchanged=True)
    if response.status_code == 204:
        return CountAnswer(count=0, etag=response.headers.get("ETag", ""))
    _raise_for_status(response, now)
    last = response.links.get("last", {}).get("url")
    if last:
        pages = parse_qs(urlsplit(last).query).get("page", [])
        if len(pages) != 1 or not pages[0].isdigit():
            raise TransientError(f"{response.url}: the Link header's last page is not a number: {last!r}")
        count = int(pages[0])
    else:
        count = len(_json_of(response, list))
    return CountAnswer(count=count, etag=response.headers.get("ETag", ""))


def _json_of(response: requests.Response, expected: type):
    try:
        data = response.json()
    except ValueError as error:
        raise TransientError(f"{response.url}: the body is not JSON") from error
    if not isinstance(data, expected):
        raise TransientError(f"{response.url}: expected a JSON {expected.__name__}, got {type(data).__name__}")
    return data


def _raise_for_status(response: requests.Response, now: float) -> None:
    status = response.status_code
    if status == 200:
        return
    if status == 404:
        raise NotFound(f"{response.url}: not found (404)")
    if status == 451:
        raise Blocked(f"{response.url}: unavailable for legal reasons (451)")
    if status == 429 or (status == 403 and _is_rate_limit(response)):
        raise _rate_limited(response, now)
    raise GitHubError(f"{response.url}: GitHub answered {status}: {_message(response)[:200]}")


def _is_rate_limit(response: requests.Response) -> bool:
    headers = response.headers
    return (
        headers.get("x-ratelimit-remaining") == "0"
        or "retry-after" in headers
        or "rate limit" in _message(response).lower()
    )


def _rate_limited(response: requests.Response, now: float) -> RateLimited:
    reset_at = _reset_time(response.headers.get("x-ratelimit-reset"))
    retry_after = _retry_after_seconds(response.headers.get("retry-after"), now)
    if retry_after is None and response.headers.get("x-ratelimit-remaining") == "0" and reset_at:
        retry_after = max(reset_at.timestamp() - now, 0) + 1
    return RateLimited(
        f"{response.url}: rate limited ({response.status_code}: {_message(response)[:120]})",
        retry_after=retry_after,
        reset_at=reset_at,
    )


def backoff_seconds(attempt: int, *, base: float = MINIMUM_RATE_LIMIT_WAIT, cap: float = 3600.0) -> float:
    """For a wait GitHub gave no hint about: `base` doubled with each attempt, plus a random jitter of up to half
    again (so that workers do not all ask at once), never below `base` and never above `cap`."""
    return min(cap, base * 2 ** max(attempt, 0) * random.uniform(1.0, 1.5))


def _parse_repository(data: dict) -> Repository:
    try:
        counts = {
            key: data[key]
            for key in ("id", "stargazers_count", "forks_count", "open_issues_count", "subscribers_count")
        }
        full_name, archived = data["full_name"], data["archived"]
        default_branch = data.get("default_branch") or ""
    except KeyError as error:
        raise TransientError(f"the repository answer lacks {error.args[0]!r}") from error
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in counts.values()):
        raise TransientError(f"the repository answer has counts that are not whole numbers: {counts}")
    if not isinstance(full_name, str) or full_name.count("/") != 1 or not isinstance(archived, bool):
        raise TransientError("the repository answer has no usable full_name or archived flag")
    return Repository(
        github_id=counts["id"],
        full_name=full_name,
        stars=counts["stargazers_count"],
        forks=counts["forks_count"],
        open_issues=counts["open_issues_count"],
        watchers=counts["subscribers_count"],
        archived=archived,
        pushed_at=_datetime_or_none(data.get("pushed_at")),
        default_branch=default_branch if isinstance(default_branch, str) else "",
    )


def _message(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text or ""
    return str(data.get("message", "")) if isinstance(data, dict) else ""


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _reset_time(value: str | None) -> datetime | None:
    seconds = _int_or_none(value)
    return datetime.fromtimestamp(seconds, tz=UTC) if seconds else None


def _retry_after_seconds(value: str | None, now: float) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
    except (TypeError, ValueError):
        return None


def _datetime_or_none(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
