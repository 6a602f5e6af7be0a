"""What each page shows, loaded in a fixed number of queries: one module per page family.

home.py            the home page              pyramid.py         the pyramid; the series filter
series_page.py     a series                   seasons.py         a season: state, titles, page
standings.py       standings tables (stored)  results_matrix.py  a season's results matrix
revisions.py       change logs, amendments    champion_check.py  computed vs recorded champions
events.py          events list and page       sessions.py        a session's facts and page
drivers.py         drivers list and page      teams.py           teams list and page
careers.py         what driver and team pages share (season lines, race counts, final places)
circuits.py        circuits list and page     calendar.py        the calendar
champions.py       the champions' history     coverage.py        what the record holds
search.py          the site search            watch.py           where to watch
hosted.py          an event's rounds by season (events, circuits, calendar)
citations.py       a source text as citations
cache.py           the cached reads' keys
"""
