"""The base of every app's API: the viewset, the write permission, role-restricted output
fields, and the schema class that documents every error an operation can give.

Kept apart from `tppo.api` because DRF imports that module (pagination, exception handler)
while it is itself being imported; this one needs DRF's generic views.
"""

from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.settings import api_settings
from rest_framework.viewsets import GenericViewSet

from agencies.scoping import may_see_identities, may_write

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


class RoleRestrictedFieldsMixin:
    """Output fields that point at a person (`identifying_fields`) are left out, the key
    absent rather than null, for roles that may not see identities (analysts). Without a
    request in the context nothing identifying is shown."""

    identifying_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.identifying_fields:
            request = self.context.get("request")
            if request is None or not may_see_identities(request.user):
                for field in self.identifying_fields:
                    data.pop(field, None)
        return data


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


class IdFilter(django_filters.NumberFilter):
    """A record id: a positive integer in the database's range (else a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
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

    parser_classes = [JSONParser]
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
