#!/usr/bin/env python3
"""`make loadtest`: police-unit clients submitting and updating cases against gunicorn and
PostgreSQL for a bounded time, then every case counted against what the clients saw.

Usage: .venv/bin/python scripts/loadtest.py [--clients 50] [--duration 300] [--db tppo_load]
       [--workers 2] [--threads 4] [--think 1.0] [--lose-answers 0.02]

Each run drops and recreates the database (`--db`, default tppo_load), migrates it, creates
one unit officer with an API token per client (spread over the 13 regencies' Unit PPA),
serves it with gunicorn on a free port of 127.0.0.1 and runs the clients with locust
(headless, as a library). Each client submits cases (sometimes retrying a submission, or
sending it twice at once, to prove idempotence), updates its own cases with the version it
holds, re-reads them and lists its agency's cases. Afterwards the database is reconciled
with what the clients saw: no lost, duplicated or unknown case, and each case's version and
last written value are the ones its client saw. Exit status 1 on any error, lost,
duplicated or unknown case. Only loopback traffic; the run stops by itself.
See docs/loadtest.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG = os.environ.get("LOADTEST_PG", "postgres://postgres@127.0.0.1:5432")

# Request kinds, in the order the summary prints them.
KINDS = (
    "submit",
    "submit (retry)",
    "submit (race)",
    "submit (resent)",
    "update",
    "update (resent)",
    "read",
    "list",
)


# --- Reconciliation and summary (pure functions: tests/load/test_reconcile.py) ---------------


@dataclass
class Record:
    """What one client knows of one case it submitted.

    `in_doubt`: a request about this case got no usable answer, so the client cannot know
    whether it was applied (the error is counted already); such a case may exist or not,
    at either version."""

    agency: int
    external_ref: str
    id: int | None = None
    version: int | None = None
    summary: str | None = None
    in_doubt: bool = True


@dataclass
class Reconciliation:
    expected: int = 0
    found: int = 0
    in_doubt: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    duplicated: list[tuple[int, str, int]] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.unknown or self.mismatched)


def reconcile(records: list[Record], rows: list[dict]) -> Reconciliation:
    """Compare the clients' records with the database's cases.

    `rows`: every case in the database as {id, agency, external_ref, version, summary}.
    Lost: a case a client saw accepted that is not there. Duplicated: more than one case
    for an (agency, external_ref). Unknown: a case no client submitted. Mismatched: a case
    whose id, version or last written summary is not what its client last saw."""
    result = Reconciliation()
    by_key: dict[tuple[int, str], list[dict]] = {}
    for row in rows:
        by_key.setdefault((row["agency"], row["external_ref"]), []).append(row)
    result.duplicated = sorted(
        (agency, ref, len(found)) for (agency, ref), found in by_key.items() if len(found) > 1
    )
    submitted = {(r.agency, r.external_ref) for r in records}
    result.unknown = sorted(
        row["id"] for key, found in by_key.items() if key not in submitted for row in found
    )
    for record in records:
        if record.in_doubt:
            result.in_doubt.append(record.external_ref)
            continue
        result.expected += 1
        found = by_key.get((record.agency, record.external_ref), [])
        if not found:
            result.lost.append(record.external_ref)
            continue
        result.found += 1
        row = found[0]
        seen = (record.id, record.version, record.summary)
        stored = (row["id"], row["version"], row["summary"])
        if seen != stored:
            result.mismatched.append(
                f"{record.external_ref}: client saw id/version {record.id}/{record.version}, "
                f"database has {row['id']}/{row['version']}"
                + ("" if record.summary == row["summary"] else ", summary differs")
            )
    return result


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (p in 0..100)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarise(samples: list[tuple[str, float, bool]], seconds: float, created: int) -> dict:
    """Requests, errors and latency (ms) per kind from (kind, ms, ok) samples."""
    rows = []
    kinds = [k for k in KINDS if any(s[0] == k for s in samples)]
    kinds += sorted({s[0] for s in samples} - set(kinds))
    for kind in [*kinds, "all"]:
        times = sorted(ms for k, ms, _ok in samples if kind in ("all", k))
        errors = sum(1 for k, _ms, ok in samples if kind in ("all", k) and not ok)
        rows.append(
            {
                "kind": kind,
                "requests": len(times),
                "errors": errors,
                "median": percentile(times, 50),
                "p95": percentile(times, 95),
                "p99": percentile(times, 99),
                "max": times[-1] if times else 0.0,
            }
        )
    return {
        "rows": rows,
        "seconds": seconds,
        "requests_per_s": len(samples) / seconds if seconds else 0.0,
        "cases_created": created,
        "cases_per_min": created / seconds * 60 if seconds else 0.0,
    }


def format_report(
    summary: dict,
    errors: Counter,
    check: Reconciliation,
    dropped: Counter | None = None,
    resent: Counter | None = None,
) -> str:
    lines = [
        "| requests | count | errors | median ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in summary["rows"]:
        lines.append(
            f"| {r['kind']} | {r['requests']} | {r['errors']} | {r['median']:.0f} | "
            f"{r['p95']:.0f} | {r['p99']:.0f} | {r['max']:.0f} |"
        )
    lines += [
        "",
        f"Throughput: {summary['requests_per_s']:.1f} requests/s over {summary['seconds']:.0f} s; "
        f"{summary['cases_created']} cases created ({summary['cases_per_min']:.0f} cases/min).",
        f"Errors: {sum(errors.values())}. Cases: {check.expected} accepted by the clients, "
        f"{check.found} found once; lost {len(check.lost)}, duplicated {len(check.duplicated)}, "
        f"unknown {len(check.unknown)}, version/value mismatches {len(check.mismatched)}, "
        f"in doubt after an error {len(check.in_doubt)}.",
    ]
    if dropped:
        lines.append(
            f"Answers not received: {sum(dropped.values())} (not errors: each request was "
            "sent again, as the contract allows, and the outcome checked):"
        )
        lines += [f"  {kind}: {error} x{n}" for (kind, error), n in dropped.most_common(5)]
        lines += [
            f"  {kind}, resent: {outcome} x{n}"
            for (kind, outcome), n in sorted((resent or Counter()).items())
        ]
    for (kind, message), n in errors.most_common(10):
        lines.append(f"  error x{n}: {kind}: {message}")
    for item in [*check.lost[:5], *check.mismatched[:5], *check.in_doubt[:5]]:
        lines.append(f"  case: {item}")
    for agency, ref, n in check.duplicated[:5]:
        lines.append(f"  duplicated: agency {agency} {ref} x{n}")
    if check.unknown:
        lines.append(f"  unknown case ids: {check.unknown[:10]}")
    return "\n".join(lines)


# --- The database and the server ---------------------------------------------------------


def server_env(db_url: str, cache_url: str, broker_url: str) -> dict[str, str]:
    """The benchmark's production-like environment (scripts/bench.py), on a throwaway DB."""
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "CACHE_URL": cache_url,
        "CELERY_BROKER_URL": broker_url,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "API_THROTTLE_RATE": "1000000/min",
        "AXES_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def recreate_database(pg: str, name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit(f"Database name must be a plain identifier: {name!r}")
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{pg}/postgres", "-qc", sql], check=True, capture_output=True)
    return f"{pg}/{name}"


