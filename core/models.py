"""Models every app shares: the numbering counter, the append-only base of audit rows and
the one-time submission keys."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Counter(models.Model):
    """The last number issued in a numbering series (e.g. cases of one regency and year).

    Incremented under a row lock inside the caller's transaction, so numbers are gap-free
    (a rolled-back insert rolls its number back too) and never issued twice.
    """

    key = models.CharField(max_length=50, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        db_table = "tppo_counter"  # created when it lived in the project package

    def __str__(self) -> str:
        return f"{self.key}={self.last}"


APPEND_ONLY = "Audit records are append-only."


class AppendOnlyQuerySet(models.QuerySet):
    """Rows written once and never changed or removed (on PostgreSQL a trigger refuses it
    too, see the migrations that create such tables)."""

    def update(self, **kwargs):
        raise PermissionError(APPEND_ONLY)

    def delete(self):
        raise PermissionError(APPEND_ONLY)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(APPEND_ONLY)


class SubmissionKey(models.Model):
    """A one-time key under which a user created one record: a form's hidden submission
    key or an API `Idempotency-Key`. Written in the same transaction as the record, so a
    resend finds the record the first submission made instead of making another; the
    unique (user, key) decides races. `fingerprint` (API only) tells a retry of the same
    request from a different request reusing the key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    scope = models.CharField(max_length=100, default="", blank=True)
    fingerprint = models.CharField(max_length=64, default="", blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"
