"""The generations of what reader pages show ("content", "figures", "comments", "comments:<slug>"): a token per
name in the shared cache, replaced once a change to what it names commits, or when a scheduled change falls due.
A page or fragment stored under an older token is never looked up again."""

import logging
import secrets
import time
from functools import partial

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

CONTENT = "content"
FIGURES = "figures"
COMMENTS = "comments"

# A generation: (token, when it was made, when a scheduled change makes it stale or None).
Generation = tuple[str, float, float | None]


def comments_of(slug: str) -> str:
    """The generation of one post's visible comments."""
    return f"{COMMENTS}:{slug}"


class PageGenerationsAdminMixin:
    """For a ModelAdmin whose objects reader pages show: every save or delete made in the admin replaces
    the generations those pages depend on, once the admin's transaction commits (after its inlines too)."""

    page_generations: tuple[str, ...] = (CONTENT,)

    def page_generations_for(self, obj) -> tuple[str, ...]:
        return self.page_generations

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        page_generations_bump(*self.page_generations_for(obj))

    def delete_model(self, request, obj):
        names = self.page_generations_for(obj)
        super().delete_model(request, obj)
        page_generations_bump(*names)

    def delete_queryset(self, request, queryset):
        names = {name for obj in queryset for name in self.page_generations_for(obj)}
        super().delete_queryset(request, queryset)
        page_generations_bump(*names)


def page_generations_bump(*names: str) -> None:
    """Every page showing these is stale once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(_generations_replace, names), robust=True)


def request_generations(request, names) -> dict[str, Generation]:
    """The generations a view shows: those the page cache read for this request, else from the cache."""
    known = getattr(request, "page_generations", {})
    wanted = [name for name in names if name not in known]
    if not wanted:
        return known
    return {**known, **generations_read(wanted)}


def generation_key(name: str) -> str:
    return f"page-generation:{name}"


def _generation_new(name: str) -> Generation:
    due = None
    if name in settings.PAGE_CACHE_SCHEDULE:
        next_change = import_string(settings.PAGE_CACHE_SCHEDULE[name])()
        due = next_change.timestamp() if next_change is not None else None
    return secrets.token_hex(8), time.time(), due


def _generations_replace(names) -> None:
    shared_cache.set_many({generation_key(name): _generation_new(name) for name in names}, timeout=None)


def generations_get(keys: list[str]) -> dict:
    """Redis (core.cache) keeps the generations in each process and says when one changes; other caches
    are asked every time."""
    read = getattr(shared_cache, "get_many_watched", shared_cache.get_many)
    return read(keys)


def generations_read(names) -> dict[str, Generation]:
    try:
        return generations_from(generations_get([generation_key(name) for name in names]), names)
    except Exception:  # the cache is down: generations of this request alone, so no fragment is reused
        logger.warning("Page generations unavailable: the cache did not answer")
        return {name: (secrets.token_hex(8), time.time(), None) for name in names}


def generations_from(found: dict, names) -> dict[str, Generation]:
    """The generations of `names` from what the cache answered; those missing, or past a scheduled change,
    are made now (once: the first process to add one wins, the others read it)."""
    now, generations = time.time(), {}
    for name in names:
        key = generation_key(name)
        generation = found.get(key)
        if generation is not None and (generation[2] is None or generation[2] > now):
            generations[name] = generation
            continue
        fresh = _generation_new(name)
        if generation is not None:  # a scheduled change has fallen due
            shared_cache.set(key, fresh, timeout=None)
        elif not shared_cache.add(key, fresh, timeout=None):
            fresh = shared_cache.get(key) or fresh
        generations[name] = fresh
    return generations
