import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
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
    # Optimistic locking (core.versions): every write names the version it was based on.
    version = models.PositiveIntegerField(default=1, editable=False)

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
