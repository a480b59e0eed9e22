"""The demo data set: realistic, deterministic, numbered like the services number, and
truthful about time (cases change over months, history is there, returns agree)."""

import re
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from agencies.models import Agency, Role
from cases.models import Case, Involvement
from cases.services import register_number
from core.models import Counter
from core.periods import is_late, next_month
from demo.generator import demo_cases_seed
from demo.returns import demo_returns_seed
from reports.models import UnitReturn
from tests.factories import UserFactory, make_case
from victims.models import Victim, VictimIdentity
from victims.services import victim_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True  # a developer's machine: seed_demo runs


@pytest.fixture
def seeded():
    call_command("seed_demo", cases=200, seed=7, verbosity=0)


def test_seed_demo_is_realistic_deterministic_and_idempotent():
    call_command("seed_demo", cases=300, seed=7, verbosity=0)
    assert Case.objects.count() == 300
    per_regency = dict(Case.objects.values_list("regency").annotate(n=Count("id")))
    assert len(per_regency) == 13 and min(per_regency.values()) > 0
    assert Victim.objects.count() >= 300
    assert Victim.objects.filter(is_child=True).exists()
    assert Victim.objects.filter(is_child=False).exists()
    assert VictimIdentity.objects.count() == Victim.objects.count()
    # Syndicates: some perpetrators appear in cases of more than one regency.
    shared = (
        Involvement.objects.values("perpetrator")
        .annotate(regencies=Count("case__regency", distinct=True))
        .filter(regencies__gt=1)
    )
    assert shared.exists()
    # Every record obeys the rules the services enforce.
    for model in (Case, Involvement, Victim):
        for obj in model.objects.all()[:150]:
            obj.full_clean(validate_unique=False, validate_constraints=False)
    call_command("seed_demo", verbosity=0)  # demo cases exist: adds nothing
    assert Case.objects.count() == 300


def test_the_same_seed_gives_the_same_data_set():
    def generate(seed):
        with transaction.atomic():
            call_command("seed_demo", cases=50, seed=seed, verbosity=0)
            rows = list(
                Case.objects.order_by("register_no").values_list(
                    "register_no", "stage", "reported_on", "victim_links__victim__sex"
                )
            )
            transaction.set_rollback(True)
        return rows

    assert generate(11) == generate(11)
    assert generate(11) != generate(12)


# --- numbers and codes: the services' own ----------------------------------------------


def _series(values, pattern):
    found = defaultdict(list)
    for value in values:
        match = re.fullmatch(pattern, value)
        assert match, value
        found[match.group(1)].append(int(match.group(2)))
    return found


def test_register_numbers_are_the_services_and_gap_free_per_series(seeded):
    rows = Case.objects.values_list("register_no", "regency_id", "reported_on")
    for register_no, regency, reported_on in rows:
        seq = int(register_no.rsplit("-", 1)[1])
        assert register_no == register_number(regency, reported_on.year, seq)
    series = _series([r[0] for r in rows], r"(TPPO-\d{4}-\d{4})-(\d{4})")
    for key, numbers in series.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
        assert Counter.objects.get(key=key).last == len(numbers)
    # Numbers follow the report dates within a series.
    for regency_year in series:
        cases = Case.objects.filter(register_no__startswith=regency_year + "-")
        assert list(cases.order_by("register_no").values_list("reported_on", flat=True)) == sorted(
            cases.values_list("reported_on", flat=True)
        )


def test_victim_codes_are_the_services_and_gap_free_per_year(seeded):
    codes = list(Victim.objects.values_list("code", "identified_on"))
    for code, identified_on in codes:
        assert code == victim_code(identified_on.year, int(code.rsplit("-", 1)[1]))
    series = _series([c for c, _ in codes], r"(KRB-\d{4})-(\d{5})")
    for key, numbers in series.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
        assert Counter.objects.get(key=key).last == len(numbers)


def test_a_case_recorded_after_the_demo_continues_its_series(seeded):
    year = timezone.localdate().year
    unit = UserFactory(
        role=Role.UNIT, agency=Agency.objects.get(name="Unit PPA Polresta Banjarmasin")
    )
    before = Case.objects.filter(register_no__startswith=f"TPPO-6371-{year}-").count()
    victims_before = Victim.objects.filter(code__startswith=f"KRB-{year}-").count()
    case = make_case(unit, reported_on=date(year, 1, 15))
    assert case.register_no == register_number("6371", year, before + 1)
    assert case.victim_links.get().victim.code == victim_code(year, victims_before + 1)


# --- time ----------------------------------------------------------------------------


