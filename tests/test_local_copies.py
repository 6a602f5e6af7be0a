"""Lasting entries (pages and API answers stored under the version of what they show) are kept as
a copy in each process when the cache is shared through Redis: a repeat costs no round trip, and
a copy is never served past its entry's expiry or after a save (the version is in the key).
Against the machine's real Redis, under a key prefix of this test's own."""

import time
import uuid

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client, override_settings

from pcc.cache_backends import LocalCopies, LocalMemoryCache, body_size, get_lasting, set_lasting
from pcc.reversing import cached_reverse
from series.models import SessionStatus
from tests import factories as f
from tests.services import redis_answers

STANDINGS = "/series/carrera-cup-testland/2023/standings/"
API_STANDINGS = "/api/v1/series/carrera-cup-testland/2023/standings/"


@pytest.fixture
def shared_cache(settings):
    if not redis_answers():
        pytest.xfail("no Redis answers on 127.0.0.1:6379")
    settings.PAGE_CACHE = True
    redis = {
        "default": {
            "BACKEND": "pcc.cache_backends.FaultTolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            # A prefix of its own: the machine's Redis may serve others.
            "KEY_PREFIX": f"pcc-test-{uuid.uuid4().hex}",
            "TIMEOUT": 60,
        }
    }
    with override_settings(CACHES=redis):
        yield cache
        cache.local_copies.clear()


@pytest.fixture
def race(db):
    series = f.make_series(name="Carrera Cup Testland", slug="carrera-cup-testland")
    season = f.make_season(series, year=2023)
    session = f.make_session(f.make_round(season, 1), status=SessionStatus.PROVISIONAL)
    f.make_entry(season, f.make_driver("Larry ten Voorde"), car_number=7)
    return session


def _forget_in_redis(shared_cache) -> None:
    """Empties the key prefix's entries in Redis itself, leaving this process's copies."""
    client = shared_cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{shared_cache.key_prefix}:*"):
        client.delete(key)


def test_a_page_repeat_is_answered_from_the_process_copy_without_redis(shared_cache, race):
    first = Client().get(STANDINGS)
    assert first["X-Page-Cache"] == "miss"
    _forget_in_redis(shared_cache)
    again = Client().get(STANDINGS)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content


def test_a_save_misses_the_copy_too(shared_cache, race):
    Client().get(STANDINGS)
    f.make_result(race, race.round.season.entries.get(car_number=7), 1)
    after = Client().get(STANDINGS)
    assert after["X-Page-Cache"] == "miss"
    assert '<td class="num total">25</td>' in after.content.decode()


def test_a_copy_made_from_another_process_s_entry_keeps_its_expiry(shared_cache):
    stored = {"content": b"x" * 100}
    set_lasting(shared_cache, "page:v1:elsewhere", stored, 60)
    shared_cache.local_copies.clear()  # as in a process that did not write it
    assert get_lasting(shared_cache, "page:v1:elsewhere")["content"] == b"x" * 100
    copy = shared_cache.local_copies.get("page:v1:elsewhere")
    assert copy is not None and copy["expires"] == pytest.approx(stored["expires"])


def test_an_api_hit_carries_the_last_modified_of_its_first_answer(shared_cache, race):
    first = Client().get(API_STANDINGS)
    assert first["X-Api-Cache"] == "miss"
    _forget_in_redis(shared_cache)
    again = Client().get(API_STANDINGS)
    assert again["X-Api-Cache"] == "hit"
    assert again["Last-Modified"] == first["Last-Modified"]
    assert again["ETag"] == first["ETag"]


def test_with_local_memory_as_the_cache_a_hit_is_served_from_the_copy(race, settings):
    """The default cache (no REDIS_URL) keeps copies too: LocMemCache alone unpickled every hit's
    whole body. Cleared with the cache, as its entries are."""
    settings.PAGE_CACHE = True
    assert isinstance(caches["default"], LocalMemoryCache)
    first = Client().get(STANDINGS)
    assert first["X-Page-Cache"] == "miss"
    assert len(cache.local_copies._copies) == 1
    # The pickled entry gone, the copy alone answers.
    key = next(iter(cache.local_copies._copies))
    LocMemCache.delete(caches["default"], key)
    again = Client().get(STANDINGS)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content

    cache.clear()

    assert not cache.local_copies._copies
    assert Client().get(STANDINGS)["X-Page-Cache"] == "miss"


# --- the copies themselves ----------------------------------------------------------------------


def test_copies_expire_with_their_entry():
    copies = LocalCopies(10_000)
    copies.put("gone", {"content": b"a"}, time.time() - 1, 1)
    copies.put("kept", {"content": b"b"}, time.time() + 60, 1)
    assert copies.get("gone") is None
    assert copies.get("kept") == {"content": b"b"}


def test_the_least_recently_used_copies_go_first_over_the_budget():
    copies = LocalCopies(8_000)
    later = time.time() + 60
    names = "abcdefgh"
    for name in names:
        copies.put(name, name, later, 1_000)
    copies.get("a")  # used: "b" is now the oldest
    copies.put("i", "i", later, 1_000)
    assert copies.get("b") is None
    assert [copies.get(name) for name in "acdefghi"] == list("acdefghi")


def test_a_body_larger_than_an_eighth_of_the_budget_is_not_copied():
    copies = LocalCopies(8_000)
    copies.put("small", "s", time.time() + 60, 900)
    copies.put("huge", "h", time.time() + 60, 1_001)
    assert copies.get("huge") is None
    assert copies.get("small") == "s"


def test_a_delete_drops_the_copy(shared_cache):
    set_lasting(shared_cache, "page:v2:x", {"content": b"y"}, 60)
    shared_cache.delete("page:v2:x")
    assert get_lasting(shared_cache, "page:v2:x") is None


def test_body_size_counts_the_bodies():
    assert body_size({"content": b"x" * 1000, "gzip": b"y" * 100, "headers": {}}) == 1100 + 512
    assert body_size(b"x" * 10) == 10


# --- remembered addresses -------------------------------------------------------------------------


def test_remembered_addresses_are_django_s_own(db):
    from django.urls import reverse

    for name, args in [
        ("series:home", ()),
        ("series:driver-detail", ("larry-ten-voorde",)),
        ("series:season-standings", ("supercup", 2022)),
        ("series:session-detail", ("imola-2022", "supercup-r1-race")),
    ]:
        assert cached_reverse(name, args) == reverse(name, args=args)
        assert cached_reverse(name, list(args)) == reverse(name, args=args)


def test_remembered_addresses_follow_a_new_url_configuration(settings):
    assert cached_reverse("series:pyramid") == "/pyramid/"
    settings.FORCE_SCRIPT_NAME = "/fans/"
    from django.urls import set_script_prefix

    set_script_prefix("/fans/")
    try:
        assert cached_reverse("series:pyramid") == "/fans/pyramid/"
    finally:
        set_script_prefix("/")
    assert cached_reverse("series:pyramid") == "/pyramid/"
