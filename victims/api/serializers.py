"""Victims in the API: statistics fields under a pseudonymous code; the identity is written
with a case submission and read only through `identity_read` (logged)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.api.access import RoleRestrictedFieldsMixin
from agencies.models import Agency, Regency
from core.api.base import (
    MAX_ID,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    StrictRegexField,
    StrictSlugRelatedField,
)
from victims.codes import Education, ServiceStatus, ServiceType, Sex, VictimStatus
from victims.models import DuplicateCandidate, Victim, VictimIdentity, VictimService
from victims.services import LIMITS, identity_validate

# API field -> model field, where they differ (`age` is the contract's name).
VICTIM_RENAMES = {"age_at_identification": "age"}

MAX_AGE = 120


class IdentityInputSerializer(serializers.Serializer):
    """Write-only: who the victim is. Validated by the same rule as the service."""

    full_name = StrictCharField(required=False, allow_blank=True, max_length=500)
    nik = StrictCharField(required=False, allow_blank=True, max_length=32)
    birth_date = serializers.DateField(required=False, allow_null=True)
    phone = StrictCharField(required=False, allow_blank=True, max_length=500)
    address = StrictCharField(required=False, allow_blank=True, max_length=500)
    guardian = StrictCharField(required=False, allow_blank=True, max_length=500)

    def validate(self, attrs):
        try:
            return identity_validate(attrs)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc


class VictimInputSerializer(serializers.Serializer):
    """A victim inside a case submission."""

    sex = serializers.ChoiceField(choices=Sex.choices)
    age = StrictIntegerField(
        source="age_at_identification",
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_AGE,
        help_text="Usia saat diidentifikasi.",
    )
    age_at_exploitation = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_AGE
    )
    nationality = StrictRegexField(
        r"^[A-Za-z]{3}$", required=False, help_text="ISO 3166 alpha-3, mis. IDN."
    )
    home_regency = StrictSlugRelatedField(
        slug_field="code", queryset=Regency.objects.all(), required=False, allow_null=True
    )
    education = serializers.ChoiceField(choices=Education.choices, required=False)
    occupation = StrictCharField(required=False, allow_blank=True, max_length=LIMITS["occupation"])
    disability = StrictBooleanField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=VictimStatus.choices, required=False)
    identified_on = serializers.DateField(required=False, allow_null=True)
    simfoni_id = StrictCharField(required=False, allow_blank=True, max_length=LIMITS["simfoni_id"])
    identity = IdentityInputSerializer(required=False, write_only=True)


class VictimBriefSerializer(RoleRestrictedFieldsMixin, serializers.ModelSerializer):
    """A victim as lists and cases show it: statistics only."""

    age = serializers.IntegerField(source="age_at_identification", allow_null=True)
    is_child = serializers.BooleanField(allow_null=True, read_only=True)
    home_regency = serializers.CharField(source="home_regency_id", allow_null=True)
    identified_on = serializers.DateField(allow_null=True)
    simfoni_id = serializers.CharField(required=False)

    identifying_fields = ("simfoni_id",)

    class Meta:
        model = Victim
        fields = [
            "code",
            "sex",
            "age",
            "age_at_exploitation",
            "is_child",
            "nationality",
            "home_regency",
            "education",
            "occupation",
            "disability",
            "status",
            "identified_on",
            "simfoni_id",
        ]


class VictimSerializer(VictimBriefSerializer):
    cases = serializers.SerializerMethodField()
    identifying_agency = serializers.IntegerField(source="identifying_agency_id", allow_null=True)

    class Meta(VictimBriefSerializer.Meta):
        fields = [
            *VictimBriefSerializer.Meta.fields,
            "identifying_agency",
            "cases",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_cases(self, victim) -> list[int]:
        # The view prefetches only the links to cases the caller may see.
        return sorted(link.case_id for link in victim.case_links.all())


class IdentitySerializer(serializers.ModelSerializer):
    birth_date = serializers.DateField(allow_null=True)
    erased_at = serializers.DateTimeField(allow_null=True, read_only=True)

    class Meta:
        model = VictimIdentity
        fields = [
            "full_name",
            "nik",
            "birth_date",
            "phone",
            "address",
            "guardian",
            "erased_at",
            "updated_at",
        ]


class VictimDetailSerializer(VictimSerializer):
    """With `identity` for roles that may see it (each read logged); for the others the
    key is absent. `null` means no identity was ever recorded."""

    identity = IdentitySerializer(required=False, allow_null=True)

    class Meta(VictimSerializer.Meta):
        fields = [*VictimSerializer.Meta.fields, "identity"]


class ServiceSerializer(serializers.ModelSerializer):
    victim = serializers.SlugRelatedField(slug_field="code", read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    provider_agency = serializers.IntegerField(source="provider_agency_id", read_only=True)
    referring_agency = serializers.IntegerField(
        source="referring_agency_id", read_only=True, allow_null=True
    )

    class Meta:
        model = VictimService
        fields = [
            "id",
            "victim",
            "case",
            "type",
            "provider_agency",
            "referring_agency",
            "status",
            "referred_on",
            "accepted_on",
            "rejected_on",
            "started_on",
            "completed_on",
            "rejection_reason",
            "note",
            "version",
            "created_at",
            "updated_at",
        ]


class ServiceInputSerializer(serializers.Serializer):
    """A referral to another agency (DIRUJUK), or a service the caller's own agency gives
    (BERJALAN; SELESAI when `completed_on` is given)."""

    case = StrictIntegerField(
        min_value=1, max_value=MAX_ID, help_text="Kasus tempat korban tercatat."
    )
    type = serializers.ChoiceField(choices=ServiceType.choices)
    provider_agency = StrictPrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    referred_on = serializers.DateField(required=False, allow_null=True)
    started_on = serializers.DateField(required=False, allow_null=True)
    completed_on = serializers.DateField(required=False, allow_null=True)
    note = StrictCharField(required=False, allow_blank=True, max_length=LIMITS["note"])


class ServiceTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[c for c in ServiceStatus.choices if c[0] != ServiceStatus.DIRUJUK]
    )
    on = serializers.DateField(required=False, allow_null=True)
    reason = StrictCharField(required=False, allow_blank=True, max_length=LIMITS["note"])
    version = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_(
            "Opsional: versi layanan yang Anda baca. Bila layanan telah berubah sejak itu: 409 "
            "dengan `current_version`, dan tidak ada yang berubah."
        ),
    )


class DuplicateCandidateSerializer(serializers.ModelSerializer):
    """Two victims that may be the same person (the province's review queue)."""

    existing_victim = serializers.SlugRelatedField(slug_field="code", read_only=True)
    new_victim = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = DuplicateCandidate
        fields = ["id", "kind", "reason", "status", "existing_victim", "new_victim", "created_at"]
