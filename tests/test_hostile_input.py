"""Hostile input is a 4xx: NUL bytes, overlong and non-UTF-8 values in every API parameter (read
from the OpenAPI document), HEAD on every GET page, and CSV cells a spreadsheet cannot run."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from series.csv_safety import safe_cell
from series.models import Result
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    series = f.make_series(name="Carrera Cup Testland", slug="carrera-cup-testland")
    season = f.make_season(series, year=2023)
    session = f.make_session(f.make_round(season, 1), slug="race-1")
    team = f.make_team("Team Hostile")
    larry = f.make_entry(season, f.make_driver("Larry ten Voorde"), car_number=7, team=team)
    f.make_result(session, larry, 1, gap="+1.234")
    return session


# Values for a path segment: a real one, so the operation is reached and its parameters are read.
REAL = {
    "series": "carrera-cup-testland",
    "year": "2023",
    "event": None,  # filled from the record
    "session": "race-1",
    "driver": "larry-ten-voorde",
    "team": "team-hostile",
    "circuit": None,
}

NUL = "%00"
HOSTILE = {
    "nul": "a%00b",
    "only-nul": "%00",
    "overlong": "a" * 5000,
    "overlong-number": "9" * 400,
    "non-utf8": "%ff%fe%80",
    "broken-utf8": "caf%c3",
}


def _operations(client: Client) -> list[tuple[str, list[dict]]]:
    schema = client.get("/api/v1/openapi.json").json()
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method == "get":
                operations.append((path, operation.get("parameters", [])))
    assert len(operations) >= 14, "the OpenAPI document lost operations"
    return operations


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: values[match.group(1)], path)


def _cases(client: Client, record) -> list[tuple[str, str, str]]:
    real = {
        **REAL,
        "event": record.event.slug,
        "circuit": record.event.circuit.slug,
    }
    cases = []
    for path, parameters in _operations(client):
        base = _fill(path, real)
        for parameter in parameters:
            name = parameter["name"]
            for label, value in HOSTILE.items():
                if parameter["in"] == "path":
                    address = _fill(path, {**real, name: value})
                else:
                    address = f"{base}?{name}={value}"
                cases.append((f"{path} {name} {label}", label, address))
        # A NUL as the name of a parameter nobody declared.
        cases.append((f"{path} unknown-name nul", "nul", f"{base}?a%00b=1"))
    return cases


def test_every_api_parameter_answers_hostile_values_with_a_4xx_and_a_json_reason(record):
    client = Client(raise_request_exception=False)
    cases = _cases(client, record)
    assert len(cases) > 100
    failures = []
    for case, label, address in cases:
        response = client.get("/api/v1" + address if not address.startswith("/api") else address)
        if response.status_code >= 500:
            failures.append((case, response.status_code))
            continue
        if label in ("nul", "only-nul") and response.status_code not in (400, 404):
            failures.append((case, response.status_code))
            continue
        if 400 <= response.status_code < 500:
            body = response.json()
            if not isinstance(body.get("detail"), str) or not body["detail"]:
                failures.append((case, "no JSON reason"))
    assert failures == []


def test_a_nul_byte_in_an_api_path_or_parameter_is_a_400_naming_it(record):
    client = Client(raise_request_exception=False)
    in_path = client.get("/api/v1/drivers/larry%00/")
    assert in_path.status_code == 400
    assert "NUL" in in_path.json()["detail"]
    in_query = client.get("/api/v1/drivers/?q=ten%00")
    assert in_query.status_code == 400
    assert "'q'" in in_query.json()["detail"]
    # Still an open-data answer: CORS on the refusal too.
    assert in_query["Access-Control-Allow-Origin"] == "*"


def test_a_clean_api_call_is_not_refused(record):
    response = Client().get("/api/v1/drivers/?q=ten")
    assert response.status_code == 200
    assert response.json()["count"] == 1


# --- HEAD on every GET page ----------------------------------------------------------------------


def _page_addresses(record) -> list[str]:
    values = {
        "series": "carrera-cup-testland",
        "year": "2023",
        "event": record.event.slug,
        "session": record.slug,
        "driver": "larry-ten-voorde",
        "team": "team-hostile",
        "circuit": record.event.circuit.slug,
        "section": "series",
    }
    addresses = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith(("admin/", "api/")):
                    continue
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                address = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
                addresses.append(address)

    walk(get_resolver().url_patterns)
    return sorted(set(addresses))


def test_every_get_page_healthz_and_download_answers_head(record):
    client = Client()
    addresses = _page_addresses(record)
    assert "/healthz" in addresses
    assert "/series/carrera-cup-testland/2023/standings.csv" in addresses
    assert "/drivers/larry-ten-voorde/" in addresses
    for address in addresses:
        get = client.get(address)
        if get.status_code in (301, 302):
            continue
        assert get.status_code == 200, address
        head = client.head(address)
        assert head.status_code == 200, address
        assert head.content == b"", address
        assert head["Content-Type"] == get["Content-Type"], address


# --- CSV cells a spreadsheet cannot run -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        ("+1 lap", "'+1 lap"),
        # Numbers stay numbers, negative or signed.
        ("-3", "-3"),
        ("+1.234", "+1.234"),
        ("-0.5", "-0.5"),
        (-3, -3),
        ("Larry ten Voorde", "Larry ten Voorde"),
        ("", ""),
    ],
)
def test_safe_cell_escapes_formulas_and_keeps_numbers(value, written):
    assert safe_cell(value) == written


def test_downloads_escape_formula_names_and_keep_negative_numbers(record):
    entry = record.round.season.entries.get(car_number=7)
    entry.driver.name = '=HYPERLINK("http://evil.example","Larry")'
    entry.driver.save()
    entry.team.name = "@SUM(1+1)*cmd|' /C calc'!A0"
    entry.team.save()
    Result.objects.filter(session=record).update(gap="-1.5")

    results = Client().get(f"/events/{record.event.slug}/{record.slug}/results.csv")
    rows = list(csv.DictReader(io.StringIO(results.content.decode())))
    assert rows[0]["driver"] == "'" + '=HYPERLINK("http://evil.example","Larry")'
    assert rows[0]["team"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert rows[0]["gap"] == "-1.5"

    standings = Client().get("/series/carrera-cup-testland/2023/standings.csv")
    text = standings.content.decode()
    assert "'=HYPERLINK(" in text
    assert not re.search(r'(^|,)"?=HYPERLINK', text, re.MULTILINE)
