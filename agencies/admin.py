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
