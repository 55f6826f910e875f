"""A local stand-in for the GitHub REST API: a real HTTP server on 127.0.0.1 that answers like GitHub.

Repositories are scriptable (figures, 404/451, renames, "too large" contributors) and any path can be
given a queue of one-off answers (5xx, slow, malformed, rate limits). It counts every request and
which of them counted against the rate limit (a 304 to an authenticated request does not, as on GitHub).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def days_before_now(days: int) -> str:
    """A time as GitHub writes it: a repository's last push defaults to a few days before the test runs."""
    return f"{datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days):%Y-%m-%dT%H:%M:%SZ}"


TOO_LARGE = "The history or contributor list is too large to list contributors for this repository via the API."


@dataclass
class FakeRepository:
    full_name: str
    id: int
    stars: int = 100
    forks: int = 10
    open_issues: int = 5
    watchers: int = 7
    archived: bool = False
    pushed_at: str = field(default_factory=lambda: days_before_now(3))
    default_branch: str = "main"
    contributors: int = 42
    commits: int = 1234
    status: int = 200
    contributors_too_large: bool = False

    def as_json(self) -> dict:
        owner = self.full_name.split("/")[0]
        return {
            "id": self.id,
            "name": self.full_name.split("/")[1],
            "full_name": self.full_name,
            "owner": {"login": owner},
            "stargazers_count": self.stars,
            "watchers_count": self.stars,  # GitHub's legacy alias of stars: not the watchers
            "subscribers_count": self.watchers,
            "forks_count": self.forks,
            "open_issues_count": self.open_issues,
            "archived": self.archived,
            "pushed_at": self.pushed_at,
            "default_branch": self.default_branch,
        }


@dataclass
class Answer:
    """A one-off answer. `passthrough` answers normally after `delay` (a slow answer)."""

    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    passthrough: bool = False


def error(status: int, message: str = "Server Error") -> Answer:
    return Answer(status=status, body=json.dumps({"message": message}).encode())


def slow(seconds: float) -> Answer:
    return Answer(delay=seconds, passthrough=True)


def malformed() -> Answer:
    return Answer(status=200, body=b'{"id": 1, "stargazers_count": ')


def wrong_shape() -> Answer:
    return Answer(status=200, body=json.dumps({"id": "x", "stargazers_count": None}).encode())


def rate_limited(status: int = 403, *, retry_after: int | None = None, secondary: bool = True) -> Answer:
    """A secondary rate limit (403 or 429), with or without `retry-after`."""
    message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
    headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
    return Answer(status=status, body=json.dumps({"message": message}).encode(), headers=headers)


@dataclass
class Seen:
    path: str
    query: dict
    status: int
    counted: bool
    headers: dict
    window: int  # how many times the budget had been refilled when it came


