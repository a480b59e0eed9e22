"""Filters of the audit pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from audit.models import ExportChannel, ExportFormat, ExportKind
from core.forms import DATE, BootstrapMixin
from core.periods import day_bounds

ALL = [("", _("Semua"))]


class AuditFilterForm(BootstrapMixin, forms.Form):
    """What both logs are filtered by: the user, the user's agency, a range of days."""

    pengguna = forms.CharField(label=_("Nama pengguna"), required=False, max_length=150)
    instansi = forms.ModelChoiceField(
        label=_("Instansi"), queryset=Agency.objects.order_by("name"), required=False
    )
    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=DATE)
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DATE)

    # The model's lookups, per log.
    user_field = "user"
    agency_field = "user__agency"
    time_field = "at"

    compact = True

    def clean(self):
        data = super().clean()
        for name in ("dari", "sampai"):
            if data.get(name):
                try:
                    day_bounds(data[name])
                except ValidationError as exc:
                    self.add_error(name, exc)
        if data.get("dari") and data.get("sampai") and data["sampai"] < data["dari"]:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data

    def filter(self, qs: QuerySet) -> QuerySet:
        """The rows matching the filters; none while the filters are invalid (a list that
        silently ignored a bad filter would mislead the reader)."""
        if not self.is_bound:
            return qs
        if not self.is_valid():
            return qs.none()
        d = self.cleaned_data
        if d["pengguna"]:
            qs = qs.filter(**{f"{self.user_field}__username__iexact": d["pengguna"].strip()})
        if d["instansi"]:
            qs = qs.filter(**{self.agency_field: d["instansi"]})
        # Whole days in the system's time zone, as instants (the index on time is used).
        if d["dari"]:
            qs = qs.filter(**{f"{self.time_field}__gte": day_bounds(d["dari"])[0]})
        if d["sampai"]:
            qs = qs.filter(**{f"{self.time_field}__lt": day_bounds(d["sampai"])[1]})
        return self.filter_more(qs, d)

    def filter_more(self, qs: QuerySet, d: dict) -> QuerySet:
        return qs


class AccessLogFilterForm(AuditFilterForm):
    korban = forms.CharField(label=_("Kode korban"), required=False, max_length=20)
    melalui = forms.CharField(
        label=_("Melalui"),
        required=False,
        max_length=60,
        help_text=_("mis. web, api, admin, erasure"),
    )

    time_field = "accessed_at"

    def filter_more(self, qs, d):
        if d["korban"]:
            qs = qs.filter(victim__code__iexact=d["korban"].strip())
        if d["melalui"]:
            qs = qs.filter(channel=d["melalui"].strip())
        return qs


class ExportLogFilterForm(AuditFilterForm):
    jenis = forms.ChoiceField(
        label=_("Jenis ekspor"), choices=ALL + ExportKind.choices, required=False
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=ALL + ExportFormat.choices, required=False
    )
    melalui = forms.ChoiceField(
        label=_("Melalui"), choices=ALL + ExportChannel.choices, required=False
    )

    agency_field = "agency"

    def filter_more(self, qs, d):
        if d["jenis"]:
            qs = qs.filter(kind=d["jenis"])
        if d["format"]:
            qs = qs.filter(fmt=d["format"])
        if d["melalui"]:
            qs = qs.filter(channel=d["melalui"])
        return qs
