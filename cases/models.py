from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.scoping import case_scope, case_write_scope
from victims.codes import Sex
from victims.validators import EARLIEST_YEAR, case_event_date, past_date

from .codes import (
    CODE_LISTS,
    OPEN_STATUSES,
    STALE_AFTER_DAYS,
    CaseStatus,
    CodeField,
    JourneyKind,
    LabourSector,
    LegalStatus,
    PerpetratorKind,
    PerpetratorRole,
    RecruiterRelation,
    Stage,
    Verdict,
)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(case_scope(user))

    def writable_by(self, user):
        return self.filter(case_write_scope(user))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def stale(self, as_of: date):
        """Open cases reported before the stale window that have had no stage recorded in
        the STALE_AFTER_DAYS days before `as_of` (the one definition of "stale")."""
        since = as_of - timedelta(days=STALE_AFTER_DAYS)
        moved = StageEvent.objects.filter(occurred_on__gte=since, occurred_on__lt=as_of)
        return self.open().filter(reported_on__lt=since).exclude(pk__in=moved.values("case_id"))

    def with_code(self, field: str, code: str):
        return self.filter(pk__in=CaseCode.objects.filter(field=field, code=code).values("case_id"))


class Case(models.Model):
    register_no = models.CharField(_("nomor register"), max_length=30, unique=True, editable=False)
    regency = models.ForeignKey(
        "agencies.Regency",
        verbose_name=_("kabupaten/kota kejadian"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    reporting_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("instansi pelapor"),
        on_delete=models.PROTECT,
        related_name="cases_reported",
    )
    handling_agencies = models.ManyToManyField(
        "agencies.Agency",
        verbose_name=_("instansi penanganan"),
        through="CaseAgency",
        related_name="cases_handled",
        blank=True,
    )
    external_ref = models.CharField(
        _("referensi instansi pelapor"),
        max_length=100,
        blank=True,
        help_text=_("Nomor rujukan sistem instansi pelapor; unik per instansi."),
    )
    police_report_no = models.CharField(_("nomor laporan polisi"), max_length=100, blank=True)
    # Dates are bounded by their validators (victims.validators): no case event before
    # UU 21/2007, no occurrence before 1900, nothing in the future.
    reported_on = models.DateField(_("tanggal laporan"), validators=[case_event_date])
    occurred_from = models.DateField(
        _("terjadi sejak"), null=True, blank=True, validators=[past_date]
    )
    occurred_to = models.DateField(
        _("terjadi sampai"), null=True, blank=True, validators=[past_date]
    )
    summary = models.TextField(
        _("ringkasan"),
        blank=True,
        help_text=_("Tanpa nama, NIK, alamat atau data pengenal korban."),
    )
    labour_sector = models.CharField(
        _("sektor kerja"), max_length=16, choices=LabourSector.choices, blank=True
    )
    recruiter_relation = models.CharField(
        _("hubungan perekrut dengan korban"),
        max_length=20,
        choices=RecruiterRelation.choices,
        blank=True,
    )
    transnational = models.BooleanField(_("lintas negara"), null=True, blank=True)
    destination_country = models.CharField(
        _("negara tujuan"), max_length=3, blank=True, help_text=_("Kode ISO 3166 alpha-3.")
    )
    complicity = models.BooleanField(_("keterlibatan aparat"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.AKTIF
    )
    stage = models.CharField(_("tahap"), max_length=24, choices=Stage.choices, editable=False)
    simfoni_id = models.CharField(_("nomor SIMFONI-PPA"), max_length=50, blank=True)
    # Optimistic locking: every write must name the version it was based on.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Keyed fingerprint of the submission that created the case (idempotent retries).
    submission_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["submission_hash"])
    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_agency", "external_ref"],
                condition=~Q(external_ref=""),
                name="case_unique_external_ref_per_agency",
            ),
        ]
        # Every filter and sort of the case list (pages and API) leads an index, so a page
        # is an index walk, not a scan and sort of every case (tests/api/test_case_indexes.py).
        # The search (`icontains`) has trigram indexes on PostgreSQL: migration 0003.
        indexes = [
            models.Index(fields=["regency", "reported_on"]),
            models.Index(fields=["regency", "id"]),
            models.Index(fields=["reported_on", "id"]),
            models.Index(fields=["stage", "id"]),
            models.Index(fields=["status"]),
            models.Index(fields=["updated_at", "id"]),
            models.Index(fields=["external_ref"]),
            models.Index(fields=["police_report_no"]),
        ]

    def __str__(self) -> str:
        return self.register_no

    def codes(self, field: str) -> list[str]:
        """The codes of one list; uses prefetched `code_rows` when present."""
        return sorted(row.code for row in self.code_rows.all() if row.field == field)

    @property
    def exploitation_types(self) -> list[str]:
        return self.codes(CodeField.EXPLOITATION)

    @property
    def recruitment_modus(self) -> list[str]:
        return self.codes(CodeField.MODUS)

    @property
    def recruitment_channels(self) -> list[str]:
        return self.codes(CodeField.CHANNEL)

    @property
    def means_of_control(self) -> list[str]:
        return self.codes(CodeField.CONTROL)

    @property
    def is_stopped(self) -> bool:
        from .codes import STOPPED_STAGES

        return self.stage in STOPPED_STAGES

    def clean(self) -> None:
        errors: dict = {}
        if self.occurred_from and self.occurred_to and self.occurred_to < self.occurred_from:
            errors["occurred_to"] = _("Tanggal akhir kejadian tidak boleh sebelum tanggal mulai.")
        if self.occurred_from and self.reported_on and self.occurred_from > self.reported_on:
            errors["occurred_from"] = _("Kejadian tidak boleh dimulai setelah tanggal laporan.")
        if self.destination_country and not (
            len(self.destination_country) == 3 and self.destination_country.isalpha()
        ):
            errors["destination_country"] = _(
                "Negara tujuan harus kode ISO 3166 alpha-3, mis. MYS."
            )
        if self.destination_country and self.destination_country.upper() != "IDN":
            if self.transnational is False:
                errors["transnational"] = _(
                    "Kasus dengan negara tujuan di luar negeri adalah lintas negara."
                )
        if errors:
            raise ValidationError(errors)


