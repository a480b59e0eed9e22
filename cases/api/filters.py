import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.codes import PerpetratorKind
from cases.filters import CaseFilter
from cases.models import Involvement, Perpetrator
from core.api.base import IdFilter, RegencyCodeFilter, UpdatedSinceFilter


class CaseApiFilter(CaseFilter):
    """The pages' case filters; `updated_since` is checked for what the database takes."""

    updated_since = UpdatedSinceFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Diperbarui sejak")
    )
    # A well-formed code that names no regency matches nothing (the pages' select refuses it).
    regency = RegencyCodeFilter(field_name="regency_id", label=_("Kabupaten/kota"))
    # For a sync, `ordering=id`: a case changed while the pages are read keeps its place,
    # so no other case slips past the pages already read.
    ordering = django_filters.OrderingFilter(
        fields=["id", "reported_on", "updated_at"], label=_("Urutan")
    )


class PerpetratorFilter(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter(
        method="filter_updated_since",
        label=_("Diperbarui sejak (pelaku atau perannya dalam kasus)"),
    )
    kind = django_filters.ChoiceFilter(choices=PerpetratorKind.choices, label=_("Jenis"))
    nationality = django_filters.CharFilter(label=_("Kewarganegaraan"))
    case = IdFilter(method="filter_case", label=_("Kasus"))

    class Meta:
        model = Perpetrator
        fields = ["updated_since", "kind", "nationality", "case"]

    def filter_case(self, queryset, name, value):
        # Only through cases the caller may see: no hint about the others.
        links = Involvement.objects.visible_to(self.request.user).filter(case_id=value)
        return queryset.filter(pk__in=links.values("perpetrator_id"))

    def filter_updated_since(self, queryset, name, value):
        # The outcome of a defendant (verdict, restitution) lives on the involvement:
        # a sync must see it change too, but only in the cases the caller sees (a change in
        # another case must not tell it that the perpetrator is active elsewhere).
        changed = (
            Involvement.objects.visible_to(self.request.user)
            .filter(updated_at__gte=value)
            .values("perpetrator_id")
        )
        return queryset.filter(Q(updated_at__gte=value) | Q(pk__in=changed))
