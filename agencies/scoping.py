"""The access rule, written once: who may see and change what of a case.

Every QuerySet that holds case data exposes `visible_to(user)` built from the filters below,
applied over the lookup path from that model to its case (or victim, or service), so each
app applies the same rule without importing the others. Pages, API, admin, exports,
summaries and services all ask this module; none decides by role itself.

| role     | whole cases                                         | a referred victim         | identities                  | writes           |
|----------|-----------------------------------------------------|---------------------------|-----------------------------|------------------|
| ADMIN    | all                                                 | (all)                     | yes                         | all              |
| PROVINCE | all (the 13 regencies)                              | (all)                     | yes                         | all; moves, reopens |
| REGENCY  | those of its regency, and those its agency reported | while the referral is live | whole cases; referred: consent | whole cases   |
| UNIT     | those its agency reported                           | while the referral is live | whole cases; referred: consent | whole cases   |
| ANALYST  | none: published summaries only                      | never a receiver          | never                       | none             |

"Whole case" is the case and everything in it: its victims, perpetrators, stages, services.
A referral (a VictimService whose provider is the user's agency) grants only the referred
victim and that service, and only while it is live (pending, accepted or in progress): not
the case's other victims, not its perpetrators, not its timeline, and never a write of the
case. The referred victim's identity is shown to the receiver only where a sharing consent
(or a recorded legal basis for sharing) is on record and not withdrawn. A handling-agency
link (CaseAgency) grants nothing: a case changes hands by a province decision, never as a
side effect of a referral.

Outsiders get 404 (the row is simply not in their queryset); insiders without the right to
change get 403 (`case_for_write`, `assert_may_write_victim`).
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import Regency, Role

NOTHING = Q(pk__in=[])

# Who sees records at all: everyone but the analyst, who sees published aggregates only.
RECORD_ROLES = frozenset({Role.ADMIN, Role.PROVINCE, Role.REGENCY, Role.UNIT})
IDENTITY_ROLES = frozenset({Role.ADMIN, Role.PROVINCE, Role.REGENCY, Role.UNIT})
WRITE_ROLES = frozenset({Role.ADMIN, Role.PROVINCE, Role.REGENCY, Role.UNIT})
PROVINCE_ROLES = frozenset({Role.ADMIN, Role.PROVINCE})
# The roles whose agency can receive and answer a referral (the service-provider role
# joins them with the multi-agency work, #18). An analyst is never a receiver.
REFERRAL_RECEIVER_ROLES = frozenset({Role.REGENCY, Role.UNIT})

# A referral is live while it waits for an answer, was accepted or is being delivered
# (victims.codes.ServiceStatus; named here because agencies imports no app above it:
# tests/agencies/test_scoping.py ties the two together).
LIVE_REFERRAL_STATUSES = ("DIRUJUK", "DITERIMA", "BERJALAN")
# The consent scope that allows a victim's identity to be shared with another agency
# (victims.codes.ConsentScope.BERBAGI_DATA).
SHARING_CONSENT_SCOPE = "BERBAGI_DATA"


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
    return role_of(user) in PROVINCE_ROLES


def may_see_records(user) -> bool:
    """Whether the user may see any record-level case data (lists, pages, API rows)."""
    return role_of(user) in RECORD_ROLES


def may_see_identities(user) -> bool:
    return role_of(user) in IDENTITY_ROLES


def may_write(user) -> bool:
    return role_of(user) in WRITE_ROLES


def may_reopen_cases(user) -> bool:
    """A stopped case (SP3, ...) is reopened by the province only."""
    return role_of(user) in PROVINCE_ROLES


def may_move_case(user) -> bool:
    """Moving a case to another regency takes it from one task force to another: a province
    decision, never a side effect of an edit by a unit or a regency."""
    return role_of(user) in PROVINCE_ROLES


def _model(app: str, name: str):
    # Named by string: agencies imports no app above it.
    return apps.get_model(app, name)


def _any(*parts: Q) -> Q:
    """The union of filters, where an empty Q means everything and NOTHING adds nothing."""
    kept = [part for part in parts if part != NOTHING]
    if not kept:
        return NOTHING
    if any(not part for part in kept):  # the empty Q: everything
        return Q()
    result = kept[0]
    for part in kept[1:]:
        result |= part
    return result


# --- Whole cases ----------------------------------------------------------------------------


def case_scope(user, path: str = "") -> Q:
    """The cases a user sees whole, as a filter over `path` (the lookup from a model to its
    case): the reporting agency, the case's regency, the province. Referrals are not here:
    they grant a victim and a service (`referral_scope`), not the case."""
    role = role_of(user)
    if role in PROVINCE_ROLES:
        return Q()
    reported = Q(**{f"{path}reporting_agency_id": user.agency_id}) if role else NOTHING
    if role == Role.REGENCY:
        regency_id = user.agency.regency_id
        return reported | Q(**{f"{path}regency_id": regency_id}) if regency_id else reported
    if role == Role.UNIT:
        return reported
    return NOTHING  # analysts, users without a role or agency


def case_write_scope(user, path: str = "") -> Q:
    """The cases a user may change: what they see whole, unless their role only reads."""
    return case_scope(user, path) if may_write(user) else NOTHING


# --- Referrals ----------------------------------------------------------------------------


def referral_scope(user, path: str = "") -> Q:
    """The live referrals to the user's agency, as a filter over `path` (the lookup from a
    model to its VictimService)."""
    if role_of(user) not in REFERRAL_RECEIVER_ROLES:
        return NOTHING
    return Q(
        **{
            f"{path}provider_agency_id": user.agency_id,
            f"{path}status__in": LIVE_REFERRAL_STATUSES,
        }
    )


def service_scope(user, path: str = "") -> Q:
    """The services a user sees: those of whole cases, and the live referrals to its agency."""
    return _any(case_scope(user, f"{path}case__"), referral_scope(user, path))


def _referred_victims(user):
    scope = referral_scope(user)
    if scope == NOTHING:
        return None
    return _model("victims", "VictimService").objects.filter(scope).values("victim_id")


def _case_victims(scope: Q):
    return _model("cases", "CaseVictim").objects.filter(scope).values("victim_id")


def victim_scope(user, path: str = "") -> Q:
    """The victims a user sees, as a filter over `path` (the lookup from a model to its
    victim): those of whole cases, and those referred to its agency while the referral is
    live. Subqueries, so no victim is listed twice."""
    whole = case_scope(user, "case__")
    if not whole:  # the empty Q: everything
        return Q()
    parts = []
    if whole != NOTHING:
        parts.append(Q(**{f"{path}pk__in": _case_victims(whole)}))
    if (referred := _referred_victims(user)) is not None:
        parts.append(Q(**{f"{path}pk__in": referred}))
    return _any(*parts) if parts else NOTHING


def sharing_consent(path: str = "") -> Q:
    """Victims (over `path`) with a sharing consent or legal basis on record, given and not
    withdrawn as of today."""
    today = timezone.localdate()
    consents = _model("victims", "Consent").objects.filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today),
        scope=SHARING_CONSENT_SCOPE,
        given_on__lte=today,
    )
    return Q(**{f"{path}pk__in": consents.values("victim_id")})


def identity_scope(user, path: str = "") -> Q:
    """The victims (over `path`) whose identity a user may see: those of whole cases for a
    role that sees identities; a referred victim only while the referral is live and only
    where the victim's consent allows sharing."""
    if not may_see_identities(user):
        return NOTHING
    whole = case_scope(user, "case__")
    if not whole:
        return Q()
    parts = []
    if whole != NOTHING:
        parts.append(Q(**{f"{path}pk__in": _case_victims(whole)}))
    if (referred := _referred_victims(user)) is not None:
        parts.append(Q(**{f"{path}pk__in": referred}) & sharing_consent(path))
    return _any(*parts) if parts else NOTHING


