"""Template helpers for case pages: code-list labels, and perpetrators' names only for the
roles that may see who people are."""

from django import template
from django.utils.translation import gettext as _

from agencies.scoping import may_see_identities

from ..codes import CODE_LISTS

register = template.Library()


@register.filter
def code_label(row) -> str:
    """The label of one value of a case's multi-valued code list (a CaseCode row)."""
    choices = CODE_LISTS.get(row.field)
    return str(choices(row.code).label) if choices and row.code in choices.values else row.code


@register.filter
def code_labels(case, field: str) -> list[str]:
    """The labels of one code list of a case, from its prefetched rows."""
    choices = CODE_LISTS[field]
    return [
        str(choices(code).label) if code in choices.values else code for code in case.codes(field)
    ]


@register.simple_tag(takes_context=True)
def perpetrator_name(context, perpetrator) -> str:
    """A perpetrator's name for roles that may see who people are; analysts read
    de-identified records, so they get a number instead (the API does the same)."""
    if may_see_identities(context["request"].user):
        return perpetrator.name
    return _("Pelaku #%(id)s") % {"id": perpetrator.pk}
