from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agencies.admin import CaseDataAdmin, SeenVersionForm
from victims.models import VictimService

from .models import Case, CaseVictim, Involvement, Perpetrator, StageEvent
from .services import case_update


class ReadOnlyInline(admin.TabularInline):
    """Inlines show the record; changes go through the services (pages and API)."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
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


class CaseAdminForm(SeenVersionForm):
    stale = _("Kasus telah diubah orang lain sejak halaman ini dibuka; muat ulang lalu ulangi.")
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@admin.register(Case)
class CaseAdmin(CaseDataAdmin):
    form = CaseAdminForm
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
        "seen_version",
    ]
    inlines = [VictimInline, InvolvementInline, StageInline, ServiceInline]

    def has_add_permission(self, request):
        return False  # cases are recorded through the pages or the API, with their victims

    denied_message = _("Anda tidak dapat mengubah kasus ini.")

    def save_model(self, request, obj, form, change):
        self.save_through(
            request,
            obj,
            form,
            lambda changes, version: case_update(
                by=request.user, case=obj, version=version, **changes
            ),
        )


@admin.register(Perpetrator)
class PerpetratorAdmin(CaseDataAdmin):
    """Read-only: perpetrators are recorded and changed through the case pages and the API
    (there is no admin write path through the services). Searched by the register number of
    a case, never by name: a search travels in the URL, and so in access logs."""

    list_display = ["name", "kind", "nationality"]
    list_filter = ["kind", "nationality"]
    search_fields = ["involvements__case__register_no"]
    search_help_text = _("Cari dengan nomor register kasus.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Involvement)
class InvolvementAdmin(CaseDataAdmin):
    """Read-only: outcomes are recorded on the defendant-outcome page and the API."""

    list_display = ["perpetrator", "case", "legal_status", "verdict", "sentence_months"]
    list_filter = ["legal_status", "verdict"]
    search_fields = ["case__register_no"]
    search_help_text = _("Cari dengan nomor register kasus.")
    list_select_related = ["perpetrator", "case"]
    readonly_fields = [f.name for f in Involvement._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
