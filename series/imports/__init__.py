"""What editors import, and the facts the site ships with, in modules along their steps. The
command-facing API is api.py (import_season, import_results); session.py limits a results import
to one session's page; entries.py imports an entry list the same way.

- reading and checking, which never writes: season_format.py and season_check.py (a season file,
  TOML), result_rows.py (a results CSV), timing.py (a timing-sheet paste turned into that CSV),
  values.py (a cell's yes/no, time, number, date, choice, points or status), names.py and cars.py
  (matching drivers, teams and cars by name or number);
- writing, the only place rows are created or updated, inside one transaction: writing.py (the
  shared transaction and upsert), season_writer.py, results_writer.py and
  names.NameBook.create_planned;
- what comes out: report.py (RowError, ImportFailed, ImportReport) and preview.py (the
  classification as it will be published);
- the shipped facts (series/data/, run by load_pyramid): facts_reader.py (a fact table's rows and
  cells, saved through writing.upsert), facts_records.py, facts_people.py, facts.py (the order).
"""
