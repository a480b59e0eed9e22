"""The API's `Idempotency-Key` header: the pages' one-time submission keys
(core.idempotency), sent by a client that retries.

A POST that creates may carry `Idempotency-Key: <8-100 characters>`. The first request
creates and answers 201; a retry with the same key, to the same address with the same body,
creates nothing and answers 200 with the record the first one made; the same key with
another address or body is a 409 (`idempotency_key_reused`). Keys belong to the user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status

from core.idempotency import HEADER, KEY_PATTERN, fingerprint, once

T = TypeVar("T", bound=models.Model)

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    location=OpenApiParameter.HEADER,
    required=False,
    pattern=KEY_PATTERN.pattern,
    description=str(
        _(
            "Opsional; cara aman mengulang pengiriman. Kunci acak (8-100 karakter: huruf, "
            "angka, `.`, `:`, `_`, `-`) yang Anda buat sekali per permintaan. Permintaan yang "
            "diulang dengan kunci dan isi yang sama tidak membuat data kedua: jawabannya 200 "
            "dengan data yang dibuat pertama kali. Kunci yang sama dengan alamat atau isi lain: "
            "409 `idempotency_key_reused`."
        )
    ),
)


def create_once(request, create: Callable[[], T]) -> tuple[T, int]:
    """Run `create` under the request's Idempotency-Key: (the record, 201) the first time,
    (the record made then, 200) on a retry. Call it inside `service_errors()`."""
    key = (request.headers.get(HEADER) or "").strip()
    if key and not KEY_PATTERN.fullmatch(key):
        raise exceptions.ValidationError(
            {
                HEADER: [
                    _(
                        "Idempotency-Key harus 8 sampai 100 karakter: huruf, angka, titik, "
                        "titik dua, garis bawah atau tanda hubung."
                    )
                ]
            }
        )
    obj, created = once(
        user=request.user,
        key=key,
        create=create,
        scope=f"api:{request.path}"[:100],
        fingerprint=fingerprint(request.data),
    )
    return obj, status.HTTP_201_CREATED if created else status.HTTP_200_OK
