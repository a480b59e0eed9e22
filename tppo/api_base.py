"""The base of every app's API: the viewset, the write permission, role-restricted output
fields, and the schema class that documents every error an operation can give.

Kept apart from `tppo.api` because DRF imports that module (pagination, exception handler)
while it is itself being imported; this one needs DRF's generic views.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC
from functools import cache

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.settings import api_settings
from rest_framework.viewsets import GenericViewSet

from agencies.scoping import may_see_identities, may_write
from tppo.api import DepthLimitedJSONParser

# --- Serializers ---------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """The error shape, for the schema."""

    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Pesan per kolom; jalur bertitik untuk isian bersarang."),
    )
    current_version = serializers.IntegerField(required=False)
    case_id = serializers.IntegerField(required=False)


def shows_identities(context: dict) -> bool:
    """Whether output may point at a person: never without a request in the context."""
    request = context.get("request")
    return request is not None and may_see_identities(request.user)


class RoleRestrictedFieldsMixin:
    """Output fields that point at a person (`identifying_fields`) are left out, the key
    absent rather than null, for roles that may not see identities (analysts). Without a
    request in the context nothing identifying is shown."""

    identifying_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.identifying_fields and not shows_identities(self.context):
            for field in self.identifying_fields:
                data.pop(field, None)
        return data


class RowFields:
    """A serializer's output fields, built once per process, applied to plain rows.

    A row is a mapping keyed by each field's source as a lookup (`perpetrator.kind` is
    `perpetrator__kind`), as `.values()` returns it, under the serializer's `row_prefix`
    when its rows are read through a link (e.g. `victim__`). Every value goes through the
    field's own `to_representation` and None stays None: the serializer's output without
    building its fields per request and DRF's per-attribute lookups (most of the cost of a
    page of nested records). A nested `many=True` serializer takes the list of its rows.
    Without `identities`, the `identifying_fields` are left out, as the serializer does.

    The fields are shared between requests, so only fields whose output does not depend on
    the request belong here (no hyperlinks)."""

    def __init__(self, serializer: serializers.Serializer, *, identities: bool):
        prefix = getattr(serializer, "row_prefix", "")
        hidden = () if identities else getattr(serializer, "identifying_fields", ())
        self.fields: list[tuple[str, str, Callable]] = []
        self.nested: dict[str, RowFields] = {}
        for field in serializer.fields.values():
            if field.write_only or field.field_name in hidden:
                continue
            key = prefix + "__".join(field.source_attrs)
            if isinstance(field, serializers.ListSerializer):
                self.nested[key] = RowFields(field.child, identities=identities)
                represent = self.nested[key].represent_all
            else:
                represent = field.to_representation
            self.fields.append((field.field_name, key, represent))

    @classmethod
    @cache
    def of(cls, serializer_class: type[serializers.Serializer], *, identities: bool) -> "RowFields":
        return cls(serializer_class(), identities=identities)

    @property
    def keys(self) -> list[str]:
        return [key for _name, key, _represent in self.fields]

    def represent(self, row: Mapping) -> dict:
        return {
            name: None if (value := row[key]) is None else represent(value)
            for name, key, represent in self.fields
        }

    def represent_all(self, rows: Iterable[Mapping]) -> list[dict]:
        return [self.represent(row) for row in rows]


# --- Strict JSON input --------------------------------------------------------------------
#
# JSON input taken as the schema states it: a value of another JSON type is refused with the
# field's message, not converted (DRF would take 5 for "5", "5" for 5 and "yes" for true).

# The database's largest id (bigint): a larger number names no record, and must not reach
# the database, which would refuse it with an error instead of an empty answer.
MAX_ID = 2**63 - 1


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictRegexField(serializers.RegexField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        # 22.0 is the integer 22 in JSON; "22" and true are not numbers.
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictSlugRelatedField(serializers.SlugRelatedField):
    """A record named by a text key (a regency by its code): the key must be text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A record named by its id: the id must be a JSON integer."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class TrueFalseField(forms.Field):
    """`true` or `false` (also 1/0); empty is no filter; anything else a 400, where
    django-filter's own boolean filter would ignore it and return everything."""

    default_error_messages = {"invalid": _("Isi dengan true atau false.")}
    TRUE = {"true", "1"}
    FALSE = {"false", "0"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class TrueFalseFilter(django_filters.BooleanFilter):
    field_class = TrueFalseField


REGENCY_CODE = RegexValidator(r"^[0-9]{4}$", _("Kode kabupaten/kota terdiri dari 4 angka."))


@extend_schema_field({"type": "string", "pattern": "^[0-9]{4}$"})
class RegencyCodeFilter(django_filters.CharFilter):
    """A regency by its BPS code: four digits (else a 400); a code that names no regency
    matches nothing."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [REGENCY_CODE])
        super().__init__(*args, **kwargs)


# --- Filters -------------------------------------------------------------------------------


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 timestamp, handed to the database in UTC.

    Python accepts offsets up to ±23:59 and PostgreSQL only up to ±15:59, and a date near
    year 1 or 9999 may leave the calendar once converted: both are a 400, never a 500."""

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return value
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(_("Waktu di luar jangkauan."), code="invalid") from exc


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A record id: a positive integer in the database's range (else a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    """`updated_since=<ISO 8601 timestamp>`: rows changed at or after that moment."""

    field_class = UtcIsoDateTimeField


# --- Views ---------------------------------------------------------------------------------


class WritesAllowed(BasePermission):
    """Reads for every authenticated user (the queryset scopes them); writes only for roles
    that may write. The services check again; checking here first means a read-only role
    gets its 403 before any validation of the body."""

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or may_write(request.user)


class ApiViewSet(GenericViewSet):
    """Base of every viewset: JSON in, the access rule, the shared schema."""

    parser_classes = [DepthLimitedJSONParser]
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, WritesAllowed]


