"""The dashboard's cached aggregates follow every write to what they count.

A save or delete of any row they read (through a service, the API, a page, the admin, a
cascade), and a change to a case's handling agencies, starts a new dashboard generation once
the transaction commits: not before, or a page rendered meanwhile would cache the old figures
under the new generation. Bulk writes send no signal; the services' only one (the case code
rows) always comes with a save of the case in the same transaction."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .selectors import DASHBOARD


def _dashboard_models() -> list:
    """What `dashboard_figures` and `dashboard_chart_counts` read. Regencies for their
    names; a user's own agency and role are part of the cache key, not of the entries."""
    from agencies.models import Regency
    from victims.models import Victim

    from .models import Case, CaseAgency, CaseCode, CaseVictim, Involvement, StageEvent

    return [Case, CaseCode, CaseAgency, CaseVictim, Victim, Involvement, StageEvent, Regency]


def dashboard_changed(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed is sent before and after
    # One cache write per row written (a case and its rows: a dozen); rare next to reads.
    transaction.on_commit(DASHBOARD.bump, using=using)


def connect() -> None:
    from .models import Case

    for model in _dashboard_models():
        label = model._meta.label_lower
        post_save.connect(dashboard_changed, sender=model, dispatch_uid=f"dashboard:save:{label}")
        post_delete.connect(
            dashboard_changed, sender=model, dispatch_uid=f"dashboard:delete:{label}"
        )
    m2m_changed.connect(
        dashboard_changed,
        sender=Case.handling_agencies.through,
        dispatch_uid="dashboard:m2m:handling_agencies",
    )