# Run by `manage.py shell`: one unit officer and token per client, round-robin over the
# regencies' Unit PPA; printed as JSON (the tokens only live in this throwaway database).
SETUP_CODE = """
import json
from agencies.models import Agency, Role, User
from agencies.services import issue_token
units = list(Agency.objects.filter(kind="UNIT_PPA", regency__isnull=False).order_by("regency_id"))
out = []
for i in range({clients}):
    agency = units[i % len(units)]
    user = User.objects.create_user(f"beban{{i:03d}}", role=Role.UNIT, agency=agency)
    token = issue_token(user=user)
    out.append({{"client": i, "agency": agency.pk, "regency": agency.regency_id, "token": token.key}})
print(json.dumps(out))
"""

DUMP_CODE = """
import json
from cases.models import Case
rows = Case.objects.values_list("id", "reporting_agency_id", "external_ref", "version", "summary")
print(json.dumps([dict(zip(("id", "agency", "external_ref", "version", "summary"), r)) for r in rows]))
"""


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children so far (gunicorn's master and workers)."""
    import psutil  # a dependency of locust

    process = psutil.Process(pid)
    total = 0.0
    for proc in [process, *process.children(recursive=True)]:
        times = proc.cpu_times()
        total += times.user + times.system
    return total


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# What the server logs for a resent update refused as stale (expected, see DROPPED); any
# other line in its log (a traceback, a worker timeout) fails the run.
EXPECTED_LOG = re.compile(r"(Conflict|Precondition Failed): /api/v1/cases/\d+/")


def server_log_problems(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not EXPECTED_LOG.fullmatch(line)]


def start_server(env: dict[str, str], port: int, workers: int, threads: int, log: Path):
    import http.client

    log.parent.mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "tppo.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not become healthy")