ERROR_DESCRIPTIONS = {
    400: _("Isian tidak valid; `errors` memuat pesan per kolom."),
    401: _("Token tidak ada, tidak valid, atau penggunanya tidak aktif."),
    403: _("Peran Anda tidak boleh melakukan perubahan ini."),
    404: _("Tidak ada, di luar cakupan Anda, atau halaman di luar jangkauan."),
    409: _("Bertentangan dengan data tersimpan (versi usang atau external_ref terpakai)."),
    412: _("Versi pada If-Match bukan versi terkini."),
    428: _("Versi data (`version` atau If-Match) wajib disertakan."),
    429: _("Terlalu banyak permintaan; tunggu sesuai header Retry-After."),
}


class AutoSchema(SpectacularAutoSchema):
    """Documents, per operation, every error response it can give.

    Every operation: 401, 429. Lists: 400 (bad filter), 404 (page out of range). Detail routes: 404. Writes: 400,
    403. A view adds statuses for some actions with `extra_error_statuses`
    (e.g. {"partial_update": (409, 412, 428)})."""

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            # Filters and paging take an empty value as no value (django-filter's rule,
            # which the pages rely on): the schema says so.
            if parameter["in"] == "query":
                parameter["allowEmptyValue"] = True
        return parameters

    def error_statuses(self) -> set[int]:
        codes = {401, 429}
        if self._is_list_view():
            codes |= {400, 404}  # a bad filter; a page past the last one
        if any(parameter.get("in") == "query" for parameter in self._get_parameters()):
            codes.add(400)
        if "{" in self.path:
            codes.add(404)
        if self.method not in SAFE_METHODS:
            codes |= {400, 403}
        action = getattr(self.view, "action", None)
        codes |= set(getattr(self.view, "extra_error_statuses", {}).get(action, ()))
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in sorted(self.error_statuses()):
            if str(code) in responses:
                continue
            response = self._get_response_for_code(ErrorSerializer, str(code))
            response["description"] = str(ERROR_DESCRIPTIONS[code])
            if code == 429:
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": str(_("Detik yang harus ditunggu.")),
                    }
                }
            responses[str(code)] = response
        return responses


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/: the JSON 404, not the site's HTML page."""
    raise exceptions.NotFound()


# --- Schema --------------------------------------------------------------------------------

NO_NUL = "^[^\\u0000]*$"


def text_parameters_refuse_nul(result, generator, request, public):
    """drf-spectacular post-processing: text query parameters say that they refuse NUL
    (PostgreSQL cannot store or search it, so such a request is a 400, as documented)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if (
                    parameter.get("in") == "query"
                    and schema.get("type") == "string"
                    and not ({"pattern", "format", "enum"} & schema.keys())
                ):
                    schema["pattern"] = NO_NUL
    return result
