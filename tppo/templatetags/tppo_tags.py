"""Small template helpers shared by every page."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from agencies import scoping
from agencies.scoping import may_see_identities

register = template.Library()


@register.filter
def sees_records(user) -> bool:
    """Whether the user's role sees record-level case data (analysts do not)."""
    return scoping.may_see_records(user)


@register.filter
def sees_everything(user) -> bool:
    return scoping.sees_everything(user)


@register.simple_tag
def url_if_exists(name: str, *args) -> str:
    """The URL of a named route, or "" when no such route is installed (a link to a part
    of the system that is not deployed is left out rather than breaking the page)."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def sort_link(context, key: str) -> str:
    """The query string that sorts a list by `key`, toggling the direction when the list
    is already sorted by it, and keeping the filters."""
    current = context.get("sort", "")
    new = f"-{key}" if current == key else key
    query = context.get("query", "")
    return f"?{query}&sort={new}" if query else f"?sort={new}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def pairs(chart: dict) -> list[tuple]:
    """A chart's labels with their values, for the table that accompanies it."""
    return list(zip(chart.get("labels", []), chart.get("data", []), strict=False))


@register.filter
def code_label(row) -> str:
    """The label of one value of a case's multi-valued code list (a CaseCode row)."""
    from cases.codes import CODE_LISTS

    choices = CODE_LISTS.get(row.field)
    return str(choices(row.code).label) if choices and row.code in choices.values else row.code


@register.filter
def code_labels(case, field: str) -> list[str]:
    """The labels of one code list of a case, from its prefetched rows."""
    from cases.codes import CODE_LISTS

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