# --- The clients ---------------------------------------------------------------------------


def submission(run_id: str, client: int, seq: int, regency: str) -> dict:
    """A case as a unit's system sends it; the reference and NIK are unique per run."""
    child = seq % 2 == 0
    return {
        "external_ref": f"BEBAN-{run_id}-{client:03d}-{seq:05d}",
        "regency": regency,
        "police_report_no": f"LP/B/{seq}/UJI-{client:03d}",
        "reported_on": "2026-10-02",
        "occurred_from": "2026-09-01",
        "summary": f"Uji beban: klien {client}, kasus {seq}.",
        "exploitation_types": ["PEKERJA_ANAK" if child else "KERJA_PAKSA"],
        "recruitment_modus": ["LOWKER_PALSU_ONLINE" if child else "PMI_NONPROSEDURAL"],
        "means_of_control": [] if child else ["DOKUMEN_DITAHAN"],
        "transnational": not child,
        "destination_country": None if child else "MYS",
        "victims": [
            {
                "sex": "P" if child else "L",
                "age": 16 if child else 25,
                "nationality": "IDN",
                "home_regency": regency,
                "status": "TERIDENTIFIKASI",
                "identity": {
                    "full_name": f"Korban Uji {client}-{seq}",
                    "nik": f"63{client:03d}{seq:011d}",
                },
            }
        ],
        "perpetrators": [{"kind": "ORANG", "name": "Pelaku Uji", "roles": ["PEREKRUT"]}],
    }


# `call` answers this when a POST or PATCH got no answer: the connection closed first
# (typically a keep-alive connection the server closed just as the client reused it), or
# the answer was discarded on purpose (--lose-answers). The caller sends the request once
# more, which the contract makes safe (external_ref for a submission, version for an
# update), checks what it is told, and counts it in `Swarm.dropped`/`resent`, not among
# the errors.
DROPPED = "connection closed without an answer"
CASES = "/api/v1/cases/"


class Swarm:
    """Shared state of one run: credentials to hand out, samples, errors, records."""

    def __init__(
        self, credentials: list[dict], run_id: str, started_iso: str, lose_answers: float = 0.0
    ):
        self.credentials = list(reversed(credentials))
        self.run_id = run_id
        self.started_iso = started_iso
        self.lose_answers = lose_answers
        self.samples: list[tuple[str, float, bool]] = []
        self.errors: Counter = Counter()
        self.dropped: Counter = Counter()  # (kind, error): POST/PATCH without an answer
        self.resent: Counter = Counter()  # (kind, outcome) of sending them again
        self.records: list[Record] = []
        self.created = 0
        # Tasks start only while not `stopping`; the run ends once none is `busy`, so no
        # client is stopped halfway through a task (its last answers unseen).
        self.stopping = False
        self.busy = 0

    def on_request(self, request_type, name, response_time, response_length, exception=None, **kw):
        if exception is not None and str(exception).startswith(DROPPED):
            return  # no answer, no latency: the client resends it (see DROPPED)
        self.samples.append((name, float(response_time), exception is None))
        if exception is not None:
            self.errors[(name, str(exception)[:200])] += 1

    def problem(self, kind: str, message: str) -> None:
        """A logical error found after the requests themselves succeeded."""
        self.errors[(kind, message)] += 1


