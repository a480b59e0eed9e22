"""Victim and service filters, one FilterSet per list, shared by the API and the pages."""

import django_filters
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from agencies.scoping import case_scope
from core.api.base import IdFilter, RegencyCodeFilter, TrueFalseFilter, UpdatedSinceFilter

from .codes import ServiceStatus, ServiceType, Sex, VictimStatus
from .models import Victim, VictimService


class VictimFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(
        field_name="code", lookup_expr="icontains", max_length=20, label=_("Kode korban")
    )
    updated_since = UpdatedSinceFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Diperbarui sejak")
    )
    sex = django_filters.ChoiceFilter(choices=Sex.choices, label=_("Jenis kelamin"))
    status = django_filters.ChoiceFilter(choices=VictimStatus.choices, label=_("Status korban"))
    is_child = TrueFalseFilter(label=_("Anak"))
    home_regency = RegencyCodeFilter(field_name="home_regency_id", label=_("Kabupaten/kota asal"))
    case = IdFilter(method="filter_case", label=_("Kasus"))

    class Meta:
        model = Victim
        fields = ["code", "updated_since", "sex", "status", "is_child", "home_regency", "case"]

    def filter_case(self, queryset, name, value):
        # Only through cases the caller may see: no hint about the others.
        links = apps.get_model("cases", "CaseVictim").objects.filter(
            case_scope(self.request.user, "case__"), case_id=value
        )
        return queryset.filter(pk__in=links.values("victim_id"))


class ServiceFilter(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Diperbarui sejak")
    )
    status = django_filters.ChoiceFilter(choices=ServiceStatus.choices, label=_("Status"))
    type = django_filters.ChoiceFilter(choices=ServiceType.choices, label=_("Jenis layanan"))
    provider_agency = IdFilter(field_name="provider_agency_id", label=_("Instansi pemberi layanan"))
    case = IdFilter(field_name="case_id", label=_("Kasus"))
    awaiting = TrueFalseFilter(
        method="filter_awaiting", label=_("Rujukan ke instansi saya yang belum dijawab")
    )

    class Meta:
        model = VictimService
        fields = ["updated_since", "status", "type", "provider_agency", "case", "awaiting"]

    def filter_awaiting(self, queryset, name, value):
        if value is None:
            return queryset
        awaiting = queryset.awaiting(self.request.user.agency_id)
        return awaiting if value else queryset.exclude(pk__in=awaiting.values("pk"))
