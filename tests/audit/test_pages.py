"""The audit pages: the province (and administrators) read both logs with filters; nobody
else knows the pages exist; a constant number of queries whatever the rows."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency
from audit.models import ExportChannel, ExportFormat, ExportKind, IdentityAccess
from audit.services import export_record
from tests.audit.conftest import NAME, NIK, case_with_victims
from tests.conftest import client_for
from victims.services import identity_read

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
ACCESS = reverse("reports:audit_access")
EXPORTS = reverse("reports:audit_exports")


@pytest.mark.parametrize("url", [reverse("reports:audit"), ACCESS, EXPORTS])
def test_only_the_province_and_administrators_may_read(personas, url):
    for who in ("unit_bjm", "regency_bjm", "outsider", "analyst"):
        assert client_for(personas[who]).get(url).status_code == 404, who
    for who in ("province", "admin"):
        assert client_for(personas[who]).get(url, follow=True).status_code == 200, who


def test_the_nav_links_to_the_audit_for_the_province_only(province, unit_bjm):
    audit = reverse("reports:audit")
    assert f'href="{audit}"' in client_for(province).get(reverse("home")).content.decode()
    assert f'href="{audit}"' not in client_for(unit_bjm).get(reverse("home")).content.decode()


def logged_views(unit_bjm, regency_bjm):
    _case, (v1, v2) = case_with_victims(unit_bjm, n=2)
    identity_read(user=unit_bjm, victim=v1, channel="web")
    identity_read(user=unit_bjm, victim=v2, channel="api")
    identity_read(user=regency_bjm, victim=v1, channel="web")
    return v1, v2


def listed(client, url, **params) -> list:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return list(response.context["page"])


def test_the_access_log_lists_and_filters(province, unit_bjm, regency_bjm):
    v1, v2 = logged_views(unit_bjm, regency_bjm)
    old = IdentityAccess.objects.create(
        user=unit_bjm, victim=v1, channel="web", accessed_at=datetime(2026, 1, 5, 10, tzinfo=WITA)
    )
    c = client_for(province)
    assert len(listed(c, ACCESS)) == 4
    by_user = listed(c, ACCESS, pengguna=unit_bjm.username.upper())
    assert {a.user for a in by_user} == {unit_bjm} and len(by_user) == 3
    by_agency = listed(c, ACCESS, instansi=regency_bjm.agency_id)
    assert {a.user for a in by_agency} == {regency_bjm}
    assert {a.victim for a in listed(c, ACCESS, korban=v2.code)} == {v2}
    assert [a.channel for a in listed(c, ACCESS, melalui="api")] == ["api"]
    assert listed(c, ACCESS, dari="2026-01-05", sampai="2026-01-05") == [old]
    today = datetime.now(WITA).date()
    assert old not in listed(c, ACCESS, dari=today.isoformat())
    assert len(listed(c, ACCESS, sampai=(today - timedelta(days=1)).isoformat())) == 1


def test_the_page_shows_codes_and_usernames_never_identities(province, unit_bjm, regency_bjm):
    v1, _v2 = logged_views(unit_bjm, regency_bjm)
    html = client_for(province).get(ACCESS).content.decode()
    assert v1.code in html and unit_bjm.username in html
    for secret in (NAME, NIK, "081234567890"):
        assert secret not in html


def test_a_bad_filter_is_named_and_lists_nothing(province, unit_bjm, regency_bjm):
    logged_views(unit_bjm, regency_bjm)
    c = client_for(province)
    response = c.get(ACCESS, {"dari": "2026-03-10", "sampai": "2026-03-01"})
    assert response.status_code == 400
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()
    assert list(response.context["page"]) == []
    response = c.get(EXPORTS, {"dari": "kemarin", "format": "DOC"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"dari", "format"}


@pytest.mark.parametrize("path", [ACCESS, EXPORTS])
@pytest.mark.parametrize(
    "query",
    [
        {"sampai": "9999-12-31"},
        {"dari": "0001-01-01"},
        {"dari": "0001-01-01", "sampai": "9999-12-31"},
    ],
)
def test_the_first_and_last_dates_are_a_400_not_an_overflow(province, path, query):
    """`sampai=9999-12-31` overflowed computing the end of the day (a 500)."""
    client = Client(raise_request_exception=False)
    client.force_login(province)
    response = client.get(path, query)
    assert response.status_code == 400
    assert "Tanggal di luar rentang yang dapat diproses." in response.content.decode()
    assert set(response.context["form"].errors) == set(query)


def test_day_bounds_hold_for_the_days_around_them():
    from datetime import date

    from audit.services import day_bounds

    start, end = day_bounds(date(9999, 12, 30))
    assert end.date() == date(9999, 12, 31)
    start, end = day_bounds(date(1, 1, 2))
    assert start.date() == date(1, 1, 2)


def exports(user, n: int, **fields):
    for _ in range(n):
        export_record(by=user, kind=ExportKind.SUMMARY_LIST, channel=ExportChannel.API, **fields)


def test_the_export_log_lists_and_filters(province, unit_bjm, analyst):
    exports(unit_bjm, 2, fmt=ExportFormat.JSON, row_count=3)
    exports(analyst, 1, fmt=ExportFormat.CSV)
    c = client_for(province)
    assert len(listed(c, EXPORTS)) == 3
    assert {e.user for e in listed(c, EXPORTS, pengguna=analyst.username)} == {analyst}
    assert {e.user for e in listed(c, EXPORTS, instansi=unit_bjm.agency_id)} == {unit_bjm}
    assert [e.fmt for e in listed(c, EXPORTS, format="CSV")] == ["CSV"]
    assert len(listed(c, EXPORTS, melalui="api", jenis="SUMMARY_LIST")) == 3
    assert listed(c, EXPORTS, melalui="web") == []
    tomorrow = datetime.now(WITA).date() + timedelta(days=1)
    assert listed(c, EXPORTS, dari=tomorrow.isoformat()) == []


def test_the_export_log_keeps_the_agency_of_the_time(province, unit_bjm):
    exports(unit_bjm, 1, fmt=ExportFormat.JSON)
    unit_bjm.agency = Agency.objects.get(name="Unit PPA Polres Tanah Bumbu")
    unit_bjm.save()
    old_agency = Agency.objects.get(name="Unit PPA Polresta Banjarmasin")
    assert len(listed(client_for(province), EXPORTS, instansi=old_agency.pk)) == 1


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_pages_take_a_constant_number_of_queries(
    province, unit_bjm, regency_bjm, overhead, django_assert_num_queries
):
    c = client_for(province)
    base = overhead(c)
    logged_views(unit_bjm, regency_bjm)
    exports(unit_bjm, 2, fmt=ExportFormat.JSON)
    few = queries(c, ACCESS), queries(c, EXPORTS)
    _case, victims = case_with_victims(unit_bjm, n=3)
    for i in range(60):  # more than a page
        identity_read(user=regency_bjm, victim=victims[i % 3], channel="web")
    exports(regency_bjm, 60, fmt=ExportFormat.CSV)
    # count, one page of rows (user, agency, victim and erasure joined), recent alerts,
    # the agency choices of the filter
    with django_assert_num_queries(base + 4):
        c.get(ACCESS, {"page": 2})
    # count, one page of rows (user, agency, regency joined), the agency choices
    with django_assert_num_queries(base + 3):
        c.get(EXPORTS, {"page": 2})
    assert (queries(c, ACCESS), queries(c, EXPORTS)) == few
