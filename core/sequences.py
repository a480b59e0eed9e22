from django.db import transaction
from django.db.models import F

from .models import Counter


def next_number(key: str) -> int:
    """The next number of the series `key`; call inside the transaction that uses it."""
    return next_numbers(key, 1)[0]


def next_numbers(key: str, count: int) -> range:
    """Reserve the next `count` numbers of the series `key` in one UPDATE; call inside the
    transaction that uses them. The row lock is taken once for the whole block, so a bulk
    writer holds it no longer than for one number."""
    if count < 1:
        raise ValueError("next_numbers needs a count of at least 1")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside a transaction")
    # Create the series once, racing writers included (no check-then-insert).
    Counter.objects.bulk_create([Counter(key=key)], ignore_conflicts=True)
    # The UPDATE takes the row lock: concurrent callers queue here until we commit.
    Counter.objects.filter(key=key).update(last=F("last") + count)
    last = Counter.objects.filter(key=key).values_list("last", flat=True).get()
    return range(last - count + 1, last + 1)
