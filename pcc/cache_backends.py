"""A Redis cache that degrades instead of failing.

The cache only ever makes the site faster: when Redis is stopped, restarting, unreachable or hung,
a read is a miss and a write is dropped, and the page is computed from the database as if nothing
were cached. Every call site (the page cache, cached(), the standings' get_many, the API's
first-served times) gets this without a try of its own.

After a failure the process stops asking Redis for RETRY_SECONDS (a circuit breaker, per process):
against a hung server each attempt would otherwise cost the whole socket timeout, several times per
page. /healthz asks Redis itself (round_trip) whatever the breaker says, and reports "degraded".
"""

import logging
import threading
import time
from collections import OrderedDict
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

try:  # redis is a dependency, but the errors tuple must not break a cache-less install.
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = OSError  # type: ignore[misc, assignment]

# What a cache that is down raises: the client's own errors (ConnectionError, TimeoutError,
# BusyLoadingError...) and the socket's. A bug of ours (a value that cannot be pickled) is not one.
CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)

# How long a process leaves Redis alone after a failure before trying it again.
RETRY_SECONDS = 5.0
# Socket limits so a hung Redis costs at most this long per attempt (settings may override).
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


# Local copies of lasting entries (below): at most this many bytes of bodies per process.
LOCAL_COPIES_BYTES = 24 * 1024 * 1024


class LocalCopies:
    """This process's copies of entries that never change under their key (a page or an API
    answer is stored under the version of what it shows, so what a key holds is fixed until it
    expires): a repeat is answered from memory instead of fetching the body from Redis again,
    which costs a round trip and unpickling 20-300 KB. Each copy keeps the entry's own expiry
    (the writer's clock), so a page that depends on the time of day is no older than from Redis.
    The least recently used copies go first when the bytes exceed the budget."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._copies: OrderedDict[str, tuple[float, int, Any]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            found = self._copies.get(key)
            if found is None:
                return None
            expires, size, value = found
            if expires <= time.time():
                self._drop(key)
                return None
            self._copies.move_to_end(key)
            return value

    def put(self, key: str, value: Any, expires: float, size: int) -> None:
        if size > self.max_bytes // 8:
            return  # one huge body must not push out everything else
        with self._lock:
            if key in self._copies:
                self._drop(key)
            self._copies[key] = (expires, size, value)
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._copies)))

    def discard(self, key: str) -> None:
        with self._lock:
            if key in self._copies:
                self._drop(key)

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        self._bytes -= self._copies.pop(key)[1]


def body_size(value: Any) -> int:
    """The bytes a lasting entry holds: its bodies (a dict of headers and bodies, or a body)."""
    if isinstance(value, dict):
        return sum(len(part) for part in value.values() if isinstance(part, bytes | str)) + 512
    return len(value) if isinstance(value, bytes | str) else 512


def get_lasting(cache: Any, key: str) -> Any:
    """cache.get(key) for an entry that never changes under its key: from this process's copy
    where the cache keeps copies (FaultTolerantRedisCache, LocalMemoryCache), else from the cache
    itself."""
    copies = getattr(cache, "local_copies", None)
    if copies is None:
        return cache.get(key)
    value = copies.get(key)
    if value is None:
        value = cache.get(key)
        if isinstance(value, dict) and "expires" in value:
            copies.put(key, value, value["expires"], body_size(value))
    return value


def set_lasting(cache: Any, key: str, value: dict, timeout: int) -> None:
    """cache.set for an entry that never changes under its key; `value` (a dict) gains the
    moment it expires, which every process's copy keeps."""
    value["expires"] = time.time() + timeout
    cache.set(key, value, timeout)
    copies = getattr(cache, "local_copies", None)
    # Copies mirror what the shared cache holds: none of a write an outage dropped.
    if copies is not None and not cache.degraded:
        copies.put(key, value, value["expires"], body_size(value))


