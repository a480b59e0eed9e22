"""The one source of randomness of a demo run: deterministic for a seed."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from faker import Faker


class Chance:
    def __init__(self, seed: int, *, now: datetime):
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.now = now
        self.today = timezone.localdate(now)
        self._niks: set[str] = set()

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def weighted(self, pairs):
        items, weights = zip(*pairs, strict=True)
        return self.rng.choices(items, weights=weights)[0]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def between(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def some(self, seq, low: int = 1, high: int | None = None) -> list:
        """Between `low` and `high` (default: all) distinct items of `seq`."""
        return self.rng.sample(seq, k=self.rng.randint(low, len(seq) if high is None else high))

    def day_between(self, low: date, high: date) -> date:
        if high <= low:
            return low
        return low + timedelta(days=self.rng.randint(0, (high - low).days))

    def days_after(self, day: date, low: int, high: int) -> date:
        """A day `low` to `high` days after `day`, never after today."""
        return min(day + timedelta(days=self.rng.randint(low, high)), self.today)

    def moment(self, day: date, *, not_before: datetime | None = None) -> datetime:
        """A time in office hours (WITA) on `day`, never in the future, and not before
        `not_before` (so the changes of one record follow each other)."""
        at = datetime.combine(
            day,
            time(self.rng.randint(8, 15), self.rng.randint(0, 59), self.rng.randint(0, 59)),
            tzinfo=timezone.get_default_timezone(),
        )
        if not_before is not None and at < not_before:
            at = not_before + timedelta(minutes=self.rng.randint(1, 90))
        return min(at, self.now)

    def nik(self, regency: str, birth: date, sex: str) -> str:
        """A NIK of the right shape (regency, birth date, +40 for women), unique in the run."""
        day = birth.day + (40 if sex == "P" else 0)
        born = f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        while True:
            value = f"{regency}{self.rng.randint(1, 20):02d}{born}{self.rng.randint(1, 9999):04d}"
            if value not in self._niks:
                self._niks.add(value)
                return value