def test_cases_are_updated_over_months_not_on_the_day_of_seeding(seeded):
    now = timezone.now()
    rows = list(Case.objects.values_list("reported_on", "created_at", "updated_at"))
    days = {timezone.localdate(updated) for _r, _c, updated in rows}
    assert len(days) > 100  # 200 cases over four years: not all "today"
    for reported_on, created_at, updated_at in rows:
        assert timezone.localdate(created_at) == reported_on
        assert created_at <= updated_at <= now
    later = [1 for r, _c, u in rows if timezone.localdate(u) - r > timedelta(days=30)]
    assert len(later) > len(rows) / 3  # many cases moved on weeks after their report


def test_every_case_has_history_that_ends_in_its_current_state(seeded):
    for case in Case.objects.select_related("created_by", "reporting_agency"):
        history = list(case.history.order_by("history_date", "history_id"))
        assert history, case.register_no
        first, last = history[0], history[-1]
        assert first.history_type == "+" and first.history_date == case.created_at
        assert all(h.history_type == "~" for h in history[1:])
        assert last.history_date == case.updated_at
        assert (last.stage, last.status, last.version) == (case.stage, case.status, case.version)
        assert len(history) == case.version == case.stage_events.count()
        # Signed by an officer of the reporting unit, who cannot sign in unless a demo login.
        assert {h.history_user_id for h in history} == {case.created_by_id}
        assert case.created_by.agency_id == case.reporting_agency_id


def test_victims_and_involvements_have_history_with_plausible_dates(seeded):
    for victim in Victim.objects.all():
        history = list(victim.history.order_by("history_date"))
        assert history[0].history_type == "+"
        assert history[-1].history_date == victim.updated_at
        assert history[-1].status == victim.status
    convicted = Involvement.objects.filter(verdict="DIPIDANA").select_related("case")
    assert convicted.exists()
    for inv in Involvement.objects.select_related("case"):
        history = list(inv.history.order_by("history_date"))
        assert history[0].history_type == "+" and history[0].legal_status == "TERSANGKA"
        assert history[0].history_date == inv.case.created_at
        assert (history[-1].legal_status, history[-1].verdict) == (inv.legal_status, inv.verdict)
        assert history[-1].history_date == inv.updated_at <= timezone.now()
    for inv in convicted:
        assert inv.history.filter(verdict="").exists()  # suspected before convicted


# --- monthly returns -------------------------------------------------------------------


def _months_with_cases():
    return {
        (unit, reported.replace(day=1))
        for unit, reported in Case.objects.values_list("reporting_agency_id", "reported_on")
    }


def test_no_nil_return_is_contradicted_by_a_case_of_that_unit_and_month(seeded):
    with_cases = _months_with_cases()
    returns = list(UnitReturn.objects.values_list("agency_id", "period", "nil"))
    assert {nil for _a, _p, nil in returns} == {True, False}
    for agency, period, nil in returns:
        assert nil == ((agency, period) not in with_cases), (agency, period)


def test_later_demo_cases_turn_a_demo_nil_return_into_a_return_with_cases():
    demo_returns_seed(seed=7)  # no cases yet: every return filed is nil
    assert not UnitReturn.objects.filter(nil=False).exists()
    demo_cases_seed(cases=200, seed=7)
    demo_returns_seed(seed=7)
    with_cases = _months_with_cases()
    for agency, period, nil in UnitReturn.objects.values_list("agency_id", "period", "nil"):
        assert nil == ((agency, period) not in with_cases)


def test_returns_are_filed_in_the_past_some_late_some_on_time(seeded):
    now = timezone.now()
    returns = list(UnitReturn.objects.select_related("filed_by"))
    assert len(returns) > 30
    zone = timezone.get_default_timezone()
    for ret in returns:
        month_over = datetime.combine(next_month(ret.period), datetime.min.time(), tzinfo=zone)
        assert month_over <= ret.filed_at <= now
        assert ret.late == is_late(ret.period, ret.filed_at)
        assert ret.filed_by.agency_id == ret.agency_id
    assert {r.late for r in returns} == {True, False}
    assert len({timezone.localtime(r.filed_at).time() for r in returns}) > len(returns) / 2


def test_the_case_page_shows_the_demo_history_signed_by_the_unit_officer(seeded, province):
    from django.urls import reverse

    from tests.conftest import client_for

    case = Case.objects.filter(version__gte=3).select_related("created_by").first()
    page = client_for(province).get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    history = page.text.split('class="list-unstyled small mb-0 history"')[1].split("</ul>")[0]
    assert history.count("<li") == case.version
    assert case.created_by.get_full_name() in history
    assert history.count("diubah") == case.version - 1 and history.count("dibuat") == 1
