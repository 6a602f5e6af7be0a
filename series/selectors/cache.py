"""The site version keys every cache: any save to the record raises it (series/signals.py), so a
cached page or table is never served after the data under it changed, in any process."""

from django.core.cache import cache

from ..models import SiteVersion


def site_version() -> int:
    """One query: the current version of the record."""
    version = SiteVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return version or 0


def versioned_key(*parts: object, version: int | None = None) -> str:
    if version is None:
        version = site_version()
    return "v{}:{}".format(version, ":".join(str(part) for part in parts))


def cached(key: str, compute, timeout: int | None = None):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
