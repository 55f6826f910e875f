"""Whole pages for anonymous readers, kept in the shared cache and invalidated by generations.

A reader page names what it shows (`CachedPageMixin.page_dependencies`): "content" (posts, series,
tags, the catalogue), "figures" (GitHub's figures), "comments" (every post's visible comments, for
counts) and "comments:<slug>" (one post's). Each name has a generation in the shared cache, replaced
by the service that changes what it names once its transaction commits. A page's ETag is its address,
the code that renders it and the generations it shows, all read in one round trip before anything is
rendered: a stored page is served while its ETag is current, a conditional GET is answered 304 without
a render, and a page stored under an older generation is never looked up again (it simply expires).
Each web process also keeps the pages it served lately, so a stored page costs that one round trip for
its generations, not the transfer of the page: the generations still come from the shared cache on
every request, so no process serves a page another one has seen change.

A change nobody writes (a post's publication date arriving, comments closing N days after it, a library's
figures ceasing to be "today") is scheduled instead: the content or figures generation records when the
next one falls due, and the first request after that moment replaces it.
"""

import gzip
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.http import http_date

from core.page_generations import (
    CONTENT,
    Generation,
    generation_key,
    generations_from,
    generations_get,
    request_generations,
)

logger = logging.getLogger(__name__)


class CachedPageMixin:
    """A reader page that anonymous readers get from the shared cache, and a CDN may keep.

    The page must look the same to every request without a session or a pending message: nothing of
    the visitor in it (no CSRF token, no remembered name), and nothing it shows outside its dependencies."""

    page_dependencies: tuple[str, ...] = (CONTENT,)
    # The query parameters the page reads, each with what makes its value canonical (`page_number`,
    # `one_of(…)`); any other (?utm_source=…) neither varies nor splits the cache.
    page_query_parameters: dict[str, Callable[[str], str]] = {}

    @classmethod
    def page_dependencies_for(cls, **url_kwargs) -> tuple[str, ...]:
        return cls.page_dependencies

    # A reader page only reads: no transaction to open and commit around it.
    @method_decorator(transaction.non_atomic_requests)
    def dispatch(self, request, *args, **kwargs):
        # Read before the view touches the database, so what it renders is never older than its key.
        self.generations = request_generations(request, self.page_dependencies_for(**kwargs))
        return super().dispatch(request, *args, **kwargs)

    def fragment_version(self, *names: str) -> str:
        """For a `{% cache %}` key: changes with any of these generations, and with the code."""
        return generation_token(self.generations, *names)


class NotAValue(Exception):
    """A query value the page answers 404 for: it is rendered, never stored."""


MAX_PAGE_NUMBER = 100_000


def page_number(raw: str) -> str:
    """`?page=`: a number from 1 (written "1", "01" or "0001", one stored page); anything else is no page."""
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE_NUMBER:
        return str(int(raw))
    raise NotAValue(raw)


def one_of(*values: str) -> Callable[[str], str]:
    """A parameter read as one of `values`; any other value is the page without it (the same stored page)."""
    return lambda raw: raw if raw in values else ""


def generation_token(generations: dict[str, Generation], *names: str) -> str:
    """A short token that changes whenever any of these generations does, or the code: for fragment keys."""
    tokens = "|".join([code_version(), *(generations[name][0] for name in names)])
    return hashlib.blake2b(tokens.encode(), digest_size=8).hexdigest()


def remembered(name: str, version: str, load):
    """What `load()` returns, kept in the shared cache under a generation token (`fragment_version`):
    for what a page looks up on every render but what changes only with that generation (a post by its
    slug, the public tags). Building a queryset costs more than a stored page; this is one round trip."""
    fragments = caches["template_fragments"]
    return fragments.get_or_set(f"remembered:{name}:{version}", load, timeout=settings.FRAGMENT_CACHE_TIMEOUT)


# Settings that shape a stored page's headers (its body comes from the code, hashed below).
HEADER_SETTINGS = (
    "CONTENT_SECURITY_POLICY",
    "CONTENT_SECURITY_POLICY_REPORT_ONLY",
    "PERMISSIONS_POLICY",
    "X_FRAME_OPTIONS",
)


