from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, ApiToken, Regency, Role, User
from .scoping import agency_scope, role_of, sees_everything


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


# Who may manage whom: a non-superuser manages only users of a lower role than its own
# (and, through `agency_scope`, of its own scope), and may give only such roles.
ROLE_RANK = {Role.ADMIN: 4, Role.PROVINCE: 3, Role.REGENCY: 2, Role.UNIT: 1, Role.ANALYST: 1}
SUPERUSER_ONLY_FIELDS = ["is_superuser", "is_staff", "groups", "user_permissions"]


def rank_of(user) -> int:
    role = role_of(user)
    return ROLE_RANK.get(role, 0) if role else 0


def roles_below(user) -> list[str]:
    return [role for role, rank in ROLE_RANK.items() if rank < rank_of(user)]


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    """A province staff user with `change_user` must not be able to reset the superuser's
    password or grant itself rights: superusers and users of its own or a higher role are
    not in its lists, not openable (404), and admin rights are read-only to it."""

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

    def scoped_queryset(self, request, qs):
        return (
            super()
            .scoped_queryset(request, qs)
            .filter(is_superuser=False, role__in=roles_below(request.user))
        )

    def may_manage(self, request, obj) -> bool:
        if request.user.is_superuser or obj is None:
            return True
        return (
            not obj.is_superuser
            and obj.role in roles_below(request.user)
            and obj.pk != request.user.pk
        )

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_manage(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            allowed = set(roles_below(request.user))
            kwargs["choices"] = [c for c in db_field.choices if c[0] in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser grants admin rights; the province (or an administrator role)
        # gives roles below its own and agencies; other staff change neither.
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        readonly += SUPERUSER_ONLY_FIELDS
        if not sees_everything(request.user):
            readonly += ["role", "agency"]
        return readonly


# --- API tokens ----------------------------------------------------------------------------
# Tokens are issued with `manage.py issue_token <username>` (which prints the key once).
# Here superusers list them and revoke them (delete); nobody else sees them, and the key
# itself is never shown in full.


@admin.register(ApiToken)
class TokenAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "user_agency",
        "user_role",
        "user_active",
        "key_start",
        "created",
        "expires_at",
        "last_used_at",
    ]
    list_select_related = ["user__agency"]
    list_filter = ["created", "expires_at", "user__role", "user__is_active"]
    search_fields = ["user__username"]
    fields = ["user", "user_agency", "key_start", "created", "expires_at", "last_used_at"]
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
