from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.scoping import case_scope, identity_scope
from tppo.crypto import EncryptedDateField, EncryptedTextField

from .codes import (
    ConsentBasis,
    ConsentGiver,
    ConsentScope,
    Education,
    ServiceStatus,
    ServiceType,
    Sex,
    VictimStatus,
)

ADULT_AGE = 18


def _case_links():
    # Named by string: victims does not import cases (imports flow cases -> victims).
    return apps.get_model("cases", "CaseVictim").objects


def _through_cases(qs, scope: Q, field: str = "pk"):
    """Rows of `qs` linked to a case in `scope`; a subquery, so no row is listed twice."""
    if not scope:  # the empty Q: everything
        return qs
    return qs.filter(**{f"{field}__in": _case_links().filter(scope).values("victim_id")})


class VictimQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _through_cases(self, case_scope(user, "case__"))

    def identities_visible_to(self, user):
        """Victims whose identity the user may see (never for analysts)."""
        return _through_cases(self, identity_scope(user, "case__"))


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
    identified_on = models.DateField(_("tanggal identifikasi"), null=True, blank=True)
    simfoni_id = models.CharField(_("nomor SIMFONI-PPA"), max_length=50, blank=True)
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
        if self.identified_on and self.identified_on > timezone.localdate():
            errors["identified_on"] = _("Tanggal identifikasi tidak boleh di masa depan.")
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
    birth_date = EncryptedDateField(_("tanggal lahir"), blank=True, null=True)
    phone = EncryptedTextField(_("telepon"), blank=True)
    address = EncryptedTextField(_("alamat"), blank=True)
    guardian = EncryptedTextField(_("orang tua/wali"), blank=True)
    # Keyed hash of the normalised NIK: finds the same person in another case.
    nik_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    erased_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identitas korban")
        verbose_name_plural = _("identitas korban")
        constraints = [
            models.UniqueConstraint(
                fields=["nik_hash"], condition=~Q(nik_hash=""), name="identity_unique_nik"
            )
        ]

    def __str__(self) -> str:
        return f"{_('Identitas')} {self.victim_id}"


class VictimServiceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(case_scope(user, "case__"))

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
    referred_on = models.DateField(_("tanggal dirujuk"), null=True, blank=True)
    accepted_on = models.DateField(_("tanggal diterima"), null=True, blank=True)
    rejected_on = models.DateField(_("tanggal ditolak"), null=True, blank=True)
    started_on = models.DateField(_("tanggal mulai"), null=True, blank=True)
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    note = models.TextField(_("catatan"), blank=True)
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
        today = timezone.localdate()
        order = ["referred_on", "accepted_on", "started_on", "completed_on"]
        errors = {}
        for field in order + ["rejected_on"]:
            value = getattr(self, field)
            if value and value > today:
                errors[field] = _("Tanggal tidak boleh di masa depan.")
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
        return self.filter(victim__in=Victim.objects.visible_to(user))


class Consent(models.Model):
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="consents")
    basis = models.CharField(_("dasar pemrosesan"), max_length=20, choices=ConsentBasis.choices)
    given_by = models.CharField(_("diberikan oleh"), max_length=16, choices=ConsentGiver.choices)
    scope = models.CharField(_("cakupan"), max_length=16, choices=ConsentScope.choices)
    given_on = models.DateField(_("tanggal"))
    withdrawn_on = models.DateField(_("tanggal dicabut"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
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
        today = timezone.localdate()
        errors = {}
        if self.given_on and self.given_on > today:
            errors["given_on"] = _("Tanggal tidak boleh di masa depan.")
        if self.withdrawn_on and self.given_on and self.withdrawn_on < self.given_on:
            errors["withdrawn_on"] = _("Tanggal dicabut tidak boleh sebelum tanggal persetujuan.")
        if errors:
            raise ValidationError(errors)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The identity access log is append-only.")

    def delete(self):
        raise PermissionError("The identity access log is append-only.")


class IdentityAccess(models.Model):
    """Every view of an identity: who, when, which victim, through what, from where.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger
    refuses them too (see the migration)."""

    ERASURE = "erasure"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="+")
    accessed_at = models.DateTimeField(default=timezone.now, db_index=True)
    channel = models.CharField(_("melalui"), max_length=60)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-accessed_at", "-id"]
        verbose_name = _("akses identitas")
        verbose_name_plural = _("log akses identitas")
        indexes = [models.Index(fields=["user", "accessed_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.victim_id} @ {self.accessed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The identity access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The identity access log is append-only.")
