"""Record versions (django-simple-history), with indexes only on the columns Kurukan reads them by.

simple-history indexes every column of a history table that was indexed on the record (each foreign key,
each unique or `db_index` field) and adds `history_date` and `history_user`. Versions are read by record
(`record.history`, `id`) and, on an incident's history page, by the incident or violation they hang on; they
are written for every row a bulk import creates. On the six incident tables that made 48 indexes, 31 of
them written by every import and read by nothing (docs/benchmarks.md, "Imports"). `indexed` names the
columns that reads filter on; the others are plain columns.
"""

from __future__ import annotations

from simple_history import models as simple_history


class HistoricalRecords(simple_history.HistoricalRecords):
    """`simple_history.models.HistoricalRecords`, indexing only the columns named in `indexed`.

    `id` (the record's versions) is always indexed. `history_user` keeps its index unless left out on
    purpose: deleting a user sets it to NULL in every history table, through that index.
    """

    def __init__(self, *args, indexed: tuple[str, ...] = (), **kwargs) -> None:
        self.indexed = {"id", "history_user", *indexed}
        super().__init__(*args, **kwargs)

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            field.db_index = name in self.indexed
        return fields

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        extra["history_date"].db_index = "history_date" in self.indexed
        return extra


def unindexed(app_label: str, *operations):
    """History-table AlterFields that only remove an index, applied by dropping the index.

    Django's SQLite backend applies an AlterField by copying the whole table: removing eleven indexes from
    a million-row history table would copy it eleven times. Dropping the index is what PostgreSQL does
    anyway. Reversed, each plain index is created again."""
    from django.db import migrations

    def columns(apps):
        for operation in operations:
            model = apps.get_model(app_label, operation.model_name)
            yield model, model._meta.get_field(operation.name)

    def drop(apps, schema_editor):
        connection = schema_editor.connection
        for model, field in columns(apps):
            table = model._meta.db_table
            with connection.cursor() as cursor:
                found = connection.introspection.get_constraints(cursor, table)
            for name, info in found.items():
                plain = info["index"] and not (info["unique"] or info["primary_key"] or info["foreign_key"])
                if plain and info["columns"] == [field.column]:
                    schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")

    def create(apps, schema_editor):
        for model, field in columns(apps):
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))

    return migrations.SeparateDatabaseAndState(
        state_operations=list(operations),
        database_operations=[migrations.RunPython(drop, create, elidable=False)],
    )
