"""Property-based test of the whole API against its own OpenAPI document (schemathesis 4): on the
shipped facts, no generated request may get a 5xx, an undocumented status or a body that breaks the
schema. Requests go through Django's WSGI handler, inside the test's transaction."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from series.models import (
    Champion,
    Circuit,
    Driver,
    Entry,
    Event,
    Result,
    Season,
    Series,
    Session,
    Team,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Enough to meet every parameter's edge cases; the whole module stays well under a minute.
EXAMPLES_PER_OPERATION = 10


@pytest.fixture
def wsgi_app():
    # Django's test client does the same: closing "old" connections at the end of a request would
    # close the test's own connection and throw its transaction (and the loaded data) away.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _real_slugs() -> dict[str, dict[str, object]]:
    """Path parameters that exist, so the operations are exercised on real answers too."""
    result = Result.objects.select_related("session__event", "session__round__season__series")
    result = result.filter(session__round__isnull=False).first()
    session = result.session
    season = session.round.season
    entry = Entry.objects.filter(team__isnull=False).select_related("team").first()
    return {
        "series": {"series": season.series.slug},
        "season": {"series": season.series.slug, "year": season.year},
        "event": {"event": session.event.slug},
        "session": {"event": session.event.slug, "session": session.slug},
        "driver": {"driver": Driver.objects.filter(titles__isnull=False).first().slug},
        "team": {"team": (entry.team if entry else Team.objects.first()).slug},
        "circuit": {"circuit": session.event.circuit.slug},
    }


def _fixed_parameters(path: str, slugs: dict[str, dict[str, object]]) -> dict[str, object]:
    names = {part.strip("{}") for part in path.split("/") if part.startswith("{")}
    if names == {"series", "year"}:
        return slugs["season"]
    if names == {"event", "session"}:
        return slugs["session"]
    (name,) = names
    return slugs[name]


def _exercise(operation, **fixed) -> None:
    @given(case=operation.as_strategy(**fixed))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.filter_too_much,
        ],
    )
    def run(case):
        # The WSGI transport does not undo Content-Encoding, and the API answers gzip to clients
        # that accept it (pcc.middleware.CompressionMiddleware; tests/test_page_cache.py).
        case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

    run()


def test_every_operation_keeps_to_its_schema(wsgi_app, shipped):
    assert Series.objects.all().exists() and Season.objects.all().exists()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    slugs = _real_slugs()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 17  # 16 + a session's revisions (series/api/revisions.py)
    for operation in operations:
        # Generated path parameters: mostly unknown slugs and bad years (404 and 400 answers).
        _exercise(operation)
        if "{" in operation.path:
            # Real records, with generated query parameters.
            _exercise(operation, path_parameters=_fixed_parameters(operation.path, slugs))


def test_every_shipped_record_and_documented_example_answers(fan, shipped):
    urls = [
        f"/api/v1/series/{slug}/" for slug in Series.objects.all().values_list("slug", flat=True)
    ]
    urls += [
        f"/api/v1/series/{season.series.slug}/{season.year}/{suffix}"
        for season in Season.objects.all().select_related("series")
        for suffix in ("", "standings/", "standings/?table=teams")
    ]
    urls += [
        f"/api/v1/events/{session.event.slug}/{session.slug}/"
        for session in Session.objects.select_related("event")
    ]
    urls += [f"/api/v1/events/{slug}/" for slug in Event.objects.values_list("slug", flat=True)]
    urls += [f"/api/v1/drivers/{slug}/" for slug in Driver.objects.values_list("slug", flat=True)]
    urls += [f"/api/v1/teams/{slug}/" for slug in Team.objects.values_list("slug", flat=True)]
    urls += [f"/api/v1/circuits/{slug}/" for slug in Circuit.objects.values_list("slug", flat=True)]
    # The examples of docs/api.md.
    urls += [
        "/api/v1/series/?tier=2",
        "/api/v1/series/carrera-cup-north-america/2023/",
        "/api/v1/series/carrera-cup-north-america/2023/standings/?class=pro-am&after=8",
        "/api/v1/champions/?series=supercup&page=2",
    ]
    failures = [(url, status) for url in urls if (status := fan.get(url).status_code) != 200]
    assert failures == []
    champions = fan.get("/api/v1/champions/?page_size=200").json()
    assert champions["count"] == Champion.objects.count()
