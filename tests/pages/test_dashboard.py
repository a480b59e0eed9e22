"""The dashboard (Beranda): scoped figures, charts, lists that need action."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from cases.models import Case, Involvement
from cases.services import case_record_stage, involvement_update
from tests.conftest import client_for
from tests.factories import make_case, victim_data
from victims.services import service_create

pytestmark = pytest.mark.django_db


def _today_case(by, **fields):
    today = timezone.localdate()
    return make_case(by, reported_on=today, occurred_from=None, occurred_to=None, **fields)


def test_figures_are_scoped_to_the_user(unit_bjm, outsider, province):
    _today_case(
        unit_bjm,
        victims=0,
        perpetrators=2,
    )
    case = Case.objects.get()
    from cases.services import case_add_victim

    for age, sex in [(15, "P"), (16, "L"), (30, "P"), (40, "L"), (41, "L")]:
        case_add_victim(
            by=unit_bjm,
            case=case,
            **victim_data(sex=sex, age_at_identification=age, age_at_exploitation=age),
        )
    mine = client_for(unit_bjm).get(reverse("home")).context["figures"]
    assert mine["cases"] == {"month": 1, "year": 1}
    assert {k: v["year"] for k, v in mine["victims"].items()} == {
        "girls": 1,
        "boys": 1,
        "women": 1,
        "men": 2,
        "total": 5,
    }
    assert mine["suspects"]["year"] == 2
    theirs = client_for(outsider).get(reverse("home")).context["figures"]
    assert theirs["cases"] == {"month": 0, "year": 0}
    assert theirs["victims"]["total"]["year"] == 0
    assert client_for(province).get(reverse("home")).context["figures"]["cases"]["year"] == 1


def test_prosecutions_convictions_and_the_funnel(unit_bjm):
    case = _today_case(unit_bjm)
    today = timezone.localdate()
    for stage in [
        "LAPORAN_POLISI",
        "PENYIDIKAN",
        "P21",
        "TAHAP_II",
        "PENUNTUTAN",
        "PERSIDANGAN",
        "PUTUSAN",
    ]:
        case_record_stage(by=unit_bjm, case=case, stage=stage, occurred_on=today)
    involvement_update(
        by=unit_bjm,
        involvement=Involvement.objects.get(),
        version=Involvement.objects.get().version,
        verdict="DIPIDANA",
        verdict_on=today,
        sentence_months=36,
    )
    page = client_for(unit_bjm).get(reverse("home"))
    figures = page.context["figures"]
    assert figures["prosecutions"] == {"month": 1, "year": 1}
    assert figures["convictions"] == {"month": 1, "year": 1}
    charts = json.loads(
        page.text.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    )
    assert charts["funnel"]["data"] == [1, 0, 1, 1, 1, 1, 0]  # PENYELIDIKAN was skipped
    assert charts["regency"] == {"labels": ["Banjarmasin"], "data": [1]}
    assert charts["exploitation"]["data"] == [1]


def test_stale_cases_and_overdue_first_aid(unit_bjm):
    today = timezone.localdate()
    fresh = _today_case(unit_bjm)  # first aid not yet due
    stale = make_case(
        unit_bjm, reported_on=today - timedelta(days=10), occurred_from=None, occurred_to=None
    )
    old = make_case(unit_bjm)  # reported 2 March: outside the 90-day window
    # Stale means no stage recorded for 90 days (the one definition, cases.codes): the old
    # case; not the recent one, even when its row was last saved long ago.
    Case.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=91))
    ctx = client_for(unit_bjm).get(reverse("home")).context
    assert [c.pk for c in ctx["stale"]] == [old.pk]
    assert [link.case_id for link in ctx["overdue"]] == [stale.pk]
    assert fresh.pk not in [link.case_id for link in ctx["overdue"]]
    assert old.pk not in [link.case_id for link in ctx["overdue"]]
    # First aid given: no longer overdue.
    link = stale.victim_links.get()
    service_create(
        by=unit_bjm,
        victim=link.victim,
        case=stale,
        type="PERTOLONGAN_PERTAMA",
        provider_agency=unit_bjm.agency,
        started_on=timezone.localdate(),
    )
    assert client_for(unit_bjm).get(reverse("home")).context["overdue_count"] == 0


def test_referrals_waiting_for_the_users_agency(unit_bjm, regency_bjm):
    case = make_case(unit_bjm)
    service = service_create(
        by=unit_bjm,
        victim=case.victim_links.get().victim,
        case=case,
        type="RUMAH_AMAN",
        provider_agency=Agency.objects.get(name="DP3A Kota Banjarmasin"),
    )
    page = client_for(regency_bjm).get(reverse("home"))
    assert [s.pk for s in page.context["referrals"]] == [service.pk]
    assert reverse("victims:referral_answer", args=[service.pk]) in page.text
    assert client_for(unit_bjm).get(reverse("home")).context["referral_count"] == 0


def _add_rows(by, n):
    reported_on = timezone.localdate() - timedelta(days=10)  # first aid overdue
    for _ in range(n):
        case = make_case(
            by, victims=2, reported_on=reported_on, occurred_from=None, occurred_to=None
        )
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now() - timedelta(days=100))
        service_create(
            by=by,
            victim=case.victim_links.first().victim,
            case=case,
            type="RUMAH_AMAN",
            provider_agency=by.agency,
        )


def test_dashboard_query_count_does_not_grow(unit_bjm, django_assert_max_num_queries, overhead):
    c = client_for(unit_bjm)
    _add_rows(unit_bjm, 1)
    with CaptureQueriesContext(connection) as few:
        c.get(reverse("home"))
    _add_rows(unit_bjm, 12)  # enough to fill every list on the page
    # 1-2 stale cases (rows, and a count once the list is full), 3-4 overdue first aid
    # (same), 5-6 referrals awaiting (same), 7 cases this month and year, 8 victims by
    # group, 9 suspects, 10 prosecutions, 11 convictions, 12 cases by regency, 13 by
    # exploitation type, 14 the funnel, 15 visible regencies; the reporting grid
    # (reports app) adds a fixed few of its own (2 today).
    with django_assert_max_num_queries(overhead(c) + 15 + 4) as many:
        response = c.get(reverse("home"))
    assert response.status_code == 200
    # Only the three "count once the list is full" queries may come on top.
    assert len(many.captured_queries) <= len(few.captured_queries) + 3


def test_dashboard_renders_for_every_role(personas):
    for name, user in personas.items():
        response = client_for(user).get(reverse("home"))
        assert response.status_code == 200, name
        assert "<script>" not in response.text
        if name == "analyst":  # aggregates only: the published summaries instead
            assert "published-home" in response.text and "chart-funnel" not in response.text
        else:
            assert "chart-funnel" in response.text
            assert "js/dashboard.js" in response.text
