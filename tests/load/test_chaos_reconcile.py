"""The chaos run's bookkeeping (scripts/chaos.py), without running it: what counts as lost,
duplicated or changed, where errors are attributed, and how reminders are counted."""

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend

from scripts.chaos import Record, Run, error_table, mails_by_recipient, reconcile


def _row(id_, ref, version=1, summary="s", agency=7):
    return {
        "id": id_,
        "agency": agency,
        "external_ref": ref,
        "version": version,
        "summary": summary,
    }


def _acked(ref, id_, version=1, summary="s", door="api", agency=7):
    return Record(door, agency, ref, id_, version, summary, acked=True)


def test_every_acknowledged_case_found_once_is_clean():
    records = [_acked("A", 1), _acked("B", 2, version=3, summary="x")]
    check = reconcile(records, [_row(1, "A"), _row(2, "B", 3, "x")])
    assert (check.acked, check.found_once) == (2, 2)
    assert not (check.lost or check.duplicated or check.mismatched or check.unknown)


def test_lost_duplicated_mismatched_and_unknown_are_told_apart():
    records = [_acked("LOST", 1), _acked("TWICE", 2), _acked("OLD", 3, version=2)]
    rows = [_row(2, "TWICE"), _row(9, "TWICE"), _row(3, "OLD", version=1), _row(5, "NEVER")]
    check = reconcile(records, rows)
    assert check.lost == ["LOST"]
    assert check.duplicated == ["TWICE"]
    assert check.mismatched == ["OLD: version 1, acked 2"]
    assert check.unknown == ["NEVER"]


def test_the_same_reference_of_another_agency_is_another_case():
    records = [_acked("A", 1, agency=7), _acked("A", 2, agency=8)]
    check = reconcile(records, [_row(1, "A", agency=7), _row(2, "A", agency=8)])
    assert check.found_once == 2 and not check.duplicated


def test_unanswered_writes_are_neither_lost_nor_checked_for_their_version():
    never_answered = Record("page", 7, "P1")
    stored_unanswered = Record("api", 7, "P2")
    update_in_doubt = _acked("U", 4, version=1)
    update_in_doubt.in_doubt = True
    rows = [_row(11, "P2"), _row(4, "U", version=2, summary="newer")]
    check = reconcile([never_answered, stored_unanswered, update_in_doubt], rows)
    assert (check.in_doubt_absent, check.in_doubt_stored) == (1, 1)
    assert not (check.lost or check.mismatched)


def test_errors_count_for_the_fault_under_way_and_beat_only_alone():
    run = Run(base="")
    run.faults = [
        {"fault": "beat", "start": 0.0, "end": 20.0, "note": ""},
        {"fault": "postgres", "start": 10.0, "end": 14.0, "note": ""},
    ]
    run.samples = [
        (2.0, "submit", 1.0, "connection closed"),  # beat alone
        (9.0, "submit", 1.0, "HTTP 500"),  # in flight as PostgreSQL stopped
        (12.0, "update", 1.0, "HTTP 500"),
        (60.0, "read", 1.0, "timeout"),
    ]
    lines, outside = error_table(run)
    assert "| postgres | 1 | 2 | HTTP 500 x2 |" in lines
    assert "| beat | 1 | 1 | connection closed x1 |" in lines
    assert outside == {"timeout": 1}


def test_reminder_mails_are_counted_per_recipient(tmp_path):
    backend = EmailBackend(file_path=str(tmp_path))
    backend.send_messages(
        [
            EmailMessage("Pengingat", "isi", "a@x.invalid", ["unit-1@chaos.invalid"]),
            EmailMessage("Pengingat", "isi\n" + "-" * 10, "a@x.invalid", ["unit-2@chaos.invalid"]),
        ]
    )
    EmailBackend(file_path=str(tmp_path)).send_messages(
        [EmailMessage("Pengingat", "isi", "a@x.invalid", ["unit-1@chaos.invalid"])]
    )
    assert mails_by_recipient(tmp_path) == {"unit-1@chaos.invalid": 2, "unit-2@chaos.invalid": 1}
