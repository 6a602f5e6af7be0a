"""The site version keys every cache: any save to the record raises it (series/signals.py), so a
cached page or table is never served after the data under it changed, in any process.

A cache is only ever a shortcut: when it is down, cached() computes the value and answers anyway
(the Redis backend, pcc/cache_backends.py, already turns its outages into misses; this also holds
for any other backend a deployment configures)."""

import logging
from collections.abc import Callable
from typing import TypeVar, cast

from django.core.cache import cache

from pcc.cache_backends import CACHE_ERRORS
from pcc.prepared import Prepared

from .. import versions
from ..models import SiteVersion

log = logging.getLogger(__name__)

T = TypeVar("T")


def site_version() -> int:
    """One query: the current version of the record."""
    # What is computed from here on must see this transaction's later saves as newer.
    versions.forget_stamps()
    version = next(iter(_VERSION()), None)
    return version or 0


_VERSION = Prepared(
    lambda: SiteVersion.objects.filter(pk=1).order_by().values_list("version", flat=True)[:1]
)


def versioned_key(*parts: object, version: int | None = None) -> str:
    if version is None:
        version = site_version()
    return "v{}:{}".format(version, ":".join(str(part) for part in parts))


def cached(key: str, compute: Callable[[], T], timeout: int | None = None) -> T:
    """The value under key, computed and stored on a miss. The keys carry versions, so entries
    never expire by default (timeout None): a change of the record makes new keys instead."""
    computed: list[T] = []

    def compute_once() -> T:
        # A cache failing between its read and its write must not cost a second computation.
        if not computed:
            computed.append(compute())
        return computed[0]

    try:
        # What is under the key is what compute() returned (the stubs say Any | None).
        return cast(T, cache.get_or_set(key, compute_once, timeout))
    except CACHE_ERRORS as error:
        log.warning("cache unavailable for %s, computed without it: %s", key, error)
        return compute_once()
