"""JSON-LD under the site's CSP (script-src 'self'), in a real Chromium.

A <script type="application/ld+json"> element is a data block: browsers never execute it, so
script-src does not apply and no violation may be reported. The pages that carry the tag (event and
session pages) are built elsewhere, so this module serves its own page through base.html, the real
middleware and the real CSP header; a control page with an inline script shows the check can fail.
"""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import include, path

from series.models import Event, Session
from series.selectors.events import event_page
from series.selectors.sessions import session_page

from ..factories import (
    make_circuit,
    make_driver,
    make_entry,
    make_event,
    make_result,
    make_round,
    make_season,
    make_series,
    make_session,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = """{% extends "base.html" %}
{% block head %}{{ sports_event_jsonld(event_page) }}{{ sports_event_jsonld(session_page) }}
{% endblock %}
{% block content %}<h1>{{ event.name }}</h1>{{ extra|safe }}{% endblock %}"""

# Records what the browser's CSP blocked (Playwright's init scripts are exempt from the page's CSP).
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def _event_page(request: HttpRequest, event: str, session: str) -> HttpResponse:
    event_obj = get_object_or_404(Event.objects.select_related("circuit", "parent"), slug=event)
    session_obj = get_object_or_404(
        Session.objects.select_related("event__circuit", "round__season__series"),
        event=event_obj,
        slug=session,
    )
    extra = "<script>document.title = 'ran';</script>" if "control" in request.GET else ""
    html = (
        engines["jinja2"]
        .from_string(PAGE)
        .render(
            {
                "event": event_obj,
                # The tag formats what the pages' selectors loaded (it runs no query).
                "event_page": event_page(event_obj),
                "session_page": session_page(session_obj),
                "extra": extra,
            },
            request,
        )
    )
    return HttpResponse(html)


urlpatterns = [
    path("jsonld/<slug:event>/<slug:session>/", _event_page),
    path("", include("series.views.subscriptions")),
    path("", include("series.urls")),
]


@pytest.fixture
def race(settings):
    settings.ROOT_URLCONF = __name__
    season = make_season(make_series(name="Porsche Carrera Cup North America"), 2023)
    circuit = make_circuit(name="WeatherTech Raceway Laguna Seca", place="Monterey", country="USA")
    event = make_event(circuit, name="Rennsport Reunion 7", slug="rennsport-reunion-7")
    session = make_session(
        make_round(season, 13, event),
        name="Race 13",
        slug="race-13",
        starts_at=dt.datetime(2023, 10, 1, 17, 30, tzinfo=dt.UTC),
    )
    make_result(session, make_entry(season, make_driver("Tom Sargent")), 1)
    return session


def _open(live_server, page, address: str) -> list[str]:
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(live_server.url + address)
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    return page.evaluate("window.cspViolations")


def test_json_ld_blocks_raise_no_csp_violation_or_console_error(live_server, page, race):
    violations = _open(live_server, page, "/jsonld/rennsport-reunion-7/race-13/")

    assert violations == []
    assert page.problems.all == []
    blocks = page.locator('script[type="application/ld+json"]')
    assert blocks.count() == 2
    event_data, session_data = (json.loads(text) for text in blocks.all_text_contents())
    assert event_data["name"] == "Rennsport Reunion 7"
    assert session_data["competitor"][0]["name"] == "Tom Sargent"


def test_an_inline_executable_script_is_reported_so_the_check_can_fail(live_server, page, race):
    violations = _open(live_server, page, "/jsonld/rennsport-reunion-7/race-13/?control=1")

    assert any(violation.startswith("script-src") for violation in violations)
    assert page.title() != "ran"


@pytest.mark.parametrize(
    "address",
    [
        "/events/rennsport-reunion-7/",
        "/events/rennsport-reunion-7/carrera-cup-north-america-r13-race/",
    ],
)
def test_the_real_event_and_session_pages_carry_json_ld_without_csp_errors(
    live_server, page, address
):
    call_command("load_pyramid", stdout=io.StringIO())

    violations = _open(live_server, page, address)

    assert violations == []
    assert page.problems.all == []
    (block,) = page.locator('script[type="application/ld+json"]').all_text_contents()
    data = json.loads(block)
    assert data["@type"] == "SportsEvent"
    assert data["location"]["name"] == "WeatherTech Raceway Laguna Seca"
