"""The broker is down: a job that cannot be queued is stored and reported, then re-sent."""

import logging
import time

import pytest
import redis
from django.core.management import CommandError, call_command

from tests.conftest import requires_broker
from tppo.jobs import enqueue, requeue
from tppo.models import PendingJob

pytestmark = [
    pytest.mark.django_db,
    # send_task warns that the eager setting of this test process does not apply to it.
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

DEAD = "redis://127.0.0.1:1/0"
LIVE = "redis://127.0.0.1:6379/5"
TASK = "reports.tasks.build_summaries_task"


@pytest.fixture
def dead_broker(settings):
    settings.CELERY_BROKER_URL = DEAD


@pytest.fixture
def live_broker(settings):
    settings.CELERY_BROKER_URL = LIVE
    client = redis.Redis.from_url(LIVE)
    client.flushdb()  # this suite's own Redis database
    yield client
    client.flushdb()


def queued(client) -> list[dict]:
    import json

    # Kombu pushes on the left and workers pop on the right: reversed is delivery order.
    return [json.loads(m)["headers"] for m in reversed(client.lrange("celery", 0, -1))]


def test_a_job_the_broker_cannot_take_is_stored_and_logged_quickly(dead_broker, caplog):
    from reports.tasks import build_summaries_task

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="tppo.jobs"):
        assert enqueue(build_summaries_task, "2026-03") is False
    assert time.monotonic() - started < 5  # one short try, no reconnection loop
    job = PendingJob.objects.get()
    assert (job.task, job.args, job.attempts) == (TASK, ["2026-03"], 1)
    assert job.last_error == "OperationalError"
    assert [r.getMessage() for r in caplog.records] == [
        f"Broker unavailable (OperationalError): job {TASK} stored as pending job {job.pk}"
    ]


def test_job_arguments_are_scalars_only(dead_broker):
    with pytest.raises(TypeError):
        enqueue(TASK, {"full_name": "Siti"})
    assert not PendingJob.objects.exists()


def test_healthz_counts_the_pending_jobs(dead_broker, client):
    enqueue(TASK, "2026-03")
    enqueue(TASK, "2026-04")
    body = client.get("/healthz").json()
    assert body["pending_jobs"] == 2
    assert body["checks"]["broker"] == "error"


def test_healthz_counts_none_when_nothing_waits(client):
    assert client.get("/healthz").json()["pending_jobs"] == 0


def test_requeue_keeps_the_jobs_while_the_broker_is_down(dead_broker):
    enqueue(TASK, "2026-03")
    enqueue(TASK, "2026-04")
    with pytest.raises(CommandError, match="2 job"):
        call_command("requeue_jobs")
    assert list(PendingJob.objects.values_list("args", "attempts")) == [
        (["2026-03"], 2),
        (["2026-04"], 1),  # stopped at the first failure
    ]


def test_without_a_broker_a_job_runs_in_process(settings, unit_bjm, outsider):
    """The quick start has no broker: the job is done at once, nothing is stored."""
    from reports.models import MonthlySummary
    from tests.reports.crafted import build

    settings.CELERY_BROKER_URL = ""
    build(unit_bjm, outsider)
    assert enqueue(TASK, "2026-03") is True
    assert MonthlySummary.objects.count() == 28
    assert not PendingJob.objects.exists()


def test_the_beat_schedule_runs_the_requeue_task():
    from django.conf import settings

    from tppo.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tppo.tasks.requeue_jobs_task" in names
    assert "tppo.tasks.requeue_jobs_task" in app.tasks


@requires_broker
def test_when_the_broker_is_back_the_jobs_are_sent_and_deleted(settings, live_broker):
    settings.CELERY_BROKER_URL = DEAD
    enqueue(TASK, "2026-03")
    enqueue(TASK, "2026-04")
    settings.CELERY_BROKER_URL = LIVE
    call_command("requeue_jobs")
    assert not PendingJob.objects.exists()
    assert [(h["task"], h["argsrepr"]) for h in queued(live_broker)] == [
        (TASK, "['2026-03']"),
        (TASK, "['2026-04']"),
    ]


@requires_broker
def test_the_beat_task_sends_them_too(settings, live_broker):
    from tppo.tasks import requeue_jobs_task

    settings.CELERY_BROKER_URL = DEAD
    enqueue(TASK, "2026-03")
    settings.CELERY_BROKER_URL = LIVE
    assert requeue_jobs_task.apply().get() == 1
    assert not PendingJob.objects.exists()
    assert len(queued(live_broker)) == 1


@requires_broker
def test_a_live_broker_takes_the_job_at_once(live_broker):
    assert enqueue(TASK, "2026-03") is True
    assert not PendingJob.objects.exists()
    assert requeue() == (0, 0)
    assert len(queued(live_broker)) == 1
