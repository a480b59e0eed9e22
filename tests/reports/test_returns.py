"""Monthly returns: filed once per unit and month, late after the due day, through the
page and the API; reminders to exactly the units that have not filed, once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import Agency
from core.periods import is_late
from reports.models import ReturnReminder, UnitReturn
from reports.selectors import reporting_grid
from reports.services import returns_remind, unit_return_file
from reports.tasks import returns_remind_task
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_late_is_after_the_due_day_in_wita(settings):
    settings.RETURN_DUE_DAY = 5
    march = date(2026, 3, 1)
    assert not is_late(march, datetime(2026, 4, 5, 23, 59, tzinfo=WITA))
    assert is_late(march, datetime(2026, 4, 6, 0, 1, tzinfo=WITA))
    # 23:30 UTC on the 5th is already the 6th in Banjarmasin.
    assert is_late(march, datetime(2026, 4, 5, 16, 30, tzinfo=ZoneInfo("UTC")))


def test_a_unit_files_once_a_month(unit_bjm):
    ret = unit_return_file(by=unit_bjm, period="2026-03", nil=True, note="Tidak ada kasus.")
    assert (ret.agency, ret.period, ret.nil) == (unit_bjm.agency, date(2026, 3, 1), True)
    assert ret.late  # filed in November for March
    with pytest.raises(ValidationError) as exc:
        unit_return_file(by=unit_bjm, period="2026-03")
    assert "sudah disampaikan" in exc.value.message_dict["period"][0]
    assert UnitReturn.objects.count() == 1


@pytest.mark.parametrize("bad", ["2026-13", "03-2026", "", "2026-3x", "2099-01"])
def test_bad_periods_are_refused_with_a_message(unit_bjm, bad):
    with pytest.raises(ValidationError) as exc:
        unit_return_file(by=unit_bjm, period=bad)
    assert exc.value.message_dict["period"]
    assert not UnitReturn.objects.exists()


def test_only_units_file(analyst, regency_bjm):
    for user in (analyst, regency_bjm):
        with pytest.raises(PermissionDenied):
            unit_return_file(by=user, period="2026-03")


def test_api_files_and_lists_returns(unit_bjm, outsider):
    response = api(unit_bjm).post(
        "/api/v1/returns/", {"period": "2026-03", "nil": False, "note": "2 kasus"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["period"] == "2026-03"
    again = api(unit_bjm).post("/api/v1/returns/", {"period": "2026-03"}, format="json")
    assert again.status_code == 409
    assert "sudah disampaikan" in again.json()["detail"]
    bad = api(unit_bjm).post("/api/v1/returns/", {"period": "Maret"}, format="json")
    assert bad.status_code == 400 and "YYYY-MM" in str(bad.json())
    listed = api(unit_bjm).get("/api/v1/returns/").json()
    assert [r["period"] for r in listed["results"]] == ["2026-03"]
    assert api(outsider).get("/api/v1/returns/").json()["count"] == 0


def test_api_refuses_analysts(analyst):
    response = api(analyst).post("/api/v1/returns/", {"period": "2026-03"}, format="json")
    assert response.status_code == 403
    assert not UnitReturn.objects.exists()


def test_page_files_a_return(unit_bjm, analyst):
    client = client_for(unit_bjm)
    url = reverse("reports:return_list")
    assert client.get(url).status_code == 200
    response = client.post(url, {"period": "2026-02", "nil": "on", "note": ""})
    assert response.status_code == 302
    assert UnitReturn.objects.get().nil is True
    again = client.post(url, {"period": "2026-02"})
    assert again.status_code == 400
    assert "sudah disampaikan" in again.content.decode()
    assert client_for(analyst).post(url, {"period": "2026-02"}).status_code == 403


def test_reporting_grid(unit_bjm, province, regency_bjm):
    today = date(2026, 4, 20)
    unit_return_file(by=unit_bjm, period="2026-03", nil=True)  # filed late (today is Nov)
    UnitReturn.objects.create(
        agency=unit_bjm.agency,
        period=date(2026, 2, 1),
        nil=False,
        filed_by=unit_bjm,
        filed_at=datetime(2026, 3, 2, tzinfo=WITA),
        late=False,
    )
    grid = reporting_grid(province, today=today)
    assert grid["months"][0] == date(2025, 4, 1) and grid["months"][-1] == date(2026, 3, 1)
    assert len(grid["rows"]) == 13
    row = next(r for r in grid["rows"] if r["agency"] == unit_bjm.agency)
    assert row["cells"][-2:] == ["FILED", "LATE"]
    assert row["cells"][0] == "MISSING"
    mine = reporting_grid(regency_bjm, today=today)
    assert [r["agency"] for r in mine["rows"]] == [unit_bjm.agency]


def test_reporting_grid_takes_two_queries(province, django_assert_num_queries):
    # 1: the units, 2: their returns in the 12 months
    with django_assert_num_queries(2):
        reporting_grid(province, today=date(2026, 4, 20))


def test_reminder_goes_to_exactly_the_units_that_have_not_filed_once(unit_bjm, outsider, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Agency.objects.filter(kind="UNIT_PPA").update(email="")
    Agency.objects.filter(name="Unit PPA Polres Banjar").update(email="ppa.banjar@polri.example")
    outsider.email = "tanbu@polri.example"
    outsider.save()
    unit_return_file(by=unit_bjm, period="2026-03")
    sent = returns_remind_task.apply(args=["2026-03"]).get()
    # 12 units have not filed; 2 of them can be reached (agency email, or a user's email)
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ppa.banjar@polri.example",
        "tanbu@polri.example",
    ]
    assert "2026-03" in mail.outbox[0].subject
    assert ReturnReminder.objects.count() == 2
    assert returns_remind_task.apply(args=["2026-03"]).get() == 0  # once
    assert len(mail.outbox) == 2
    assert returns_remind(period="2026-02") == 2  # another month is another reminder


def test_demo_returns_fill_the_grid_deterministically(province):
    from demo.generator import demo_cases_seed
    from demo.returns import demo_returns_seed

    demo_cases_seed(cases=300, seed=7)  # a return has cases, or is nil: it follows the cases
    made = demo_returns_seed(seed=7)
    assert made > 0
    assert demo_returns_seed(seed=7) == made  # same rows; the second run adds none
    assert UnitReturn.objects.count() == made
    cells = [c for row in reporting_grid(province)["rows"] for c in row["cells"]]
    assert {"FILED", "NIL", "LATE", "MISSING"} <= set(cells)


def test_api_lists_filter_on_updated_since(unit_bjm):
    unit_return_file(by=unit_bjm, period="2026-03")
    client = api(unit_bjm)
    assert (
        client.get("/api/v1/returns/", {"updated_since": "2000-01-01T00:00:00Z"}).json()["count"]
        == 1
    )
    assert (
        client.get("/api/v1/returns/", {"updated_since": "2999-01-01T00:00:00Z"}).json()["count"]
        == 0
    )
    assert client.get("/api/v1/returns/", {"updated_since": "kemarin"}).status_code == 400
    assert client.get("/api/v1/summaries/", {"updated_since": "kemarin"}).status_code == 400
