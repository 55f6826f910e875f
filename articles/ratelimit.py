"""Fixed-window rate limits kept in the shared cache, so every web process counts the same attempts."""

import hashlib

from django.core.cache import cache


def rate_limit_hit(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt for `key`; True while the attempts in the current window are within `limit`."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=window)
    try:
        attempts = cache.incr(cache_key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(cache_key, 1, timeout=window)
        attempts = 1
    return attempts <= limit
