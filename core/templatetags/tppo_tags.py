"""Small template helpers shared by every page."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


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
