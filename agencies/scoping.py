"""The access rule, written once.

Every QuerySet that holds case data exposes `visible_to(user)` built from `case_scope`,
applied over the lookup path from that model to its case, so each app applies the same rule
without importing the others.

| role     | sees cases                                      | identities | writes        |
|----------|-------------------------------------------------|------------|---------------|
| ADMIN    | all                                             | yes        | all           |
| PROVINCE | all (the 13 regencies)                          | yes        | all           |
| REGENCY  | those that happened in the agency's regency     | yes        | those         |
| UNIT     | those its agency reported or was referred/handles | yes      | those         |
| ANALYST  | all, de-identified                              | never      | none          |
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet

from .models import Regency, Role

NOTHING = Q(pk__in=[])

IDENTITY_ROLES = frozenset({Role.ADMIN, Role.PROVINCE, Role.REGENCY, Role.UNIT})
WRITE_ROLES = frozenset({Role.ADMIN, Role.PROVINCE, Role.REGENCY, Role.UNIT})


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def role_of(user) -> str | None:
    """The role that governs access; a superuser is an administrator whatever is stored."""
    if not _active(user):
        return None
    if user.is_superuser:
        return Role.ADMIN
    if user.agency_id is None:
        return None  # a user without an agency sees nothing
    return user.role


def sees_everything(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.PROVINCE)


def case_scope(user, path: str = "") -> Q:
    """The cases a user may see, as a filter over `path` (the lookup from a model to its case)."""
    role = role_of(user)
    if role is None:
        return NOTHING
    if role in (Role.ADMIN, Role.PROVINCE, Role.ANALYST):
        return Q()
    if role == Role.REGENCY:
        regency_id = user.agency.regency_id
        return Q(**{f"{path}regency_id": regency_id}) if regency_id else NOTHING
    if role == Role.UNIT:
        # The handling table is named by string: agencies does not import cases.
        handling = apps.get_model("cases", "CaseAgency").objects.filter(agency_id=user.agency_id)
        return Q(**{f"{path}reporting_agency_id": user.agency_id}) | Q(
            **{f"{path}pk__in": handling.values("case_id")}
        )
    return NOTHING


def case_write_scope(user, path: str = "") -> Q:
    """The cases a user may change: what they see, unless their role only reads."""
    return case_scope(user, path) if role_of(user) in WRITE_ROLES else NOTHING


def may_see_identities(user) -> bool:
    return role_of(user) in IDENTITY_ROLES


def identity_scope(user, path: str = "") -> Q:
    """The cases whose victims' identities a user may see."""
    return case_scope(user, path) if may_see_identities(user) else NOTHING


def may_write(user) -> bool:
    return role_of(user) in WRITE_ROLES


def may_create_case_in(user, regency_id: str) -> bool:
    """Units may report a case anywhere (police areas cross regency lines); regency staff
    only in their own regency; the province everywhere; analysts nowhere."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.PROVINCE, Role.UNIT):
        return True
    if role == Role.REGENCY:
        return user.agency.regency_id == regency_id
    return False


def visible_regencies(user) -> QuerySet[Regency]:
    """The regencies whose case data the user can see at least part of."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.PROVINCE, Role.ANALYST):
        return Regency.objects.all()
    if role == Role.REGENCY:
        return Regency.objects.filter(pk=user.agency.regency_id)
    if role == Role.UNIT:
        return (
            Regency.objects.filter(pk=user.agency.regency_id)
            if user.agency.regency_id
            else (Regency.objects.all())
        )
    return Regency.objects.none()


def agency_scope(user, path: str = "") -> Q:
    """Agency-owned records (e.g. monthly returns): own agency, or everything for the
    province; a regency sees the agencies of its regency."""
    role = role_of(user)
    if role is None:
        return NOTHING
    if role in (Role.ADMIN, Role.PROVINCE, Role.ANALYST):
        return Q()
    if role == Role.REGENCY:
        return Q(**{f"{path}regency_id": user.agency.regency_id})
    return Q(**{f"{path}pk": user.agency_id})