class GitHubStandIn:
    def __init__(self, *, latency: float = 0.0, token: str | None = None, limit: int = 5000, window: int = 3600):
        self.latency = latency
        self.token = token
        self.limit = limit
        self.remaining = limit
        self.window = window  # seconds between two refills of the budget
        self.refills = 0
        self.reset_at = int(time.time()) + window
        self.repositories: dict[str, FakeRepository] = {}
        self.by_id: dict[int, FakeRepository] = {}
        self.moved: dict[str, int] = {}
        self.scripts: dict[str, deque[Answer]] = defaultdict(deque)
        self.always: Answer | None = None  # given to every request, e.g. a rate limit that never lifts
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._next_id = 1000

    # Set-up.

    def start(self) -> GitHubStandIn:
        handler = type("Handler", (_Handler,), {"standin": self})
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True, name="github-standin").start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, full_name: str, **figures) -> FakeRepository:
        self._next_id += 1
        repository = FakeRepository(full_name=full_name, id=figures.pop("id", self._next_id), **figures)
        self.repositories[full_name.lower()] = repository
        self.by_id[repository.id] = repository
        return repository

    def rename(self, old: str, new: str, *, redirect: bool = True) -> FakeRepository:
        """A rename or transfer: the old name answers 301 to /repositories/{id}, as GitHub does, or
        404 once GitHub has dropped the redirect (someone took the old name)."""
        repository = self.repositories.pop(old.lower())
        repository.full_name = new
        self.repositories[new.lower()] = repository
        if redirect:
            self.moved[old.lower()] = repository.id
        return repository

    def script(self, path: str, *answers: Answer) -> None:
        """Queue one-off answers for a path (no query), e.g. "/repos/a/b/contributors"."""
        self.scripts[path.lower()].extend(answers)

    def answer_always(self, answer: Answer) -> None:
        """Give this answer to every request from now on (after any queued for its path)."""
        self.always = answer

    def exhaust(self, *, reset_in: int = 3600) -> None:
        self.remaining, self.reset_at = 0, int(time.time()) + reset_in

    def refill(self) -> None:
        """What GitHub does at the reset time."""
        self.remaining, self.reset_at = self.limit, int(time.time()) + self.window
        self.refills += 1

    # What it saw.

    def count(self, contains: str = "") -> int:
        return sum(1 for seen in self.seen if contains.lower() in seen.path.lower())

    def counted(self) -> int:
        return sum(1 for seen in self.seen if seen.counted)

    def statuses(self, contains: str = "") -> list[int]:
        return [seen.status for seen in self.seen if contains.lower() in seen.path.lower()]

    def forget(self) -> None:
        self.seen.clear()

    # Answering.

    def answer(self, path: str, query: dict, headers: dict) -> tuple[Answer, bool]:
        """The answer to a GET and whether it counted against the rate limit."""
        with self.lock:
            authorization = headers.get("authorization", "")
            if authorization and authorization != f"Bearer {self.token}":
                return error(401, "Bad credentials"), False
            if time.time() >= self.reset_at:
                self.refill()
            script = self.scripts.get(path.lower())
            scripted = script.popleft() if script else self.always
            if scripted and not scripted.passthrough:
                self.remaining = max(self.remaining - 1, 0)
                return scripted, True
            if self.remaining <= 0:
                return error(403, "API rate limit exceeded for 127.0.0.1."), True
            answer = self._route(path, query, headers)
            if scripted:
                answer.delay = scripted.delay
            counted = not (answer.status == 304 and authorization)
            if counted:
                self.remaining -= 1
            return answer, counted

    def rate_headers(self) -> dict:
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(self.reset_at),
            "x-ratelimit-used": str(self.limit - self.remaining),
            "x-ratelimit-resource": "core",
        }

    def _route(self, path: str, query: dict, headers: dict) -> Answer:
        parts = path.strip("/").split("/")
        if parts[0] == "repos" and len(parts) in (3, 4):
            name, suffix = f"{parts[1]}/{parts[2]}".lower(), parts[3:]
            if name in self.moved:
                location = f"{self.url}/repositories/{self.moved[name]}" + "".join(f"/{s}" for s in suffix)
                raw_query = "&".join(f"{k}={v[0]}" for k, v in query.items())
                location += f"?{raw_query}" if raw_query else ""
                body = json.dumps({"message": "Moved Permanently", "url": location}).encode()
                return Answer(status=301, body=body, headers={"Location": location})
            repository = self.repositories.get(name)
        elif parts[0] == "repositories" and len(parts) in (2, 3) and parts[1].isdigit():
            repository, suffix = self.by_id.get(int(parts[1])), parts[2:]
        else:
            return error(404, "Not Found")
        if repository is None or repository.status == 404:
            return error(404, "Not Found")
        if repository.status == 451:
            return error(451, "Repository access blocked")
        if not suffix:
            return self._conditional(headers, json.dumps(repository.as_json()).encode(), {})
        if suffix == ["contributors"]:
            if repository.contributors_too_large:
                return error(403, TOO_LARGE)
            return self._counted_list(headers, repository, "contributors", repository.contributors)
        if suffix == ["commits"]:
            return self._counted_list(headers, repository, "commits", repository.commits)
        return error(404, "Not Found")

    def _counted_list(self, headers: dict, repository: FakeRepository, what: str, count: int) -> Answer:
        if count == 0:
            if what == "contributors":
                return Answer(status=204)
            return error(409, "Git Repository is empty.")
        item = {"login": "someone", "contributions": 1} if what == "contributors" else {"sha": "0" * 40}
        extra = {}
        if count > 1:
            base = f"{self.url}/repositories/{repository.id}/{what}"
            # Parameters in a different order from the request: clients must parse the query, not slice it.
            next_page, last_page = f"{base}?per_page=1&page=2&anon=1", f"{base}?anon=1&page={count}&per_page=1"
            extra["Link"] = f'<{next_page}>; rel="next", <{last_page}>; rel="last"'
        return self._conditional(headers, json.dumps([item]).encode(), extra)

    def _conditional(self, headers: dict, body: bytes, extra: dict) -> Answer:
        etag = 'W/"' + hashlib.sha1(body + json.dumps(extra).encode()).hexdigest()[:20] + '"'
        if headers.get("if-none-match") == etag:
            return Answer(status=304, headers={"ETag": etag})
        return Answer(status=200, body=body, headers={"ETag": etag, **extra})


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up on a slow answer closes the socket; that is expected


class _Handler(BaseHTTPRequestHandler):
    standin: GitHubStandIn
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, each 200 would wait ~40 ms for a delayed ACK.
    disable_nagle_algorithm = True

    def do_GET(self):
        split = urlsplit(self.path)
        query = parse_qs(split.query)
        headers = {key.lower(): value for key, value in self.headers.items()}
        answer, counted = self.standin.answer(split.path, query, headers)
        with self.standin.lock:
            self.standin.seen.append(Seen(split.path, query, answer.status, counted, headers, self.standin.refills))
            rate_headers = self.standin.rate_headers()
        time.sleep(self.standin.latency + answer.delay)
        self.send_response(answer.status)
        for key, value in {**rate_headers, "Content-Type": "application/json; charset=utf-8", **answer.headers}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if answer.body:
            self.wfile.write(answer.body)

    def log_message(self, format, *args):
        pass
