from django.apps import apps
from django.contrib import admin

from agencies.admin import ScopedAdminMixin

from .models import IdentityAccess


@admin.register(IdentityAccess)
class IdentityAccessAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The access log: read-only for everyone, superusers included."""

    list_display = ["accessed_at", "user", "victim", "channel", "ip_address"]
    list_filter = ["channel", "accessed_at"]
    search_fields = ["user__username", "victim__code"]
    list_select_related = ["user", "victim"]
    date_hierarchy = "accessed_at"

    def scoped_queryset(self, request, qs):
        # Named by string: audit sits below victims and does not import it.
        victims = apps.get_model("victims", "Victim").objects
        return qs.filter(victim__in=victims.identities_visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