class CaseCode(models.Model):
    """One value of a multi-valued code list of a case: plain rows SQL can group and count."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="code_rows")
    field = models.CharField(max_length=16, choices=CodeField.choices)
    code = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "field", "code"], name="case_code_unique")
        ]
        indexes = [models.Index(fields=["field", "code", "case"])]

    def __str__(self) -> str:
        return f"{self.field}:{self.code}"

    def clean(self) -> None:
        if self.code not in CODE_LISTS[self.field].values:
            raise ValidationError({"code": _("Kode tidak dikenal.")})


class CaseAgency(models.Model):
    """An agency named as handling a case besides the reporter. It grants no access: the
    access rule (agencies/scoping.py) gives a referred agency the referred victim and
    service only, and a case changes hands by a province decision."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agency_links")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="case_links"
    )
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="case_agency_unique")
        ]
        indexes = [models.Index(fields=["agency", "case"])]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.agency_id}"


class CaseVictim(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="victim_links")
    victim = models.ForeignKey(
        "victims.Victim", on_delete=models.PROTECT, related_name="case_links"
    )
    # The victim was already on record (same NIK, within the linker's scope), and what the
    # submission said differently: {field: [stored, submitted]}; the stored record is kept.
    matched_existing = models.BooleanField(default=False, editable=False)
    differences = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "victim"], name="case_victim_unique")
        ]
        indexes = [models.Index(fields=["victim", "case"])]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.victim_id}"


