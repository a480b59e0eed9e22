from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agencies.scoping import may_see_identities
from core.http import client_ip

from .models import Consent, Victim, VictimService
from .services import identity_read


class ScopedAdmin(SimpleHistoryAdmin):
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.visible_to(request.user)


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    fields = ["basis", "given_by", "scope", "given_on", "withdrawn_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Victim)
class VictimAdmin(ScopedAdmin):
    list_display = ["code", "sex", "age_at_identification", "is_child", "nationality", "status"]
    list_filter = ["sex", "is_child", "status", "nationality", "home_regency"]
    search_fields = ["code", "simfoni_id"]
    readonly_fields = ["code", "is_child", "identity_panel", "created_at", "updated_at"]
    inlines = [ConsentInline]

    def has_add_permission(self, request):
        return False

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not may_see_identities(request.user):
            fields = [f for f in fields if f != "identity_panel"]
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._request = request
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("Identitas (dicatat setiap kali dilihat)"))
    def identity_panel(self, obj):
        request = getattr(self, "_request", None)
        if request is None or obj is None or not may_see_identities(request.user):
            return "—"
        identity = identity_read(
            user=request.user,
            victim=obj,
            channel="admin:victim",
            ip_address=client_ip(request),
        )
        if identity is None:
            return "—"
        rows = [
            (_("Nama"), identity.full_name),
            (_("NIK"), identity.nik),
            (_("Tanggal lahir"), identity.birth_date or "—"),
            (_("Telepon"), identity.phone),
            (_("Alamat"), identity.address),
            (_("Orang tua/wali"), identity.guardian),
        ]
        return format_html_join("", "<div><strong>{}</strong>: {}</div>", rows)


@admin.register(VictimService)
class VictimServiceAdmin(ScopedAdmin):
    list_display = ["victim", "case", "type", "provider_agency", "status", "referred_on"]
    list_filter = ["type", "status", "provider_agency"]
    search_fields = ["victim__code", "case__register_no"]
    list_select_related = ["victim", "case", "provider_agency"]
    readonly_fields = [f.name for f in VictimService._meta.fields]

    def has_add_permission(self, request):
        return False
