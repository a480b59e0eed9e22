"""Cases in the API: an input serializer per write, one output serializer.

Serializers check types and code lists (what the schema documents); the domain's rules
stay in `cases.services`, which every write goes through.
"""

from collections import defaultdict

from django.db.models.manager import BaseManager
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.api.access import RoleRestrictedFieldsMixin, shows_identities
from agencies.models import Regency
from cases.codes import (
    CODE_ATTRS,
    CODE_LISTS,
    INITIAL_STAGES,
    CaseStatus,
    JourneyKind,
    LabourSector,
    LegalStatus,
    PerpetratorKind,
    PerpetratorRole,
    RecruiterRelation,
    Stage,
    Verdict,
)
from cases.models import (
    Case,
    CaseAgency,
    CaseCode,
    CaseVictim,
    Involvement,
    InvolvementRole,
    JourneyEvent,
    Perpetrator,
    StageEvent,
)
from cases.services import LIMITS
from core.api.base import (
    RowFields,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    StrictRegexField,
    StrictSlugRelatedField,
)
from victims.api.serializers import VICTIM_RENAMES, VictimBriefSerializer, VictimInputSerializer
from victims.codes import Sex

MAX_RUPIAH = 10**15
ISO3 = r"^[A-Za-z]{3}$"


def code_list(attr: str, **kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=CODE_LISTS[CODE_ATTRS[attr]].choices),
        max_length=50,
        **kwargs,
    )


class CodeListsMixin(serializers.Serializer):
    exploitation_types = code_list("exploitation_types", required=False)
    recruitment_modus = code_list("recruitment_modus", required=False)
    recruitment_channels = code_list("recruitment_channels", required=False)
    means_of_control = code_list("means_of_control", required=False)


class CaseFieldsMixin(serializers.Serializer):
    """The case's own fields, as both the submission and an update write them."""

    external_ref = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=LIMITS["external_ref"],
        help_text=_(
            "Nomor rujukan sistem instansi Anda; unik per instansi. Kirim ulang "
            "dengan nilai yang sama aman: tidak membuat kasus kedua."
        ),
    )
    police_report_no = StrictCharField(
        required=False, allow_blank=True, max_length=LIMITS["police_report_no"]
    )
    occurred_from = serializers.DateField(required=False, allow_null=True)
    occurred_to = serializers.DateField(required=False, allow_null=True)
    summary = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=LIMITS["summary"],
        help_text=_("Tanpa nama, NIK, alamat atau data pengenal korban."),
    )
    labour_sector = serializers.ChoiceField(
        choices=LabourSector.choices, required=False, allow_blank=True
    )
    recruiter_relation = serializers.ChoiceField(
        choices=RecruiterRelation.choices, required=False, allow_blank=True
    )
    transnational = StrictBooleanField(required=False, allow_null=True)
    destination_country = StrictRegexField(
        ISO3, required=False, allow_null=True, allow_blank=True, help_text="ISO 3166 alpha-3."
    )
    complicity = StrictBooleanField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    simfoni_id = StrictCharField(required=False, allow_blank=True, max_length=LIMITS["simfoni_id"])

    def validate_destination_country(self, value):
        return value or ""


class JourneyInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=JourneyKind.choices)
    regency = StrictSlugRelatedField(
        slug_field="code", queryset=Regency.objects.all(), required=False, allow_null=True
    )
    country = StrictRegexField(ISO3, required=False)
    place = StrictCharField(required=False, allow_blank=True, max_length=LIMITS["place"])
    occurred_on = serializers.DateField(required=False, allow_null=True)


class InvolvementFieldsMixin(serializers.Serializer):
    legal_status = serializers.ChoiceField(choices=LegalStatus.choices, required=False)
    verdict = serializers.ChoiceField(choices=Verdict.choices, required=False, allow_blank=True)
    verdict_on = serializers.DateField(required=False, allow_null=True)
    sentence_months = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=1200
    )
    fine = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_RUPIAH)
    articles = StrictCharField(required=False, allow_blank=True, max_length=LIMITS["articles"])
    restitution_requested = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_RUPIAH
    )
    restitution_awarded = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_RUPIAH
    )
    restitution_paid = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_RUPIAH
    )


