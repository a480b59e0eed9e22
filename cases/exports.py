"""The case list as CSV: one row per case the user may see, streamed.

Counts and codes, never who anyone is: no victim identity, no perpetrator or officer name,
no summary or notes (free text may name people despite its help text). Everything in it can
be read on the case pages by every role that sees the case, analysts included.

The rows are read through a server-side cursor, `CHUNK` at a time, with one more query per
chunk for the exploitation types: memory stays bounded whatever the number of cases, and
the number of queries grows only by one per `CHUNK` cases."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import User
from audit.models import ExportChannel, ExportFormat, ExportKind
from audit.services import export_record
from core.csv import CSV_QUOTING, neutralise

from .codes import CaseStatus, CodeField, ExploitationType, Stage
from .models import Case, CaseCode, CaseVictim, Involvement

CHUNK = 2000


def case_export_record(*, by: User, row_count: int, ip_address: str | None) -> None:
    """Log the export in the export log before the first byte leaves; if the log cannot be
    written, the export does not go out."""
    export_record(
        by=by,
        kind=ExportKind.CASE_LIST,
        fmt=ExportFormat.CSV,
        channel=ExportChannel.WEB,
        row_count=row_count,
        ip_address=ip_address,
    )


def _count(model, **related) -> Coalesce:
    rows = model.objects.filter(**related).values("case").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


COLUMNS = (
    "pk",
    "register_no",
    "regency_id",
    "regency__name",
    "reporting_agency__name",
    "police_report_no",
    "reported_on",
    "occurred_from",
    "occurred_to",
    "stage",
    "status",
    "transnational",
    "destination_country",
    "victim_count",
    "perpetrator_count",
    "updated_at",
)


def header() -> list[str]:
    return [
        _("Nomor register"),
        _("Kode kabupaten/kota"),
        _("Kabupaten/kota"),
        _("Instansi pelapor"),
        _("Nomor LP"),
        _("Tanggal laporan"),
        _("Terjadi sejak"),
        _("Terjadi sampai"),
        _("Tahap"),
        _("Status"),
        _("Jenis eksploitasi"),
        _("Lintas negara"),
        _("Negara tujuan"),
        _("Jumlah korban"),
        _("Jumlah pelaku"),
        _("Diperbarui"),
    ]


def case_export_rows(cases: QuerySet[Case]) -> Iterator[list]:
    """The rows of `cases` (already scoped, filtered and ordered), header first."""
    stages = {code: str(label) for code, label in Stage.choices}
    statuses = {code: str(label) for code, label in CaseStatus.choices}
    types = {code: str(label) for code, label in ExploitationType.choices}
    yes_no = {True: _("Ya"), False: _("Tidak"), None: ""}
    zone = timezone.get_current_timezone()
    rows = (
        cases.annotate(
            victim_count=_count(CaseVictim, case=OuterRef("pk")),
            perpetrator_count=_count(Involvement, case=OuterRef("pk")),
        )
        .values_list(*COLUMNS)
        .iterator(chunk_size=CHUNK)
    )
    yield header()
    while chunk := list(islice(rows, CHUNK)):
        codes = defaultdict(list)
        for case_id, code in CaseCode.objects.filter(
            field=CodeField.EXPLOITATION, case_id__in=[row[0] for row in chunk]
        ).values_list("case_id", "code"):
            codes[case_id].append(code)
        for (
            pk,
            register_no,
            regency_id,
            regency,
            agency,
            police_report_no,
            reported_on,
            occurred_from,
            occurred_to,
            stage,
            status,
            transnational,
            destination,
            victims,
            perpetrators,
            updated_at,
        ) in chunk:
            yield [
                register_no,
                regency_id,
                regency,
                agency,
                police_report_no,
                reported_on.isoformat(),
                occurred_from.isoformat() if occurred_from else "",
                occurred_to.isoformat() if occurred_to else "",
                stages.get(stage, stage),
                statuses.get(status, status),
                "; ".join(sorted(types.get(c, c) for c in codes.get(pk, []))),
                yes_no[transnational],
                destination,
                victims,
                perpetrators,
                updated_at.astimezone(zone).isoformat(timespec="seconds"),
            ]


class _Echo:
    """A file that hands back what is written to it: the CSV writer's output as strings."""

    def write(self, value: str) -> str:
        return value


def case_export_csv(cases: QuerySet[Case]) -> Iterator[str]:
    """The CSV text, a chunk of rows at a time; a byte-order mark first so that spreadsheet
    programs read the UTF-8 correctly."""
    writer = csv.writer(_Echo(), quoting=CSV_QUOTING)
    rows = case_export_rows(cases)
    yield "\ufeff"
    while batch := list(islice(rows, CHUNK)):
        yield "".join(writer.writerow(neutralise(row)) for row in batch)


def filename() -> str:
    return f"kasus-tppo-{timezone.localdate():%Y-%m-%d}.csv"
