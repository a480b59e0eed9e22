from django.db import transaction
from django.db.models import F

from .models import Counter


def next_number(key: str) -> int:
    """The next number of the series `key`; call inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside a transaction")
    # Create the series once, racing writers included (no check-then-insert).
    Counter.objects.bulk_create([Counter(key=key)], ignore_conflicts=True)
    # The UPDATE takes the row lock: concurrent callers queue here until we commit.
    Counter.objects.filter(key=key).update(last=F("last") + 1)
    return Counter.objects.filter(key=key).values_list("last", flat=True).get()
