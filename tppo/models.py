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
