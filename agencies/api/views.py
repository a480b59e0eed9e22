"""Reference data: regencies and agencies, readable by every authenticated user.

Neither table records when a row changed, so `updated_since` is accepted (a unit's sync
sends it to every list) and answers the full list: a superset is always a correct sync.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins

from agencies.models import Agency, Regency
from core.api.base import RegencyCodeFilter, TrueFalseFilter, UpdatedSinceFilter

from .access import ApiViewSet
from .serializers import AgencySerializer, RegencySerializer


class ReferenceFilter(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter(
        method="filter_updated_since",
        label=_("Diperbarui sejak (data rujukan: selalu daftar lengkap)"),
    )

    def filter_updated_since(self, queryset, name, value):
        return queryset


class RegencyFilter(ReferenceFilter):
    class Meta:
        model = Regency
        fields = ["kind", "updated_since"]


class AgencyFilter(ReferenceFilter):
    regency = RegencyCodeFilter(field_name="regency_id", label=_("Kabupaten/kota"))
    is_active = TrueFalseFilter(label=_("Aktif"))

    class Meta:
        model = Agency
        fields = ["kind", "regency", "is_active", "updated_since"]


class RegencyViewSet(mixins.ListModelMixin, ApiViewSet):
    """The 13 regencies and cities, by BPS code."""

    queryset = Regency.objects.order_by("code")
    holds_case_data = False
    serializer_class = RegencySerializer
    filterset_class = RegencyFilter


class AgencyViewSet(mixins.ListModelMixin, ApiViewSet):
    """Agencies of the task force, e.g. to name the provider of a referral."""

    queryset = Agency.objects.order_by("name", "id")
    holds_case_data = False
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