@extend_schema_field(OpenApiTypes.INT)
class VisiblePerpetratorField(serializers.PrimaryKeyRelatedField):
    """A perpetrator the caller may see; any other id is "not found", like a missing one."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Perpetrator.objects.none()
        return Perpetrator.objects.visible_to(request.user)


class PerpetratorInputSerializer(InvolvementFieldsMixin):
    """A perpetrator in a submission: a new one (`name`, ...), or one already recorded in a
    case you can see (`perpetrator`: its id), e.g. a syndicate across cases."""

    perpetrator = VisiblePerpetratorField(required=False)
    kind = serializers.ChoiceField(choices=PerpetratorKind.choices, required=False)
    name = StrictCharField(required=False, allow_blank=True, max_length=LIMITS["name"])
    sex = serializers.ChoiceField(
        choices=Sex.choices,
        required=False,
        allow_blank=True,
        help_text=_("Kode jenis kelamin seperti korban; kosong berarti tidak diketahui."),
    )
    nationality = StrictRegexField(ISO3, required=False)
    birth_year = StrictIntegerField(required=False, allow_null=True, min_value=1900, max_value=2100)
    note = StrictCharField(required=False, allow_blank=True, max_length=LIMITS["note"])
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=PerpetratorRole.choices),
        required=False,
        max_length=len(PerpetratorRole.choices),
    )

    PERSON_FIELDS = ("kind", "name", "sex", "nationality", "birth_year", "note")

    def validate(self, attrs):
        if attrs.get("perpetrator") is not None:
            given = [f for f in self.PERSON_FIELDS if f in attrs]
            if given:
                raise serializers.ValidationError(
                    {f: [_("Jangan diisi bila `perpetrator` diisi.")] for f in given}
                )
        elif not (attrs.get("name") or "").strip():
            raise serializers.ValidationError({"name": [_("Nama pelaku wajib diisi.")]})
        return attrs


class CaseCreateSerializer(CodeListsMixin, CaseFieldsMixin):
    """A case submission: the case with its victims and perpetrators, stored all or
    nothing. `reporting_agency` is the token's agency."""

    external_ref = StrictCharField(
        max_length=LIMITS["external_ref"],
        help_text=_(
            "Wajib: nomor rujukan sistem instansi Anda, unik per instansi, tidak berubah setelah "
            "diisi. Kirim ulang dengan nilai yang sama aman: tidak membuat kasus kedua."
        ),
    )
    regency = StrictSlugRelatedField(slug_field="code", queryset=Regency.objects.all())
    reported_on = serializers.DateField()
    stage = serializers.ChoiceField(
        choices=[(s, Stage(s).label) for s in INITIAL_STAGES], required=False
    )
    journey = JourneyInputSerializer(many=True, required=False, max_length=LIMITS["journey"])
    victims = VictimInputSerializer(many=True, required=False, max_length=LIMITS["victims"])
    perpetrators = PerpetratorInputSerializer(
        many=True, required=False, max_length=LIMITS["perpetrators"]
    )


# Fields a PATCH may not carry, with where to change them instead.
NOT_UPDATABLE = {
    "id": _("Kolom ini tidak dapat diubah."),
    "register_no": _("Kolom ini tidak dapat diubah."),
    "reporting_agency": _("Kolom ini tidak dapat diubah."),
    "handling_agencies": _("Kolom ini tidak dapat diubah."),
    "created_at": _("Kolom ini tidak dapat diubah."),
    "updated_at": _("Kolom ini tidak dapat diubah."),
    "stage": _("Tahap diubah lewat POST /api/v1/cases/{id}/stages/."),
    "stage_events": _("Tahap diubah lewat POST /api/v1/cases/{id}/stages/."),
    "victims": _("Korban tidak diubah lewat kasus."),
    "perpetrators": _("Pelaku tidak diubah lewat kasus."),
    "journey": _("Perjalanan tidak diubah lewat kasus."),
}


class CaseUpdateSerializer(CodeListsMixin, CaseFieldsMixin):
    """Changes to a case, based on the `version` read (or given as If-Match)."""

    version = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("Versi kasus yang Anda baca; wajib di sini atau sebagai header If-Match."),
    )
    regency = StrictSlugRelatedField(
        slug_field="code", queryset=Regency.objects.all(), required=False
    )
    reported_on = serializers.DateField(required=False)

    def validate(self, attrs):
        if isinstance(self.initial_data, dict):
            errors = {k: [msg] for k, msg in NOT_UPDATABLE.items() if k in self.initial_data}
            if errors:
                raise serializers.ValidationError(errors)
        if not set(attrs) - {"version"}:
            raise serializers.ValidationError(_("Tidak ada kolom yang diubah."))
        return attrs


class StageInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    occurred_on = serializers.DateField()
    document_no = StrictCharField(
        required=False, allow_blank=True, max_length=LIMITS["document_no"]
    )
    note = StrictCharField(required=False, allow_blank=True, max_length=LIMITS["note"])
    reason = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=LIMITS["reason"],
        help_text=_("Wajib saat membuka kembali kasus yang dihentikan."),
    )


# --- Output --------------------------------------------------------------------------------


class StageEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageEvent
        fields = ["id", "stage", "occurred_on", "document_no", "note", "reason", "recorded_at"]


class RecordedStageSerializer(StageEventSerializer):
    """A stage just recorded, with the case's new version."""

    case = serializers.IntegerField(source="case_id", read_only=True)
    case_version = serializers.IntegerField(source="case.version", read_only=True)

    class Meta(StageEventSerializer.Meta):
        fields = [*StageEventSerializer.Meta.fields, "case", "case_version"]


class JourneySerializer(serializers.ModelSerializer):
    regency = serializers.CharField(source="regency_id", allow_null=True, read_only=True)

    class Meta:
        model = JourneyEvent
        fields = ["kind", "regency", "country", "place", "occurred_on"]


class DifferencesField(serializers.DictField):
    """{field: [stored, submitted]} under the API's field names (`age`, not
    `age_at_identification`)."""

    child = serializers.ListField()

    def to_representation(self, value):
        return {VICTIM_RENAMES.get(k, k): v for k, v in (value or {}).items()}


class CaseVictimSerializer(VictimBriefSerializer):
    """A victim of a case (from the case's victim link). `matched_existing`: the NIK named
    a victim already on record that you may see, and she was linked (her record kept;
    `differences` lists what the submission said otherwise). A NIK you may not see is
    answered like a new person."""

    matched_existing = serializers.BooleanField(read_only=True)
    differences = DifferencesField(read_only=True)

    row_prefix = "victim__"  # its rows are the links, with the victim's columns
    link_fields = ("matched_existing", "differences")  # ... and these of the link's own

    class Meta(VictimBriefSerializer.Meta):
        fields = [*VictimBriefSerializer.Meta.fields, "matched_existing", "differences"]

    def to_representation(self, link):
        data = super().to_representation(link.victim)
        data["matched_existing"] = link.matched_existing
        data["differences"] = self.fields["differences"].to_representation(link.differences)
        return data


class InvolvementSerializer(RoleRestrictedFieldsMixin, serializers.ModelSerializer):
    """A perpetrator in a case and the outcome for that defendant."""

    perpetrator = serializers.IntegerField(source="perpetrator_id", read_only=True)
    kind = serializers.CharField(source="perpetrator.kind", read_only=True)
    name = serializers.CharField(source="perpetrator.name", required=False)
    sex = serializers.CharField(source="perpetrator.sex", read_only=True)
    nationality = serializers.CharField(source="perpetrator.nationality", read_only=True)
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)

    identifying_fields = ("name",)

    class Meta:
        model = Involvement
        fields = [
            "perpetrator",
            "kind",
            "name",
            "sex",
            "nationality",
            "roles",
            "legal_status",
            "verdict",
            "verdict_on",
            "sentence_months",
            "fine",
            "articles",
            "restitution_requested",
            "restitution_awarded",
            "restitution_paid",
        ]


def _codes(attr: str):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=CODE_LISTS[CODE_ATTRS[attr]].choices),
        read_only=True,
    )


class BlankAsNullCharField(serializers.CharField):
    """Text stored blank when unknown, shown as null."""

    def to_representation(self, value):
        return value or None


class CaseListSerializer(serializers.ListSerializer):
    """Cases with their relations read as plain rows, one query per relation for the whole
    page, and represented by the case serializer's fields looked up once (`RowFields`)."""

    def to_representation(self, data):
        cases = list(data.all() if isinstance(data, BaseManager) else data)
        fields = RowFields.of(type(self.child), identities=shows_identities(self.context))
        return fields.represent_all(case_rows(cases, fields))


