"""Django's Redis cache, made cheap enough to consult on every page request.

Three costs of Django's backend are larger than the round trip to Redis itself:
- `RedisCacheClient.get_client` builds a new `redis.Redis` for every call, and redis-py fills a table of
  several hundred response callbacks in each one's constructor (about 0.2 ms of CPU);
- a client call checks a connection out of the pool and back, with redis-py's events and metrics around it;
- each key is made, validated (for memcached's sake) and the command packed anew on every call.
The page cache asks for a page's generations on every request (a stored page should cost about as much as
a static file), so reads here go over a connection the cache object keeps (Django gives each thread a
cache object of its own), the MGET of a given set of keys is packed once, and the client is built once per
pool.

`get_many_watched` goes one step further, for the generations: Redis's client-side caching (CLIENT TRACKING,
redirected to a connection subscribed to `__redis__:invalidate`) tells this process the moment another
writes, expires or evicts one of the keys it keeps, so a request reads them from memory after one poll of
that connection. Redis sends the invalidation before the writer's own reply, so a page edited through one
web process is never served stale by another. Should the invalidation connection fail silently, a kept
value is read again after WATCHED_MAX_AGE seconds at most.
"""

import logging
import time
from functools import lru_cache

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.connection import Connection

logger = logging.getLogger(__name__)

INVALIDATION_CHANNEL = "__redis__:invalidate"
WATCHED_MAX_AGE = 1.0


@lru_cache(maxsize=4096)
def _packed(*command: str) -> list[bytes]:
    return Connection().pack_command(*command)


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._kept_connection = None
        self._listener = None  # subscribed to the invalidations of the keys `_watched` holds
        self._watched: dict[str, tuple[bytes | None, float]] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _read(self, *command: str):
        """One read command on the kept connection."""
        if self._kept_connection is None:
            self._kept_connection = self._get_connection_pool(write=False).get_connection()
        connection = self._kept_connection
        try:
            connection.send_packed_command(_packed(*command), check_health=False)
            return connection.read_response()
        except Exception:
            self._forget(connection)
            raise

    def _forget(self, connection) -> None:
        """After any error: disconnect (the next call connects again) and stop trusting what is kept."""
        if connection is not None:
            connection.disconnect()
        if self._listener is not None:
            self._listener.disconnect()
        self._listener = None
        self._watched.clear()

    def get(self, key, default):
        value = self._read("GET", key)
        return default if value is None else self._serializer.loads(value)

    def get_many(self, keys):
        keys = tuple(keys)
        if not keys:
            return {}
        loads = self._serializer.loads
        values = self._read("MGET", *keys)
        return {key: loads(value) for key, value in zip(keys, values, strict=True) if value is not None}

    def get_many_watched(self, keys):
        """`get_many` for a few keys read on every request and written rarely: kept in this process while
        Redis says nothing of them (see the module's docstring)."""
        keys = tuple(keys)
        try:
            self._invalidations_read()
        except Exception:
            logger.warning("Lost the invalidations of the page generations; reading them from Redis again")
            self._forget(self._kept_connection)
        now = time.monotonic()
        kept = [self._watched.get(key) for key in keys]
        if not all(entry is not None and now - entry[1] < WATCHED_MAX_AGE for entry in kept):
            values = self._read_tracked(keys)
            kept = [(value, now) for value in values]
            self._watched.update(zip(keys, kept, strict=True))
        loads = self._serializer.loads
        return {key: loads(entry[0]) for key, entry in zip(keys, kept, strict=True) if entry[0] is not None}

    def _read_tracked(self, keys: tuple[str, ...]) -> list:
        if self._listener is None:
            self._track()
        connection = self._kept_connection
        try:
            # OPTIN tracking: only this MGET's keys are tracked, not every fragment the connection reads.
            connection.send_packed_command(_packed("CLIENT", "CACHING", "YES") + _packed("MGET", *keys))
            connection.read_response()
            return connection.read_response()
        except Exception:
            self._forget(connection)
            raise

    def _track(self) -> None:
        if self._kept_connection is None:
            self._kept_connection = self._get_connection_pool(write=False).get_connection()
        pool = self._get_connection_pool(write=False)
        # RESP2: what arrives is a plain pub/sub message, [b"message", channel, keys or None for a flush].
        listener = pool.connection_class(**{**pool.connection_kwargs, "protocol": 2})
        try:
            listener.send_command("CLIENT", "ID")
            listener_id = listener.read_response()
            listener.send_command("SUBSCRIBE", INVALIDATION_CHANNEL)
            listener.read_response()
            self._kept_connection.send_command("CLIENT", "TRACKING", "ON", "REDIRECT", listener_id, "OPTIN")
            self._kept_connection.read_response()
        except Exception:
            listener.disconnect()
            self._forget(self._kept_connection)
            raise
        self._listener = listener

    def _invalidations_read(self) -> None:
        listener = self._listener
        while listener is not None and listener.can_read(timeout=0):
            kind, _, keys = listener.read_response()
            if kind != b"message":
                continue
            if keys is None:  # the database was flushed
                self._watched.clear()
            else:
                for key in keys:
                    self._watched.pop(key.decode(), None)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        self._made_keys = lru_cache(maxsize=4096)(self._make_keys)

    def validate_key(self, key):
        """Django warns about keys memcached would refuse; Redis takes any, and this runs on every request."""

    def _make_keys(self, keys: tuple[str, ...], version) -> tuple[str, ...]:
        return tuple(self.make_key(key, version=version) for key in keys)

    def get_many(self, keys, version=None):
        return self._keys_read(self._cache.get_many, keys, version)

    def get_many_watched(self, keys, version=None):
        """`get_many`, kept in this process until Redis says one of the keys changed."""
        return self._keys_read(self._cache.get_many_watched, keys, version)

    def _keys_read(self, read, keys, version):
        keys = tuple(keys)
        made = self._made_keys(keys, version)
        found = read(made)
        return {key: found[made_key] for key, made_key in zip(keys, made, strict=True) if made_key in found}


class ForgivingRedisCache(RedisCache):
    """For what can always be computed again (rendered fragments, remembered lookups): a Redis that does not
    answer is a miss, and a value it cannot keep is not kept, so pages still render (more slowly) when the
    cache is down. Never for counters or locks, whose callers must know."""

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception:
            logger.warning("Cache %s unavailable: %s rendered anew", self._server_label(), key)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except Exception:
            logger.warning("Cache %s unavailable: %d keys rendered anew", self._server_label(), len(keys))
            return {}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except Exception:
            logger.warning("Cache %s unavailable: %s not kept", self._server_label(), key)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except Exception:
            logger.warning("Cache %s unavailable: %s not kept", self._server_label(), key)
            return True  # as if stored: get_or_set then hands back the value it computed

    def _server_label(self) -> str:
        return ",".join(self._servers)
