from datetime import date

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic

from core.versions import StaleVersion

from .models import Agency, ApiToken, Regency, Role, User
from .scoping import agency_scope, role_of, sees_everything


class AdminInputGuard:
    """Hostile query strings on a change list are a 400 with a message, never a 500.

    A NUL character cannot even be sent to PostgreSQL, a date-hierarchy year of 9999 makes
    Django's bounds overflow, a lookup value the database refuses (a year out of range, a
    number too large) fails only when the list is counted: all of them are refused here, for
    every change list that uses this mixin (every admin of ours, and the third-party admins,
    which `guard_every_admin` wraps)."""

    def changelist_view(self, request, extra_context=None):
        problem = _query_problem(request, self.get_date_hierarchy(request))
        if problem:
            return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
        return super().changelist_view(request, extra_context)

    def get_date_hierarchy(self, request):
        return self.date_hierarchy

    def get_changelist_instance(self, request):
        # The list is counted (and so the query run) while the change list is built: a value
        # the database refuses is a bad filter, which the admin answers with `?e=1` below.
        try:
            with transaction.atomic():
                return super().get_changelist_instance(request)
        except (ValueError, TypeError, OverflowError, ValidationError, DatabaseError) as exc:
            raise IncorrectLookupParameters(str(type(exc).__name__)) from exc


def _query_problem(request, date_hierarchy: str | None) -> str:
    """What is wrong with a change list's query string, or ""."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return str(_("Penyaring tidak valid: karakter NUL tidak diperbolehkan."))
    if ERROR_FLAG in request.GET:
        # Django's answer to a filter it could not apply is a redirect to `?e=1`.
        return str(_("Penyaring atau pencarian tidak valid; hapus penyaring lalu coba lagi."))
    if date_hierarchy:
        parts = [request.GET.get(f"{date_hierarchy}__{p}") for p in ("year", "month", "day")]
        if any(v is not None for v in parts):
            try:
                year, month, day = (int(v) if v is not None else 1 for v in parts)
                if not MIN_YEAR <= year <= MAX_YEAR:
                    raise ValueError
                date(year, month, day)
            except (ValueError, OverflowError):  # date() overflows past a C int
                return str(_("Tanggal penyaring tidak valid."))
    return ""


# The date hierarchy's upper bound is the next day, month or year: 9999 would overflow.
MIN_YEAR, MAX_YEAR = 1, 9998


class ScopedAdminMixin(AdminInputGuard):
    """The one scoping mixin: non-superuser staff see and change only what the access rule
    gives them, in the change list, the change form, the history and every other view
    (each of them reads the object through `get_queryset`).

    A model whose QuerySet has `visible_to(user)` (all case data) is scoped by it; an
    agency-owned model (users, monthly returns) by `agency_scope` over `agency_path`, the
    lookup from the model to its agency. An admin may override `scoped_queryset`."""

    agency_path = ""

    def scoped_queryset(self, request, qs):
        if hasattr(qs, "visible_to"):
            return qs.visible_to(request.user)
        return qs.filter(agency_scope(request.user, self.agency_path))

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return self.scoped_queryset(request, qs)


class SeenVersionForm(forms.ModelForm):
    """The version the admin saw when the page was opened travels with the form, so a save
    based on an older version is refused (core.versions), not merged over someone else's
    change. A subclass declares the hidden field named `version_field` and its `stale`
    message."""

    version_field = "seen_version"
    stale = _("Data telah diubah orang lain sejak halaman ini dibuka; muat ulang lalu ulangi.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[self.version_field].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get(self.version_field) != self.instance.version:
            raise ValidationError(self.stale)
        return data


class CaseDataAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Every admin of case data (cases, victims, perpetrators, involvements, services).

    - Scoped by the access rule, history included: the history list and each historical
      version are 404 unless the object is in the user's scoped queryset (simple-history
      itself reads the history table directly, and falls back to it when the object is not
      in the queryset).
    - History is read-only for everyone: no revert (a revert would write around the
      services, the version check and the history of who changed what), a historical
      version shows every field read-only, and a POST to it changes nothing (405).
    - History rows show only the fields the admin's form shows the user.
    - Nothing is ever deleted: case data has no delete permission, for superusers too
      (withdrawal is a status with a reason; lawful erasure blanks an identity).
    - Writes go through the services: each admin overrides `save_model`, or is read-only.
    """

    def has_delete_permission(self, request, obj=None):
        return False

    # What to say when the service refuses the user's permission.
    denied_message = _("Anda tidak dapat mengubah data ini.")

    def refuse(self, request, obj, message) -> None:
        """A service refused the save in `save_model`: say why, and do not claim success."""
        obj._admin_save_refused = True  # on the request's own object, not the shared admin
        messages.error(request, message)

    def save_through(self, request, obj, form, update) -> None:
        """Save through the service `update(changes, version)`, with the version the user
        saw (`form` is a SeenVersionForm): a stale save, a rule or a permission the service
        refuses is said, not saved."""
        seen = form.version_field
        changes = {n: form.cleaned_data[n] for n in form.changed_data if n != seen}
        try:
            update(changes, form.cleaned_data[seen])
        except StaleVersion:
            self.refuse(request, obj, form.stale)
        except ValidationError as exc:
            self.refuse(request, obj, "; ".join(exc.messages))
        except PermissionDenied:
            self.refuse(request, obj, self.denied_message)

    def response_change(self, request, obj):
        if getattr(obj, "_admin_save_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def revert_disabled(self, request, obj=None):
        return True

    def _scoped_object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._scoped_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._scoped_object_or_404(request, object_id)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and to_historic(obj) is not None:
            # A historical version: everything is shown, nothing can be typed into.
            readonly += [
                f.name for f in self.model._meta.fields if f.editable and f.name not in readonly
            ]
        return readonly

    def history_fields(self, request) -> list[str]:
        """The model fields the admin shows this user: what a history row may show."""
        names = {f.name for f in self.model._meta.concrete_fields if f.editable}
        return [f for f in flatten_fieldsets(self.get_fieldsets(request)) if f in names]

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        shown = self.history_fields(request)
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, included_fields=shown, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


@admin.register(Regency)
class RegencyAdmin(AdminInputGuard, admin.ModelAdmin):
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
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Instansi dan peran"), {"fields": ["agency", "role"]}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
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
class TokenAdmin(AdminInputGuard, admin.ModelAdmin):
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


# --- Every other change list ----------------------------------------------------------------
# The third-party admins (auth groups, django-axes, django-otp) are registered before this
# module is imported (their apps come first in INSTALLED_APPS): each is given the same guard
# against hostile query strings as ours.


def guard_every_admin(site: admin.AdminSite) -> None:
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AdminInputGuard):
            continue
        cls = type(model_admin)
        guarded = type(cls.__name__, (AdminInputGuard, cls), {"__module__": cls.__module__})
        site.unregister(model)
        site.register(model, guarded)


guard_every_admin(admin.site)
