"""Every export of report data is logged before it leaves: summary downloads (CSV, XLSX,
PDF) and the summaries API. The log is append-only."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import ExportLog
from reports.models import MonthlySummary, SummaryVersion
from reports.services import summaries_build
from tests.conftest import client_for, requires_postgres
from tests.factories import make_case

pytestmark = pytest.mark.django_db

PERIOD = "2026-03"


@pytest.fixture
def built(unit_bjm):
    make_case(unit_bjm)
    summaries_build(period=PERIOD)


def summary(regency, version) -> MonthlySummary:
    return MonthlySummary.objects.get(regency_id=regency, version=version)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_each_download_writes_one_log_row(built, regency_bjm, fmt):
    s = summary("6371", SummaryVersion.INTERNAL)
    response = client_for(regency_bjm).get(
        reverse("reports:summary_download", args=[s.pk, fmt]), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    log = ExportLog.objects.get()
    assert (log.user, log.agency_id, log.kind, log.fmt, log.channel) == (
        regency_bjm,
        regency_bjm.agency_id,
        "SUMMARY",
        fmt.upper(),
        "web",
    )
    assert (log.summary, log.period, log.regency_id, log.version, log.checksum) == (
        s,
        s.period,
        "6371",
        SummaryVersion.INTERNAL,
        s.checksum,
    )
    assert log.row_count == sum(len(t["rows"]) for t in s.content["tables"]) > 0
    assert log.ip_address == "10.1.2.3"


def test_a_refused_download_logs_nothing(built, unit_bjm, outsider):
    internal = summary("6371", SummaryVersion.INTERNAL)  # a unit reads only the published one
    assert (
        client_for(unit_bjm)
        .get(reverse("reports:summary_download", args=[internal.pk, "csv"]))
        .status_code
        == 404
    )
    published = summary("6371", SummaryVersion.PUBLISHED)
    assert (
        client_for(outsider)
        .get(reverse("reports:summary_download", args=[published.pk, "csv"]))
        .status_code
        == 404
    )
    assert (
        client_for(unit_bjm)
        .get(reverse("reports:summary_download", args=[published.pk, "doc"]))
        .status_code
        == 404
    )
    assert not ExportLog.objects.exists()


def test_the_summaries_api_logs_lists_and_reads(built, province):
    api = APIClient()
    api.force_authenticate(province)
    listed = api.get("/api/v1/summaries/", {"period": PERIOD})
    assert listed.status_code == 200
    s = summary(None, SummaryVersion.INTERNAL)
    assert api.get(f"/api/v1/summaries/{s.pk}/").status_code == 200
    first, second = ExportLog.objects.order_by("id")
    assert (first.kind, first.fmt, first.channel, first.summary) == (
        "SUMMARY_LIST",
        "JSON",
        "api",
        None,
    )
    assert first.row_count == len(listed.json()["results"]) > 0
    assert (second.kind, second.channel, second.summary, second.version) == (
        "SUMMARY",
        "api",
        s,
        SummaryVersion.INTERNAL,
    )


def test_an_api_read_of_another_regency_logs_nothing(built, outsider):
    api = APIClient()
    api.force_authenticate(outsider)
    s = summary("6371", SummaryVersion.PUBLISHED)
    assert api.get(f"/api/v1/summaries/{s.pk}/").status_code == 404
    assert not ExportLog.objects.exists()


def test_the_export_log_refuses_change_and_delete(built, province):
    s = summary(None, SummaryVersion.INTERNAL)
    client_for(province).get(reverse("reports:summary_download", args=[s.pk, "csv"]))
    log = ExportLog.objects.get()
    log.fmt = "PDF"
    with pytest.raises(PermissionError):
        log.save()
    with pytest.raises(PermissionError):
        log.delete()
    with pytest.raises(PermissionError):
        ExportLog.objects.update(fmt="PDF")
    with pytest.raises(PermissionError):
        ExportLog.objects.all().delete()
    assert ExportLog.objects.get().fmt == "CSV"


@requires_postgres
def test_the_database_refuses_to_change_the_audit_tables(built, province):
    from audit.models import ErasureLog
    from victims.models import Victim
    from victims.services import identity_erase

    s = summary(None, SummaryVersion.INTERNAL)
    client_for(province).get(reverse("reports:summary_download", args=[s.pk, "csv"]))
    identity_erase(by=province, victim=Victim.objects.first(), reference="B-1/2026")
    for sql in (
        "UPDATE reports_exportlog SET fmt = 'PDF'",
        "DELETE FROM reports_exportlog",
        "UPDATE reports_erasurelog SET reference = 'x'",
        "DELETE FROM reports_erasurelog",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert ExportLog.objects.get().fmt == "CSV"
    assert ErasureLog.objects.get().reference == "B-1/2026"
