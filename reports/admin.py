from django.contrib import admin

from agencies.admin import ScopedAdminMixin

from .models import MonthlySummary, ReturnReminder, UnitReturn


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
class ReturnReminderAdmin(admin.ModelAdmin):
    list_display = ["agency", "period", "recipients", "sent_at"]
    list_filter = ["period"]
    readonly_fields = ["agency", "period", "recipients", "sent_at"]

    def has_add_permission(self, request):
        return False


@admin.register(MonthlySummary)
class MonthlySummaryAdmin(admin.ModelAdmin):
    list_display = ["period", "regency", "version", "checksum", "built_at"]
    list_filter = ["period", "version"]
    readonly_fields = ["period", "regency", "version", "content", "checksum", "built_at"]

    def has_add_permission(self, request):
        return False  # built by the service only

    def has_change_permission(self, request, obj=None):
        return False
