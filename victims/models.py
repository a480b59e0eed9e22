from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.scoping import (
    identity_scope,
    sees_everything,
    service_scope,
    victim_scope,
)
from core.crypto import EncryptedDateField, EncryptedTextField

from .codes import (
    ConsentBasis,
    ConsentGiver,
    ConsentScope,
    DuplicateKind,
    DuplicateReason,
    DuplicateStatus,
    Education,
    ServiceStatus,
    ServiceType,
    Sex,
    VictimStatus,
)
from .validators import case_event_date, past_date

ADULT_AGE = 18


class VictimQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Victims of the cases the user sees whole, and those referred to its agency while
        the referral is live (agencies.scoping.victim_scope)."""
        return self.filter(victim_scope(user))

    def identities_visible_to(self, user):
        """Victims whose identity the user may see (never for analysts; for a referred
        agency only while the referral is live and the victim consented to sharing)."""
        return self.filter(identity_scope(user))


class Victim(models.Model):
    """A victim as statistics need them: no name, no number, a pseudonymous code."""

    code = models.CharField(_("kode korban"), max_length=20, unique=True, editable=False)
    sex = models.CharField(_("jenis kelamin"), max_length=16, choices=Sex.choices)
    age_at_identification = models.PositiveSmallIntegerField(
        _("usia saat diidentifikasi"), null=True, blank=True
    )
    age_at_exploitation = models.PositiveSmallIntegerField(
        _("usia saat dieksploitasi"), null=True, blank=True
    )
    # A child is a victim whatever the means (UU 21/2007): derived, never typed in.
    # Age at exploitation decides where known; unknown age stays unknown (NULL).
    is_child = models.GeneratedField(
        expression=models.Case(
            models.When(age_at_exploitation__lt=ADULT_AGE, then=models.Value(True)),
            models.When(age_at_exploitation__isnull=False, then=models.Value(False)),
            models.When(age_at_identification__lt=ADULT_AGE, then=models.Value(True)),
            models.When(age_at_identification__isnull=False, then=models.Value(False)),
            default=models.Value(None),
        ),
        output_field=models.BooleanField(null=True),
        db_persist=True,
        verbose_name=_("anak"),
    )
    nationality = models.CharField(
        _("kewarganegaraan"), max_length=3, default="IDN", help_text=_("Kode ISO 3166 alpha-3.")
    )
    home_regency = models.ForeignKey(
        "agencies.Regency",
        verbose_name=_("kabupaten/kota asal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    education = models.CharField(
        _("pendidikan"), max_length=16, choices=Education.choices, default=Education.TIDAK_DIKETAHUI
    )
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    disability = models.BooleanField(_("disabilitas"), null=True, blank=True)
    status = models.CharField(
        _("status korban"), max_length=16, choices=VictimStatus.choices, default=VictimStatus.DIDUGA
    )
    identifying_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("instansi yang mengidentifikasi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    identified_on = models.DateField(
        _("tanggal identifikasi"), null=True, blank=True, validators=[case_event_date]
    )
    simfoni_id = models.CharField(_("nomor SIMFONI-PPA"), max_length=50, blank=True)
    # Optimistic locking (core.versions): every write names the version it was based on.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = VictimQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("korban")
        verbose_name_plural = _("korban")

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        errors = {}
        for field in ("age_at_identification", "age_at_exploitation"):
            age = getattr(self, field)
            if age is not None and age > 120:
                errors[field] = _("Usia tidak masuk akal (lebih dari 120 tahun).")
        if (
            self.age_at_identification is not None
            and self.age_at_exploitation is not None
            and self.age_at_exploitation > self.age_at_identification
        ):
            errors["age_at_exploitation"] = _(
                "Usia saat dieksploitasi tidak boleh lebih tua dari usia saat diidentifikasi."
            )
        if self.nationality and not (len(self.nationality) == 3 and self.nationality.isalpha()):
            errors["nationality"] = _("Kewarganegaraan harus kode ISO 3166 alpha-3, mis. IDN.")
        if errors:
            raise ValidationError(errors)


class VictimIdentity(models.Model):
    """Who the victim is. Encrypted at rest; seen only by roles allowed, each view logged."""

    victim = models.OneToOneField(
        Victim, on_delete=models.PROTECT, primary_key=True, related_name="identity"
    )
    full_name = EncryptedTextField(_("nama lengkap"), blank=True)
    nik = EncryptedTextField(_("NIK"), blank=True)
    birth_date = EncryptedDateField(
        _("tanggal lahir"), blank=True, null=True, validators=[past_date]
    )
    phone = EncryptedTextField(_("telepon"), blank=True)
    address = EncryptedTextField(_("alamat"), blank=True)
    guardian = EncryptedTextField(_("orang tua/wali"), blank=True)
    # Keyed hash of the normalised NIK: finds the same person in another case.
    nik_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The first victim recorded with this NIK. Another one with the same NIK is recorded
    # only when the first is outside its submitter's scope (who must not learn of her), as
    # a duplicate candidate for the province; the constraint below lets one first holder
    # win a race, so concurrent submissions of the same new NIK make one person.
    nik_primary = models.BooleanField(default=True, editable=False)
    # For such a second record: the agency that made it. Its constraint makes concurrent
    # submissions of one agency make one second record, not several (#14 item 11).
    nik_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    erased_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identitas korban")
        verbose_name_plural = _("identitas korban")
        constraints = [
            models.UniqueConstraint(
                fields=["nik_hash"],
                condition=~Q(nik_hash="") & Q(nik_primary=True),
                name="identity_unique_primary_nik",
            ),
            models.UniqueConstraint(
                fields=["nik_hash", "nik_agency"],
                condition=~Q(nik_hash="") & Q(nik_primary=False),
                name="identity_unique_nik_copy_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Identitas')} {self.victim_id}"


class VictimServiceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Services of whole cases, and the live referrals to the user's agency."""
        return self.filter(service_scope(user))

    def awaiting(self, agency):
        return self.filter(provider_agency=agency, status=ServiceStatus.DIRUJUK)


