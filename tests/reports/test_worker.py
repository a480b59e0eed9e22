"""A real Celery worker on Redis builds the month's summaries from committed data."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from reports.models import MonthlySummary
from tests.conftest import requires_broker, requires_postgres
from tests.reports.crafted import build

BASE_DIR = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/2"

pytestmark = [
    requires_broker,
    requires_postgres,
    # The worker is another process: it sees only committed rows.
    pytest.mark.django_db(transaction=True),
]


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker():
    from tppo.celery import app

    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_BROKER_URL": BROKER}
    with app.connection_for_write(BROKER) as conn:
        app.control.purge(connection=conn)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tppo",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"reports-test-{os.getpid()}@%h",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def send(period: str) -> None:
    from tppo.celery import app

    # send_task never runs in-process, whatever the eager setting of this test process.
    with app.connection_for_write(BROKER) as conn:
        app.send_task("reports.tasks.summaries_build_task", args=[period], connection=conn)


def wait_for(predicate, worker, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker.poll() is not None:
            pytest.fail(f"worker died: {worker.stdout.read().decode()[-3000:]}")
        time.sleep(0.5)
    pytest.fail("the worker did not build the summaries in time")


def test_a_real_worker_builds_the_summaries_twice_to_the_same_checksum(unit_bjm, outsider, worker):
    build(unit_bjm, outsider)
    send("2026-03")
    wait_for(lambda: MonthlySummary.objects.count() == 28, worker)
    first = dict(MonthlySummary.objects.values_list("pk", "checksum"))
    stamps = dict(MonthlySummary.objects.values_list("pk", "built_at"))

    send("2026-03")

    def rebuilt() -> bool:
        now = dict(MonthlySummary.objects.values_list("pk", "built_at"))
        return all(now[pk] > stamps[pk] for pk in stamps)

    wait_for(rebuilt, worker)
    assert dict(MonthlySummary.objects.values_list("pk", "checksum")) == first
    province = MonthlySummary.objects.get(regency=None, version="INTERNAL").content
    sex = next(t for t in province["tables"] if t["key"] == "victims_sex")
    assert sex["total"] == [8]
