"""The editors' admin, one module per part; importing them registers their pages.

- records.py: the pyramid, people and editorial tables; results.py: sessions, entries, results;
- revisions.py: revision reasons on final sessions, the revision history and penalties;
- race_control.py: the race-weekend board; imports.py (with import_flow.py and import_forms.py):
  upload, preview and confirm of season tables, results and entry lists, and the champion check;
- guard.py: the record version every change form carries (one editor never silently undoes
  another's save); forms.py: the model forms of the change pages.
"""

from . import race_control, records, results, revisions

__all__ = ["race_control", "records", "results", "revisions"]
