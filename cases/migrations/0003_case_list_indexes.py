"""Indexes for every filter and sort of the case list (pages and API), from EXPLAIN at
100,000 cases: sorting by regency or stage read and sorted every case of the first group,
an `external_ref` lookup read a whole index, and the search scanned the table.

The search is a case-insensitive substring match (`icontains`, which PostgreSQL runs as
`UPPER(col::text) LIKE UPPER('%...%')`); only a trigram index on that expression serves it.
Those two indexes exist on PostgreSQL only (SQLite, the quick start's database, has no GIN),
so they are created here rather than declared in the model."""

from django.db import migrations, models

TRIGRAM_INDEXES = {
    "case_register_no_trgm": "register_no",
    "case_police_report_no_trgm": "police_report_no",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON cases_case "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [
        # (stage) and (updated_at) become (stage, id) and (updated_at, id): the same
        # filters, and the list's sorts (which end with id) straight from the index.
        migrations.RemoveIndex(model_name="case", name="cases_case_stage_e91aa0_idx"),
        migrations.RemoveIndex(model_name="case", name="cases_case_updated_cd653a_idx"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["regency", "id"], name="cases_case_regency_e41c7c_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["stage", "id"], name="cases_case_stage_e3c138_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["updated_at", "id"], name="cases_case_updated_41a6fc_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["external_ref"], name="cases_case_externa_6e57cc_idx"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