@cache
def code_version() -> str:
    """What renders the pages and their headers: a page stored by another release of the code, or under
    another security policy, is never served by this one."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    digest.update(repr([getattr(settings, name, None) for name in HEADER_SETTINGS]).encode())
    for folder in ("templates", "static", "articles", "libraries", "core", "config"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html", ".css", ".js", ".svg", ".txt"}:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


class PageCacheMiddleware:
    """Serves reader pages from the shared cache and gives them the headers a CDN may keep them by.

    Placed before the session, CSRF and message middleware. A stored page costs a look at the generations
    (kept in memory while Redis says none changed, see core.cache) and at the pages this process served."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.recent = RecentPages(settings.PAGE_CACHE_RECENT_PAGES)

    def __call__(self, request):
        page = _cacheable_page(request.path_info)
        if page is None:
            return self.get_response(request)
        if not _is_reader_request(request):
            # The same address serves readers from caches: this answer, for one visitor, must not be kept.
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_cache=True)
            return response

        try:
            plan = _PagePlan(page, _address(request, page.parameters))
        except NotAValue:  # a page that is not there: the view says so, and nothing is stored for it
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        try:
            found = generations_get(page.generation_keys)
            request.page_generations = plan.generations = generations_from(found, page.dependencies)
        except Exception:  # the cache is down: render as if there were none, rather than fail the reader
            logger.exception("Page cache unavailable for %s; rendering without it", request.path)
            return self.get_response(request)

        if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
            not_modified = self.not_modified(request, plan)
            if not_modified is not None:
                return not_modified
        if settings.PAGE_CACHE:
            stored = self.recent.get(plan.address, plan.etag) or self.shared_entry(plan)
            if stored is not None:
                return stored.response(request, plan, served="hit")

        return self.rendered(request, plan)

    def rendered(self, request, plan: "_PagePlan"):
        """The view's answer, kept for the readers to come when it may be shared."""
        response = self.get_response(request)
        if not _is_shareable(response):
            patch_cache_control(response, private=True, no_cache=True)
            return response
        # Compressed once for every reader to come; with PAGE_CACHE=off, only when this one asks for it.
        compress = settings.PAGE_CACHE or _accepts_gzip(request)
        stored = StoredPage.from_response(response, plan, compress=compress)
        if settings.PAGE_CACHE:
            self.recent.put(plan.address, stored)
            try:
                shared_cache.set(plan.entry_key, stored, timeout=settings.PAGE_CACHE_TIMEOUT)
            except Exception:
                logger.exception("Could not store %s in the page cache", request.path)
        return stored.response(request, plan, served="miss" if settings.PAGE_CACHE else "off")

    def not_modified(self, request, plan: "_PagePlan"):
        headers = HttpResponse()
        headers["ETag"] = plan.etag
        headers["Last-Modified"] = http_date(plan.last_modified)
        headers["Cache-Control"] = plan.cache_control()
        headers["Vary"] = "Accept-Encoding"
        conditional = get_conditional_response(
            request, etag=plan.etag, last_modified=plan.last_modified, response=headers
        )
        return None if conditional is headers else conditional

    def shared_entry(self, plan: "_PagePlan") -> "StoredPage | None":
        try:
            stored = shared_cache.get(plan.entry_key)
        except Exception:
            logger.exception("Page cache unavailable for %s", plan.address)
            return None
        if stored is None or stored.etag != plan.etag:
            return None
        self.recent.put(plan.address, stored)
        return stored


@dataclass(frozen=True)
class _CacheablePage:
    dependencies: tuple[str, ...]
    parameters: tuple[tuple[str, Callable[[str], str]], ...]
    generation_keys: list[str] = field(init=False, hash=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "generation_keys", [generation_key(name) for name in self.dependencies])


class _PagePlan:
    def __init__(self, page: _CacheablePage, address: str):
        self.page, self.address = page, address
        self.generations: dict[str, Generation] = {}

    @cached_property
    def entry_key(self) -> str:
        return f"page:{code_version()}:{hashlib.blake2b(self.address.encode(), digest_size=16).hexdigest()}"

    @cached_property
    def etag(self) -> str:
        tokens = "|".join(self.generations[name][0] for name in self.page.dependencies)
        digest = hashlib.blake2b(f"{code_version()}|{self.address}|{tokens}".encode(), digest_size=12).hexdigest()
        return f'W/"{digest}"'

    @property
    def last_modified(self) -> int:
        return int(max(generation[1] for generation in self.generations.values()))

    def cache_control(self) -> str:
        due = [generation[2] for generation in self.generations.values() if generation[2] is not None]
        seconds_left = int(min(due) - time.time()) if due else None

        def lifetime(configured: int) -> int:
            return configured if seconds_left is None else max(0, min(configured, seconds_left))

        max_age, s_maxage = lifetime(settings.PAGE_CACHE_MAX_AGE), lifetime(settings.PAGE_CACHE_S_MAXAGE)
        return f"public, max-age={max_age}, s-maxage={s_maxage}"


