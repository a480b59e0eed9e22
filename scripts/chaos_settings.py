"""Settings of the chaos run's own processes (`make chaos`, scripts/chaos.py): the product's
settings with two test-only changes, both because the run lasts minutes, not hours. Nothing of
this ships in the product.

- The self-healing `monthly-work-catch-up` task is due every minute instead of at a quarter
  past every hour, so that the run can stop beat across a due time (and see it catch up).
- Mail goes to files in CHAOS_MAIL_DIR (one file per message sent), so the run can count the
  reminders each unit received.
"""

from celery.schedules import crontab

from tppo.settings import *  # noqa: F403
from tppo.settings import CELERY_BEAT_SCHEDULE, env

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "monthly-work-catch-up": {
        **CELERY_BEAT_SCHEDULE["monthly-work-catch-up"],
        "schedule": crontab(minute="*"),
    },
}

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env.str("CHAOS_MAIL_DIR")
