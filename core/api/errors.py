"""API plumbing shared by every app: pagination, the one error shape and the exception
handler (the base viewset, filters and schema class are in `core.api.base`).

Every error answers with the same JSON object:

    {"detail": "<message>", "code": "<machine code>",
     "errors": {"<field path>": ["<message>", ...]}}      # only on 400

Field paths are dotted for nested input: `victims.2.identity.nik`. Errors that concern the
whole request use the key `non_field_errors`. Some errors add context: a stale write gives
`current_version`, a conflicting submission gives `case_id`. Messages are in Bahasa
Indonesia, or English with `Accept-Language: en`; they never repeat the submitted values of
personal data and never carry a stack trace.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.idempotency import KeyReused
from core.versions import StaleVersion

logger = logging.getLogger("core.api.errors")

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


# How far before its own clock the server's sync mark lies: a write whose transaction began
# before the read but committed after it carries an earlier `updated_at`; requests end
# within two minutes (gunicorn's timeout), so none is older than that when it commits.
SYNC_OVERLAP = timedelta(minutes=2)


class Pagination(PageNumberPagination):
    """`?page=N&page_size=M` (M up to 200); the answer carries `count`, `next`, `previous`,
    `results` and `sync_from`: the server's own high-water mark, the `updated_since` for the
    next sync (never the client's clock). A malformed page number is a 400; a page past the
    last one a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self.sync_from = timezone.now() - SYNC_OVERLAP  # before the rows are read
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["sync_from"] = self.sync_from.astimezone(UTC).isoformat()
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["sync_from"] = {
            "type": "string",
            "format": "date-time",
            "description": str(
                _(
                    "Tanda waktu server: kirim sebagai `updated_since` pada sinkronisasi "
                    "berikutnya (bukan jam sistem Anda)."
                )
            ),
        }
        schema["required"] = [*schema.get("required", []), "sync_from"]
        return schema

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param) or 1
        if value in self.last_page_strings:
            return value
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number < 1:
            raise exceptions.ValidationError(
                {self.page_query_param: [_("Nomor halaman harus bilangan bulat mulai dari 1.")]}
            )
        return number

    def get_page_size(self, request):
        """`page_size` 1..200 (else a 400, as any bad input); empty or absent, 50."""
        value = request.query_params.get(self.page_size_query_param)
        if not value:
            return self.page_size
        try:
            size = int(value)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Ukuran halaman harus bilangan bulat 1 sampai %(max)d.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


# --- Input ---------------------------------------------------------------------------------

MAX_JSON_DEPTH = 64


def json_depth_exceeds(data, limit: int) -> bool:
    """Whether `data` nests arrays/objects deeper than `limit` (iterative: no recursion)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser, refusing nesting deeper than MAX_JSON_DEPTH levels with a 400.

    No request of this API nests more than a few levels; a body of 100,000 brackets made
    the standard parser hit Python's recursion limit (a 500)."""

    max_depth = MAX_JSON_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = json_depth_exceeds(data, self.max_depth)
        if too_deep:
            raise exceptions.ParseError(
                _("JSON bersarang terlalu dalam (paling banyak %(n)d tingkat).")
                % {"n": self.max_depth}
            )
        return data


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self):
        super().__init__(
            _("Data yang dikirim terlalu besar (paling banyak %(n)d MB).")
            % {"n": max(1, settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024))}
        )


# --- Errors --------------------------------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Permintaan bertentangan dengan data yang tersimpan.")
    default_code = "conflict"

    def __init__(self, detail=None, code=None, **context):
        super().__init__(detail, code)
        self.context = context