class CaseSerializer(serializers.ModelSerializer):
    regency = serializers.CharField(source="regency_id", read_only=True)
    reporting_agency = serializers.IntegerField(source="reporting_agency_id", read_only=True)
    handling_agencies = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    destination_country = BlankAsNullCharField(allow_null=True, read_only=True)
    exploitation_types = _codes("exploitation_types")
    recruitment_modus = _codes("recruitment_modus")
    recruitment_channels = _codes("recruitment_channels")
    means_of_control = _codes("means_of_control")
    journey = JourneySerializer(many=True, read_only=True)
    stage_events = StageEventSerializer(many=True, read_only=True)
    victims = CaseVictimSerializer(source="victim_links", many=True, read_only=True)
    perpetrators = InvolvementSerializer(source="involvements", many=True, read_only=True)

    class Meta:
        model = Case
        list_serializer_class = CaseListSerializer
        fields = [
            "id",
            "register_no",
            "external_ref",
            "regency",
            "reporting_agency",
            "handling_agencies",
            "police_report_no",
            "reported_on",
            "occurred_from",
            "occurred_to",
            "summary",
            "exploitation_types",
            "recruitment_modus",
            "recruitment_channels",
            "means_of_control",
            "labour_sector",
            "recruiter_relation",
            "transnational",
            "destination_country",
            "complicity",
            "stage",
            "status",
            "simfoni_id",
            "version",
            "created_at",
            "updated_at",
            "journey",
            "stage_events",
            "victims",
            "perpetrators",
        ]

    def to_representation(self, case):
        fields = RowFields.of(type(self), identities=shows_identities(self.context))
        return fields.represent(case_rows([case], fields)[0])


def case_rows(cases: list[Case], fields: RowFields) -> list[dict]:
    """Each case as a row for the case serializer's `fields`: its own columns, and each
    relation read once for all the cases, as plain rows (7 queries whatever their number).
    Lists keep the order the API has always given: codes, handling agencies and roles
    sorted, journey and stage timeline by date, victims and perpetrators as linked."""
    ids = [case.pk for case in cases]
    code_attrs = {field: attr for attr, field in CODE_ATTRS.items()}
    related = {
        pk: {key: [] for key in ("handling_agencies", *CODE_ATTRS, *fields.nested)} for pk in ids
    }

    # The victim link's own columns, which its serializer reads under the victim's prefix.
    own = {
        f"{CaseVictimSerializer.row_prefix}{name}": name
        for name in CaseVictimSerializer.link_fields
    }

    def read(key: str, queryset, *extra: str):
        # An involvement's `roles` are rows of their own, added below.
        columns = [own.get(c, c) for c in fields.nested[key].keys if c != "roles"]
        rows = queryset.filter(case_id__in=ids).values("case_id", *extra, *columns)
        if key != "victim_links":
            return rows
        return [{**row, **{k: row[name] for k, name in own.items()}} for row in rows]

    for case_id, field, code in CaseCode.objects.filter(case_id__in=ids).values_list(
        "case_id", "field", "code"
    ):
        related[case_id][code_attrs[field]].append(code)
    for case_id, agency_id in CaseAgency.objects.filter(case_id__in=ids).values_list(
        "case_id", "agency_id"
    ):
        related[case_id]["handling_agencies"].append(agency_id)
    for key, queryset in [
        ("journey", JourneyEvent.objects.order_by("occurred_on", "id")),
        ("stage_events", StageEvent.objects.order_by("occurred_on", "id")),
        ("victim_links", CaseVictim.objects.order_by("id")),
    ]:
        for row in read(key, queryset):
            related[row["case_id"]][key].append(row)
    roles = defaultdict(list)
    for involvement_id, code in InvolvementRole.objects.filter(
        involvement__case_id__in=ids
    ).values_list("involvement_id", "code"):
        roles[involvement_id].append(code)
    for row in read("involvements", Involvement.objects.order_by("id"), "id"):
        row["roles"] = sorted(roles[row["id"]])
        related[row["case_id"]]["involvements"].append(row)

    rows = []
    for case in cases:
        row = related[case.pk]
        for key in ("handling_agencies", *CODE_ATTRS):
            row[key].sort()
        for key in fields.keys:
            if key not in row:
                row[key] = getattr(case, key)
        rows.append(row)
    return rows


class PerpetratorCaseSerializer(InvolvementSerializer):
    """One case of a perpetrator (only cases the caller may see)."""

    case = serializers.IntegerField(source="case_id", read_only=True)

    class Meta(InvolvementSerializer.Meta):
        fields = ["case", "roles", *InvolvementSerializer.Meta.fields[6:]]


class PerpetratorSerializer(RoleRestrictedFieldsMixin, serializers.ModelSerializer):
    name = serializers.CharField(required=False)
    note = serializers.CharField(required=False)
    cases = PerpetratorCaseSerializer(source="involvements", many=True, read_only=True)

    identifying_fields = ("name", "note")

    class Meta:
        model = Perpetrator
        fields = [
            "id",
            "kind",
            "name",
            "sex",
            "nationality",
            "birth_year",
            "note",
            "created_at",
            "updated_at",
            "cases",
        ]