class VictimService(models.Model):
    """A service or referral for a victim within a case."""

    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="services")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="services")
    type = models.CharField(_("jenis layanan"), max_length=24, choices=ServiceType.choices)
    provider_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("instansi pemberi layanan"),
        on_delete=models.PROTECT,
        related_name="services_provided",
    )
    referring_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("instansi perujuk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ServiceStatus.choices, default=ServiceStatus.DIRUJUK
    )
    referred_on = models.DateField(
        _("tanggal dirujuk"), null=True, blank=True, validators=[case_event_date]
    )
    accepted_on = models.DateField(
        _("tanggal diterima"), null=True, blank=True, validators=[case_event_date]
    )
    rejected_on = models.DateField(
        _("tanggal ditolak"), null=True, blank=True, validators=[case_event_date]
    )
    started_on = models.DateField(
        _("tanggal mulai"), null=True, blank=True, validators=[case_event_date]
    )
    completed_on = models.DateField(
        _("tanggal selesai"), null=True, blank=True, validators=[case_event_date]
    )
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # Optimistic locking (core.versions): every write names the version it was based on.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = VictimServiceQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("layanan korban")
        verbose_name_plural = _("layanan korban")
        indexes = [
            models.Index(fields=["provider_agency", "status"]),
            # the month's services in the summaries (reports.figures)
            models.Index(fields=["started_on"], name="victims_vs_started_on_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} · {self.victim_id}"

    def clean(self) -> None:
        # Bounds (not before 2007, not in the future) are the fields' validators.
        order = ["referred_on", "accepted_on", "started_on", "completed_on"]
        errors = {}
        previous = None
        for field in order:
            value = getattr(self, field)
            if value and previous and value < previous[1]:
                errors[field] = _("Tanggal ini tidak boleh sebelum %(f)s.") % {
                    "f": self._meta.get_field(previous[0]).verbose_name
                }
            if value:
                previous = (field, value)
        if self.rejected_on and self.referred_on and self.rejected_on < self.referred_on:
            errors["rejected_on"] = _("Tanggal ditolak tidak boleh sebelum tanggal dirujuk.")
        if self.status == ServiceStatus.DITOLAK and not self.rejection_reason.strip():
            errors["rejection_reason"] = _("Alasan penolakan wajib diisi.")
        if errors:
            raise ValidationError(errors)


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(victim_scope(user, "victim__"))


class Consent(models.Model):
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="consents")
    basis = models.CharField(_("dasar pemrosesan"), max_length=20, choices=ConsentBasis.choices)
    given_by = models.CharField(_("diberikan oleh"), max_length=16, choices=ConsentGiver.choices)
    scope = models.CharField(_("cakupan"), max_length=16, choices=ConsentScope.choices)
    given_on = models.DateField(_("tanggal"), validators=[case_event_date])
    withdrawn_on = models.DateField(
        _("tanggal dicabut"), null=True, blank=True, validators=[case_event_date]
    )
    note = models.TextField(_("catatan"), blank=True)
    # Optimistic locking (core.versions): every write names the version it was based on.
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("persetujuan")
        verbose_name_plural = _("persetujuan")

    def __str__(self) -> str:
        return f"{self.get_scope_display()} · {self.get_basis_display()}"

    def clean(self) -> None:
        errors = {}
        if self.withdrawn_on and self.given_on and self.withdrawn_on < self.given_on:
            errors["withdrawn_on"] = _("Tanggal dicabut tidak boleh sebelum tanggal persetujuan.")
        if errors:
            raise ValidationError(errors)


class DuplicateCandidateQuerySet(models.QuerySet):
    def visible_to(self, user):
        # The review queue is the province's: it pairs records of different scopes, so
        # nobody narrower may learn that the other record exists.
        return self if sees_everything(user) else self.none()

    def open(self):
        return self.filter(status=DuplicateStatus.TERBUKA)


class DuplicateCandidate(models.Model):
    """Two records that may be the same person, for the province to review and merge.

    Recorded when a submission carries the NIK of a victim outside the submitter's scope:
    the submitter gets a new victim (and learns nothing), the province gets this pair.
    `kind` says which pair of columns holds the two records; the record-upkeep work (#16)
    adds `KORBAN`'s siblings (perpetrators, cases) with their own pair of nullable
    columns and check constraint, and the review (merge / not a duplicate)."""

    kind = models.CharField(
        _("jenis data"), max_length=12, choices=DuplicateKind.choices, default=DuplicateKind.KORBAN
    )
    reason = models.CharField(_("alasan"), max_length=20, choices=DuplicateReason.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.TERBUKA,
    )
    existing_victim = models.ForeignKey(
        Victim,
        verbose_name=_("korban yang sudah tercatat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    new_victim = models.ForeignKey(
        Victim,
        verbose_name=_("korban yang baru dicatat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reviewed_at = models.DateTimeField(_("ditinjau pada"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calon duplikat")
        verbose_name_plural = _("calon duplikat")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=DuplicateKind.KORBAN)
                | (Q(existing_victim__isnull=False) & Q(new_victim__isnull=False)),
                name="duplicate_victim_pair_complete",
            ),
            models.UniqueConstraint(
                fields=["kind", "reason", "existing_victim", "new_victim"],
                name="duplicate_candidate_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.existing_victim} · {self.new_victim}"
