"""Where to watch: every series with its latest known links and the year they are from, a plain
statement where nothing is on record, and an event or session shows its series' links for its
own year."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from series.models import MediaKind, MediaLink, Series, Tier
from series.selectors.watch import event_links, watch, watch_links_for
from tests.factories import make_event, make_round, make_season, make_series, make_session

pytestmark = pytest.mark.django_db


def link(series, year, provider, **kwargs):
    return MediaLink.objects.create(
        kind=kwargs.pop("kind", MediaKind.LIVE),
        provider=provider,
        url=kwargs.pop("url", ""),
        series=series,
        as_of_year=year,
        **kwargs,
    )


def test_links_for_a_year_fall_back_to_the_latest_earlier_year_and_say_so():
    series = make_series(name="Porsche Supercup", tier=Tier.SUPERCUP)
    link(series, 2017, "Sky Sports F1")
    link(series, 2019, "Eurosport")
    link(series, 2019, "Sport1")
    link(series, None, "YouTube archive", kind=MediaKind.ARCHIVE, url="https://example.com/a")
    info = watch_links_for(series, 2025)
    assert info.as_of == 2019 and not info.exact
    assert sorted(lk.provider for lk in info.links) == ["Eurosport", "Sport1"]
    assert [lk.provider for lk in info.lasting] == ["YouTube archive"]
    assert [lk.provider for lk in info.earlier] == ["Sky Sports F1"]
    # A year before any dated link: only the lasting ones.
    early = watch_links_for(series, 2010)
    assert early.as_of is None and early.links == [] and early.lasting
    exact = watch_links_for(series, 2017)
    assert exact.exact and [lk.provider for lk in exact.links] == ["Sky Sports F1"]


def test_season_links_carry_their_seasons_year():
    series = make_series(name="Carrera Cup North America")
    season = make_season(series, year=2023)
    MediaLink.objects.create(kind=MediaKind.LIVE, provider="IMSA.tv", url="", season=season)
    assert watch_links_for(series, 2023).exact
    assert watch_links_for(series, 2026).as_of == 2023


def test_watch_page_lists_every_series_with_the_year_and_says_where_nothing_is_known(fan):
    supercup = make_series(name="Porsche Supercup", tier=Tier.SUPERCUP)
    link(supercup, 2021, "Sky Deutschland", note="Pre-2024: the newest statement found.")
    quiet = make_series(name="Carrera Cup Quiet")
    with_url = make_series(name="Carrera Cup Germany")
    link(with_url, 2025, "YouTube", url="https://www.youtube.com/watch?v=x")
    html = fan.get("/watch/").content.decode()
    card = html[html.index('id="watch-porsche-supercup"') :]
    card = card[: card.index("</article>")]
    assert "as of 2021" in card and "Sky Deutschland" in card
    assert "it may have changed since" in card
    assert "Sky Deutschland</a>" not in card  # no address: plain text, not an empty link
    assert f"Nothing is on record about where to watch {quiet.display_name}" in html
    assert "Nothing is on record about where to watch 1 of the 3 series" in html
    assert 'href="https://www.youtube.com/watch?v=x"' in html


def test_an_event_shows_its_series_links_for_its_year_only():
    series = make_series(name="Porsche Supercup", tier=Tier.SUPERCUP)
    old = link(series, 2017, "Sky Sports F1")
    new = link(series, 2024, "New Stream")
    lasting = link(series, None, "Archive", kind=MediaKind.ARCHIVE)
    kept = event_links([old, new, lasting], 2024)
    assert set(kept) == {new, lasting}
    assert set(event_links([old, new, lasting], 2020)) == {old, lasting}


def test_session_page_shows_where_to_watch_its_series_that_year(fan):
    series = make_series(name="Porsche Supercup", tier=Tier.SUPERCUP)
    link(series, 2019, "Eurosport")
    season = make_season(series, year=2025)
    event = make_event(start=dt.date(2025, 5, 23), name="Monaco Test", slug="monaco-test")
    race = make_session(make_round(season, 1, event=event), slug="race")
    html = fan.get(f"/events/{event.slug}/{race.slug}/").content.decode()
    assert "Where to watch Supercup in 2025" in html or "Where to watch Porsche Supercup" in html
    assert "As of 2019" in html and "nothing newer is on record for 2025" in html
    html = fan.get(f"/events/{event.slug}/").content.decode()
    assert "Eurosport" in html


def test_shipped_watch_rows_load_with_their_years(shipped):
    # 5 rows of the first version and the 34 rows of recent/media_links.csv.
    assert MediaLink.objects.count() == 39
    assert MediaLink.objects.filter(as_of_year__isnull=False).count() == 32
    page = watch()
    infos = {info.slug: info for _, infos in page.tiers for info in infos}
    assert infos["carrera-cup-germany"].as_of == 2025
    assert infos["supercup"].as_of == 2021
    benelux = infos["carrera-cup-benelux"]
    assert not benelux.links and not benelux.lasting
    assert benelux.display_name in page.with_nothing
    assert page.series_count == len(infos) == Series.objects.all().count()
    # The page's tuples say what links_for_year says of the models, series by series.
    for series in Series.objects.all():
        info = watch_links_for(series, 2999)
        shown = infos[series.slug]
        assert shown.as_of == info.as_of
        for tuples, models in (
            (shown.links, info.links),
            (shown.lasting, info.lasting),
            (shown.earlier, info.earlier),
        ):
            assert [(lk.provider, lk.kind_label, lk.region, lk.url) for lk in tuples] == [
                (lk.provider, lk.get_kind_display(), lk.region, lk.url) for lk in models
            ]


# --- the series' facts (issue 13 item 1) -------------------------------------------------------


def test_series_facts_and_the_car_per_season_reach_the_seasons_that_exist():
    from series.models import Season

    call_command("load_pyramid", stdout=io.StringIO())
    italia = Series.objects.get(slug="carrera-cup-italia")
    assert italia.organiser == "Porsche Italia" and italia.website.endswith("carreracupitalia.it")
    assert Series.objects.get(slug="carrera-cup-japan").first_year == 2001
    # A season created without a car (an editor's, or a file that names none) gets the car of
    # its year...
    supercup = Series.objects.get(slug="supercup")
    s2021 = Season.objects.create(series=supercup, year=2021)
    call_command("load_pyramid", stdout=io.StringIO())
    s2021.refresh_from_db()
    assert s2021.car == "911 GT3 Cup (type 992)" and s2021.car_generation.slug == "992-1"
    # ...a season whose file names its car keeps it (2026: the new 992.2 car).
    s2026 = Season.objects.get(series=supercup, year=2026)
    assert s2026.car == "911 Cup (type 992.2)" and s2026.car_generation.slug == "992-2"
    out = io.StringIO()
    call_command("load_pyramid", stdout=out)
    assert "Done: nothing changed." in out.getvalue()


def test_the_links_order_is_medialinks_with_the_id_last():
    """Links tied on region, kind, provider and year are listed by id everywhere (PostgreSQL
    returned them in either order): the pages' order is the model's, made total."""
    from series.selectors.watch import LINK_ORDER

    assert (*MediaLink._meta.ordering, "pk") == LINK_ORDER
