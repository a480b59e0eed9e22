"""Handing background jobs to the broker without losing them when it is down.

`enqueue(task, *args)` is how web code queues a task: it gives the broker a couple of
seconds, and when the broker cannot be reached it stores the job as a `PendingJob`, logs a
warning and returns, so the request that asked for it still succeeds. `requeue()` (run by
`manage.py requeue_jobs` and by the beat task `tppo.tasks.requeue_jobs_task`) sends the
stored jobs again; /healthz shows how many wait.

Arguments are ids and periods only (scalars), never personal data: they are stored in the
database and travel through the broker. Call `enqueue` after the data the job needs is
committed (outside `transaction.atomic`, or through `transaction.on_commit`), because the
worker only sees committed rows. Every task queued this way must be idempotent: a job can be
sent twice if the process dies between sending it and deleting its row.

Where it is used: no web code queued a task when this module was written (summaries are
built by beat and by `manage.py build_summaries`); any trigger added later should use it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from celery import Task
from django.conf import settings
from django.db import transaction
from kombu.exceptions import KombuError

from .celery import app
from .models import PendingJob

logger = logging.getLogger(__name__)

# Seconds to wait for the broker before storing the job instead.
BROKER_TIMEOUT = 2.0
SCALARS = (str, int, float, bool, type(None))


class BrokerUnavailable(Exception):
    pass


def _checked(args: Sequence) -> list:
    args = list(args)
    for arg in args:
        if not isinstance(arg, SCALARS):
            raise TypeError("Job arguments are ids and periods (scalars) only.")
    return args


def _send(name: str, args: list) -> None:
    """Send one job; with no broker configured (the quick start), run it in-process."""
    if not settings.CELERY_BROKER_URL:
        app.loader.import_default_modules()
        app.tasks[name].apply(args=args, throw=True)
        return
    try:
        with app.connection_for_write(
            settings.CELERY_BROKER_URL,
            connect_timeout=BROKER_TIMEOUT,
            # No reconnection loop: one short try, then the job is stored.
            transport_options={
                **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
                "max_retries": 0,
                "socket_timeout": BROKER_TIMEOUT,
                "socket_connect_timeout": BROKER_TIMEOUT,
            },
        ) as conn:
            app.send_task(name, args=args, connection=conn, retry=False)
    except (KombuError, OSError) as exc:
        raise BrokerUnavailable(type(exc).__name__) from exc


def enqueue(task: Task | str, *args) -> bool:
    """Queue `task` with `args`. True if the broker took it; False if it was stored as a
    pending job to be sent again later."""
    name = task if isinstance(task, str) else task.name
    args = _checked(args)
    try:
        _send(name, args)
    except BrokerUnavailable as exc:
        job = PendingJob.objects.create(task=name, args=args, last_error=str(exc))
        logger.warning(
            "Broker unavailable (%s): job %s stored as pending job %s", exc, name, job.pk
        )
        return False
    return True


def pending_count() -> int:
    return PendingJob.objects.count()


def requeue(*, batch_size: int = 100) -> tuple[int, int]:
    """Send the stored jobs again, oldest first; delete each one sent. Stops at the first
    failure (the broker is still down). Returns (sent, still pending)."""
    sent = 0
    while True:
        with transaction.atomic():
            # Locked and skipped by a concurrent requeue, so two runs do not send one job twice.
            jobs = list(PendingJob.objects.select_for_update(skip_locked=True)[:batch_size])
            if not jobs:
                break
            for job in jobs:
                try:
                    _send(job.task, list(job.args))
                except BrokerUnavailable as exc:
                    job.attempts += 1
                    job.last_error = str(exc)
                    job.save(update_fields=["attempts", "last_error", "last_attempt_at"])
                    remaining = pending_count()
                    logger.warning("Broker still unavailable (%s): %d jobs pending", exc, remaining)
                    return sent, remaining
                job.delete()
                sent += 1
    if sent:
        logger.info("Requeued %d pending jobs", sent)
    return sent, pending_count()
