"""On PostgreSQL, the database itself refuses to change or delete the identity access log,
whatever code (or person with a SQL prompt and the app's role) tries."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION victims_identityaccess_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the identity access log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER victims_identityaccess_no_change
    BEFORE UPDATE OR DELETE ON victims_identityaccess
    FOR EACH ROW EXECUTE FUNCTION victims_identityaccess_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS victims_identityaccess_no_change ON victims_identityaccess;
DROP FUNCTION IF EXISTS victims_identityaccess_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("victims", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
