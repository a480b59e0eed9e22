"""Optimistic locking, written once: every editable record carries a `version`; a write
names the version it was based on, and a write based on an older one is refused
(`StaleVersion`), never merged over someone else's change.

Pages show the one message (`stale_message`) and keep what the user typed; the API answers
409 with `current_version` (core.api.errors.service_errors); the admin refuses the save.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)


class StaleVersion(Exception):
    """The write was based on an older version of the record than the one stored."""

    def __init__(self, current: int):
        super().__init__(current)
        self.current = current


def stale_message(exc: StaleVersion) -> str:
    """What a page says when its save was based on an old version (Indonesian first)."""
    return _(
        "Data ini telah diubah oleh pengguna lain sejak Anda membukanya (sekarang versi "
        "%(v)s). Perubahan Anda belum disimpan: isian Anda masih ada di bawah. Buka data itu "
        "di tab lain, periksa perubahan tersebut, lalu kirim ulang perubahan Anda."
    ) % {"v": exc.current}


def locked_at_version(model: type[M] | models.QuerySet[M], pk, version: int | None) -> M:
    """The row `pk`, locked until the end of the transaction, checked to be at `version`
    (None: no check, for writes that only append). Raises `StaleVersion(current)`."""
    queryset = model if isinstance(model, models.QuerySet) else model._default_manager.all()
    locked: Any = queryset.select_for_update().get(pk=pk)
    if version is not None and int(version) != locked.version:
        raise StaleVersion(locked.version)
    return locked


def model_update(
    instance: Any,
    changes: dict,
    *,
    allowed: Iterable[str],
    also: dict | None = None,
    clean: dict | None = None,
) -> list[str]:
    """Apply `changes` (only fields in `allowed`; any other is a ValidationError naming
    it) and `also` (always written, e.g. `updated_by`), validate, bump the version and
    save only the fields that changed. Returns the fields written."""
    allowed = set(allowed)
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError({k: _("Kolom ini tidak dapat diubah.") for k in unknown})
    written = [k for k, v in changes.items() if getattr(instance, k) != v]
    for key in written:
        setattr(instance, key, changes[key])
    for key, value in (also or {}).items():
        setattr(instance, key, value)
        written.append(key)
    instance.full_clean(**(clean or {}))
    instance.version += 1
    fields = {f.name: f for f in instance._meta.concrete_fields}
    update = {fields[k].name for k in written if k in fields}
    update.add("version")
    if "updated_at" in fields:
        update.add("updated_at")
    instance.save(update_fields=sorted(update))
    return sorted(update)
