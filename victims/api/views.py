"""Victims, their services and referrals.

Victims are addressed by their pseudonymous code. The identity appears only on the detail
of a victim, for roles that may see it, and every such read goes through `identity_read`,
which checks the rule and writes the access log.
"""

from django.apps import apps
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from agencies.api.access import ApiViewSet
from agencies.scoping import case_scope, sees_everything
from core.api.errors import service_errors
from core.api.idempotency import IDEMPOTENCY_KEY, create_once
from core.http import client_ip
from victims.models import DuplicateCandidate, Victim, VictimService
from victims.services import (
    identity_read,
    may_read_identity,
    service_create,
    service_transition,
)

from ..filters import ServiceFilter, VictimFilter
from .serializers import (
    DuplicateCandidateSerializer,
    IdentitySerializer,
    ServiceInputSerializer,
    ServiceSerializer,
    ServiceTransitionSerializer,
    VictimDetailSerializer,
    VictimSerializer,
)

IDENTITY_CHANNEL = "api:victim_detail"


def visible_victims(user):
    # The case links shown are only those to cases the caller may see.
    links = apps.get_model("cases", "CaseVictim").objects.filter(case_scope(user, "case__"))
    return Victim.objects.visible_to(user).prefetch_related(
        Prefetch("case_links", queryset=links.only("id", "case_id", "victim_id"))
    )


class VictimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Victims of the cases the caller may see, by pseudonymous code."""

    serializer_class = VictimSerializer
    filterset_class = VictimFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return visible_victims(self.request.user).order_by("-id")

    @extend_schema(responses=VictimDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        victim = self.get_object()
        data = self.get_serializer(victim).data
        # The identity is added here, not by the serializer, so that it is read once and
        # only through the logged path.
        if may_read_identity(request.user, victim):
            identity = identity_read(
                user=request.user,
                victim=victim,
                channel=IDENTITY_CHANNEL,
                ip_address=client_ip(request),
            )
            data["identity"] = IdentitySerializer(identity).data if identity else None
        return Response(data)


class VictimServiceViewSet(mixins.ListModelMixin, ApiViewSet):
    """The services and referrals of one victim: list, and refer or record a new one."""

    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter
    extra_error_statuses = {"list": (404,), "create": (404, 409)}

    def victim(self) -> Victim:
        # DRF's get_object_or_404: a code the database cannot even compare (a NUL
        # character) is a 404 like any other unknown code, not a server error.
        if not hasattr(self, "_victim"):
            self._victim = get_object_or_404(
                Victim.objects.visible_to(self.request.user), code=self.kwargs["code"]
            )
        return self._victim

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VictimService.objects.none()
        return (
            VictimService.objects.visible_to(self.request.user)
            .filter(victim=self.victim())
            .select_related("victim")
            .order_by("-id")
        )

    @extend_schema(
        request=ServiceInputSerializer,
        responses={201: ServiceSerializer, 200: ServiceSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    def create(self, request, *args, **kwargs):
        victim = self.victim()
        payload = ServiceInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        link = (
            victim.case_links.filter(case_scope(request.user, "case__"), case_id=data.pop("case"))
            .select_related("case")
            .first()
        )
        if link is None:
            raise serializers.ValidationError(
                {"case": [_("Korban ini tidak tercatat dalam kasus tersebut.")]}
            )
        with service_errors():
            service, code = create_once(
                request,
                lambda: service_create(by=request.user, victim=victim, case=link.case, **data),
            )
        return Response(ServiceSerializer(service).data, status=code)


class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Services and referrals of the cases the caller may see. `awaiting=true` lists the
    referrals to the caller's agency that still wait for an answer."""

    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter
    extra_error_statuses = {"transition": (409,)}

    def get_queryset(self):
        return (
            VictimService.objects.visible_to(self.request.user)
            .select_related("victim")
            .order_by("-id")
        )

    @extend_schema(request=ServiceTransitionSerializer, responses={200: ServiceSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Answer a referral (DITERIMA/DITOLAK, by the provider), start or complete a
        service (BERJALAN/SELESAI), or cancel it (DIBATALKAN, also by the referrer)."""
        service = self.get_object()
        payload = ServiceTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with service_errors():
            service = service_transition(by=request.user, service=service, **payload.validated_data)
        return Response(ServiceSerializer(service).data)


class DuplicateCandidateViewSet(mixins.ListModelMixin, ApiViewSet):
    """Victims recorded with a NIK already on record outside the recorder's scope, for the
    province to review (PROVINCE and ADMIN only; 404 for everyone else)."""

    serializer_class = DuplicateCandidateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DuplicateCandidate.objects.none()
        if not sees_everything(self.request.user):
            raise Http404
        return DuplicateCandidate.objects.visible_to(self.request.user).select_related(
            "existing_victim", "new_victim"
        )
