"""Models every app shares: the numbering counter and the append-only base of audit rows."""

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
