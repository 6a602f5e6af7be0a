"""`reverse()` remembered: the public pages print the same few hundred addresses on every request
(a standings table links each driver and each round; the menu links every section), and Django
resolves each one afresh, about 50 µs apiece: two to four milliseconds of a cold page.

An address depends only on the view name, its arguments, the URLconf and the script prefix, so
the answer is kept per process under exactly those, and forgotten when the URLconf setting
changes (tests swap it). Arguments that cannot be a dictionary key go to `reverse()` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# Every public address of the shipped record fits many times over; a site with a long history
# keeps its most used ones (the least recently used are forgotten first).
MAX_ADDRESSES = 50_000

V = TypeVar("V")


def cached_reverse(
    view_name: str,
    args: Sequence[Any] = (),
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """`reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)`, remembered."""
    key_kwargs = tuple(sorted(kwargs.items())) if kwargs else ()
    try:
        return _remembered(
            view_name, tuple(args), key_kwargs, current_app, get_urlconf(), get_script_prefix()
        )
    except TypeError:  # an argument that is not hashable: resolve it every time
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)


@lru_cache(maxsize=MAX_ADDRESSES)
def _remembered(
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    urlconf: str | None,
    prefix: str,
) -> str:
    # The script prefix is part of the key, not passed: reverse() reads the current one itself.
    return reverse(
        view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


@receiver(setting_changed)
def _forget_on_new_urlconf(*, setting: str, **_: object) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _remembered.cache_clear()


# --- the pages' addresses, without a thread-local read per address ------------------------------
#
# get_urlconf() and get_script_prefix() read asgiref's context-aware locals: 2-4 µs each, so even a
# remembered reverse() cost about 10 µs, and a listing prints 80-300 addresses. Both only change
# with the deployment (SCRIPT_NAME) or a test's settings, so the pages' engine asks them once per
# page (page_addresses(), from the context processor) and keeps the addresses of that scope.

# Addresses, and fragments built from them (page_remembered()).
_page_addresses: dict[tuple[Any, ...], Any] = {}
_page_scope: list[tuple[str | None, str]] = [(None, "/")]


def page_addresses() -> None:
    """Called once per rendered page: forget the addresses if the URLconf or prefix changed."""
    scope = (get_urlconf(), get_script_prefix())
    if scope != _page_scope[0]:
        _page_addresses.clear()
        _page_scope[0] = scope


def page_reverse(view_name: str, args: tuple[Any, ...]) -> str:
    """reverse(view_name, args=args) for the page being rendered (see page_addresses())."""
    key = (view_name, args)
    try:
        return _page_addresses[key]
    except KeyError:
        pass
    except TypeError:  # an argument that is not hashable
        return cached_reverse(view_name, args)
    address = cached_reverse(view_name, args)
    if len(_page_addresses) >= MAX_ADDRESSES:
        _page_addresses.clear()
    _page_addresses[key] = address
    return address


def page_remembered(key: tuple[Any, ...], make: Callable[[Any], V]) -> V:
    """`make(key)`, remembered with the page's addresses (forgotten when they are): a fragment
    every page prints the same, built from addresses (the main menu's links). `key` starts with
    a name of its own, so it never meets a (view name, arguments) key."""
    try:
        return _page_addresses[key]
    except KeyError:
        pass
    value = make(key)
    if len(_page_addresses) >= MAX_ADDRESSES:
        _page_addresses.clear()
    _page_addresses[key] = value
    return value


@receiver(setting_changed)
def _forget_page_addresses(*, setting: str, **_: object) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _page_addresses.clear()
        _page_scope[0] = (None, "/")
