"""Builds the shipped season files from the compiled facts, once; the output is committed.

    python series/data/build_seasons.py /work/shared/data/facts

reads `recent/calendar_<series>_<year>.csv` (2024–2026 calendars) and `partial-seasons/<season>/`
(older seasons: calendar, top rows of the published table, scoring) and writes, for each season,

- `seasons/<series>-<year>.toml`: the season in import_season format, defining the circuits and
  events it needs (circuits not already in circuits.csv; events with the dates as precise as the
  facts give them), its rounds (one per race where the races of a weekend are known, else one per
  weekend, which the round's description says), local start times where a timetable was read;
- `results/<series>-<year>.csv`: what is known of the classifications: each race winner that was
  read, and every cell of the published table's rows that were read (import_results format, with
  `--create-missing`); an unknown result has no line;
- `published_standings.csv`: the published points and positions of those rows, and whether each
  row was read complete (load_pyramid marks the entry's results complete or not from it).

The facts are messy: rounds without dates, weekends whose number of races was not read, winners
given per weekend. How each calendar row becomes events and rounds is written out by hand in
SEASONS below, next to the row it reads; everything the facts say about a row that is not
structured (its notes, INFERRED, CONFLICT, its sources) is carried into the round's or event's
private `notes`, and what a fan would be misled without goes into a public `description`.
A calendar row with no date at all cannot become an event (an event has dates): the season's
description lists it as "dates not on record". Nothing is invented: a race with no winner read
has no result.

The work is in series/data/build/: spec.py (what a season is made of), the season tables by
region (supercup.py, europe.py, asia_pacific.py, americas.py, older.py) and writing.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository: series.data
    from series.data.build import build

    build(Path(sys.argv[1]))
