"""The public pages' template engine: Jinja2, compiled to Python, with Django's template semantics.

Django's template engine walks a tree of nodes on every render: about 2 µs a printed string, 4 a
number and 13 a date, 20-55 % of a cold page (docs/benchmarks.md). Jinja2 compiles each template
to a Python function once per process. The templates (templates_jinja2/) were written for
Django's engine, and this environment keeps what they rely on, so a page prints the same bytes
(but for an apostrophe, which markupsafe escapes `&#39;` and Django `&#x27;`):

- `a.b` looks up as Django does: a key first, then an attribute, then an index; a method found
  that way is called (unless it alters data or says not to be called), and a missing name is
  empty, never an error, however deep (`ChainableUndefined`);
- every printed value is converted as Django prints it: datetimes in the current time zone,
  numbers and dates in the site's formats (`finalize`);
- Django's filters by their Django names and behaviour (`default` applies to any false value,
  `date` formats in the current time zone, `join` escapes its parts);
- the site's tags are functions: `url()` (remembered, pcc/reversing.py), `static()`,
  `nav_link()`, `circuit_time()`, `date_range()`, `event_dates()`, `citations_of()`,
  `sports_event_jsonld()`, `webcal_url()`, `htmx_script()`.

Admin pages keep Django's engine (templates/).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import jinja2
import markupsafe
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.templatetags import tz
from django.templatetags.static import static
from django.urls import NoReverseMatch
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django_htmx.jinja import htmx_script
from markupsafe import Markup

from pcc.reversing import cached_reverse, page_remembered, page_reverse
from series.templatetags.pcc_tags import NAV_SECTIONS


class _Missing:
    pass


_MISSING = _Missing()


def _call_like_django(value: Any) -> Any:
    """Django's template engine calls what a lookup finds, if it can be called without arguments:
    `{{ driver.get_absolute_url }}`, `{{ entries.count }}`."""
    if getattr(value, "do_not_call_in_templates", False):
        return value
    if getattr(value, "alters_data", False):
        return ""
    try:
        return value()
    except TypeError:
        return ""


# What a lookup finds and leaves uncalled: a missing name, and a template's macro
# (`{{ dir.podium(line.podium) }}` looks the macro up, then calls it with its arguments).
_NOT_CALLED = (jinja2.Undefined, jinja2.runtime.Macro)

_SUBSCRIPTABLE: dict[type, bool] = {}


# A tuple's and a list's own indexing: a name asked of them raises TypeError, always.
_INDEX_ONLY = (tuple.__getitem__, list.__getitem__)


def _subscriptable(kind: type) -> bool:
    """Whether Django's lookup would try obj[name] first (asked once per type, not per lookup).
    A tuple or a list (a NamedTuple's row included) is not: Django's obj[name] on one raises
    TypeError and the lookup goes on to the attribute, so it goes there at once (raising and
    catching that error was about 1 µs of every field a template read off a row)."""
    known = _SUBSCRIPTABLE.get(kind)
    if known is None:
        getitem = getattr(kind, "__getitem__", None)
        known = _SUBSCRIPTABLE[kind] = (
            getitem is not None and not issubclass(kind, str) and getitem not in _INDEX_ONLY
        )
    return known


class _Context(jinja2.runtime.Context):
    """Calls the site's own functions directly: Jinja2's Context.call() looks for a pass_context
    marker on every call (most of the 7 µs an address cost in a loop)."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if __obj in _DIRECT:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            return __obj(*args, **kwargs)
        return super().call(__obj, *args, **kwargs)


# markupsafe's escaping of a plain string, without wrapping the answer in a Markup (its C speedup;
# the pure-Python fallback where that is missing).
_escape_text: Callable[[str], str] = getattr(markupsafe, "_escape_inner", None) or (
    lambda text: str(markupsafe.escape(text))
)


def escape_output(value: Any) -> str:
    """A printed value, escaped as markupsafe.escape() escapes it, as plain text: the page is
    joined into one string, and building a Markup for each of its 800-1,000 values (a Python-level
    __new__) was about 0.3 µs of each. A value that is markup (Markup, Django's SafeString) is
    left as it is, through escape() itself."""
    kind = type(value)
    if kind is str:
        return _escape_text(value)
    if kind is int:
        return str(value)
    return markupsafe.escape(value)


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja2's compiler, printing through escape_output() where the template autoescapes (every
    page's does). Blocks set to a variable and macros still return Markup: Jinja2 wraps their
    joined, already escaped output itself."""

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.escape_output(")
        if finalize.src is not None:
            self.write(finalize.src)


class DjangoLookups(jinja2.Environment):
    """Jinja2 with Django's lookups (see the module's docstring)."""

    context_class = _Context
    code_generator_class = _CodeGenerator
    escape_output = staticmethod(escape_output)

    def getattr(self, obj: Any, attribute: str) -> Any:
        value: Any = _MISSING
        kind = type(obj)
        if kind is dict:
            value = obj.get(attribute, _MISSING)
        else:
            subscriptable = _SUBSCRIPTABLE.get(kind)
            if subscriptable is None:
                subscriptable = _subscriptable(kind)
            if subscriptable:
                try:
                    value = obj[attribute]
                except (TypeError, AttributeError, KeyError, ValueError, IndexError):
                    value = _MISSING
        if value is _MISSING:
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                if attribute.isdigit():
                    try:
                        value = obj[int(attribute)]
                    except (TypeError, KeyError, IndexError, ValueError, AttributeError):
                        return self.undefined(obj=obj, name=attribute)
                else:
                    return self.undefined(obj=obj, name=attribute)
        if callable(value) and not isinstance(value, _NOT_CALLED):
            return _call_like_django(value)
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str):
            return self.getattr(obj, argument)
        try:
            value = obj[argument]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=argument)
        if callable(value) and not isinstance(value, _NOT_CALLED):
            return _call_like_django(value)
        return value


def finalize(value: Any) -> Any:
    """A printed value as Django prints it (django.template.base.render_value_in_context); Jinja2
    then escapes it (markupsafe writes an apostrophe `&#39;`, Django `&#x27;`: the same
    character)."""
    kind = type(value)
    if kind is str or kind is int:
        return value
    if callable(value) and not isinstance(value, _NOT_CALLED):
        value = _call_like_django(value)
    if isinstance(value, dt.datetime | dt.date | dt.time | float | Decimal):
        return localize(template_localtime(value))
    return value


def _django_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """A Django filter as Jinja2 calls it: its value in the current time zone if it expects that,
    and told that output is escaped if it asks."""
    localtime = getattr(function, "expects_localtime", False)
    autoescape = getattr(function, "needs_autoescape", False)

    def apply(value: Any, *args: Any) -> Any:
        if localtime:
            value = template_localtime(value)
        if autoescape:
            return function(value, *args, autoescape=True)
        return function(value, *args)

    apply.__name__ = function.__name__
    return apply


DJANGO_FILTERS = (
    "add", "capfirst", "date", "default", "default_if_none", "floatformat", "join", "length",
    "linebreaks", "lower", "pluralize", "slice", "slugify", "timeuntil", "truncatewords", "urlize",
    "yesno",
)  # fmt: skip


def url(view_name: str, *args: Any, **kwargs: Any) -> str:
    """`{% url %}`: the address of a view, remembered per process (pcc/reversing.py). The site
    mounts each application once, so no current application is needed to choose between
    instances."""
    if kwargs:
        return cached_reverse(view_name, args, kwargs)
    return page_reverse(view_name, args)


def url_or_empty(view_name: str, *args: Any, **kwargs: Any) -> str:
    """`{% url ... as name %}`: an address, or nothing when there is none."""
    try:
        return url(view_name, *args, **kwargs)
    except NoReverseMatch:
        return ""


@functools.lru_cache(maxsize=256)
def static_url(path: str) -> str:
    """`{% static %}`: a static file's (hashed) address, remembered per process: the manifest
    does not change under a running process."""
    return static(path)


@receiver(setting_changed)
def _forget_static_urls(*, setting: str, **_: object) -> None:
    if setting in {"STATIC_URL", "STORAGES", "STATIC_ROOT"}:
        static_url.cache_clear()


_LINK = Markup('<a href="{}">{}</a>')
_CURRENT_LINK = Markup('<a href="{}" aria-current="page">{}</a>')


@jinja2.pass_context
def nav_link(context: jinja2.runtime.Context, url_name: str, label: str, section: str) -> Markup:
    """A main-menu link, marked aria-current when the page belongs to its section (the sections
    are pcc_tags.NAV_SECTIONS, shared with the tag). Each of the menu's links is written once per
    process and current-or-not (remembered with the pages' addresses, pcc/reversing.py): every
    page prints five, and formatting them through Markup cost about 0.1 ms a page."""
    match = getattr(context.get("request"), "resolver_match", None)
    current = match is not None and match.url_name in NAV_SECTIONS.get(section, ())
    return page_remembered(("nav_link", url_name, label, current), _nav_link)


def _nav_link(key: tuple[str, str, str, bool]) -> Markup:
    _, url_name, label, current = key
    link = _CURRENT_LINK if current else _LINK
    return link.format(page_reverse(f"series:{url_name}", ()), label)


@functools.lru_cache(maxsize=1)
def site_htmx_script() -> SafeString:
    """django-htmx's `htmx_script()` (the page's htmx, minified), written once per process: its
    static address does not change under a running process, and every page prints it."""
    return htmx_script()


@receiver(setting_changed)
def _forget_htmx_script(*, setting: str, **_: object) -> None:
    if setting in {"STATIC_URL", "STORAGES", "STATIC_ROOT", "DEBUG"}:
        site_htmx_script.cache_clear()


# Called by the templates without their context (see _Context).
_DIRECT = frozenset({url, url_or_empty, static_url, site_htmx_script})


def environment(**options: Any) -> jinja2.Environment:
    # Imported here: the tag modules import models, and settings import this module's path only.
    from series.selectors.citations import citations
    from series.templatetags import directory_tags, pcc_tags, structured_data

    # Django's backend sets its own (DebugUndefined when DEBUG): Django's engine prints a missing
    # name as nothing, always.
    options["undefined"] = jinja2.ChainableUndefined
    env = DjangoLookups(finalize=finalize, keep_trailing_newline=True, **options)
    for name in DJANGO_FILTERS:
        env.filters[name] = _django_filter(defaultfilters.register.filters[name])
    for name in ("timezone", "utc"):
        env.filters[name] = _django_filter(tz.register.filters[name])
    for library in (pcc_tags, directory_tags):
        for name, function in library.register.filters.items():
            env.filters[name] = _django_filter(function)
    env.globals.update(
        url=url,
        url_or_empty=url_or_empty,
        static=static_url,
        htmx_script=site_htmx_script,
        nav_link=nav_link,
        circuit_time=pcc_tags.circuit_time,
        date_range=pcc_tags.date_range,
        event_dates=directory_tags.event_dates,
        citations_of=citations,
        sports_event_jsonld=jinja2.pass_context(structured_data.sports_event_jsonld),
        webcal_url=structured_data.webcal_url,
    )
    return env


def render_block(request: Any, template_name: str, block: str, context: dict[str, Any]) -> str:
    """One block of a page (`{% block name scoped %}`), with the context the whole page gets:
    an htmx swap asks for the part of the page it replaces."""
    from django.middleware.csrf import get_token
    from django.template import engines
    from django.utils.functional import lazy

    page = engines["jinja2"].get_template(template_name)
    context = dict(context, request=request, csrf_token=lazy(get_token, str)(request))
    for processor in page.backend.template_context_processors:  # type: ignore[attr-defined]
        context.update(processor(request))
    template: jinja2.Template = page.template  # type: ignore[attr-defined]
    return "".join(template.blocks[block](template.new_context(context)))
