"""The load test's count of cases against what its clients saw (scripts/loadtest.py)."""

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "loadtest.py"


@pytest.fixture(scope="module")
def loadtest():
    spec = importlib.util.spec_from_file_location("loadtest", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    # locust patches the standard library for gevent when imported: only the run may load it.
    assert "locust" not in sys.modules
    return module


def row(id, ref, version=1, summary="s", agency=1):
    return {"id": id, "agency": agency, "external_ref": ref, "version": version, "summary": summary}


def test_a_clean_run_reconciles(loadtest):
    records = [
        loadtest.Record(1, "A", id=10, version=3, summary="s3", in_doubt=False),
        loadtest.Record(2, "A", id=11, version=1, summary="s", in_doubt=False),
    ]
    check = loadtest.reconcile(records, [row(10, "A", 3, "s3"), row(11, "A", agency=2)])
    assert check.ok
    assert (check.expected, check.found) == (2, 2)


def test_lost_duplicated_unknown_and_mismatched_cases_are_reported(loadtest):
    records = [
        loadtest.Record(1, "LOST", id=1, version=1, summary="s", in_doubt=False),
        loadtest.Record(1, "TWICE", id=2, version=1, summary="s", in_doubt=False),
        loadtest.Record(1, "OLD", id=3, version=4, summary="s4", in_doubt=False),
        loadtest.Record(1, "VALUE", id=4, version=2, summary="mine", in_doubt=False),
        # An unanswered request: the case may or may not exist, at either version.
        loadtest.Record(1, "DOUBT", id=5, version=1, summary="s"),
        loadtest.Record(1, "NEVER"),
    ]
    rows = [
        row(2, "TWICE"),
        row(6, "TWICE"),
        row(3, "OLD", 3, "s3"),
        row(4, "VALUE", 2, "theirs"),
        row(5, "DOUBT", 2, "s2"),
        row(7, "NOBODY"),
        row(8, "LOST", agency=2),  # the same reference of another agency is another case
    ]
    check = loadtest.reconcile(records, rows)
    assert not check.ok
    assert check.lost == ["LOST"]
    assert check.duplicated == [(1, "TWICE", 2)]
    assert check.unknown == [7, 8]
    assert [m.split(":")[0] for m in check.mismatched] == ["OLD", "VALUE"]
    assert check.in_doubt == ["DOUBT", "NEVER"]
    assert (check.expected, check.found) == (4, 3)
    report = loadtest.format_report(loadtest.summarise([], 1, 0), loadtest.Counter(), check)
    assert "lost 1, duplicated 1, unknown 2, version/value mismatches 2" in report


def test_summary_gives_nearest_rank_percentiles_per_kind(loadtest):
    samples = [("update", float(ms), ms != 100) for ms in range(1, 101)]
    samples += [("submit", 500.0, True)] * 4
    summary = loadtest.summarise(samples, seconds=2.0, created=4)
    rows = {r["kind"]: r for r in summary["rows"]}
    assert [r["kind"] for r in summary["rows"]] == ["submit", "update", "all"]
    update = rows["update"]
    assert (update["median"], update["p95"], update["p99"], update["max"]) == (50, 95, 99, 100)
    assert (update["requests"], update["errors"]) == (100, 1)
    assert (rows["all"]["requests"], rows["all"]["errors"]) == (104, 1)
    assert summary["requests_per_s"] == 52
    assert summary["cases_per_min"] == 120
    assert loadtest.percentile([], 95) == 0


def test_only_the_expected_stale_update_warnings_pass_in_the_server_log(loadtest):
    log = (
        "Conflict: /api/v1/cases/12/\n"
        "Precondition Failed: /api/v1/cases/7/\n"
        "\n"
        "[2026-11-29 04:00:00 +0000] [42] [CRITICAL] WORKER TIMEOUT (pid:43)\n"
        "Conflict: /api/v1/cases/\n"
        "Internal Server Error: /api/v1/cases/12/\n"
    )
    assert loadtest.server_log_problems(log) == [
        "[2026-11-29 04:00:00 +0000] [42] [CRITICAL] WORKER TIMEOUT (pid:43)",
        "Conflict: /api/v1/cases/",
        "Internal Server Error: /api/v1/cases/12/",
    ]
