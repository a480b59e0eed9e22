from django.db import models


class Counter(models.Model):
    """The last number issued in a numbering series (e.g. cases of one regency and year).

    Incremented under a row lock inside the caller's transaction, so numbers are gap-free
    (a rolled-back insert rolls its number back too) and never issued twice.
    """

    key = models.CharField(max_length=50, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.last}"


class PendingJob(models.Model):
    """A background job that could not be handed to the broker (tppo/jobs.py).

    Kept until `manage.py requeue_jobs` (or its beat task) sends it, and counted on /healthz,
    so an outage of the broker loses no job silently. Arguments are ids and periods only,
    never personal data.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=1)
    last_attempt_at = models.DateTimeField(auto_now=True)
    # The class of the last error only: broker messages may echo the payload.
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
