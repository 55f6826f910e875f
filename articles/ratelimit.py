"""Fixed-window rate limits kept in the shared cache, so every web process counts the same attempts."""

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def rate_limit_hit(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt for `key`; True while the attempts in the current window are within `limit`.

    With the cache down nothing can be counted: the attempt is let through (a warning is logged), since
    refusing every reader would lose what they wrote, and the other defences still stand."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}"
    try:
        cache.add(cache_key, 0, timeout=window)
        try:
            attempts = cache.incr(cache_key)
        except ValueError:  # the window ended between add() and incr()
            cache.set(cache_key, 1, timeout=window)
            attempts = 1
    except Exception:
        logger.warning("Rate limit %s not counted: the cache did not answer; letting the attempt through", scope)
        return True
    return attempts <= limit
