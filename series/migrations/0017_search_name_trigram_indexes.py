"""Trigram indexes on the folded names search reads (series/selectors/search.py), on PostgreSQL
only: the candidates of a search were every driver's and team's similarity computed in turn (50 ms
at 10,000 drivers); with the index, the names that hold the text or a word alike (0.6 ms).
SQLite has no such index; its search reads the folded names as before."""

from django.db import migrations

INDEXES = [
    ("series_driver", "driver_search_name_trgm"),
    ("series_team", "team_search_name_trgm"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_name gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("series", "0016_fill_search_names")]

    operations = [migrations.RunPython(create, drop)]