class JourneyEvent(models.Model):
    """Where and when the trafficking happened (HTCDS trafficking events)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="journey")
    kind = models.CharField(_("jenis"), max_length=12, choices=JourneyKind.choices)
    regency = models.ForeignKey(
        "agencies.Regency",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    country = models.CharField(_("negara"), max_length=3, default="IDN")
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    occurred_on = models.DateField(
        _("tanggal"), null=True, blank=True, validators=[case_event_date]
    )

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("peristiwa perjalanan")
        verbose_name_plural = _("perjalanan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.place}"

    def clean(self) -> None:
        errors: dict = {}
        if self.country and not (len(self.country) == 3 and self.country.isalpha()):
            errors["country"] = _("Negara harus kode ISO 3166 alpha-3, mis. MYS.")
        if errors:
            raise ValidationError(errors)


class StageEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(case_scope(user, "case__"))


class StageEvent(models.Model):
    """The timeline of criminal-justice stages; the case's stage is its latest entry."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stage_events")
    stage = models.CharField(_("tahap"), max_length=24, choices=Stage.choices)
    occurred_on = models.DateField(_("tanggal"), validators=[case_event_date])
    document_no = models.CharField(_("nomor dokumen"), max_length=100, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = StageEventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("tahap")
        verbose_name_plural = _("linimasa tahap")
        indexes = [
            models.Index(fields=["case", "occurred_on"]),
            models.Index(fields=["stage", "occurred_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.occurred_on}"


class PerpetratorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Perpetrators of the cases the user sees whole (a referral shows none)."""
        scope = case_scope(user, "case__")
        if not scope:
            return self
        return self.filter(pk__in=Involvement.objects.filter(scope).values("perpetrator_id"))


class Perpetrator(models.Model):
    """A person or corporation; one row across all its cases (syndicates show up here)."""

    kind = models.CharField(
        _("jenis"), max_length=10, choices=PerpetratorKind.choices, default=PerpetratorKind.ORANG
    )
    name = models.CharField(_("nama"), max_length=200)
    # The victims' sex codes; migration 0004 mapped the free text once typed here.
    sex = models.CharField(
        _("jenis kelamin"), max_length=16, choices=Sex.choices, default=Sex.TIDAK_DIKETAHUI
    )
    nationality = models.CharField(_("kewarganegaraan"), max_length=3, default="IDN")
    birth_year = models.PositiveSmallIntegerField(
        _("tahun lahir"), null=True, blank=True, validators=[MinValueValidator(EARLIEST_YEAR)]
    )
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = PerpetratorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("pelaku")
        verbose_name_plural = _("pelaku")
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.birth_year and self.birth_year > timezone.localdate().year:
            raise ValidationError({"birth_year": _("Tahun lahir tidak boleh di masa depan.")})


class InvolvementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(case_scope(user, "case__"))


class Involvement(models.Model):
    """A perpetrator in a case, and the outcome for that defendant."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="involvements")
    perpetrator = models.ForeignKey(
        Perpetrator, on_delete=models.PROTECT, related_name="involvements"
    )
    legal_status = models.CharField(
        _("status hukum"), max_length=12, choices=LegalStatus.choices, default=LegalStatus.TERSANGKA
    )
    verdict = models.CharField(_("putusan"), max_length=10, choices=Verdict.choices, blank=True)
    verdict_on = models.DateField(
        _("tanggal putusan"), null=True, blank=True, validators=[case_event_date]
    )
    sentence_months = models.PositiveIntegerField(
        _("pidana penjara (bulan)"), null=True, blank=True
    )
    fine = models.PositiveBigIntegerField(_("denda (Rp)"), null=True, blank=True)
    articles = models.CharField(_("pasal yang diterapkan"), max_length=300, blank=True)
    restitution_requested = models.PositiveBigIntegerField(
        _("restitusi dimohonkan (Rp)"), null=True, blank=True
    )
    restitution_awarded = models.PositiveBigIntegerField(
        _("restitusi diputus (Rp)"), null=True, blank=True
    )
    restitution_paid = models.PositiveBigIntegerField(
        _("restitusi dibayar (Rp)"), null=True, blank=True
    )
    # Optimistic locking (core.versions): every write names the version it was based on.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = InvolvementQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("keterlibatan pelaku")
        verbose_name_plural = _("pelaku dalam kasus")
        constraints = [
            models.UniqueConstraint(fields=["case", "perpetrator"], name="involvement_unique")
        ]
        indexes = [models.Index(fields=["perpetrator", "case"])]

    def __str__(self) -> str:
        return f"{self.perpetrator} · {self.case_id}"

    @property
    def roles(self) -> list[str]:
        return sorted(row.code for row in self.role_rows.all())

    def clean(self) -> None:
        errors: dict = {}
        if self.sentence_months and self.verdict != Verdict.DIPIDANA:
            errors["sentence_months"] = _("Pidana penjara hanya dapat diisi bila putusan dipidana.")
        if self.fine and self.verdict != Verdict.DIPIDANA:
            errors["fine"] = _("Denda hanya dapat diisi bila putusan dipidana.")
        if self.verdict and not self.verdict_on:
            errors["verdict_on"] = _("Tanggal putusan wajib diisi bila ada putusan.")
        if self.verdict_on and not self.verdict:
            errors["verdict"] = _("Putusan wajib diisi bila tanggal putusan diisi.")
        if (
            self.restitution_paid is not None
            and (self.restitution_awarded or 0) < self.restitution_paid
        ):
            errors["restitution_paid"] = _(
                "Restitusi yang dibayar tidak boleh melebihi restitusi yang diputus."
            )
        if self.restitution_awarded and self.verdict != Verdict.DIPIDANA:
            errors["restitution_awarded"] = _(
                "Restitusi hanya dapat diputus bila terdakwa dipidana."
            )
        if errors:
            raise ValidationError(errors)


class InvolvementRole(models.Model):
    """One role of a perpetrator in a case (multi-valued; rows SQL can count)."""

    involvement = models.ForeignKey(Involvement, on_delete=models.PROTECT, related_name="role_rows")
    code = models.CharField(max_length=20, choices=PerpetratorRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["involvement", "code"], name="involvement_role_unique")
        ]

    def __str__(self) -> str:
        return self.code
