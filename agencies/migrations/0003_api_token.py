"""API tokens with an expiry and a last-used time (agencies.ApiToken), replacing DRF's
authtoken tokens, which never expired.

Keys of DRF's table, where one exists, are carried over with an expiry of TOKEN_TTL_DAYS from
now, except those of inactive users and of the roles that require the second factor (they
may no longer hold a token); then DRF's table is emptied.
"""

from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def carry_over_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("agencies", "ApiToken")
    User = apps.get_model("agencies", "User")
    refused = set(settings.OTP_REQUIRED_ROLES)
    quoted = schema_editor.quote_name(OLD_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {quoted}")  # noqa: S608
        rows = cursor.fetchall()
    expires_at = timezone.now() + timedelta(days=settings.TOKEN_TTL_DAYS)
    users = User.objects.in_bulk({user_id for _key, user_id in rows})
    for key, user_id in rows:
        user = users.get(user_id)
        if user is None or not user.is_active:
            continue
        role = "ADMIN" if user.is_superuser else user.role
        if role in refused:
            continue
        ApiToken.objects.create(key=key, user=user, expires_at=expires_at)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quoted}")  # noqa: S608


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0002_seed_regencies_agencies'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created', models.DateTimeField(auto_now_add=True, verbose_name='Created')),
                ('key', models.CharField(max_length=40, unique=True, verbose_name='kunci')),
                ('expires_at', models.DateTimeField(verbose_name='berlaku sampai')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='terakhir dipakai')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='auth_token', to=settings.AUTH_USER_MODEL, verbose_name='User')),
            ],
            options={
                'verbose_name': 'token API',
                'verbose_name_plural': 'token API',
                'indexes': [models.Index(fields=['expires_at'], name='agencies_ap_expires_211684_idx')],
            },
        ),
        migrations.RunPython(carry_over_drf_tokens, migrations.RunPython.noop),
    ]
