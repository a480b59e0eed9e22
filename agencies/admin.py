from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, Regency, User
from .scoping import agency_scope, sees_everything


class ScopedAdminMixin:
    """Non-superuser staff see and change only what the access rule gives them.

    `agency_path` is the lookup from the model to its agency (for agency-owned rows); admins
    of case data override `scoped_queryset` with their model's `visible_to`.
    """

    agency_path = ""

    def scoped_queryset(self, request, qs):
        return qs.filter(agency_scope(request.user, self.agency_path))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return self.scoped_queryset(request, qs)


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Agency)
class AgencyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "regency", "parent", "is_active"]
    list_filter = ["kind", "regency", "is_active"]
    search_fields = ["name", "email"]
    list_select_related = ["regency", "parent"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    agency_path = "agency__"
    list_display = ["username", "first_name", "last_name", "agency", "role", "is_active"]
    list_filter = ["role", "is_active", "agency__kind", "agency__regency"]
    search_fields = ["username", "first_name", "last_name", "email", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Instansi dan peran"), {"fields": ["agency", "role"]}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Instansi dan peran"), {"fields": ["agency", "role"]}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser or the province may grant roles and admin rights.
        readonly = list(super().get_readonly_fields(request, obj))
        if not (request.user.is_superuser or sees_everything(request.user)):
            readonly += ["role", "agency", "is_superuser", "is_staff", "groups", "user_permissions"]
        elif not request.user.is_superuser:
            readonly += ["is_superuser"]
        return readonly


# --- API tokens ----------------------------------------------------------------------------
# Tokens are issued with `manage.py issue_token <username>` (which prints the key once).
# Here superusers list them and revoke them (delete); nobody else sees them, and the key
# itself is never shown in full.
from rest_framework.authtoken.admin import TokenAdmin as DrfTokenAdmin  # noqa: E402
from rest_framework.authtoken.models import TokenProxy  # noqa: E402

if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(DrfTokenAdmin):
    list_display = ["user", "user_agency", "user_role", "user_active", "key_start", "created"]
    list_select_related = ["user__agency"]
    list_filter = ["created", "user__role", "user__is_active"]
    fields = ["user", "user_agency", "key_start", "created"]
    readonly_fields = fields

    @admin.display(description=_("awal kunci"))
    def key_start(self, token) -> str:
        return f"{token.key[:6]}…"

    @admin.display(description=_("instansi"))
    def user_agency(self, token):
        return token.user.agency

    @admin.display(description=_("peran"))
    def user_role(self, token):
        return token.user.get_role_display()

    @admin.display(description=_("aktif"), boolean=True)
    def user_active(self, token) -> bool:
        return token.user.is_active

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False  # issued by `manage.py issue_token`, which shows the key once

    def has_change_permission(self, request, obj=None) -> bool:
        return False
