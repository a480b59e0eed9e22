from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from victims.models import VictimService

from .models import Case, CaseVictim, Involvement, Perpetrator, StageEvent
from .services import StaleVersion, case_update


class ReadOnlyInline(admin.TabularInline):
    """Inlines show the record; changes go through the services (pages and API)."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VictimInline(ReadOnlyInline):
    model = CaseVictim
    fields = ["victim"]
    readonly_fields = fields
    verbose_name = _("korban")
    verbose_name_plural = _("korban")


class InvolvementInline(ReadOnlyInline):
    model = Involvement
    fields = ["perpetrator", "legal_status", "verdict", "verdict_on", "sentence_months"]
    readonly_fields = fields


class StageInline(ReadOnlyInline):
    model = StageEvent
    fields = ["stage", "occurred_on", "document_no", "recorded_by", "reason"]
    readonly_fields = fields


class ServiceInline(ReadOnlyInline):
    model = VictimService
    fields = ["victim", "type", "provider_agency", "status", "referred_on", "completed_on"]
    readonly_fields = fields


class ScopedCaseDataAdmin(SimpleHistoryAdmin):
    """Staff who are not superusers see only what the access rule gives them."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.visible_to(request.user)


@admin.register(Case)
class CaseAdmin(ScopedCaseDataAdmin):
    list_display = ["register_no", "regency", "reporting_agency", "reported_on", "stage", "status"]
    list_filter = ["regency", "stage", "status", "transnational", "reported_on"]
    search_fields = [
        "register_no",
        "police_report_no",
        "external_ref",
        "victim_links__victim__code",
    ]
    list_select_related = ["regency", "reporting_agency"]
    date_hierarchy = "reported_on"
    readonly_fields = [
        "register_no",
        "stage",
        "version",
        "reporting_agency",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
    ]
    fields = [
        "register_no",
        "regency",
        "reporting_agency",
        "external_ref",
        "police_report_no",
        "reported_on",
        "occurred_from",
        "occurred_to",
        "summary",
        "labour_sector",
        "recruiter_relation",
        "transnational",
        "destination_country",
        "complicity",
        "status",
        "stage",
        "simfoni_id",
        "version",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
    ]
    inlines = [VictimInline, InvolvementInline, StageInline, ServiceInline]

    def has_add_permission(self, request):
        return False  # cases are recorded through the pages or the API, with their victims

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            case_update(by=request.user, case=obj, version=obj.version, **changes)
        except StaleVersion:
            messages.error(request, _("Kasus telah diubah orang lain; muat ulang lalu ulangi."))
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))


@admin.register(Perpetrator)
class PerpetratorAdmin(ScopedCaseDataAdmin):
    list_display = ["name", "kind", "nationality"]
    list_filter = ["kind", "nationality"]
    search_fields = ["name", "involvements__case__register_no"]


@admin.register(Involvement)
class InvolvementAdmin(ScopedCaseDataAdmin):
    list_display = ["perpetrator", "case", "legal_status", "verdict", "sentence_months"]
    list_filter = ["legal_status", "verdict"]
    search_fields = ["perpetrator__name", "case__register_no"]
    list_select_related = ["perpetrator", "case"]
    readonly_fields = [f.name for f in Involvement._meta.fields]

    def has_add_permission(self, request):
        return False
