from django.contrib import admin

from agencies.admin import ScopedAdminMixin

from .models import MonthlySummary, ReturnReminder, UnitReturn
from .selectors import summaries_visible_to


@admin.register(UnitReturn)
class UnitReturnAdmin(ScopedAdminMixin, admin.ModelAdmin):
    agency_path = "agency__"
    list_display = ["agency", "period", "nil", "late", "filed_at"]
    list_filter = ["period", "nil", "late"]
    list_select_related = ["agency"]
    readonly_fields = ["agency", "period", "nil", "note", "filed_by", "filed_at", "late"]

    def has_add_permission(self, request):
        return False  # filed through the page or the API, where the rules apply


@admin.register(ReturnReminder)
class ReturnReminderAdmin(ScopedAdminMixin, admin.ModelAdmin):
    agency_path = "agency__"
    list_display = ["agency", "period", "recipients", "sent_at"]
    list_filter = ["period"]
    readonly_fields = ["agency", "period", "recipients", "sent_at"]

    def has_add_permission(self, request):
        return False


@admin.register(MonthlySummary)
class MonthlySummaryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["period", "regency", "version", "checksum", "built_at"]
    list_filter = ["period", "version"]
    readonly_fields = ["period", "regency", "version", "content", "checksum", "built_at"]

    def scoped_queryset(self, request, qs):
        # The summaries the user may open, each only in the version they get (the exact
        # counts of the internal version are for those who may see the cases behind them).
        return qs.filter(pk__in=summaries_visible_to(request.user).values("pk"))

    def has_add_permission(self, request):
        return False  # built by the service only

    def has_change_permission(self, request, obj=None):
        return False
