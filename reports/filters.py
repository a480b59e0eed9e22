"""Filters of the reporting lists, one FilterSet per list (the API's; pages may share them):
a period as `YYYY-MM`, a regency by its code, and `updated_since` as every list has it."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from core.api.base import RegencyCodeFilter, UpdatedSinceFilter
from core.periods import parse_period

from .models import MonthlySummary, UnitReturn


class PeriodField(forms.CharField):
    """`YYYY-MM` to the first day of that month, with the periods' own message."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_period(value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["period"]) from exc


# What parse_period accepts (a month from the year 2000 on); empty means no filter.
PERIOD_QUERY_PATTERN = r"^(2[0-9]{3}-(0[1-9]|1[0-2]))?$"


@extend_schema_field({"type": "string", "pattern": PERIOD_QUERY_PATTERN, "example": "2026-03"})
class PeriodFilter(django_filters.Filter):
    field_class = PeriodField


class UnitReturnFilter(django_filters.FilterSet):
    period = PeriodFilter(field_name="period", label=_("Periode (YYYY-MM)"))
    updated_since = UpdatedSinceFilter(
        field_name="filed_at", lookup_expr="gte", label=_("Disampaikan sejak")
    )

    class Meta:
        model = UnitReturn
        fields = ["period", "updated_since"]


@extend_schema_field({"type": "string", "pattern": "^([0-9]{4})?$"})
class ProvinceOrRegencyFilter(RegencyCodeFilter):
    """A regency by its code; given but empty, the province's own summaries (the province
    has no code: `?regency=` asks for it)."""

    def filter(self, qs, value):
        if value in (None, "") and self.parent.data.get("regency") == "":
            return qs.filter(regency__isnull=True)
        return super().filter(qs, value)


class MonthlySummaryFilter(django_filters.FilterSet):
    period = PeriodFilter(field_name="period", label=_("Periode (YYYY-MM)"))
    regency = ProvinceOrRegencyFilter(
        field_name="regency_id", label=_("Kabupaten/kota (kosong: provinsi)")
    )
    updated_since = UpdatedSinceFilter(
        field_name="built_at", lookup_expr="gte", label=_("Disusun sejak")
    )

    class Meta:
        model = MonthlySummary
        fields = ["period", "regency", "updated_since"]