# --- Writes ---------------------------------------------------------------------------------


def case_for_write(user, case_id):
    """The case, for a user who may change it (zulip's `access_stream_by_id`): 404 when it is
    missing or out of the user's scope, 403 when the user sees it but may not change it.
    Every service that writes case data calls this (or `assert_may_write`) first."""
    case = _model("cases", "Case").objects.filter(case_scope(user), pk=case_id).first()
    if case is None:
        raise Http404
    if not may_write(user):
        raise PermissionDenied
    return case


def assert_may_write(user, case) -> None:
    """`case_for_write` for a case already in hand."""
    case_for_write(user, case.pk)


def assert_may_write_victim(user, victim) -> None:
    """A victim's record is changed by those who may change one of its cases: 404 when the
    victim is out of scope, 403 when it is seen (e.g. through a referral) but not writable."""
    Victim = _model("victims", "Victim")
    if not Victim.objects.filter(victim_scope(user), pk=victim.pk).exists():
        raise Http404
    writable = case_write_scope(user, "case__")
    if (
        writable == NOTHING
        or not _model("cases", "CaseVictim").objects.filter(writable, victim_id=victim.pk).exists()
    ):
        raise PermissionDenied


def may_answer_referral(user, service) -> bool:
    """The receiving agency's users (of a receiver role) and the province answer a referral."""
    role = role_of(user)
    if role in PROVINCE_ROLES:
        return True
    return role in REFERRAL_RECEIVER_ROLES and service.provider_agency_id == user.agency_id


