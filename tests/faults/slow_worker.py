"""A Celery worker whose summary build pauses after each summary, so a test can kill it
midway. Test-only: production code stays as it is; the pause is patched in here.

    python -m tests.faults.slow_worker <celery worker arguments>

SLOW_BUILD_SECONDS sets the pause (default 0: an ordinary worker).
"""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tppo.settings")
django.setup()

import reports.services  # noqa: E402
from tppo.celery import app  # noqa: E402

PAUSE = float(os.environ.get("SLOW_BUILD_SECONDS", "0"))
_build_one = reports.services.summary_build


def slow_summary_build(**kwargs):
    built = _build_one(**kwargs)  # committed: each summary is its own transaction
    time.sleep(PAUSE)
    return built


reports.services.summary_build = slow_summary_build

if __name__ == "__main__":
    app.worker_main(["worker", *sys.argv[1:]])
