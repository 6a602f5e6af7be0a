"""pcc/jinja2.py: the public pages' engine prints what Django's engine printed for the same
template (the templates were converted from Django's syntax, and their pages are compared byte for
byte by the page tests)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import engines
from django.test import RequestFactory

from series.models import Driver

pytestmark = pytest.mark.django_db


class Car:
    number = 7
    alters_data_called = False

    def label(self):
        return "Car 7"

    def wipe(self):
        Car.alters_data_called = True
        return "wiped"

    wipe.alters_data = True  # type: ignore[attr-defined]

    def needs_an_argument(self, x):
        return x


CONTEXT = {
    "car": Car(),
    "row": {"items": "the key wins", "name": "Robert's <b>team</b>"},
    "rows": [{"n": 1}, {"n": 2}],
    "moment": dt.datetime(2023, 10, 1, 17, 30, tzinfo=dt.UTC),
    "day": dt.date(2023, 10, 1),
    "points": Decimal("12.50"),
    "share": 0.25,
    "nothing": None,
    "empty": "",
}

# (Django source, Jinja2 source): what each engine is given, and both must print the same.
PAIRS = [
    ("{{ car.number }}", "{{ car.number }}"),
    ("{{ car.label }}", "{{ car.label }}"),  # a method is called, as Django does
    ("[{{ car.wipe }}]", "[{{ car.wipe }}]"),  # ... unless it alters data
    ("[{{ car.needs_an_argument }}]", "[{{ car.needs_an_argument }}]"),
    ("[{{ car.missing }}][{{ car.missing.deeper }}]",
     "[{{ car.missing }}][{{ car.missing.deeper }}]"),
    ("{{ row.items }}", "{{ row.items }}"),  # a key before an attribute
    ("{{ row.name }}", "{{ row.name }}"),  # escaped
    ("{{ rows.0.n }}{{ rows.1.n }}", "{{ rows.0.n }}{{ rows.1.n }}"),
    ("{{ moment }}", "{{ moment }}"),  # in the current time zone, in the site's format
    ("{{ day }}", "{{ day }}"),
    ("{{ points }} {{ share }}", "{{ points }} {{ share }}"),
    ("{{ nothing }}", "{{ nothing }}"),
    ('{{ empty|default:"–" }}', '{{ empty|default("–") }}'),  # any false value
    ('{{ nothing|default_if_none:"?" }}', '{{ nothing|default_if_none("?") }}'),
    ('{{ moment|date:"j M Y H:i" }}', '{{ moment|date("j M Y H:i") }}'),
    ("{{ rows|length }} row{{ rows|length|pluralize }}",
     "{{ rows|length }} row{{ rows|length|pluralize }}"),
    ('{{ names|join:", " }}', '{{ names|join(", ") }}'),
    ("{% for r in rows %}{{ forloop.counter }}{% if not forloop.last %},{% endif %}{% endfor %}",
     "{% for r in rows %}{{ loop.index }}{% if not loop.last %},{% endif %}{% endfor %}"),
    ("{% url 'series:driver-detail' 'tom-sargent' %}",
     "{{ url('series:driver-detail', 'tom-sargent') }}"),
]  # fmt: skip


@pytest.mark.parametrize(("django_source", "jinja_source"), PAIRS)
def test_prints_what_djangos_engine_printed(settings, django_source, jinja_source):
    settings.TIME_ZONE = "Europe/London"
    request = RequestFactory().get("/")
    context = dict(CONTEXT, names=["<Ana>", "Bo's"])
    django = engines["django"].from_string(django_source).render(context, request)
    jinja = engines["jinja2"].from_string(jinja_source).render(context, request)
    # markupsafe writes an apostrophe &#39;, Django &#x27;: the same character.
    assert jinja.replace("&#39;", "&#x27;") == django
    assert not Car.alters_data_called


def test_a_page_fragment_is_its_block(client):
    """An htmx request gets the block the page names (render_page), nothing around it."""
    Driver.objects.create(name="Tom Sargent", slug="tom-sargent", search_name="tom sargent")
    page = client.get("/drivers/")
    fragment = client.get("/drivers/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="driver-list"')
    assert "<html" not in body and "Tom Sargent" in body
    assert body.strip() in page.content.decode()


def test_addresses_follow_the_script_prefix_between_pages(client):
    """The pages' address table (pcc/reversing.py) is of one URLconf and prefix: a page served
    under another prefix prints its own addresses, and the next one under / prints them again."""
    from django.urls import set_script_prefix

    plain = client.get("/circuits/").content.decode()
    set_script_prefix("/fans/")  # as the WSGI handler does for SCRIPT_NAME=/fans
    try:
        mounted = client.get("/circuits/").content.decode()
    finally:
        set_script_prefix("/")
    again = client.get("/circuits/").content.decode()
    assert 'href="/pyramid/"' in plain and 'href="/fans/pyramid/"' not in plain
    assert 'href="/fans/pyramid/"' in mounted and 'href="/pyramid/"' not in mounted
    assert again == plain


def test_a_macro_looked_up_is_called_with_its_arguments_only():
    """Django's lookup calls what it finds; a macro found on an imported template must wait for
    its arguments (it was called with none, and the page failed)."""
    from series.models import Series

    supercup = Series(name="Porsche Supercup", slug="supercup", tier=1)
    html = (
        engines["jinja2"]
        .from_string('{% import "series/_dir_macros.html" as dir %}{{ dir.series_name(s) }}')
        .render({"s": supercup})
    )
    assert '<a href="/series/supercup/">' in html and 'badge-tier-1"' in html


def test_printed_values_are_escaped_as_markupsafe_escapes_them():
    """escape_output: plain text for strings and numbers, markup left as it is, and the blocks set
    to a variable and macros still marked safe (not escaped twice)."""
    from django.utils.safestring import mark_safe
    from markupsafe import Markup, escape

    from pcc.jinja2 import escape_output

    hostile = "<script>\"'&</script>"
    assert (
        escape_output(hostile)
        == str(escape(hostile))
        == ("&lt;script&gt;&#34;&#39;&amp;&lt;/script&gt;")
    )
    assert type(escape_output(hostile)) is str
    assert escape_output(7) == "7"
    assert escape_output(Markup("<b>x</b>")) == "<b>x</b>"
    assert escape_output(mark_safe("<i>y</i>")) == "<i>y</i>"
    template = engines["jinja2"].env.from_string(
        "{% macro m(x) %}<b>{{ x }}</b>{% endmacro %}{% set y %}{{ v }}{% endset %}"
        "{{ m(v) }}|{{ y }}|{{ v }}|{{ s }}|{{ n }}"
    )
    out = template.render(v="<a>", s=mark_safe("<i>"), n=3)
    assert out == "<b>&lt;a&gt;</b>|&lt;a&gt;|&lt;a&gt;|<i>|3"


def test_rows_read_by_name_and_by_position_as_djangos_engine_reads_them():
    """A NamedTuple's field by its name, a tuple's or list's item by its position, a missing name
    empty: tuples and lists go straight to the attribute (obj[name] can only raise on them)."""
    from typing import NamedTuple

    class Row(NamedTuple):
        name: str
        count: int

    template = engines["jinja2"].env.from_string(
        "{{ row.name }}|{{ row.count }}|{{ row.0 }}|{{ items.1 }}|{{ row.missing }}|{{ d.name }}"
    )
    out = template.render(row=Row("Larry", 3), items=["a", "b"], d={"name": "key first"})
    assert out == "Larry|3|Larry|b||key first"