@dataclass(frozen=True)
class StoredPage:
    """A page as stored: its body plain and compressed, the headers of the view's answer, and its ETag."""

    etag: str
    last_modified: str
    body: bytes
    compressed: bytes | None
    headers: dict[str, str]

    @classmethod
    def from_response(cls, response, plan: _PagePlan, *, compress: bool) -> "StoredPage":
        body = response.content
        headers = {
            name: value for name, value in response.headers.items() if name.lower() not in _HEADERS_SET_PER_ANSWER
        }
        vary = [v.strip() for v in headers.pop("Vary", "").split(",") if v.strip() and v.strip().lower() != "cookie"]
        # The session middleware adds `Vary: Cookie` once anything looks at the (empty) session; but this
        # request carried no session and no message, and every such request gets this same page.
        headers["Vary"] = ", ".join([*vary, "Accept-Encoding"])
        compressed = gzip.compress(body, compresslevel=6, mtime=0) if compress and len(body) > 200 else None
        return cls(plan.etag, http_date(plan.last_modified), body, compressed, headers)

    def response(self, request, plan: _PagePlan, *, served: str) -> HttpResponse:
        """`served` says, in `X-Page-Cache`, whether the page came from the cache (hit), was rendered and
        stored (miss) or rendered with PAGE_CACHE=off (off): for whoever checks a deployment or a CDN."""
        if self.compressed is not None and _accepts_gzip(request):
            response = HttpResponse(self.compressed, headers=self.headers)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(self.body, headers=self.headers)
        response["Content-Length"] = str(len(response.content))
        response["ETag"] = self.etag
        response["Last-Modified"] = self.last_modified
        response["Cache-Control"] = plan.cache_control()
        response["X-Page-Cache"] = served
        return response


# Set per answer here, or by middleware that runs outside this one on every response.
_HEADERS_SET_PER_ANSWER = {
    "content-length",
    "content-encoding",
    "cache-control",
    "etag",
    "last-modified",
    "set-cookie",
    "x-page-cache",
}


class RecentPages:
    """The pages this process served lately, by address: used only while their ETag is the current one."""

    def __init__(self, size: int):
        self.size = size
        self.pages: OrderedDict[str, StoredPage] = OrderedDict()
        self.lock = threading.Lock()  # runserver and threaded workers serve requests side by side

    def get(self, address: str, etag: str) -> StoredPage | None:
        with self.lock:
            stored = self.pages.get(address)
            if stored is None or stored.etag != etag:
                return None
            self.pages.move_to_end(address)
            return stored

    def put(self, address: str, stored: StoredPage) -> None:
        with self.lock:
            self.pages[address] = stored
            self.pages.move_to_end(address)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


@lru_cache(maxsize=4096)
def _cacheable_page(path_info: str) -> _CacheablePage | None:
    """What the reader page at this path shows and which parameters it reads; None for any other path."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return None
    view = getattr(match.func, "view_class", match.func)
    if not hasattr(view, "page_dependencies_for"):
        return None
    return _CacheablePage(tuple(view.page_dependencies_for(**match.kwargs)), tuple(view.page_query_parameters.items()))


def _is_reader_request(request) -> bool:
    """Reading, without a session (nobody signed in) or a message waiting: the page is everyone's."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
    )


def _accepts_gzip(request) -> bool:
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _address(request, parameters) -> str:
    """The page's address with the parameters it reads, each canonical (NotAValue for a value it refuses)."""
    query = ""
    if parameters and request.META.get("QUERY_STRING"):
        values = ((name, canonical(request.GET[name])) for name, canonical in parameters if name in request.GET)
        query = urlencode(sorted((name, value) for name, value in values if value))
    return f"{request.scheme}://{request.get_host()}{request.path}?{query}"


def _is_shareable(response) -> bool:
    """A 200 with nothing of one visitor in it; a view that chose its own caching keeps its choice."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
    )
