import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.scoping import agency_scope


def canonical_json(content) -> str:
    """The one byte-for-byte serialisation a checksum is taken over."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum_of(content) -> str:
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


class UnitReturnQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(agency_scope(user, "agency__"))

    def for_period(self, period):
        return self.filter(period=period)


class UnitReturn(models.Model):
    """A unit's monthly return: what it reported for a month, or that it had nothing (nil)."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        related_name="returns",
    )
    period = models.DateField(_("periode"), help_text=_("Tanggal 1 bulan yang dilaporkan."))
    nil = models.BooleanField(_("laporan nihil"), default=False)
    note = models.TextField(_("catatan"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disampaikan oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("disampaikan pada"))
    late = models.BooleanField(_("terlambat"), default=False)

    objects = UnitReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "agency__name"]
        verbose_name = _("laporan bulanan unit")
        verbose_name_plural = _("laporan bulanan unit")
        constraints = [
            models.UniqueConstraint(fields=["agency", "period"], name="unit_return_once_a_month"),
            models.CheckConstraint(condition=Q(period__day=1), name="unit_return_period_first_day"),
        ]
        indexes = [models.Index(fields=["period", "agency"])]

    def __str__(self) -> str:
        return f"{self.agency} · {self.period:%Y-%m}"


class ReturnReminder(models.Model):
    """A reminder sent to a unit about a missing return: at most one per unit and month."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("periode"))
    recipients = models.PositiveSmallIntegerField(_("jumlah penerima"), default=0)
    sent_at = models.DateTimeField(_("dikirim pada"), auto_now_add=True)

    class Meta:
        ordering = ["-period", "agency_id"]
        verbose_name = _("pengingat laporan bulanan")
        verbose_name_plural = _("pengingat laporan bulanan")
        constraints = [
            models.UniqueConstraint(fields=["agency", "period"], name="return_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} · {self.period:%Y-%m}"


class SummaryVersion(models.TextChoices):
    INTERNAL = "INTERNAL", _("Internal (angka persis, TERBATAS)")
    PUBLISHED = "PUBLISHED", _("Publikasi (sel kecil disembunyikan)")


class MonthlySummaryQuerySet(models.QuerySet):
    def province(self):
        return self.filter(regency__isnull=True)


class MonthlySummary(models.Model):
    """One month's figures for the province (regency empty) or one regency, in one version.

    `content` is rebuilt whole from the case data: the same data gives the same content and
    checksum, so a rebuild is an idempotent upsert. No build time lives inside it."""

    period = models.DateField(_("periode"))
    regency = models.ForeignKey(
        "agencies.Regency",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kosong untuk ringkasan provinsi."),
    )
    version = models.CharField(_("versi"), max_length=10, choices=SummaryVersion.choices)
    content = models.JSONField(_("isi"))
    checksum = models.CharField(_("checksum SHA-256"), max_length=64)
    built_at = models.DateTimeField(_("dibuat pada"))

    objects = MonthlySummaryQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "regency_id"]
        verbose_name = _("ringkasan bulanan")
        verbose_name_plural = _("ringkasan bulanan")
        # Two partial constraints: NULL regency (the province) must be unique too.
        constraints = [
            models.UniqueConstraint(
                fields=["period", "regency", "version"],
                condition=Q(regency__isnull=False),
                name="summary_once_per_regency",
            ),
            models.UniqueConstraint(
                fields=["period", "version"],
                condition=Q(regency__isnull=True),
                name="summary_once_for_province",
            ),
        ]
        indexes = [models.Index(fields=["period", "regency", "version"])]

    def __str__(self) -> str:
        where = self.regency or _("Provinsi Kalimantan Selatan")
        return f"{where} · {self.period:%Y-%m} · {self.get_version_display()}"

    @property
    def is_internal(self) -> bool:
        return self.version == SummaryVersion.INTERNAL

    def canonical(self) -> str:
        return canonical_json(self.content)


# --- Audit --------------------------------------------------------------------------------


class AppendOnlyQuerySet(models.QuerySet):
    """An audit table: rows are written once and never changed or removed (on PostgreSQL a
    trigger refuses it too, see migration 0002)."""

    def update(self, **kwargs):
        raise PermissionError("Audit records are append-only.")

    def delete(self):
        raise PermissionError("Audit records are append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit records are append-only.")


class ExportKind(models.TextChoices):
    SUMMARY = "SUMMARY", _("Ringkasan bulanan")
    SUMMARY_LIST = "SUMMARY_LIST", _("Daftar ringkasan bulanan")
    CASE_LIST = "CASE_LIST", _("Daftar kasus")


class ExportFormat(models.TextChoices):
    CSV = "CSV", "CSV"
    XLSX = "XLSX", "XLSX"
    PDF = "PDF", "PDF"
    JSON = "JSON", "JSON"


class ExportChannel(models.TextChoices):
    WEB = "web", _("Halaman web")
    API = "api", _("API")


class ExportLog(AppendOnlyModel):
    """Every export or download of report data: who, when, what, in which format, from
    where. What was exported is recorded by reference (summary, period, regency, version and
    the checksum of the exact content), never by copying figures or personal data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The user's agency at the time of the export (a user may move later).
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    kind = models.CharField(_("jenis ekspor"), max_length=20, choices=ExportKind.choices)
    fmt = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    channel = models.CharField(_("melalui"), max_length=8, choices=ExportChannel.choices)
    summary = models.ForeignKey(
        MonthlySummary,
        verbose_name=_("ringkasan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period = models.DateField(_("periode"), null=True, blank=True)
    regency = models.ForeignKey(
        "agencies.Regency",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.CharField(
        _("versi"), max_length=10, choices=SummaryVersion.choices, blank=True
    )
    checksum = models.CharField(_("checksum SHA-256"), max_length=64, blank=True)
    row_count = models.PositiveIntegerField(_("jumlah baris"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("log ekspor")
        verbose_name_plural = _("log ekspor")
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["agency", "at"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind} {self.fmt} @ {self.at:%Y-%m-%d %H:%M}"


class ErasureLog(AppendOnlyModel):
    """The lawful request behind an identity erasure (UU 27/2022): the reference of the
    request (a letter or decision number, never a name), next to the access-log row that
    records the erasure itself."""

    access = models.OneToOneField(
        "victims.IdentityAccess",
        verbose_name=_("catatan akses"),
        on_delete=models.PROTECT,
        related_name="erasure",
    )
    victim = models.ForeignKey(
        "victims.Victim", verbose_name=_("korban"), on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dihapus oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    reference = models.CharField(_("nomor permintaan"), max_length=100)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("log penghapusan identitas")
        verbose_name_plural = _("log penghapusan identitas")

    def __str__(self) -> str:
        return f"{self.victim_id} · {self.reference}"


class IdentityAlert(models.Model):
    """One alert per user and day (Asia/Makassar) about an unusual number of identity
    views: the unique row is what makes the mail go out once, even under concurrency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    day = models.DateField(_("tanggal"))
    views = models.PositiveIntegerField(_("jumlah akses"))
    recipients = models.PositiveSmallIntegerField(_("jumlah penerima"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "user_id"]
        verbose_name = _("peringatan akses identitas")
        verbose_name_plural = _("peringatan akses identitas")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="identity_alert_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.day}"
