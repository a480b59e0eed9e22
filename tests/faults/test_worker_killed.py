"""A worker killed in the middle of a summary build: nothing of the interrupted build is
visible (a month's summaries are replaced together), the task is delivered again to another
worker, and the summaries it builds are exactly those of an uninterrupted build."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone

from reports.models import MonthlySummary
from reports.services import summaries_build
from tests.conftest import requires_broker, requires_postgres
from tests.reports.crafted import build

BASE_DIR = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/5"
VISIBILITY_TIMEOUT = 3  # seconds before an unacknowledged task is delivered again
ALL = 28  # province + 13 regencies, internal and published

pytestmark = [
    requires_broker,
    requires_postgres,
    # The workers are other processes: they see only committed rows.
    pytest.mark.django_db(transaction=True),
]


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def start_worker():
    redis.Redis.from_url(BROKER).flushdb()  # this suite's own Redis database
    started = []

    def start(name: str, pause: float, marker: Path | None = None) -> subprocess.Popen:
        env = {
            "SLOW_BUILD_MARKER": str(marker or ""),
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": BROKER,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "SLOW_BUILD_SECONDS": str(pause),
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.faults.slow_worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{name}-{os.getpid()}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
    redis.Redis.from_url(BROKER).flushdb()


def send(period: str) -> None:
    from tppo.celery import app

    with app.connection_for_write(BROKER) as conn:
        app.send_task("reports.tasks.summaries_build_task", args=[period], connection=conn)


def wait_for(predicate, worker, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker.poll() is not None:
            pytest.fail(f"worker died: {worker.stdout.read().decode()[-3000:]}")
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def checksums() -> dict:
    return {
        (s.regency_id, s.version): s.checksum
        for s in MonthlySummary.objects.filter(period="2026-03-01")
    }


def test_a_build_killed_midway_is_redelivered_and_ends_as_an_uninterrupted_one(
    unit_bjm, outsider, start_worker, tmp_path
):
    build(unit_bjm, outsider)
    summaries_build(period="2026-03")  # the uninterrupted build, in this process
    expected = checksums()
    assert len(expected) == ALL
    MonthlySummary.objects.all().delete()

    # A worker that pauses a second after each summary takes the job...
    marker = tmp_path / "written"
    first = start_worker("slow", pause=1.0, marker=marker)
    send("2026-03")

    def midway() -> bool:
        return marker.exists() and int(marker.read_text() or 0) >= 2

    wait_for(midway, first, "the first summaries")
    # ...and is killed outright midway, before it could acknowledge the job.
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    killed_at = timezone.now()
    assert 2 <= int(marker.read_text()) < ALL  # it was midway...
    assert MonthlySummary.objects.count() == 0  # ...and none of its work is visible

    # A new worker gets the job again once the visibility timeout has passed.
    second = start_worker("fresh", pause=0)

    def rebuilt() -> bool:
        stamps = list(MonthlySummary.objects.values_list("built_at", flat=True))
        return len(stamps) == ALL and all(stamp > killed_at for stamp in stamps)

    wait_for(rebuilt, second, "the redelivered build", timeout=120)
    assert checksums() == expected