class PreconditionFailed(Conflict):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("Versi pada If-Match bukan versi terkini.")
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Sertakan versi data: kolom `version` atau header If-Match.")
    default_code = "precondition_required"


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as flat dotted paths: {"victims.2.identity.nik": [...]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            key = NON_FIELD if key == "__all__" else str(key)
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(detail, list | tuple):
        if any(isinstance(item, dict | list | tuple) for item in detail):
            out = {}
            for index, item in enumerate(detail):
                if item:  # a valid item of a list of objects reports {}
                    out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
            return out
        return {prefix or NON_FIELD: [str(item) for item in detail]}
    return {prefix or NON_FIELD: [str(detail)]}


def validation_error(exc: DjangoValidationError, renames: dict[str, str] | None = None):
    """A service's ValidationError as the API's 400, renaming model fields to API fields
    (the last segment of a dotted path, e.g. `victims.0.age_at_identification` -> `.age`)."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
    renames = renames or {}
    flat: dict[str, list[str]] = {}
    for key, messages in errors.items():
        head, _sep, last = key.rpartition(".")
        last = NON_FIELD if last == "__all__" else renames.get(last, last)
        flat[f"{head}.{last}" if head else last] = list(messages)
    return exceptions.ValidationError(flat)


def stale_version(exc: StaleVersion, cls: type[Conflict] | None = None) -> Conflict:
    """The API's answer to a write based on an old version (409, or 412 for If-Match)."""
    return (cls or Conflict)(
        _(
            "Data telah diubah orang lain (versi terkini %(v)d). Baca ulang, lalu kirim "
            "perubahan berdasarkan versi terkini."
        )
        % {"v": exc.current},
        code="stale_version",
        current_version=exc.current,
    )


def key_reused() -> Conflict:
    return Conflict(
        _(
            "Idempotency-Key ini sudah Anda pakai untuk permintaan lain (alamat atau isi "
            "berbeda). Pakai kunci baru untuk permintaan baru."
        ),
        code="idempotency_key_reused",
    )


@contextmanager
def service_errors(renames: dict[str, str] | None = None) -> Iterator[None]:
    """Run a service call; its ValidationError becomes the API's 400, a stale version a
    409 with `current_version`, a reused Idempotency-Key a 409 (PermissionDenied and
    Http404 are answered by the exception handler as 403 and 404)."""
    try:
        yield
    except KeyReused as exc:  # a ValidationError for the pages, a 409 here
        raise key_reused() from exc
    except DjangoValidationError as exc:
        raise validation_error(exc, renames) from exc
    except StaleVersion as exc:
        raise stale_version(exc) from exc


def retry_after(exc: exceptions.Throttled) -> int:
    return max(1, math.ceil(exc.wait or 1))


def _error_body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        return {
            "detail": str(_("Data yang dikirim tidak valid.")),
            "code": "invalid",
            "errors": _flatten(exc.detail),
        }
    if isinstance(exc, exceptions.Throttled):
        detail = _("Terlalu banyak permintaan. Coba lagi dalam %(wait)d detik.") % {
            "wait": retry_after(exc)
        }
        return {"detail": str(detail), "code": "throttled"}
    detail = exc.detail
    if isinstance(detail, list | dict):  # raised with structured detail: keep the shape
        return {
            "detail": str(_("Permintaan tidak dapat diproses.")),
            "code": exc.default_code,
            "errors": _flatten(detail),
        }
    body = {"detail": str(detail), "code": getattr(detail, "code", exc.default_code)}
    body.update(getattr(exc, "context", {}))
    return body


def exception_handler(exc, context):
    """The one error shape for every error, including those DRF does not know about."""
    # Imported here: DRF's views read the parser setting, which names this module.
    from rest_framework.views import set_rollback

    if isinstance(exc, Http404):
        # Same answer whether the row is missing or outside the caller's scope; the
        # message of the Http404 (e.g. a model name) is not repeated.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = validation_error(exc)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    if not isinstance(exc, exceptions.APIException):
        # A bug, not bad input (bad input is a 400 above). Logged for the operators; the
        # client gets no detail: no stack trace, no data.
        logger.error("Unhandled API error", exc_info=exc)
        set_rollback()
        return Response(
            {"detail": str(_("Terjadi kesalahan pada server.")), "code": "server_error"},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled):
        headers["Retry-After"] = str(retry_after(exc))
    set_rollback()
    return Response(_error_body(exc), status=exc.status_code, headers=headers)
