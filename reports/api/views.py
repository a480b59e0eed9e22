from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.response import Response

from agencies.api.access import ApiViewSet
from audit.models import ExportChannel, ExportFormat, ExportKind
from audit.services import export_record
from core.api.errors import key_reused, validation_error
from core.api.idempotency import IDEMPOTENCY_KEY, create_once
from core.http import client_ip
from core.idempotency import KeyReused
from reports.exports import summary_rows
from reports.filters import MonthlySummaryFilter, UnitReturnFilter
from reports.models import MonthlySummary, UnitReturn
from reports.selectors import summaries_visible_to, summary_access
from reports.services import may_file_returns, unit_return_file

from .serializers import (
    MonthlySummaryOutput,
    UnitReturnInput,
    UnitReturnOutput,
)


class DuplicateReturn(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "duplicate_return"


@extend_schema(tags=["returns"])
class UnitReturnViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, ApiViewSet):
    """Monthly returns (laporan bulanan, including nil returns) of the caller's agency;
    the province sees every unit's, a regency those of its units."""

    serializer_class = UnitReturnOutput
    queryset = UnitReturn.objects.none()
    extra_error_statuses = {"create": (409,)}

    filterset_class = UnitReturnFilter

    def get_queryset(self):
        return UnitReturn.objects.visible_to(self.request.user).order_by("-period", "agency_id")

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
            raise validation_error(exc) from exc
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied() from exc
        return Response(UnitReturnOutput(filed).data, status=code)


@extend_schema(tags=["summaries"])
class MonthlySummaryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Monthly summaries visible to the caller, each in the version the caller may read
    (analysts and units: the published one)."""

    serializer_class = MonthlySummaryOutput
    queryset = MonthlySummary.objects.none()
    filterset_class = MonthlySummaryFilter
    holds_case_data = False  # published summaries are what analysts may read

    def get_queryset(self):
        if self.action == "retrieve":
            # One summary: any version the caller may open, as on the pages.
            return MonthlySummary.objects.filter(summary_access(self.request.user))
        return summaries_visible_to(self.request.user).order_by("-period", "regency_id")

    # Summaries leave the system through the API as much as through downloads: each answer
    # is logged before it is returned, like a download.
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
