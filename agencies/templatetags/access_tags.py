"""What the access rule lets a user reach, for templates that show or hide a way there."""

from django import template

from .. import scoping

register = template.Library()


@register.filter
def sees_records(user) -> bool:
    """Whether the user's role sees record-level case data (analysts do not)."""
    return scoping.may_see_records(user)


@register.filter
def sees_everything(user) -> bool:
    return scoping.sees_everything(user)
