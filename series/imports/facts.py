"""Loading the facts the site ships with (series/data/) in the order they depend on each other:
the record's own rows (facts_records.py), then people, titles and results (facts_people.py), each
file read and saved through facts_reader.py. Run by the load_pyramid command, in one transaction."""

from __future__ import annotations

from .facts_people import PeopleFacts
from .facts_records import RecordFacts


class PyramidLoader(RecordFacts, PeopleFacts):
    def load(self) -> None:
        self.car_generations()
        self.series()
        self.circuits()
        self.events()
        self.champions()
        self.seasons()
        self.sessions()
        self.results()
        self.original_names()
        self.published_standings()
        self.media_links()
        self.season_cars()