def user_class(swarm: Swarm, think: float):
    """The locust user: one police unit's system. Built after locust is imported."""
    import gevent
    from locust import FastHttpUser, between, task

    class UnitSystem(FastHttpUser):
        wait_time = between(think * 0.5, think * 1.5)

        def on_start(self):
            credential = swarm.credentials.pop()
            self.client_no = credential["client"]
            self.agency = credential["agency"]
            self.regency = credential["regency"]
            self.headers = {
                "Authorization": f"Token {credential['token']}",
                "Accept-Language": "id",
            }
            self.seq = 0
            self.cases: list[Record] = []
            self.random = random.Random(self.client_no)

        def call(self, method, path, kind, body=None, headers=None, check=None, accept=()):
            """One request: (status, headers, json) when it is a 2xx (or a status in
            `accept`) that passes `check` (which returns an error message or None); DROPPED
            when a POST or PATCH got no answer at all; else None (the error is counted)."""
            with self.client.request(
                method,
                path,
                name=kind,
                json=body,
                headers={**self.headers, **(headers or {})},
                catch_response=True,
            ) as response:
                status = response.status_code
                if status == 0 and method != "GET" and not kind.endswith("(resent)"):
                    response.failure(f"{DROPPED}: {response.error}")
                    swarm.dropped[(kind, str(response.error)[:80])] += 1
                    return DROPPED
                try:
                    data = response.json() if response.content else None
                except ValueError:
                    data = None
                if not (200 <= status < 300 or status in accept):
                    code = data.get("code") if isinstance(data, dict) else response.error
                    response.failure(f"HTTP {status} {code or ''}".strip())
                    return None
                problem = check(status, data, response.headers) if check else None
                if problem:
                    response.failure(problem)
                    return None
                response.success()
                if (
                    method != "GET"
                    and not kind.endswith("(resent)")
                    and self.random.random() < swarm.lose_answers
                ):
                    # Fault injection: the server did the work, the client never sees it.
                    swarm.dropped[(kind, "answer discarded on purpose (--lose-answers)")] += 1
                    return DROPPED
                return status, response.headers, data

        def own_case(self) -> Record | None:
            usable = [r for r in self.cases if not r.in_doubt]
            return self.random.choice(usable) if usable else None

        @staticmethod
        def accepted(record: Record, data: dict) -> None:
            record.id, record.version, record.summary = data["id"], data["version"], data["summary"]
            record.in_doubt = False

        def step(self, action) -> None:
            if swarm.stopping:
                return
            swarm.busy += 1
            try:
                action()
            finally:
                swarm.busy -= 1

        @task(3)
        def submit_task(self):
            self.step(self.submit)

        @task(4)
        def update_task(self):
            self.step(self.update)

        @task(2)
        def read_task(self):
            self.step(self.read)

        @task(1)
        def list_task(self):
            self.step(self.list_cases)

        def post_case(self, body: dict, kind: str, check, resent_check=None):
            """Submit; after a lost answer send it again, where 200 (the first attempt was
            stored) and 201 (it was not) are both right unless `resent_check` says
            otherwise. Returns the answer and whether one was lost."""
            answer = self.call("POST", CASES, kind, body, check=check)
            if answer is not DROPPED:
                return answer, False
            answer = self.call(
                "POST",
                CASES,
                "submit (resent)",
                body,
                check=resent_check
                or (lambda s, d, h: None if s in (200, 201) else f"resent submit: {s}"),
            )
            if answer is not None:
                outcome = "first attempt stored" if answer[0] == 200 else "first attempt not stored"
                swarm.resent[("submit", outcome)] += 1
            return answer, True

        def submit(self):
            self.seq += 1
            body = submission(swarm.run_id, self.client_no, self.seq, self.regency)
            record = Record(agency=self.agency, external_ref=body["external_ref"])
            self.cases.append(record)
            swarm.records.append(record)
            roll = self.random.random()
            if roll < 0.05:
                self.submit_racing(record, body)
                return
            answer, _dropped = self.post_case(
                body,
                "submit",
                check=lambda s, d, h: None if s == 201 else f"HTTP {s} for a new reference",
            )
            if answer is None:
                return
            self.accepted(record, answer[2])
            swarm.created += 1
            if roll < 0.20:
                # The unit's system did not see the answer and sends the same case again.
                def same_case(status, data, headers):
                    if (status, data["id"], data["version"]) == (200, record.id, record.version):
                        return None
                    return f"retry answered HTTP {status} id/version {data['id']}/{data['version']}"

                self.post_case(body, "submit (retry)", same_case, resent_check=same_case)

        def submit_racing(self, record: Record, body: dict) -> None:
            """The same new case sent twice at once (a retry racing the first attempt):
            one 201 and one 200 for the same case (one 201 at most if a connection
            dropped, as the attempt that stored it may be the unanswered one)."""
            jobs = [gevent.spawn(self.post_case, body, "submit (race)", None) for _ in range(2)]
            gevent.joinall(jobs)
            if not all(job.successful() for job in jobs):
                swarm.problem("submit (race)", "exception in a client task")
                return
            answers = [job.value[0] for job in jobs]
            dropped = any(job.value[1] for job in jobs)
            if None in answers:
                return
            created = [a[0] for a in answers].count(201)
            ids = {a[2]["id"] for a in answers}
            if len(ids) != 1 or created > 1 or (created == 0 and not dropped):
                swarm.problem("submit (race)", f"{created} created, {len(ids)} case id(s)")
                return
            self.accepted(record, answers[0][2])
            swarm.created += 1

        def update(self):
            record = self.own_case()
            if record is None:
                return self.submit()
            path = f"{CASES}{record.id}/"
            expected = record.version + 1
            new_summary = f"Uji beban: klien {self.client_no}, perubahan ke-{expected}."
            record.in_doubt = True
            if self.random.random() < 0.5:
                body, headers = {"summary": new_summary, "version": record.version}, None
            else:
                body, headers = {"summary": new_summary}, {"If-Match": f'"{record.version}"'}

            def check(status, data, headers):
                if status == 200:
                    if (data["version"], data["summary"]) == (expected, new_summary):
                        return None
                    return f"update answered version {data['version']}, expected {expected}"
                # A resent update refused as stale: right only if the first attempt, whose
                # answer was lost, is what made the case's version move on.
                if data.get("current_version") == expected:
                    return None
                return f"resent update refused: version {data.get('current_version')}"

            answer = self.call("PATCH", path, "update", body, headers, check=check)
            if answer is DROPPED:
                answer = self.call(
                    "PATCH", path, "update (resent)", body, headers, check, (409, 412)
                )
                if answer is not None and answer[0] != 200:
                    swarm.resent[("update", "first attempt applied")] += 1
                    answer = self.call(
                        "GET",
                        path,
                        "read",
                        check=lambda s, d, h: (
                            None
                            if (d["version"], d["summary"]) == (expected, new_summary)
                            else "the case does not hold the update whose answer was lost"
                        ),
                    )
                elif answer is not None:
                    swarm.resent[("update", "first attempt not applied")] += 1
            if answer is not None:
                self.accepted(record, answer[2])

        def read(self):
            record = self.own_case()
            if record is None:
                return self.submit()

            def check(status, data, headers):
                if (data["version"], data["summary"]) != (record.version, record.summary):
                    return f"read version {data['version']}, client holds {record.version}"
                if headers.get("ETag") != f'"{record.version}"':
                    return "ETag does not carry the version"
                return None

            self.call("GET", f"/api/v1/cases/{record.id}/", "read", check=check)

        def list_cases(self):
            """Sync the agency's cases changed since the run began (first page)."""
            own = sum(1 for r in self.cases if not r.in_doubt)
            query = (
                f"updated_since={swarm.started_iso.replace('+', '%2B')}&ordering=id&page_size=50"
            )
            self.call(
                "GET",
                f"/api/v1/cases/?{query}",
                "list",
                check=lambda s, d, h: (
                    None
                    if d["count"] >= own
                    else f"list counts {d['count']} cases, client has {own} of its own"
                ),
            )

    return UnitSystem


