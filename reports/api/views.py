from datetime import UTC

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.response import Response

from agencies.api.access import ApiViewSet
from audit.models import ExportChannel, ExportFormat, ExportKind
from audit.services import export_record
from core.api.base import REGENCY_CODE
from core.api.errors import key_reused
from core.api.idempotency import IDEMPOTENCY_KEY, create_once
from core.http import client_ip
from core.idempotency import KeyReused
from core.periods import parse_period
from reports.exports import summary_rows
from reports.models import MonthlySummary, UnitReturn
from reports.selectors import summaries_visible_to, summary_access
from reports.services import may_file_returns, unit_return_file

from .serializers import (
    PERIOD_SCHEMA_PATTERN,
    MonthlySummaryOutput,
    UnitReturnInput,
    UnitReturnOutput,
)


class DuplicateReturn(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "duplicate_return"


def _since(request, field: str) -> dict:
    """`updated_since=<ISO timestamp>` (every list has it, for a unit's sync); empty or
    absent, no filter. Handed to the database in UTC: Python accepts offsets PostgreSQL
    does not, and a date near year 1 or 9999 may leave the calendar (both a 400)."""
    raw = request.query_params.get("updated_since")
    if not raw:
        return {}
    when = parse_datetime(raw.strip().replace(" ", "+"))
    if when is None:
        raise exceptions.ValidationError(
            {
                "updated_since": [
                    _("Waktu harus berformat ISO 8601, mis. 2026-03-01T00:00:00+08:00.")
                ]
            }
        )
    try:
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        when = when.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise exceptions.ValidationError(
            {"updated_since": [_("Waktu di luar jangkauan.")]}
        ) from exc
    return {f"{field}__gte": when}


# Filters: empty means no filter, as on every other list (django-filter's rule).
PERIOD = OpenApiParameter(
    "period",
    {"type": "string", "pattern": f"^({PERIOD_SCHEMA_PATTERN[1:-1]})?$"},
    description="YYYY-MM",
)
SINCE = OpenApiParameter(
    "updated_since",
    {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "maxLength": 0}]},
    description="ISO 8601 timestamp",
)
REGENCY = OpenApiParameter(
    "regency",
    {"type": "string", "pattern": "^([0-9]{4})?$"},
    description="regency code; empty for the province",
)


def _drf_error(exc: ValidationError) -> exceptions.ValidationError:
    return exceptions.ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    )


@extend_schema(tags=["returns"])
class UnitReturnViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, ApiViewSet):
    """Monthly returns (laporan bulanan, including nil returns) of the caller's agency;
    the province sees every unit's, a regency those of its units."""

    serializer_class = UnitReturnOutput
    queryset = UnitReturn.objects.none()
    extra_error_statuses = {"create": (409,)}

    def get_queryset(self):
        qs = UnitReturn.objects.visible_to(self.request.user).order_by("-period", "agency_id")
        qs = qs.filter(**_since(self.request, "filed_at"))
        period = self.request.query_params.get("period")
        if period:
            try:
                qs = qs.filter(period=parse_period(period))
            except ValidationError as exc:
                raise _drf_error(exc) from exc
        return qs

    @extend_schema(parameters=[PERIOD, SINCE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=UnitReturnInput,
        responses={201: UnitReturnOutput, 200: UnitReturnOutput},
        parameters=[IDEMPOTENCY_KEY],
    )
    def create(self, request, *args, **kwargs):
        if not may_file_returns(request.user):
            raise exceptions.PermissionDenied()
        data = UnitReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            filed, code = create_once(
                request, lambda: unit_return_file(by=request.user, **data.validated_data)
            )
        except KeyReused as exc:  # before ValidationError, which it is too
            raise key_reused() from exc
        except ValidationError as exc:
            if getattr(exc, "error_dict", None) and any(
                e.code == "duplicate" for e in exc.error_dict.get("period", [])
            ):
                raise DuplicateReturn(exc.message_dict["period"][0]) from exc
            raise _drf_error(exc) from exc
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied() from exc
        return Response(UnitReturnOutput(filed).data, status=code)


@extend_schema(tags=["summaries"])
class MonthlySummaryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Monthly summaries visible to the caller, each in the version the caller may read
    (analysts and units: the published one)."""

    serializer_class = MonthlySummaryOutput
    queryset = MonthlySummary.objects.none()
    holds_case_data = False  # published summaries are what analysts may read

    def get_queryset(self):
        if self.action == "retrieve":
            # One summary: any version the caller may open, as on the pages.
            return MonthlySummary.objects.filter(summary_access(self.request.user))
        params = self.request.query_params
        period = None
        if params.get("period"):
            try:
                period = parse_period(params["period"])
            except ValidationError as exc:
                raise _drf_error(exc) from exc
        regency = params.get("regency")
        if regency:
            try:
                REGENCY_CODE(regency)
            except ValidationError as exc:
                raise exceptions.ValidationError({"regency": exc.messages}) from exc
        qs = summaries_visible_to(self.request.user, period=period, regency=regency)
        return qs.filter(**_since(self.request, "built_at")).order_by("-period", "regency_id")

    # Summaries leave the system through the API as much as through downloads: each answer
    # is logged before it is returned, like a download.
    @extend_schema(parameters=[PERIOD, REGENCY, SINCE])
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        results = response.data.get("results", response.data)
        export_record(
            by=request.user,
            kind=ExportKind.SUMMARY_LIST,
            fmt=ExportFormat.JSON,
            channel=ExportChannel.API,
            row_count=len(results),
            ip_address=client_ip(request),
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        summary = self.get_object()
        data = self.get_serializer(summary).data
        export_record(
            by=request.user,
            kind=ExportKind.SUMMARY,
            fmt=ExportFormat.JSON,
            channel=ExportChannel.API,
            summary=summary,
            row_count=summary_rows(summary),
            ip_address=client_ip(request),
        )
        return Response(data)
