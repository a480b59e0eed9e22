"""Creates that happen once: one mechanism for the pages' submission keys and the API's
`Idempotency-Key` header.

A page renders every create form with a fresh random key in a hidden field; the API client
sends its own key in a header. `once(user=..., key=..., create=...)` runs `create` and
records (user, key) -> the created row in the same transaction: a resend under the same key
gets the row made the first time instead of a second one. The unique (user, key) settles
races (two requests at once): the loser's create is rolled back to a savepoint and it is
answered with the winner's row, exactly like a later retry.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from typing import TypeVar, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from .crypto import keyed_digest
from .models import SubmissionKey

T = TypeVar("T", bound=models.Model)

KEY_PATTERN = re.compile(r"[A-Za-z0-9_.:\-]{8,100}")
HEADER = "Idempotency-Key"


class KeyReused(ValidationError):
    """The key was used before by this user for a different request (a page shows the
    message above its form; the API answers 409)."""

    def __init__(self, obj: models.Model | None):
        super().__init__(
            {
                NON_FIELD_ERRORS: _(
                    "Formulir ini sudah pernah dikirim untuk data lain. Muat ulang halaman, "
                    "lalu isi kembali."
                )
            }
        )
        self.obj = obj


def new_key() -> str:
    """A fresh one-time key (for a form being rendered)."""
    return secrets.token_urlsafe(24)


def check_key(key: str, field: str = "submission_key") -> str:
    if not KEY_PATTERN.fullmatch(key or ""):
        raise ValidationError(
            {
                field: _(
                    "Kunci pengiriman tidak sah: 8 sampai 100 karakter huruf, angka, titik, "
                    "titik dua, garis bawah atau tanda hubung."
                )
            }
        )
    return key


def fingerprint(*parts) -> str:
    """A fingerprint of a request (what was asked, of which record), to tell a retry from
    another request reusing its key. Keyed (bodies may name people) with the key that does
    not rotate with SECRET_KEY, so a retry stays a retry after a restore or a rotation."""
    return keyed_digest(json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str))


def _replay(user, key: str, scope: str, print_: str) -> models.Model | None:
    row = SubmissionKey.objects.filter(user=user, key=key).select_related("content_type").first()
    if row is None:
        return None
    try:
        obj = row.content_type.get_object_for_this_type(pk=row.object_id)
    except ObjectDoesNotExist:
        raise KeyReused(None) from None
    if row.scope != scope or row.fingerprint != print_:
        raise KeyReused(obj)
    return obj


def once(
    *, user, key: str, create: Callable[[], T], scope: str = "", fingerprint: str = ""
) -> tuple[T, bool]:
    """(the row `create` made, True), or, when `user` already created something under
    `key`, (that row, False) without calling `create`. `scope` names the kind of create
    (e.g. "cases:stage:12") and `fingerprint` the request; a key reused with another scope
    or fingerprint raises `KeyReused`. An empty key: no protection, `create` runs."""
    if not key:
        return create(), True
    check_key(key)
    found = _replay(user, key, scope, fingerprint)
    if found is not None:
        return cast(T, found), False
    try:
        with transaction.atomic():
            obj = create()
            SubmissionKey.objects.create(
                user=user,
                key=key,
                scope=scope,
                fingerprint=fingerprint,
                content_type=ContentType.objects.get_for_model(type(obj)),
                object_id=obj.pk,
            )
    except IntegrityError:
        # A request under the same key committed first (its commit released our insert):
        # its row is the answer. Any other integrity error is the create's own.
        found = _replay(user, key, scope, fingerprint)
        if found is None:
            raise
        return cast(T, found), False
    return obj, True
