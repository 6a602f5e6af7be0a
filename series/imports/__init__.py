"""Reading, matching and checking what editors import: entry lists (entries.py), timing-sheet
pastes (timing.py) and the names both meet (names.py). Results and season files are written by
series/importers.py."""
