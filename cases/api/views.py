"""Cases and perpetrators. Input serializer -> service -> output serializer.

Idempotent submission (`external_ref`), optimistic locking (`version` / If-Match) and the
stage timeline are the services' rules; this module maps their outcomes onto HTTP.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies.api.access import ApiViewSet
from cases.models import Case, Involvement, Perpetrator
from cases.services import (
    StaleVersion,
    SubmissionConflict,
    case_record_stage,
    case_submit,
    case_update,
    submission_fingerprint,
)
from core.api.errors import (
    Conflict,
    PreconditionFailed,
    PreconditionRequired,
    service_errors,
    stale_version,
)
from core.api.idempotency import IDEMPOTENCY_KEY, create_once
from victims.api.serializers import VICTIM_RENAMES

from .filters import CaseApiFilter, PerpetratorFilter
from .serializers import (
    CaseCreateSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    PerpetratorSerializer,
    RecordedStageSerializer,
    StageInputSerializer,
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="Versi kasus yang Anda baca (nilai ETag), sebagai ganti kolom `version`.",
)


def etag(case: Case) -> dict[str, str]:
    return {"ETag": f'"{case.version}"'}


def parse_if_match(value: str) -> int:
    """`If-Match: "7"` (or W/"7", or 7): the version the client read."""
    text = value.strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not text.isdigit() or len(text) > 9:
        raise serializers.ValidationError(
            {"If-Match": [_('If-Match harus berisi versi kasus, mis. "3".')]}
        )
    return int(text)


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ApiViewSet,
):
    """Cases the caller may see. POST submits a case with its victims and perpetrators;
    PATCH changes it based on the version read."""

    serializer_class = CaseSerializer
    filterset_class = CaseApiFilter
    extra_error_statuses = {
        "create": (409,),
        "partial_update": (409, 412, 428),
        "stages": (409,),
    }

    def get_queryset(self):
        # The serializer reads the cases' relations itself, one query each per page.
        return Case.objects.visible_to(self.request.user)

    def get_serializer_class(self):
        return {
            "create": CaseCreateSerializer,
            "partial_update": CaseUpdateSerializer,
            "stages": StageInputSerializer,
        }.get(self.action, CaseSerializer)

    def respond(self, case: Case, code: int = status.HTTP_200_OK) -> Response:
        case = Case.objects.get(pk=case.pk)
        data = CaseSerializer(case, context=self.get_serializer_context()).data
        return Response(data, status=code, headers=etag(case))

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        data = CaseSerializer(case, context=self.get_serializer_context()).data
        return Response(data, headers=etag(case))

    @extend_schema(
        request=CaseCreateSerializer,
        responses={201: CaseSerializer, 200: CaseSerializer},
        description=(
            "Simpan kasus beserta korban dan pelakunya, seluruhnya atau tidak sama sekali. "
            "201: dibuat. 200: `external_ref` ini sudah Anda kirim dengan isi yang sama; "
            "kasus yang ada dikembalikan. 409: `external_ref` ini sudah dipakai untuk isi lain."
        ),
    )
    def create(self, request, *args, **kwargs):
        payload = CaseCreateSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        fingerprint = submission_fingerprint(request.data)
        with service_errors(VICTIM_RENAMES):
            try:
                case, created = case_submit(
                    by=request.user, fingerprint=fingerprint, **payload.validated_data
                )
            except SubmissionConflict as exc:
                raise Conflict(
                    _(
                        "external_ref ini sudah dipakai instansi Anda untuk kasus lain "
                        "dengan isi berbeda."
                    ),
                    code="submission_conflict",
                    case_id=exc.case.pk,
                ) from exc
        return self.respond(case, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        request=CaseUpdateSerializer,
        responses={200: CaseSerializer},
        parameters=[IF_MATCH],
        description=(
            "Ubah kasus. Wajib menyertakan versi yang Anda baca: kolom `version` atau header "
            "If-Match. Versi usang: 409 (atau 412 dengan If-Match) dan tidak ada yang berubah."
        ),
    )
    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        header = request.headers.get("If-Match")
        payload = CaseUpdateSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        changes = dict(payload.validated_data)
        body_version = changes.pop("version", None)
        header_version = parse_if_match(header) if header is not None else None
        if body_version is None and header_version is None:
            raise PreconditionRequired()
        if None not in (body_version, header_version) and body_version != header_version:
            raise serializers.ValidationError(
                {"version": [_("Kolom version dan header If-Match berbeda.")]}
            )
        version = body_version if body_version is not None else header_version
        with service_errors(VICTIM_RENAMES):
            try:
                case = case_update(by=request.user, case=case, version=version, **changes)
            except StaleVersion as exc:
                stale = PreconditionFailed if header_version is not None else Conflict
                raise stale_version(exc, stale) from exc
        return self.respond(case)

    @extend_schema(
        request=StageInputSerializer,
        responses={201: RecordedStageSerializer, 200: RecordedStageSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"])
    def stages(self, request, *args, **kwargs):
        """Append a stage to the case's timeline. An impossible transition is a 400 that
        names the stages that may follow. A stage may legitimately be recorded twice (a
        second P-19): send an Idempotency-Key to retry safely (200 with the stage recorded
        the first time)."""
        case = self.get_object()
        payload = StageInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with service_errors():
            event, code = create_once(
                request,
                lambda: case_record_stage(by=request.user, case=case, **payload.validated_data),
            )
        case = Case.objects.get(pk=event.case_id)
        return Response(RecordedStageSerializer(event).data, status=code, headers=etag(case))


class PerpetratorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Perpetrators of the cases the caller may see, each with those cases only. Names are
    left out for roles that may not see identities."""

    serializer_class = PerpetratorSerializer
    filterset_class = PerpetratorFilter

    def get_queryset(self):
        user = self.request.user
        involvements = (
            Involvement.objects.visible_to(user).prefetch_related("role_rows").order_by("id")
        )
        return (
            Perpetrator.objects.visible_to(user)
            .prefetch_related(Prefetch("involvements", queryset=involvements))
            .order_by("name", "id")
        )
