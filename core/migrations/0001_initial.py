# The numbering counter moves from the project package (tppo) to core: the table stays as it
# is (tppo_counter); only Django's record of which app owns it changes.

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("tppo", "0003_models_move_to_core")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Counter",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=50, unique=True)),
                        ("last", models.PositiveBigIntegerField(default=0)),
                    ],
                    options={"db_table": "tppo_counter"},
                ),
            ],
        ),
    ]