# One set of copies per local-memory cache location, as LocMemCache shares its store: every
# instance of the location (one per thread) sees the same copies, and clear() empties them all.
_LOCAL_MEMORY_COPIES: dict[str, LocalCopies] = {}


class LocalMemoryCache(LocMemCache):
    """Django's local-memory cache (the default without REDIS_URL) with the local copies of
    lasting entries the Redis cache keeps: LocMemCache pickles every value, so each hit of a page
    unpickled its whole body again (the 340 KB calendar file, 20-40 KB a page); a lasting entry
    is fixed under its key, so the copy is served as it is. Other entries (standings tables, which
    a caller may change) are pickled as before."""

    degraded = False

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(name, params)
        self.local_copies = _LOCAL_MEMORY_COPIES.setdefault(name, LocalCopies(LOCAL_COPIES_BYTES))

    def clear(self) -> None:
        self.local_copies.clear()
        super().clear()

    def delete(self, key: str, version: int | None = None) -> bool:
        self.local_copies.discard(key)
        return super().delete(key, version)


class FaultTolerantRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._down_until = 0.0
        self.local_copies = LocalCopies(LOCAL_COPIES_BYTES)

    def clear(self) -> None:
        self.local_copies.clear()
        super().clear()

    # --- the breaker --------------------------------------------------------------------------

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, operation: str, error: BaseException) -> None:
        if self._available():
            # Once per outage per process, not once per request.
            log.warning("cache %s failed, serving without the cache: %s", operation, error)
        self._down_until = time.monotonic() + RETRY_SECONDS

    @property
    def degraded(self) -> bool:
        return not self._available()

    def round_trip(self) -> bool:
        """Asks Redis itself, breaker or not (for /healthz); a success closes the breaker."""
        try:
            answered = bool(self._cache.get_client(write=True).ping())
        except CACHE_ERRORS as error:
            self._failed("ping", error)
            return False
        if answered:
            self._down_until = 0.0
        return answered

    # --- reads are misses, writes are dropped --------------------------------------------------

    def get(self, key, default=None, version=None):
        if not self._available():
            return default
        try:
            return super().get(key, default, version)
        except CACHE_ERRORS as error:
            self._failed("get", error)
            return default

    def get_many(self, keys, version=None):
        if not self._available():
            return {}
        try:
            return super().get_many(keys, version)
        except CACHE_ERRORS as error:
            self._failed("get_many", error)
            return {}

    def has_key(self, key, version=None):
        if not self._available():
            return False
        try:
            return super().has_key(key, version)
        except CACHE_ERRORS as error:
            self._failed("has_key", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not self._available():
            return
        try:
            super().set(key, value, timeout, version)
        except CACHE_ERRORS as error:
            self._failed("set", error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not self._available():
            return False
        try:
            return super().add(key, value, timeout, version)
        except CACHE_ERRORS as error:
            self._failed("add", error)
            return False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not self._available():
            return list(data)
        try:
            return super().set_many(data, timeout, version)
        except CACHE_ERRORS as error:
            self._failed("set_many", error)
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        if not self._available():
            return False
        try:
            return super().touch(key, timeout, version)
        except CACHE_ERRORS as error:
            self._failed("touch", error)
            return False

    # Deletes are not swallowed silently: an entry that must go and cannot is logged as an error.
    # Nothing of ours deletes to invalidate (versions in the keys do that), so this costs no page.

    def delete(self, key, version=None):
        self.local_copies.discard(key)
        try:
            return super().delete(key, version)
        except CACHE_ERRORS as error:
            log.error("cache delete of %r failed: %s", key, error)
            self._failed("delete", error)
            return False

    def delete_many(self, keys, version=None):
        for key in keys:
            self.local_copies.discard(key)
        try:
            return super().delete_many(keys, version)
        except CACHE_ERRORS as error:
            log.error("cache delete_many failed: %s", error)
            self._failed("delete_many", error)
            return False
