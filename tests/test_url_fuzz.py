"""Random path segments and query strings thrown at every public URL pattern: never a 5xx.

The patterns are read from series.urls, so a new address is fuzzed the day it is added. Each path
converter gets values of its own shape (and sometimes a slug that exists, so the detail pages run
their real queries); query strings mix the filters the pages read with random keys, unicode, very
long strings and NUL.
"""

import datetime as dt
import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from series.models import Champion, MediaKind, MediaLink, Tier
from series.urls import urlpatterns
from tests import factories as f

pytestmark = pytest.mark.django_db

FILTER_KEYS = [
    "q", "year", "month", "tier", "series", "decade", "class", "table", "after", "page", "format",
]  # fmt: skip

PATTERNS = [p for p in urlpatterns if isinstance(p, URLPattern)]
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")

nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.just("\x00"),
    st.builds(lambda s: s * 500, st.text(min_size=1, max_size=8)),
    st.sampled_from(["-1", "0", "13", "9", "abc", "1990", "2023", "99999999999999999999999"]),
    st.sampled_from(["' OR 1=1 --", "%", "_", "../", "<script>", "\u202e", "🏁"]),
)


@pytest.fixture
def known(db) -> dict[str, list[str]]:
    """A little real data, so sampled slugs reach the detail pages' queries."""
    circuit = f.make_circuit(name="Laguna Seca", time_zone="America/Los_Angeles")
    event = f.make_event(circuit=circuit, name="Rennsport Reunion 7", start=dt.date(2023, 9, 28))
    series = f.make_series(name="Carrera Cup North America", tier=Tier.CARRERA_CUP)
    season = f.make_season(series, year=2023)
    pro = f.make_class(season, "Pro")
    driver = f.make_driver("Larry ten Voorde")
    team = f.make_team("GP Elite")
    entry = f.make_entry(season, driver, team=team, season_class=pro, car_number=1)
    round_ = f.make_round(season, 13, event=event)
    session = f.make_session(round_)
    f.make_result(session, entry, 1, best_lap=dt.timedelta(seconds=84.5))
    Champion.objects.create(series=series, year=2023, driver=driver, driver_name=driver.name)
    MediaLink.objects.create(
        kind=MediaKind.LIVE, provider="IMSA.tv", url="https://imsa.tv", event=event
    )
    return {
        "series": [series.slug],
        "event": [event.slug],
        "session": [session.slug],
        "driver": [driver.slug],
        "team": [team.slug],
        "circuit": [circuit.slug],
        "year": ["2023"],
    }


def segment(kind: str, name: str, known: dict[str, list[str]]):
    real = st.sampled_from(known.get(name) or ["x"])
    if kind == "int":
        return st.one_of(
            real,
            st.integers(min_value=0, max_value=10**30).map(str),
        )
    if kind == "slug":
        return st.one_of(real, st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True))
    return st.one_of(real, st.text(min_size=1, max_size=40).map(lambda s: quote(s, safe="")))


def pattern_paths(known: dict[str, list[str]]):
    def for_pattern(pattern: URLPattern):
        route = str(pattern.pattern)
        parts = []
        last = 0
        for match in CONVERTER.finditer(route):
            parts.append(st.just(route[last : match.start()]))
            parts.append(segment(match["kind"] or "str", match["name"], known))
            last = match.end()
        parts.append(st.just(route[last:]))
        return st.tuples(*parts).map(lambda bits: "/" + "".join(bits))

    return st.sampled_from(PATTERNS).flatmap(for_pattern)


query_strings = st.lists(
    st.tuples(st.one_of(st.sampled_from(FILTER_KEYS), st.text(max_size=12)), nasty_text),
    max_size=5,
).map(lambda pairs: urlencode(pairs))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_public_address_answers_5xx(client: Client, known, data):
    path = data.draw(pattern_paths(known), label="path")
    query = data.draw(query_strings, label="query")
    htmx = data.draw(st.booleans(), label="htmx")
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(f"{path}?{query}" if query else path, headers=headers)
    assert response.status_code < 500, f"{path}?{query} answered {response.status_code}"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(segments=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=4))
def test_random_paths_are_never_5xx(client: Client, segments: list[str]):
    path = "/" + "/".join(quote(s, safe="") for s in segments) + "/"
    response = client.get(path)
    assert response.status_code < 500, f"{path} answered {response.status_code}"