def may_change_service(user, service, *, cancel: bool = False) -> bool:
    """Who may move a service along (accept, reject, start, complete): the provider and the
    province; the referring agency may also cancel it."""
    if may_answer_referral(user, service):
        return True
    return bool(
        cancel
        and may_write(user)
        and service.referring_agency_id is not None
        and service.referring_agency_id == user.agency_id
    )


# --- Creating cases ---------------------------------------------------------------------


def may_create_case_in(user, regency_id: str) -> bool:
    """Units may report a case anywhere (police areas cross regency lines); regency staff
    only in their own regency; the province everywhere; analysts nowhere."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.PROVINCE, Role.UNIT):
        return True
    if role == Role.REGENCY:
        return user.agency.regency_id == regency_id
    return False


def regencies_for_new_case(user) -> QuerySet[Regency]:
    """The regencies a user may record a new case in (`may_create_case_in` as a queryset)."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.PROVINCE, Role.UNIT):
        return Regency.objects.all()
    if role == Role.REGENCY:
        return Regency.objects.filter(pk=user.agency.regency_id)
    return Regency.objects.none()


# --- Regencies, agencies, summaries -------------------------------------------------------


def visible_regencies(user) -> QuerySet[Regency]:
    """The regencies whose case data (or, for analysts, published figures) the user sees."""
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
    """Agency-owned records (e.g. monthly returns, with their free-text notes): own agency,
    or everything for the province; a regency sees the agencies of its regency. Analysts
    see none (their figures are the published summaries)."""
    role = role_of(user)
    if role in PROVINCE_ROLES:
        return Q()
    if role == Role.REGENCY:
        return Q(**{f"{path}regency_id": user.agency.regency_id})
    if role == Role.UNIT:
        return Q(**{f"{path}pk": user.agency_id})
    return NOTHING


def reporting_unit_scope(user, path: str = "") -> Q:
    """The units whose filing of monthly returns a user follows (the reporting grid):
    every unit for the province and analysts (completeness is published); the units of their
    regency for regency and unit staff; a unit without a regency, itself."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.PROVINCE, Role.ANALYST):
        return Q()
    if role in (Role.REGENCY, Role.UNIT) and user.agency.regency_id:
        return Q(**{f"{path}regency_id": user.agency.regency_id})
    if role == Role.UNIT:
        return Q(**{f"{path}pk": user.agency_id})
    return NOTHING


def summary_scope(user, path: str = "") -> Q:
    """Which summaries (by their regency over `path`; the province's has none) a user may
    open in their published version: the province's for everyone with a role; every
    regency's for the province, admins and analysts; their own regency's for regency and
    unit staff."""
    role = role_of(user)
    if role is None:
        return NOTHING
    if role in (Role.ADMIN, Role.PROVINCE, Role.ANALYST):
        return Q()
    province = Q(**{f"{path}regency__isnull": True})
    own = user.agency.regency_id
    return province | Q(**{f"{path}regency_id": own}) if own else province


def exact_figures_scope(user, path: str = "") -> Q:
    """Which summaries (by regency over `path`) a user may read with exact counts (the
    internal version): only those who see every case behind them: the province and admins
    everywhere, regency staff for their own regency. Analysts and units (who see only their
    own cases) never."""
    role = role_of(user)
    if role in PROVINCE_ROLES:
        return Q()
    if role == Role.REGENCY and user.agency.regency_id:
        return Q(**{f"{path}regency_id": user.agency.regency_id})
    return NOTHING
