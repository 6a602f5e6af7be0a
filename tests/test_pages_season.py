"""The series, season, standings and results-matrix pages."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from series.models import Champion, MediaKind, MediaLink
from tests.factories import (
    make_round,
    make_season,
)
from tests.scenarios import build_season


def count_queries(client, url: str) -> int:
    cache.clear()  # a cold cache: the standings loader's queries count too
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# --- series ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_series_page_lists_seasons_champions_and_links(fan):
    season = build_season()
    series = season.series
    empty = make_season(series, year=2019)
    Champion.objects.create(series=series, year=2022, driver_name="Old Champ", class_name="overall")
    Champion.objects.create(series=series, year=2022, driver_name="Am Champ", class_name="Am")
    MediaLink.objects.create(
        kind=MediaKind.ARCHIVE, provider="YouTube", url="https://example.com/a", series=series
    )
    MediaLink.objects.create(
        kind=MediaKind.LIVE, provider="Stream TV", url="https://example.com/s", season=season
    )
    response = fan.get(f"/series/{series.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Carrera Cup Testland</h1>" in html
    assert f'href="/series/{series.slug}/{empty.year}/"' in html
    assert "Results not yet entered" in html  # the 2019 season without results
    assert "Final" in html
    assert html.index("Old Champ") < html.index("Am Champ")  # overall title first
    assert "Stream TV" in html and "YouTube" in html
    assert "Anna Driver" in html  # leaders of the current season


@pytest.mark.django_db
def test_unknown_series_is_a_404_page_with_a_way_back(fan):
    response = fan.get("/series/no-such-series/")
    assert response.status_code == 404
    assert b"Back to the home page" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["2031", "99999999999999999999999"])
def test_unknown_or_absurd_season_year_is_a_404(fan, year):
    season = build_season(rounds=1)
    for page in ("", "standings/", "results/"):
        response = fan.get(f"/series/{season.series.slug}/{year}/{page}")
        assert response.status_code == 404
        assert b"Back to the home page" in response.content


# --- season ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_season_page_marks_rounds_done_next_and_to_come(fan):
    season = build_season(rounds=2)
    # Two more rounds on the calendar, without results yet.
    for number in (3, 4):
        make_round(season, number)
    rounds = list(season.rounds.order_by("number"))
    with time_machine.travel(dt.datetime.combine(rounds[2].date, dt.time(8)), tick=False):
        response = fan.get(f"/series/{season.series.slug}/2023/")
    html = response.content.decode()
    assert response.status_code == 200
    states = re.findall(r'class="badge badge-(done|next|to-come)"', html)
    assert states == ["done", "done", "next", "to-come"]
    assert 'class="is-next"' in html


@pytest.mark.django_db
def test_season_page_shows_standings_summary_and_entries_by_class(fan):
    season = build_season()
    html = fan.get(f"/series/{season.series.slug}/2023/").content.decode()
    assert "Drivers’ standings, top ten" in html
    entries = html[html.index('id="entries-heading"') :]
    pro, am = entries.index(">Pro <"), entries.index(">Am <")
    assert pro < entries.index("Ben Driver") < am < entries.index("Dirk Driver")
    assert 'badge badge-guest">Guest' in html
    assert "Results not yet entered" not in html


@pytest.mark.django_db
def test_season_link_without_an_address_is_named_not_linked(fan):
    season = build_season()
    MediaLink.objects.create(
        kind=MediaKind.LIVE, provider="ITV4", region="United Kingdom", season=season
    )
    MediaLink.objects.create(
        kind=MediaKind.ARCHIVE, provider="YouTube", url="https://example.com/s", season=season
    )

    html = fan.get(f"/series/{season.series.slug}/2023/").content.decode()

    assert '<a href="https://example.com/s" rel="noopener">YouTube</a>' in html
    assert "<li>ITV4 " in html
    assert 'href=""' not in html


@pytest.mark.django_db
def test_season_without_results_says_so_plainly(fan):
    season = build_season(results=False)
    for page in ("", "standings/", "results/"):
        response = fan.get(f"/series/{season.series.slug}/2023/{page}")
        assert response.status_code == 200
        assert b"Results not yet entered" in response.content, page
        assert b"<svg" not in response.content


@pytest.mark.django_db
def test_partial_season_says_the_table_is_partial_with_the_note(fan):
    season = build_season(results_partial=True, results_note="Only the top four are published.")
    for page in ("", "standings/", "results/"):
        html = fan.get(f"/series/{season.series.slug}/2023/{page}").content.decode()
        assert "Partial results" in html, page
        assert "Only the top four are published." in html


# --- standings -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_standings_show_points_per_round_gap_and_unranked_guest(fan):
    season = build_season()
    html = fan.get(f"/series/{season.series.slug}/2023/standings/").content.decode()
    assert html.count('<th scope="col" class="round-cell">') == 3
    # Anna: 3 wins x 25; Ben third each time, the guest's points pass down: 3 x 20.
    assert re.search(r"Anna Driver.*?<td class=\"num total\">75</td>", html, re.S)
    assert re.search(
        r"Ben Driver.*?<td class=\"num total\">60</td>\s*<td class=\"num\">−15", html, re.S
    )
    guest_row = html[html.index("Carla Driver") :].split("</tr>")[0]
    assert "badge-guest" in guest_row
    assert 'class="is-unranked"' in html


@pytest.mark.django_db
def test_standings_mark_dropped_rounds(fan):
    season = build_season(rules={"drop_worst": 1})
    html = fan.get(f"/series/{season.series.slug}/2023/standings/").content.decode()
    dirk_row = html[html.index("Dirk Driver") :].split("</tr>")[0]
    assert '<s class="dropped"' in dirk_row
    assert "(dropped)" in dirk_row


@pytest.mark.django_db
def test_standings_after_round_and_class_and_teams(fan):
    season = build_season()
    url = f"/series/{season.series.slug}/2023/standings/"
    after = fan.get(url + "?after=1").content.decode()
    assert after.count('<th scope="col" class="round-cell">') == 1
    assert re.search(r"Anna Driver.*?<td class=\"num total\">25</td>", after, re.S)
    am = fan.get(url + "?class=am").content.decode()
    table = am[am.index("standings-table") :]
    assert "Dirk Driver" in table and "Anna Driver" not in table
    teams = fan.get(url + "?table=teams").content.decode()
    assert "Team Red 2023" in teams
    assert 'aria-current="page">Teams</a>' in teams


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("?after=abc", "not a round number"),
        ("?after=99", "no round “99”"),
        ("?class=nope", "no class “nope”"),
        ("?table=x", "no such table"),
        ("?table=x%00y", "no such table"),
        ("?after=" + "9" * 400, "not a round number"),
        ("?class=%ff%fe", "not a class"),
    ],
)
def test_bad_standings_filter_is_ignored_with_a_notice_on_a_200_page(fan, query, says):
    season = build_season()
    url = f"/series/{season.series.slug}/2023/standings/"
    response = fan.get(url + query + "&utm_source=x")
    html = response.content.decode()
    # A 200, so htmx swaps it and the page cache keeps it; the address it names is the clean one.
    assert response.status_code == 200
    assert says in html
    assert "<html" in html  # the full page, the filter ignored
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    assert "x%00y" not in html and "utm_source" not in html
    assert re.search(r"Anna Driver.*?<td class=\"num total\">75</td>", html, re.S)


@pytest.mark.django_db
def test_htmx_request_gets_only_the_table_fragment_and_vary(fan):
    season = build_season()
    url = f"/series/{season.series.slug}/2023/standings/?after=2"
    response = fan.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="standings-table"')
    assert "<html" not in html and "site-header" not in html
    assert "HX-Request" in response["Vary"]
    full = fan.get(url)
    assert "HX-Request" in full["Vary"]


@pytest.mark.django_db
def test_htmx_history_restore_gets_the_full_page(fan):
    season = build_season()
    response = fan.get(
        f"/series/{season.series.slug}/2023/standings/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" in html and 'id="standings-table"' in html


@pytest.mark.django_db
def test_progression_chart_is_inline_svg_without_style_attributes(fan):
    season = build_season()
    html = fan.get(f"/series/{season.series.slug}/2023/standings/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count("<polyline") == 3  # Anna, Ben, Dirk: the guest is not ranked
    assert "style=" not in svg
    # Readable without colour: each line has its own dash pattern and a name at its end.
    assert len(set(re.findall(r'<polyline class="chart-line (chart-c\d)"', svg))) == 3
    assert "stroke-dasharray" in svg
    assert "1. Anna Driver" in svg


# --- results matrix --------------------------------------------------------------------------


@pytest.mark.django_db
def test_results_matrix_colours_and_codes_each_cell(fan):
    season = build_season(rounds=4)
    html = fan.get(f"/series/{season.series.slug}/2023/results/").content.decode()
    assert 'class="legend"' in html
    anna = html[html.index("Anna Driver") :].split("</tr>")[0]
    assert anna.count('class="res res-win"') == 4
    assert '<sup aria-hidden="true">P</sup>' in anna
    dirk = html[html.index("Dirk Driver") :].split("</tr>")[0]
    codes = re.findall(r'<td class="res (res-[a-z]+)"[^>]*>([^<]+)', dirk)
    assert codes == [
        ("res-points", "4"),
        ("res-ret", "Ret"),
        ("res-dsq", "DSQ"),
        ("res-dns", "DNS"),
    ]
    ben = html[html.index("Ben Driver") :].split("</tr>")[0]
    assert '<sup aria-hidden="true">F</sup>' in ben and "res-second" in ben
    carla = html[html.index("Carla Driver") :].split("</tr>")[0]
    assert "badge-guest" in carla
    # Ranked drivers first, in championship order; the guest last.
    assert html.index("Anna Driver") < html.index("Ben Driver") < html.index("Dirk Driver")
    assert html.index("Dirk Driver") < html.index("Carla Driver", html.index("results-matrix"))


@pytest.mark.django_db
def test_results_matrix_greens_only_places_that_scored_and_keeps_the_dagger(fan):
    # A short scale (top 3 score) and a partial season: Dirk's 5th would be "3rd among the
    # eligible cars on record" if the matrix ranked them itself; the engine pays 5th nothing.
    season = build_season(rounds=1, rules={"race_points": [10, 6, 4]}, results_partial=True)
    session = season.rounds.get().sessions.get()
    dirk = session.results.get(entry__driver__slug__startswith="dirk")
    dirk.position = 5
    dirk.status = "retired"
    dirk.save()
    html = fan.get(f"/series/{season.series.slug}/2023/results/").content.decode()
    row = html[html.index("Dirk Driver") :].split("</tr>")[0]
    codes = re.findall(r'<td class="res (res-[a-z]+)"[^>]*>([^<]+)', row)
    assert codes == [("res-finish", "5†")]
    assert "retired, classified" in row


@pytest.mark.django_db
def test_season_calendar_names_the_place_once(fan):
    from series.models import Round

    season = build_season(rounds=1)
    round_ = Round.objects.select_related("event__circuit").get(season=season)
    round_.event.name = "Silverstone 2023"
    round_.event.save()
    round_.event.circuit.name = "Silverstone"
    round_.event.circuit.save()
    round_.name = "Silverstone"
    round_.save()
    html = fan.get(f"/series/{season.series.slug}/2023/").content.decode()
    calendar = html[html.index('id="calendar-heading"') : html.index('id="standings-heading"')]
    assert calendar.count("Silverstone") == 1


@pytest.mark.django_db
def test_season_calendar_shows_a_weekend_not_a_guessed_day(fan):
    from series.models import DatePrecision, Round

    season = build_season(rounds=1)
    Round.objects.filter(season=season).update(date_precision=DatePrecision.WEEKEND)
    html = fan.get(f"/series/{season.series.slug}/2023/").content.decode()
    calendar = html[html.index('id="calendar-heading"') : html.index('id="standings-heading"')]
    assert "weekend of" in calendar
    assert "<time" not in calendar


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    [
        "",
        "{year}/",
        "{year}/standings/",
        "{year}/standings/?table=teams&after=2",
        "{year}/results/",
    ],
)
def test_query_count_is_the_same_with_1_and_30_seasons(fan, page):
    """Prevents an n+1: the series page loads series, feeders, seasons (with state and round
    count), champions, links, the current calendar, the site version and the current season's
    stored table (and its titles and published rows when finished); the season page loads the
    season (with state), its rounds, their races with each one's winner (one query), entries,
    links, the site version, the stored table, titles, published rows and the amended rounds; the
    standings page the season, its rounds, the site version, the stored overall table (and the
    asked one), titles, published rows and the amended rounds; the results matrix the season, its
    races, entries, results, the stored table, the site version, titles, published rows and the
    amended rounds — whatever the seasons."""
    season = build_season(year=2024)
    url = f"/series/{season.series.slug}/" + page.format(year=2024)
    one = count_queries(fan, url)
    for year in range(1995, 2024):
        build_season(season.series, year=year, rounds=2)
    Champion.objects.create(series=season.series, year=2000, driver_name="Someone")
    assert season.series.seasons.count() == 30
    assert count_queries(fan, url) == one
