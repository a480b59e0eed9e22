# The project package keeps no models: the counter moves to core (same table, see
# core/migrations/0001_initial.py); the job outbox, which nothing produced, goes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tppo", "0002_pendingjob")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Counter")]),
        migrations.DeleteModel(name="PendingJob"),
    ]
