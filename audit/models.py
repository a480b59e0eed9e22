"""The audit: append-only records of who saw an identity, what left the system, which
identity was erased on whose lawful request, and the alerts on unusual viewing.

Every row is written by a plain call to `audit.services` from whoever reads an identity or
sends an export, inside the same transaction, so nothing is seen or sent unrecorded. The
tables keep the names they had when they lived in victims and reports; on PostgreSQL their
triggers refuse updates and deletes too."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel


class IdentityAccess(AppendOnlyModel):
    """Every view of an identity: who, when, which victim, through what, from where.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger
    refuses them too (see the migration)."""

    ERASURE = "erasure"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    victim = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="+")
    accessed_at = models.DateTimeField(default=timezone.now, db_index=True)
    channel = models.CharField(_("melalui"), max_length=60)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    class Meta:
        db_table = "victims_identityaccess"  # created when it lived in victims
        ordering = ["-accessed_at", "-id"]
        verbose_name = _("akses identitas")
        verbose_name_plural = _("log akses identitas")
        indexes = [models.Index(fields=["user", "accessed_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.victim_id} @ {self.accessed_at:%Y-%m-%d %H:%M}"


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
        "reports.MonthlySummary",
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
    # The summary's version (internal or published), as the summary names it.
    version = models.CharField(_("versi"), max_length=10, blank=True)
    checksum = models.CharField(_("checksum SHA-256"), max_length=64, blank=True)
    row_count = models.PositiveIntegerField(_("jumlah baris"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    class Meta:
        db_table = "reports_exportlog"  # created when it lived in reports
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
        IdentityAccess,
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
        db_table = "reports_erasurelog"
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
        db_table = "reports_identityalert"
        ordering = ["-day", "user_id"]
        verbose_name = _("peringatan akses identitas")
        verbose_name_plural = _("peringatan akses identitas")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="identity_alert_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.day}"
