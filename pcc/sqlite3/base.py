"""Django's SQLite backend, remembering how it rewrote each statement's placeholders.

Django writes SQL with `%s` placeholders and its SQLite backend turns them into `?` with a regular
expression on every execute: about 30 µs for a 1.6 KB statement (a select_related row), paid by
every query of every page. A page's statements are the same text request after request (the
prepared ones exactly: pcc/prepared.py), and the rewrite is a pure function of the text, so it is
remembered per process, for the 512 most recent statements.
"""

import functools

from django.db.backends.sqlite3 import base


@functools.lru_cache(maxsize=512)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
