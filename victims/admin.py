from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.models import to_historic

from agencies.admin import CaseDataAdmin, SeenVersionForm
from agencies.scoping import may_see_identities
from core.http import client_ip

from .models import Consent, Victim, VictimService
from .services import VICTIM_UPDATABLE, identity_read, victim_update


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    fields = ["basis", "given_by", "scope", "given_on", "withdrawn_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VictimAdminForm(SeenVersionForm):
    version_field = "seen"
    stale = _(
        "Data korban telah diubah orang lain sejak halaman ini dibuka; muat ulang lalu ulangi."
    )
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)


class IdentityPanel:
    """The identity panel of one request: a read-only admin field that knows who looks.

    The request is passed in, never stored on the admin (one ModelAdmin instance serves
    every request: an identity was shown to one user and logged under another). Two panels
    of the same request are equal, so the field list and the read-only list agree."""

    __name__ = "identity_panel"
    short_description = _("Identitas (dicatat setiap kali dilihat)")

    def __init__(self, request):
        self.request = request

    def __eq__(self, other):
        return isinstance(other, IdentityPanel) and other.request is self.request

    def __hash__(self):
        return hash(id(self.request))

    def __call__(self, obj):
        request = self.request
        if obj is None or not may_see_identities(request.user):
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


@admin.register(Victim)
class VictimAdmin(CaseDataAdmin):
    form = VictimAdminForm
    list_display = ["code", "sex", "age_at_identification", "is_child", "nationality", "status"]
    list_filter = ["sex", "is_child", "status", "nationality", "home_regency"]
    search_fields = ["code", "simfoni_id"]
    search_help_text = _("Cari dengan kode korban atau nomor SIMFONI-PPA.")
    fields = ["code", "is_child", *VICTIM_UPDATABLE, "created_at", "updated_at", "seen"]
    readonly_fields = ["code", "is_child", "created_at", "updated_at"]
    inlines = [ConsentInline]

    def has_add_permission(self, request):
        return False

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self._shows_identity(request, obj):
            fields.insert(2, IdentityPanel(request))
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._shows_identity(request, obj):
            readonly.append(IdentityPanel(request))
        return readonly

    def _shows_identity(self, request, obj) -> bool:
        # Not on a historical version: the history shows what changed, not who she is.
        return obj is not None and to_historic(obj) is None and may_see_identities(request.user)

    denied_message = _("Anda tidak dapat mengubah data korban ini.")

    def save_model(self, request, obj, form, change):
        self.save_through(
            request,
            obj,
            form,
            lambda changes, version: victim_update(
                by=request.user, victim=obj, version=version, **changes
            ),
        )


@admin.register(VictimService)
class VictimServiceAdmin(CaseDataAdmin):
    """Read-only: referrals and services change through their pages and the API."""

    list_display = ["victim", "case", "type", "provider_agency", "status", "referred_on"]
    list_filter = ["type", "status", "provider_agency"]
    search_fields = ["victim__code", "case__register_no"]
    search_help_text = _("Cari dengan kode korban atau nomor register kasus.")
    list_select_related = ["victim", "case", "provider_agency"]
    readonly_fields = [f.name for f in VictimService._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
