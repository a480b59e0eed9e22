"""A Celery worker whose summary build pauses after each summary, so a test can kill it
midway. Test-only: production code stays as it is; the pause is patched in here.

    python -m tests.faults.slow_worker <celery worker arguments>

SLOW_BUILD_SECONDS sets the pause (default 0: an ordinary worker); SLOW_BUILD_MARKER, a file
that counts the summaries written so far (inside the month's transaction, so the database
shows none of them until the end).
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
MARKER = os.environ.get("SLOW_BUILD_MARKER", "")
_build_one = reports.services.summary_build
_written = 0


def slow_summary_build(**kwargs):
    global _written
    built = _build_one(**kwargs)
    _written += 1
    if MARKER:
        with open(MARKER, "w") as marker:
            marker.write(str(_written))
    time.sleep(PAUSE)
    return built


reports.services.summary_build = slow_summary_build

if __name__ == "__main__":
    app.worker_main(["worker", *sys.argv[1:]])
