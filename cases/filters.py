"""Case filters shared by the API and the pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Regency

from .codes import CaseStatus, CodeField, ExploitationType, Stage
from .models import Case


class CaseFilter(django_filters.FilterSet):
    regency = django_filters.ModelChoiceFilter(
        queryset=Regency.objects.all(), label=_("Kabupaten/kota"), to_field_name="code"
    )
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Tahap"))
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label=_("Status"))
    exploitation_type = django_filters.ChoiceFilter(
        choices=ExploitationType.choices, label=_("Jenis eksploitasi"), method="filter_exploitation"
    )
    reported_after = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="gte", label=_("Dilaporkan sejak")
    )
    reported_before = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="lte", label=_("Dilaporkan sampai")
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Diperbarui sejak")
    )
    external_ref = django_filters.CharFilter(label=_("Referensi instansi"))
    search = django_filters.CharFilter(
        method="filter_search", label=_("Cari nomor register atau nomor LP")
    )

    class Meta:
        model = Case
        fields = [
            "regency",
            "stage",
            "status",
            "exploitation_type",
            "reported_after",
            "reported_before",
            "updated_since",
            "external_ref",
            "search",
        ]

    def filter_exploitation(self, queryset, name, value):
        return queryset.with_code(CodeField.EXPLOITATION, value) if value else queryset

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(register_no__icontains=value) | Q(police_report_no__icontains=value)
        )
