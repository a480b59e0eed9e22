"""The API's pieces that depend on the access rule: the base viewset with the write
permission, and output fields that point at a person, left out for roles that may not see
identities."""

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.settings import api_settings
from rest_framework.viewsets import GenericViewSet

from core.api.errors import DepthLimitedJSONParser

from ..scoping import may_see_identities, may_see_records, may_write


def shows_identities(context: dict) -> bool:
    """Whether output may point at a person: never without a request in the context."""
    request = context.get("request")
    return request is not None and may_see_identities(request.user)


class RoleRestrictedFieldsMixin:
    """Output fields that point at a person (`identifying_fields`) are left out, the key
    absent rather than null, for roles that may not see identities (analysts). Without a
    request in the context nothing identifying is shown."""

    identifying_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.identifying_fields and not shows_identities(self.context):
            for field in self.identifying_fields:
                data.pop(field, None)
        return data


class WritesAllowed(BasePermission):
    """Reads for every authenticated user (the queryset scopes them); writes only for roles
    that may write. The services check again; checking here first means a read-only role
    gets its 403 before any validation of the body."""

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or may_write(request.user)


class RecordsAllowed(BasePermission):
    """Record-level case data (lists, records, counts) only for roles that see records: an
    analyst gets a 403 on every such route, list and count included, before any query. A
    viewset of other data (reference tables, published summaries) says
    `holds_case_data = False`; a new viewset holds case data unless it says otherwise."""

    def has_permission(self, request, view) -> bool:
        return not getattr(view, "holds_case_data", True) or may_see_records(request.user)


class ApiViewSet(GenericViewSet):
    """Base of every viewset: JSON in, the access rule, the shared schema."""

    parser_classes = [DepthLimitedJSONParser]
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, RecordsAllowed, WritesAllowed]
    holds_case_data = True
