"""A few seconds of the load test, end to end, so the script cannot silently rot: a fresh
database, gunicorn, three clients (half of whose submission and update answers are
discarded, so that they resend them), the reconciliation and its exit status."""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import requires_postgres

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "loadtest.py"

pytestmark = requires_postgres


def test_a_short_run_reconciles_every_case():
    url = urlsplit(os.environ["DATABASE_URL"])
    server = f"{url.scheme}://{url.netloc}"
    name = f"{url.path.strip('/')}_loadsmoke"
    command = [
        sys.executable,
        str(SCRIPT),
        *("--clients", "3", "--spawn-rate", "3", "--duration", "5", "--think", "0.2"),
        *("--lose-answers", "0.5"),
        *("--workers", "1", "--threads", "2"),
        *("--db", name, "--pg", server),
        *("--cache-url", os.environ.get("CACHE_URL", "")),
        *("--broker-url", os.environ.get("CELERY_BROKER_URL", "")),
    ]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=180)
    finally:
        subprocess.run(
            ["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            capture_output=True,
        )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "RESULT: OK" in run.stdout
    created = int(re.search(r"(\d+) cases created", run.stdout).group(1))
    accepted = re.search(r"Cases: (\d+) accepted by the clients, (\d+) found once", run.stdout)
    assert created > 0
    assert int(accepted.group(1)) == int(accepted.group(2)) == created
    assert re.search(r"^\| update \| [1-9]\d* \| 0 \|", run.stdout, re.M)
    # Answers discarded on purpose: the resent requests found the first attempts applied.
    assert re.search(r"resent: first attempt (stored|applied) x[1-9]", run.stdout)