def run_swarm(
    base_url: str, swarm: Swarm, clients: int, spawn_rate: float, duration: float, think: float
) -> float:
    """Run the clients for `duration` seconds; each finishes its current task. Returns the
    wall time in seconds."""
    import gevent
    from locust import events
    from locust.env import Environment

    env = Environment(user_classes=[user_class(swarm, think)], events=events, host=base_url)
    events.request.add_listener(swarm.on_request)
    runner = env.create_local_runner()
    started = time.monotonic()

    def progress():
        while True:
            gevent.sleep(30)
            bad = sum(1 for s in swarm.samples if not s[2])
            print(
                f"  {time.monotonic() - started:4.0f}s: {len(swarm.samples)} requests, "
                f"{swarm.created} cases, {bad} errors, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )

    ticker = gevent.spawn(progress)
    runner.start(clients, spawn_rate=spawn_rate)
    gevent.sleep(duration)
    swarm.stopping = True
    for _ in range(600):  # tasks under way finish (at most 60 s more)
        if not swarm.busy:
            break
        gevent.sleep(0.1)
    if swarm.busy:
        swarm.problem("client", f"{swarm.busy} task(s) still unanswered 60 s after the end")
    runner.quit()
    ticker.kill()
    for row in runner.exceptions.values():
        swarm.problem("client", f"exception in a client task: {row['msg'][:150]}")
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10, help="clients started per second")
    parser.add_argument("--duration", type=float, default=300, help="seconds (bounded run)")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between tasks")
    parser.add_argument(
        "--lose-answers",
        type=float,
        default=0.02,
        help="share of submission and update answers the clients discard, to resend them",
    )
    parser.add_argument("--db", default="tppo_load", help="dropped and recreated each run")
    parser.add_argument("--pg", default=PG, help="PostgreSQL server URL, without database")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/10")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 500 or not 0 < args.duration <= 3600:
        parser.error("--clients must be 1..500 and --duration 0..3600 seconds")
    if not 0 <= args.lose_answers <= 0.5:
        parser.error("--lose-answers must be between 0 and 0.5")

    # locust patches the standard library for gevent when imported: before any socket use.
    import locust  # noqa: F401

    print(f"load before: {os.getloadavg()[0]:.2f} (1-min average, {os.cpu_count()} cores)")
    db_url = recreate_database(args.pg, args.db)
    env = server_env(db_url, args.cache_url, args.broker_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    credentials = json.loads(
        manage(env, "shell", "-v", "0", "-c", SETUP_CODE.format(clients=args.clients))
        .strip()
        .splitlines()[-1]
    )
    port = free_port()
    print(
        f"database {args.db}: {len(credentials)} unit officers; gunicorn gthread "
        f"{args.workers} workers x {args.threads} threads on 127.0.0.1:{port}; "
        f"{args.clients} clients for {args.duration:.0f} s",
        flush=True,
    )
    started_iso = datetime.now(UTC).isoformat(timespec="seconds")
    swarm = Swarm(credentials, str(int(time.time())), started_iso, args.lose_answers)
    log = ROOT / "var" / f"loadtest-{args.db}.log"  # the server's output
    server = start_server(env, port, args.workers, args.threads, log)
    try:
        seconds = run_swarm(
            f"http://127.0.0.1:{port}",
            swarm,
            args.clients,
            args.spawn_rate,
            args.duration,
            args.think,
        )
        server_cpu = cpu_seconds(server.pid)
    finally:
        # Every answer is in (or counted as an error): a quick shutdown loses nothing and
        # does not wait out the clients' idle keep-alive connections.
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    client_cpu = resource.getrusage(resource.RUSAGE_SELF)
    for line in server_log_problems(log.read_text()):
        swarm.problem("server log", line[:200])
    print(
        f"load after: {os.getloadavg()[0]:.2f}; CPU seconds used: gunicorn {server_cpu:.0f}, "
        f"clients {client_cpu.ru_utime + client_cpu.ru_stime:.0f} (wall {seconds:.0f} s)"
    )

    dump = manage(env, "shell", "-v", "0", "-c", DUMP_CODE).strip().splitlines()[-1]
    check = reconcile(swarm.records, json.loads(dump))
    summary = summarise(swarm.samples, seconds, swarm.created)
    print(format_report(summary, swarm.errors, check, swarm.dropped, swarm.resent))
    failed = bool(swarm.errors) or not check.ok
    print("RESULT: FAILED" if failed else "RESULT: OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
