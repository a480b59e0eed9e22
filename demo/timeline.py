"""Time told truthfully: the demo's rows carry the moments they would have been written at,
and their change history (django-simple-history) is there, dated and signed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.db import models

from agencies.models import User


@contextmanager
def stored_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Inside the block, bulk inserts keep the `created_at`/`updated_at` the generator set.

    `auto_now`/`auto_now_add` would stamp every row with the moment of seeding, and a bulk
    insert has no other way round them. Only for the demo, which runs alone in its process.
    """
    stamped = [
        f
        for model in model_classes
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    for f in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@dataclass
class _Change:
    obj: models.Model
    at: datetime
    by: User | None
    kind: str  # "+" created, "~" changed (simple-history's history_type)
    then: dict  # the fields that differed at that moment from the record's final state


@dataclass
class History:
    """Historical rows collected while a chunk is generated, written after the records
    themselves (a historical row needs the record's id)."""

    changes: list[_Change] = field(default_factory=list)

    def created(self, obj: models.Model, *, at: datetime, by: User | None, **then) -> None:
        self.changes.append(_Change(obj, at, by, "+", then))

    def changed(self, obj: models.Model, *, at: datetime, by: User | None, **then) -> None:
        self.changes.append(_Change(obj, at, by, "~", then))

    def write(self) -> None:
        rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        for change in self.changes:
            historical = _historical(type(change.obj))
            rows[historical].append(_row(historical, change))
        for historical, batch in rows.items():
            historical.objects.bulk_create(batch)
        self.changes.clear()


@cache
def _historical(model_class: type[models.Model]) -> type[models.Model]:
    return model_class.history.model  # the manager is built anew on each access: slow


def _row(historical: type[models.Model], change: _Change) -> models.Model:
    state = {f.attname: getattr(change.obj, f.attname) for f in historical.tracked_fields}
    state.update(change.then)
    if "updated_at" in state:
        state["updated_at"] = change.at
    return historical(
        history_date=change.at,
        history_user=change.by,
        history_type=change.kind,
        history_change_reason=None,
        **state,
    )
