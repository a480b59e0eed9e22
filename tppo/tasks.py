"""Celery wrapper for re-sending jobs that could not be queued (see tppo/jobs.py)."""

from celery import shared_task

from .jobs import requeue


@shared_task(name="tppo.tasks.requeue_jobs_task")
def requeue_jobs_task() -> int:
    """Beat, every 10 minutes: send the jobs stored while the broker was down."""
    sent, _pending = requeue()
    return sent
