"""Twenty-five seconds of the chaos run (scripts/chaos.py), end to end, so the script cannot
silently rot: its own PostgreSQL cluster and Redis, gunicorn, a worker and beat, a gunicorn
worker killed, PostgreSQL and Redis restarted and the Celery worker killed under load; then
the reconciliation and its exit status, and nothing the run started left behind. Skipped
where the PostgreSQL server binaries or redis-server are missing."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.chaos import available

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "chaos.py"

pytestmark = pytest.mark.skipif(available() is not None, reason=f"chaos run: {available()}")


def _row(output: str, name: str) -> str:
    match = re.search(rf"^\| {re.escape(name)} \| (.*) \|$", output, re.M)
    assert match, f"no row {name!r} in:\n{output[-3000:]}"
    return match.group(1)


@pytest.mark.timeout(240)
def test_a_short_chaos_run_loses_and_duplicates_nothing():
    command = [
        sys.executable,
        str(SCRIPT),
        *("--duration", "25", "--fault-every", "4", "--no-beat-stop"),
        *("--clients", "2", "--cases", "10", "--settle", "0"),
        *("--faults", "postgres,redis,gunicorn,celery", "--pg-down", "2", "--redis-down", "1"),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=220)
    out = run.stdout
    assert run.returncode == 0, out[-4000:] + run.stderr[-2000:]
    assert "RESULT: OK" in out
    assert int(_row(out, "acknowledged submissions (API 201/200)")) > 0
    assert _row(out, "lost") == _row(out, "duplicated") == "0"
    found, acked = re.fullmatch(
        r"(\d+) of (\d+)", _row(out, "acknowledged cases found exactly once")
    ).groups()
    assert found == acked
    faults = _row(out, "faults injected")
    for fault in ("gunicorn", "postgres", "redis"):
        assert fault in faults
    assert _row(
        out,
        "summaries of "
        + re.search(r"summaries of (\S+)", out).group(1)
        + " (province + 13 regencies, 2 versions)",
    ).startswith("28 of 28")
    # Everything the run started is gone: its temporary directory and its servers.
    tmp = re.search(r"PostgreSQL cluster in (\S+) on 127\.0\.0\.1:(\d+)", out)
    assert tmp and not Path(tmp.group(1)).exists()
    left = subprocess.run(["pgrep", "-f", tmp.group(1)], capture_output=True, text=True)
    assert left.stdout.strip() == ""
