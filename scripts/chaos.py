#!/usr/bin/env python3
"""`make chaos`: bounded load on a production-shaped stack while faults are injected, then
every acknowledged write, the month's summaries and the reminders reconciled.

Usage: .venv/bin/python scripts/chaos.py [--duration 120] [--fault-every 15] [--clients 4]
       [--faults gunicorn,postgres,celery,redis] [--no-beat-stop] [--cases 100]

Everything runs on 127.0.0.1 and is thrown away afterwards: the script creates its own
PostgreSQL cluster (initdb into a temporary directory, its own port; run as the `postgres`
user when started as root) and its own Redis (`--save ""`, broker db 9, cache db 10), migrates
and seeds a small demo, and starts gunicorn (2 gthread workers, as scripts/loadtest.py), a
Celery worker and beat (schedule file in the temporary directory). Mail goes to files and
beat runs the self-healing `monthly-work-catch-up` every minute (scripts/chaos_settings.py).

For `--duration` seconds, API clients (unit officers with tokens) submit cases with unique
`external_ref`s, resend some of them on purpose, PATCH them with `If-Match`, and resend any
request that got no answer (as the API's contract allows); a page client signs in, reads the
dashboard, searches the case list and creates cases through the "Kasus baru" form (never
resent: see docs/chaos.md). Meanwhile a fault every `--fault-every` seconds, in turn: a
gunicorn worker SIGKILLed, the Celery worker SIGKILLed and started again, PostgreSQL stopped
(fast) and started, Redis killed and started (its data gone); and beat stopped a few seconds
before a due minute of the catch-up task and started after it.

Afterwards: every acknowledged write is in the database exactly once with the version and
value last acknowledged, no case lacks its victims, register numbers and victim codes are
gap-free per series, last month's summaries exist (province and each regency, both
versions), and each unit that owed last month's return got its reminder exactly once.
Exit status 1 on any loss, duplicate, mismatch, gap, missing summary or reminder sent twice.
See docs/chaos.md.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_binary_file
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.loadtest import free_port, manage, percentile, server_env, submission  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
DB_NAME = "tppo_chaos"
CASES = "/api/v1/cases/"
FAULTS = ("gunicorn", "postgres", "celery", "redis")
LOGS = ROOT / "var" / "chaos"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def port_or_free(preferred: int) -> int:
    with socket.socket() as sock:
        # As the servers bind (SO_REUSEADDR): a port left in TIME_WAIT by the last run is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            return free_port()


def pg_bindir() -> Path | None:
    if os.environ.get("CHAOS_PG_BIN"):
        return Path(os.environ["CHAOS_PG_BIN"])
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def available() -> str | None:
    """Why a chaos run cannot start here, or None."""
    if pg_bindir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found"
    if not shutil.which("redis-server"):
        return "redis-server not found"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run PostgreSQL"
    return None


# --- The stack: every process the run starts, and how to hurt it ----------------------------


class Stack:
    """PostgreSQL, Redis, gunicorn, a Celery worker and beat, all started by the run and all
    stopped by `close()` (called from a `finally`)."""

    def __init__(self, tmp: Path, args):
        self.tmp, self.args = tmp, args
        self.pg_bin = pg_bindir()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.pg_dir, self.pg_sock = tmp / "pg", tmp / "pgsock"
        self.pg_port = port_or_free(args.pg_port)
        self.redis_port = port_or_free(args.redis_port)
        self.http_port = next((p for p in range(18000, 18100) if port_or_free(p) == p), free_port())
        self.mail_dir = tmp / "mail"
        self.beat_dir = tmp / "beat"
        self.procs: dict[str, subprocess.Popen] = {}
        self.pg_running = self.redis_running = False
        self.closed = False  # set first by close(): nothing starts again after it
        self.db_url = f"postgres://postgres@127.0.0.1:{self.pg_port}/{DB_NAME}"
        redis = f"redis://127.0.0.1:{self.redis_port}"
        self.env = {
            **server_env(self.db_url, f"{redis}/10", f"{redis}/9"),
            "DJANGO_SETTINGS_MODULE": "scripts.chaos_settings",
            "CHAOS_MAIL_DIR": str(self.mail_dir),
            # Reminders for last month are due from the 1st (the default is the 6th), so that
            # the catch-up sends them whatever day the run is made.
            "RETURN_REMINDER_DAY": "1",
        }

    def refuse_if_closed(self) -> None:
        if self.closed:
            raise RuntimeError("the run is over: nothing is started again")

    # PostgreSQL
    def pg(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.as_postgres, str(self.pg_bin / tool), *args],
            capture_output=True,
            text=True,
            check=check,
            cwd=self.tmp,
        )

    def pg_init(self) -> None:
        for d in (self.pg_dir, self.pg_sock):
            d.mkdir(mode=0o700)
        if self.as_postgres:
            shutil.chown(self.tmp, "postgres")
            for d in (self.pg_dir, self.pg_sock):
                shutil.chown(d, "postgres", "postgres")
        self.pg("initdb", "-D", str(self.pg_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        self.pg_start()
        self.pg("createdb", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", DB_NAME)

    def pg_start(self) -> None:
        self.refuse_if_closed()
        options = (
            f"-p {self.pg_port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.pg_sock} -c max_connections=100"
        )
        self.pg("pg_ctl", "-D", str(self.pg_dir), "-l", str(self.tmp / "pg.log"), "-w",
                "-t", "60", "-o", options, "start")  # fmt: skip
        self.pg_running = True

    def pg_stop(self, mode: str = "fast") -> None:
        self.pg("pg_ctl", "-D", str(self.pg_dir), "-m", mode, "-w", "-t", "60", "stop")
        self.pg_running = False

    # Redis
    def redis_start(self) -> None:
        self.refuse_if_closed()
        subprocess.run(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--daemonize", "yes",
             "--pidfile", str(self.tmp / "redis.pid"), "--dir", str(self.tmp),
             "--logfile", str(self.tmp / "redis.log")],
            check=True, capture_output=True,
        )  # fmt: skip
        for _ in range(100):
            if self.redis_ping():
                self.redis_running = True
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def redis_ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def redis_kill(self) -> None:
        pidfile = self.tmp / "redis.pid"
        pid = int(pidfile.read_text()) if pidfile.exists() else None
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            for _ in range(100):
                if not Path(f"/proc/{pid}").exists():
                    break
                time.sleep(0.05)
            pidfile.unlink(missing_ok=True)
        self.redis_running = False

    # gunicorn, the Celery worker and beat: each in its own process group
    def start(self, name: str) -> None:
        self.refuse_if_closed()
        commands = {
            "gunicorn": [
                str(BIN / "gunicorn"), "tppo.wsgi:application",
                "--bind", f"127.0.0.1:{self.http_port}", "--worker-class", "gthread",
                "--workers", "2", "--threads", "4", "--timeout", "60",
                "--log-level", "warning",
            ],
            "worker": [
                str(BIN / "celery"), "-A", "tppo", "worker", "-l", "info",
                "--concurrency", "1", "-n", "chaos@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            "beat": [
                str(BIN / "celery"), "-A", "tppo", "beat", "-l", "info",
                "-s", str(self.beat_dir / "celerybeat-schedule"),
                "--pidfile", str(self.beat_dir / "beat.pid"),
            ],
        }  # fmt: skip
        self.beat_dir.mkdir(exist_ok=True)
        with (LOGS / f"{name}.log").open("a") as out:
            self.procs[name] = subprocess.Popen(
                commands[name],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if name == "gunicorn":
            self.wait_http()

    def wait_http(self, seconds: float = 60) -> None:
        import http.client

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status in (200, 503):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer")

    def running(self, name: str) -> bool:
        proc = self.procs.get(name)
        return proc is not None and proc.poll() is None

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        proc = self.procs.get(name)
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        # A SIGKILLed prefork worker's children belong to the same group: none survives.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    def kill_gunicorn_worker(self) -> int | None:
        import psutil

        children = psutil.Process(self.procs["gunicorn"].pid).children()
        if not children:
            return None
        victim = random.choice(children)
        victim.send_signal(signal.SIGKILL)
        return victim.pid

    def close(self) -> None:
        self.closed = True
        for name in ("beat", "worker", "gunicorn"):
            self.stop(name, signal.SIGTERM, timeout=20)
        self.redis_kill()
        if self.pg_dir.exists() and (self.pg_dir / "postmaster.pid").exists():
            self.pg("pg_ctl", "-D", str(self.pg_dir), "-m", "fast", "-w", "stop", check=False)
        for name in ("pg.log", "redis.log"):
            if (self.tmp / name).exists():
                shutil.copy(self.tmp / name, LOGS / name)


# --- The clients -------------------------------------------------------------------------------


@dataclass
class Record:
    """What a client knows of one case it created (through the API or the page)."""

    door: str  # "api" or "page"
    agency: int
    external_ref: str
    id: int | None = None
    version: int | None = None
    summary: str | None = None
    acked: bool = False  # a 201/200 (API) or the redirect to the case (page) was seen
    in_doubt: bool = False  # a later update got no usable answer: the version is unknown


@dataclass
class Run:
    base: str
    started: float = field(default_factory=time.monotonic)
    wall_started: float = field(default_factory=time.time)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: list[tuple[float, str, float, str]] = field(
        default_factory=list
    )  # t, kind, ms, outcome
    records: list[Record] = field(default_factory=list)
    problems: Counter = field(default_factory=Counter)
    faults: list[dict] = field(default_factory=list)
    hard_stop: threading.Event = field(default_factory=threading.Event)
    updates_acked: int = 0

    def now(self) -> float:
        return time.monotonic() - self.started

    def sample(self, t: float, kind: str, ms: float, outcome: str) -> None:
        with self.lock:
            self.samples.append((t, kind, ms, outcome))

    def problem(self, message: str) -> None:
        with self.lock:
            self.problems[message] += 1


def outcome_of(exc: Exception | None, status: int | None) -> str:
    if exc is not None:
        text = f"{type(exc).__name__} {exc}".lower()
        if "refused" in text:
            return "connection refused"
        if "timed out" in text or "timeout" in text:
            return "timeout"
        return "connection closed"
    if status is not None and status >= 500:
        return f"HTTP {status}"
    return "ok"


class Client(threading.Thread):
    think = 0.3

    def __init__(self, run: Run, no: int, rng_seed: int):
        super().__init__(daemon=True, name=f"client-{no}")
        import requests

        self.run_, self.no = run, no
        self.http = requests.Session()
        self.rng = random.Random(rng_seed)

    def request(self, kind: str, method: str, path: str, **kw):
        """One request: the response, or None when there was no answer (counted)."""
        t, began = self.run_.now(), time.monotonic()
        try:
            response = self.http.request(
                method, self.run_.base + path, timeout=20, allow_redirects=False, **kw
            )
        except Exception as exc:
            self.run_.sample(t, kind, (time.monotonic() - began) * 1000, outcome_of(exc, None))
            return None
        ms = (time.monotonic() - began) * 1000
        # DEBUG is off, so the cookies are Secure (and set again on every answer); the run
        # speaks plain HTTP on loopback.
        for cookie in self.http.cookies:
            cookie.secure = False
        outcome = outcome_of(None, response.status_code)
        if outcome == "ok" and response.status_code >= 400:
            outcome = f"HTTP {response.status_code}"
        self.run_.sample(t, kind, ms, outcome)
        return response

    def pause(self, seconds: float) -> None:
        self.run_.stop.wait(seconds)

    def run(self) -> None:
        while not self.run_.stop.is_set():
            try:
                self.step()
            except Exception as exc:
                self.run_.problem(f"client {self.no}: {type(exc).__name__}: {exc}"[:200])
            self.pause(self.think * self.rng.uniform(0.5, 1.5))


class ApiClient(Client):
    """A unit's system: submits, resends, updates with If-Match; resends what got no answer."""

    RETRIES = 40  # about two minutes of trying: longer than any fault of the run

    def __init__(self, run: Run, credential: dict, run_id: str):
        super().__init__(run, credential["client"], credential["client"])
        self.agency, self.regency = credential["agency"], credential["regency"]
        self.http.headers.update(
            {"Authorization": f"Token {credential['token']}", "Accept-Language": "id"}
        )
        self.run_id, self.seq, self.mine = run_id, 0, []

    def until_answered(self, kind, method, path, ok, **kw):
        """Send until an answer `ok(status)` accepts; None after RETRIES (the write is in
        doubt) or a refusal (counted as a problem)."""
        for attempt in range(self.RETRIES):
            response = self.request(
                kind if attempt == 0 else f"{kind} (resent)", method, path, **kw
            )
            if response is not None:
                if ok(response.status_code):
                    return response
                if response.status_code < 500 and response.status_code not in (408, 429):
                    return response  # a refusal: the caller decides
            self.pause(min(0.5 * 1.5**attempt, 3.0))
            if attempt > 3 and self.run_.stop.is_set() and self.run_.hard_stop.is_set():
                break
        return None

    def step(self) -> None:
        roll = self.rng.random()
        usable = [r for r in self.mine if r.acked and not r.in_doubt]
        if roll < 0.45 or not usable:
            self.submit()
        elif roll < 0.85:
            self.update(self.rng.choice(usable))
        elif roll < 0.95:
            self.read(self.rng.choice(usable))
        else:
            self.request("list", "GET", f"{CASES}?page_size=20&ordering=-id")

    def submit(self) -> None:
        self.seq += 1
        body = submission(self.run_id, self.no, self.seq, self.regency)
        body["external_ref"] = f"CHAOS-{self.run_id}-{self.no:03d}-{self.seq:05d}"
        record = Record("api", self.agency, body["external_ref"])
        with self.run_.lock:
            self.run_.records.append(record)
        self.mine.append(record)
        response = self.until_answered(
            "submit", "POST", CASES, lambda s: s in (200, 201), json=body
        )
        if response is None:
            return
        if response.status_code not in (200, 201):
            self.run_.problem(f"submit refused: HTTP {response.status_code}")
            return
        data = response.json()
        record.id, record.version, record.summary = data["id"], data["version"], data["summary"]
        record.acked = True
        if self.rng.random() < 0.3:  # the unit's system resends the same case on purpose
            again = self.until_answered(
                "submit (same body again)", "POST", CASES, lambda s: s == 200, json=body
            )
            if again is None:
                return
            d = again.json() if again.status_code == 200 else {}
            if (again.status_code, d.get("id"), d.get("version")) != (
                200,
                record.id,
                record.version,
            ):
                self.run_.problem(
                    f"resend of a stored case answered HTTP {again.status_code} "
                    f"id {d.get('id')} (stored {record.id})"
                )

    def update(self, record: Record) -> None:
        path = f"{CASES}{record.id}/"
        expected = record.version + 1
        summary = f"Uji kekacauan: klien {self.no}, perubahan ke-{expected}."
        record.in_doubt = True
        response = self.until_answered(
            "update",
            "PATCH",
            path,
            lambda s: s == 200,
            json={"summary": summary},
            headers={"If-Match": f'"{record.version}"'},
        )
        if response is None:
            return
        if response.status_code == 412:
            # Refused as stale: right only if an earlier attempt, whose answer was lost, is
            # what moved the version on. Read the case to know.
            current = self.until_answered("read", "GET", path, lambda s: s == 200)
            if current is None:
                return
            data = current.json()
            if (data["version"], data["summary"]) != (expected, summary):
                self.run_.problem(
                    f"update refused as stale but the case holds version {data['version']}"
                )
                return
        elif response.status_code != 200:
            self.run_.problem(f"update refused: HTTP {response.status_code}")
            return
        else:
            data = response.json()
        record.version, record.summary, record.in_doubt = data["version"], data["summary"], False
        with self.run_.lock:
            self.run_.updates_acked += 1

    def read(self, record: Record) -> None:
        response = self.request("read", "GET", f"{CASES}{record.id}/")
        if response is not None and response.status_code == 200:
            data = response.json()
            if (data["version"], data["summary"]) != (record.version, record.summary):
                self.run_.problem(
                    f"read version {data['version']}, the client was acknowledged {record.version}"
                )


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CREATED = re.compile(r"/kasus/(\d+)/$")


class PageClient(Client):
    """An officer in a browser: signs in, reads the dashboard, searches the case list and
    creates cases through the form. A create whose answer is lost is not resent (the page
    has no one-time key yet: issue #14.1); its case is 'in doubt'."""

    think = 0.5

    def __init__(self, run: Run, credential: dict, run_id: str):
        super().__init__(run, 900, 900)
        self.credential, self.run_id, self.seq = credential, run_id, 0
        self.signed_in = False

    def form_token(self, path: str) -> str | None:
        response = self.request(f"page {path.strip('/') or 'home'} (form)", "GET", path)
        if response is None or response.status_code != 200:
            return None
        match = CSRF.search(response.text)
        return match.group(1) if match else None

    def sign_in(self) -> None:
        self.http.cookies.clear()
        token = self.form_token("/masuk/")
        if token is None:
            return
        response = self.request(
            "page sign-in",
            "POST",
            "/masuk/",
            data={
                "csrfmiddlewaretoken": token,
                "username": self.credential["username"],
                "password": self.credential["password"],
            },
        )
        self.signed_in = response is not None and response.status_code == 302

    def step(self) -> None:
        if not self.signed_in:
            self.sign_in()
            return
        roll = self.rng.random()
        if roll < 0.35:
            response = self.request("page dashboard", "GET", "/")
        elif roll < 0.7:
            term = self.rng.choice(["LP/B", "TPPO-", "UJI"])
            response = self.request("page case search", "GET", "/kasus/", params={"search": term})
        else:
            response = self.create()
        if (
            response is not None
            and response.status_code == 302
            and "/masuk/" in (response.headers.get("Location", ""))
        ):
            self.signed_in = False  # the session was lost (never expected: counted below)
            self.run_.problem("page client sent back to the sign-in page")

    def create(self):
        token = self.form_token("/kasus/baru/")
        if token is None:
            return None
        self.seq += 1
        ref = f"CHAOS-{self.run_id}-PAGE-{self.seq:05d}"
        regency = self.credential["regency"]
        data = {
            "csrfmiddlewaretoken": token,
            "regency": regency,
            "police_report_no": f"LP/B/{self.seq}/UJI-HALAMAN",
            "external_ref": ref,
            "reported_on": "2026-10-02",
            "occurred_from": "2026-09-01",
            "occurred_to": "",
            "summary": f"Uji kekacauan lewat halaman, kasus {self.seq}.",
            "labour_sector": "",
            "recruiter_relation": "",
            "transnational": "false",
            "destination_country": "",
            "complicity": "unknown",
            "simfoni_id": "",
            "stage": "PENGADUAN",
            "exploitation_types": ["KERJA_PAKSA"],
            "recruitment_modus": ["PMI_NONPROSEDURAL"],
            "means_of_control": ["DOKUMEN_DITAHAN"],
            "victims-TOTAL_FORMS": "1",
            "victims-INITIAL_FORMS": "0",
            "victims-MIN_NUM_FORMS": "0",
            "victims-MAX_NUM_FORMS": "1000",
            "victims-0-sex": "L",
            "victims-0-age_at_identification": "30",
            "victims-0-age_at_exploitation": "30",
            "victims-0-nationality": "IDN",
            "victims-0-home_regency": regency,
            "victims-0-status": "TERIDENTIFIKASI",
            "victims-0-full_name": f"Korban Halaman {self.seq}",
            "victims-0-nik": f"63900{self.seq:011d}",
            "perpetrators-TOTAL_FORMS": "0",
            "perpetrators-INITIAL_FORMS": "0",
            "perpetrators-MIN_NUM_FORMS": "0",
            "perpetrators-MAX_NUM_FORMS": "1000",
        }
        record = Record("page", self.credential["agency"], ref)
        with self.run_.lock:
            self.run_.records.append(record)
        response = self.request("page case create", "POST", "/kasus/baru/", data=data)
        if response is None:
            return None
        found = CREATED.search(response.headers.get("Location", ""))
        if response.status_code == 302 and found:
            record.id, record.acked = int(found.group(1)), True
        elif response.status_code == 400:
            self.run_.problem("page create refused (400): the form data no longer fits")
        return response


# --- Faults --------------------------------------------------------------------------------


def fault_loop(run: Run, stack: Stack, args) -> None:
    try:
        _fault_loop(run, stack, args)
    except RuntimeError:
        if not stack.closed:
            raise  # else: interrupted; the stack is being stopped


def _fault_loop(run: Run, stack: Stack, args) -> None:
    order = args.faults
    i = 0
    while order and not run.stop.wait(args.fault_every if i else args.fault_every / 2):
        if run.now() > args.duration - 5:
            break
        name = order[i % len(order)]
        i += 1
        t0 = run.now()
        note = ""
        if name == "gunicorn":
            pid = stack.kill_gunicorn_worker()
            note = f"SIGKILL worker {pid}"
        elif name == "celery":
            stack.stop("worker", signal.SIGKILL)
            time.sleep(1)
            stack.start("worker")
            note = "SIGKILL worker and its pool, started again"
        elif name == "postgres":
            stack.pg_stop("fast")
            time.sleep(args.pg_down)
            stack.pg_start()
            note = f"fast stop, {args.pg_down:.0f} s down, start"
        elif name == "redis":
            stack.redis_kill()
            time.sleep(args.redis_down)
            stack.redis_start()
            note = f"SIGKILL, {args.redis_down:.0f} s down, start (empty)"
        with run.lock:
            run.faults.append({"fault": name, "start": t0, "end": run.now(), "note": note})
        log(f"fault {name}: {note} ({run.now() - t0:.1f} s)")


def beat_stops(run: Run, stack: Stack, args) -> None:
    try:
        _beat_stops(run, stack, args)
    except RuntimeError:
        if not stack.closed:
            raise  # else: interrupted; the stack is being stopped


def _beat_stops(run: Run, stack: Stack, args) -> None:
    """Stop beat 7 s before a due minute of the catch-up task and start it 6 s after; then
    look for beat sending the missed task (it keeps its schedule file, so it catches up)."""
    first = True
    while not run.stop.is_set():
        now = time.time()
        boundary = (int(now) // 60 + 1) * 60
        # The first stop spans beat's first due minute, however close: the month's work is
        # then left to beat's catching up. Later stops leave beat a little time first.
        if boundary - now < (2 if first else 12):
            boundary += 60
        if run.now() + (boundary - now) + 8 > args.duration:
            return
        first = False
        if run.stop.wait(max(0.0, boundary - 7 - time.time())):
            return
        t0, stopped_at = run.now(), time.time()
        stack.stop("beat", signal.SIGTERM)
        time.sleep(max(0.0, boundary + 6 - time.time()))
        beat_log = LOGS / "beat.log"
        seen = beat_log.read_text().count("Sending due task monthly-work-catch-up")
        stack.start("beat")
        caught_up = None
        for _ in range(100):
            time.sleep(0.1)
            if beat_log.read_text().count("Sending due task monthly-work-catch-up") > seen:
                caught_up = run.now()
                break
        hhmmss = lambda t: time.strftime("%H:%M:%S", time.localtime(t))  # noqa: E731
        note = (
            f"stopped {hhmmss(stopped_at)}, due {hhmmss(boundary)}, started "
            f"{hhmmss(boundary + 6)}; "
        )
        if caught_up is not None:
            note += "on start it sent the missed catch-up task"
        else:
            note += "the missed task was NOT sent within 10 s of the start"
            run.problem("beat did not send the missed catch-up task after its restart")
        with run.lock:
            run.faults.append({"fault": "beat", "start": t0, "end": run.now(), "note": note})
        log(f"fault beat: {note}")
        # At most one stop in every two due minutes.
        if run.stop.wait(60):
            return


# --- Setup and reconciliation (run inside the stack's database) -------------------------------

SETUP_CODE = """
import json, secrets
from agencies.models import Agency, Role, User
from agencies.services import issue_token
from reports.models import MonthlySummary, ReturnReminder
from reports.selectors import reporting_units
from reports.services import last_closed_month
for unit in reporting_units():
    unit.email = f"unit-{{unit.pk}}@chaos.invalid"
    unit.save(update_fields=["email"])
units = list(Agency.objects.filter(kind="UNIT_PPA", regency__isnull=False).order_by("regency_id"))
out = {{"api": [], "period": last_closed_month().isoformat()}}
for i in range({clients}):
    agency = units[i % len(units)]
    user = User.objects.create_user(f"kacau{{i:03d}}", role=Role.UNIT, agency=agency)
    out["api"].append({{"client": i, "agency": agency.pk, "regency": agency.regency_id,
                       "token": issue_token(user=user).key}})
agency = units[-1]
password = secrets.token_urlsafe(18)
User.objects.create_user("kacau_halaman", password=password, role=Role.UNIT, agency=agency)
out["page"] = {{"username": "kacau_halaman", "password": password, "agency": agency.pk,
               "regency": agency.regency_id}}
period = last_closed_month()
out["before"] = {{"summaries": MonthlySummary.objects.filter(period=period).count(),
                 "reminders": ReturnReminder.objects.filter(period=period).count()}}
print(json.dumps(out))
"""

STATE_CODE = """
import json
from collections import defaultdict
from django.db.models import Count
from agencies.models import Regency
from cases.models import Case
from core.models import Counter
from reports.models import MonthlySummary, ReturnReminder, UnitReturn
from reports.selectors import reporting_units
from reports.services import last_closed_month
from victims.models import Victim
period = last_closed_month()
rows = list(Case.objects.filter(external_ref__startswith="CHAOS-").values_list(
    "id", "reporting_agency_id", "external_ref", "version", "summary"))
numbers = defaultdict(list)
for no in Case.objects.values_list("register_no", flat=True):
    series, _, seq = no.rpartition("-")
    numbers[series].append(int(seq))
for code in Victim.objects.values_list("code", flat=True):
    series, _, seq = code.rpartition("-")
    numbers[series].append(int(seq))
counters = dict(Counter.objects.values_list("key", "last"))
gaps = {}
for series, seqs in numbers.items():
    if sorted(seqs) != list(range(1, counters.get(series, 0) + 1)):
        gaps[series] = {"numbers": len(seqs), "distinct": len(set(seqs)),
                        "counter": counters.get(series)}
summaries = list(MonthlySummary.objects.filter(period=period).values_list(
    "regency_id", "version", "built_at"))
owed = list(reporting_units().exclude(returns__period=period).values_list("pk", "email"))
print(json.dumps({
    "period": period.isoformat(),
    "cases": [dict(zip(("id", "agency", "external_ref", "version", "summary"), r)) for r in rows],
    "total_cases": Case.objects.count(),
    "without_victims": Case.objects.annotate(n=Count("victim_links")).filter(n=0).count(),
    "series": len(numbers),
    "gaps": gaps,
    "summaries": [[r, v, b.timestamp()] for r, v, b in summaries],
    "regencies": Regency.objects.count(),
    "owed": owed,
    "reminders": list(ReturnReminder.objects.filter(period=period).values_list("agency_id", flat=True)),
    "reminded_at": [t.timestamp() for t in ReturnReminder.objects.filter(period=period)
                    .values_list("sent_at", flat=True)],
}))
"""


def shell(env: dict, code: str) -> dict:
    return json.loads(manage(env, "shell", "-v", "0", "-c", code).strip().splitlines()[-1])


def mails_by_recipient(mail_dir: Path) -> Counter:
    sent: Counter = Counter()
    for path in sorted(mail_dir.glob("*")) if mail_dir.exists() else []:
        with path.open("rb") as fh:
            # The file backend writes each message followed by a line of 79 dashes.
            chunks = fh.read().split(b"\n" + b"-" * 79 + b"\n")
        for chunk in chunks:
            if not chunk.strip():
                continue
            from io import BytesIO

            message = message_from_binary_file(BytesIO(chunk))
            for to in (message.get("To") or "").split(","):
                if to.strip():
                    sent[to.strip()] += 1
    return sent


@dataclass
class Check:
    acked: int = 0
    found_once: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    in_doubt_stored: int = 0
    in_doubt_absent: int = 0
    unknown: list[str] = field(default_factory=list)


def reconcile(records: list[Record], rows: list[dict]) -> Check:
    """Every acknowledged case exactly once, with what its client last saw acknowledged."""
    check = Check()
    by_key: dict[tuple[int, str], list[dict]] = {}
    for row in rows:
        by_key.setdefault((row["agency"], row["external_ref"]), []).append(row)
    check.duplicated = sorted(ref for (_a, ref), found in by_key.items() if len(found) > 1)
    sent = {(r.agency, r.external_ref) for r in records}
    check.unknown = sorted(ref for key, _f in by_key.items() if key not in sent for ref in [key[1]])
    for record in records:
        found = by_key.get((record.agency, record.external_ref), [])
        if not record.acked:
            if found:
                check.in_doubt_stored += 1
            else:
                check.in_doubt_absent += 1
            continue
        check.acked += 1
        if not found:
            check.lost.append(record.external_ref)
            continue
        if len(found) == 1:
            check.found_once += 1
        row = found[0]
        if row["id"] != record.id:
            check.mismatched.append(f"{record.external_ref}: id {row['id']}, acked {record.id}")
        elif record.door == "api" and not record.in_doubt:
            if (row["version"], row["summary"]) != (record.version, record.summary):
                check.mismatched.append(
                    f"{record.external_ref}: version {row['version']}, acked {record.version}"
                )
    return check


def error_table(run: Run) -> tuple[list[str], Counter]:
    """Requests and errors (by kind) in each fault's window (from 2 s before its start, for the
    requests under way, to 5 s after its end), and outside any."""
    lines = ["| fault | injected | requests in window | errors by kind |", "|---|---:|---:|---|"]
    outside: Counter = Counter()
    # A request in the windows of several faults counts for the one that began last, beat
    # (which no web request depends on) only when no other fault was under way.
    windows = sorted(
        ((f["start"] - 2, f["end"] + 5, f["fault"]) for f in run.faults),
        key=lambda w: (w[2] != "beat", w[0]),
        reverse=True,
    )
    per_fault: dict[str, Counter] = {}
    requests: Counter = Counter()
    for t, _kind, _ms, outcome in run.samples:
        hit = [name for start, end, name in windows if start <= t <= end]
        for name in hit[:1]:
            requests[name] += 1
            if outcome != "ok":
                per_fault.setdefault(name, Counter())[outcome] += 1
        if not hit and outcome != "ok":
            outside[outcome] += 1
    injected = Counter(f["fault"] for f in run.faults)
    for name in ["gunicorn", "postgres", "celery", "redis", "beat"]:
        if injected[name]:
            errors = ", ".join(f"{k} x{n}" for k, n in per_fault.get(name, Counter()).most_common())
            lines.append(f"| {name} | {injected[name]} | {requests[name]} | {errors or 'none'} |")
    errors = ", ".join(f"{k} x{n}" for k, n in outside.most_common())
    lines.append(f"| (outside any fault) | | | {errors or 'none'} |")
    return lines, outside


def request_table(run: Run, seconds: float) -> list[str]:
    lines = [
        "| requests | count | errors | median ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    kinds = sorted({s[1] for s in run.samples})
    for kind in [*kinds, "all"]:
        rows = [s for s in run.samples if kind in ("all", s[1])]
        times = sorted(s[2] for s in rows)
        bad = sum(1 for s in rows if s[3] != "ok")
        lines.append(
            f"| {kind} | {len(rows)} | {bad} | {percentile(times, 50):.0f} | "
            f"{percentile(times, 95):.0f} | {times[-1] if times else 0:.0f} |"
        )
    lines.append(f"\n{len(run.samples)} requests in {seconds:.0f} s.")
    return lines


# --- The run --------------------------------------------------------------------------------


def wait_for_month(env: dict, seconds: float) -> dict:
    """Poll until last month's summaries exist and every owing unit was reminded (beat's
    catch-up, every minute, does it), or `seconds` pass. Returns the last state seen."""
    deadline = time.monotonic() + seconds
    while True:
        state = shell(env, STATE_CODE)
        owed = {pk for pk, _email in state["owed"]}
        if len(state["summaries"]) >= 28 and owed <= set(state["reminders"]):
            return state
        if time.monotonic() > deadline:
            return state
        time.sleep(3)


def catch_up_through_broker(stack: Stack, timeout: float = 60) -> str | None:
    """Send the catch-up task once more through the broker and wait for the worker to report
    it (it must find nothing to do). Returns what the worker said it did."""
    worker_log = LOGS / "worker.log"
    pattern = re.compile(r"monthly_work_catch_up_task\[[^\]]+\] succeeded in [\d.]+s: (.*)")
    before = len(pattern.findall(worker_log.read_text()))
    manage(
        stack.env,
        "shell",
        "-v",
        "0",
        "-c",
        "from reports.tasks import monthly_work_catch_up_task as t; t.delay()",
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = pattern.findall(worker_log.read_text())
        if len(found) > before:
            return found[-1]
        time.sleep(0.5)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument("--fault-every", type=float, default=15, help="seconds between faults")
    parser.add_argument(
        "--faults", default=",".join(FAULTS), help="which faults, in this order, in turn"
    )
    parser.add_argument("--no-beat-stop", action="store_true", help="do not stop beat")
    parser.add_argument("--clients", type=int, default=4, help="API clients")
    parser.add_argument("--no-page-client", action="store_true")
    parser.add_argument("--cases", type=int, default=100, help="demo cases seeded first")
    parser.add_argument("--pg-down", type=float, default=3, help="seconds PostgreSQL is down")
    parser.add_argument("--redis-down", type=float, default=2, help="seconds Redis is down")
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--redis-port", type=int, default=56379)
    parser.add_argument("--settle", type=float, default=150, help="max seconds for the month")
    args = parser.parse_args(argv)
    args.faults = [f for f in args.faults.split(",") if f]
    if not 5 <= args.duration <= 1800 or not 1 <= args.clients <= 20:
        parser.error("--duration must be 5..1800 seconds and --clients 1..20")
    if set(args.faults) - set(FAULTS):
        parser.error(f"--faults: choose from {','.join(FAULTS)}")
    why = available()
    if why:
        print(f"chaos run not possible here: {why}")
        return 2

    LOGS.mkdir(parents=True, exist_ok=True)
    for old in LOGS.glob("*.log"):
        old.unlink()
    tmp = Path(tempfile.mkdtemp(prefix="tppo-chaos-"))
    stack = Stack(tmp, args)
    run_id = str(int(time.time()))
    run: Run | None = None
    helpers: list[threading.Thread] = []
    failed: list[str] = []

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    try:
        log(f"PostgreSQL cluster in {tmp} on 127.0.0.1:{stack.pg_port} ({stack.pg_bin})")
        stack.pg_init()
        stack.redis_start()
        log(f"Redis on 127.0.0.1:{stack.redis_port} (broker db 9, cache db 10, no persistence)")
        manage(stack.env, "migrate", "--noinput", "-v", "0")
        manage(stack.env, "seed_demo", "--cases", str(args.cases), "--allow-production", "-v", "0")
        setup = shell(stack.env, SETUP_CODE.format(clients=args.clients))
        log(
            f"seeded {args.cases} demo cases; {args.clients} API clients and a page client; "
            f"last month {setup['period'][:7]}: {setup['before']['summaries']} summaries, "
            f"{setup['before']['reminders']} reminders before the run"
        )
        stack.start("gunicorn")
        stack.start("worker")
        stack.start("beat")
        log(f"gunicorn (2 gthread workers) on 127.0.0.1:{stack.http_port}, worker and beat up")

        run = Run(base=f"http://127.0.0.1:{stack.http_port}")
        clients: list[Client] = [ApiClient(run, c, run_id) for c in setup["api"]]
        if not args.no_page_client:
            clients.append(PageClient(run, setup["page"], run_id))
        helpers.append(threading.Thread(target=fault_loop, args=(run, stack, args), daemon=True))
        if not args.no_beat_stop:
            helpers.append(
                threading.Thread(target=beat_stops, args=(run, stack, args), daemon=True)
            )
        for thread in [*clients, *helpers]:
            thread.start()
        while run.now() < args.duration:
            time.sleep(min(10, max(0.1, args.duration - run.now())))
            bad = sum(1 for s in run.samples if s[3] != "ok")
            log(f"{run.now():4.0f} s: {len(run.samples)} requests, {bad} errors, "
                f"{len(run.faults)} faults, load {os.getloadavg()[0]:.1f}")  # fmt: skip
        run.stop.set()
        seconds = run.now()
        for thread in helpers:
            thread.join(timeout=90)
        # Clients finish what they are sending (a resend until answered); then hard stop.
        for thread in clients:
            thread.join(timeout=60)
        run.hard_stop.set()
        for thread in clients:
            thread.join(timeout=30)
            if thread.is_alive():
                failed.append(f"{thread.name} still sending after the run")
        for name in ("gunicorn", "worker", "beat"):
            if not stack.running(name):
                failed.append(f"{name} was not running at the end")
        log("load stopped; waiting for last month's summaries and reminders (beat's catch-up)")
        settle_began = time.monotonic()
        state = wait_for_month(stack.env, args.settle)
        settled = time.monotonic() - settle_began
        again = catch_up_through_broker(stack)
        state = shell(stack.env, STATE_CODE)
        mails = mails_by_recipient(stack.mail_dir)
    except KeyboardInterrupt as exc:
        print(f"interrupted: {exc}")
        return 130
    finally:
        # A fault under way (PostgreSQL or Redis down, beat stopped) ends before the stack is
        # stopped; once closed, nothing can be started again.
        stack.closed = True
        if run is not None:
            run.stop.set()
            run.hard_stop.set()
        for thread in helpers:
            thread.join(timeout=30)
        stack.close()
        shutil.rmtree(tmp, ignore_errors=True)

    # --- The report ---
    def when(stamps) -> str:
        offsets = sorted(t - run.wall_started for t in stamps)
        if not offsets:
            return "never"
        return f"+{offsets[0]:.0f} s" + (
            f"..+{offsets[-1]:.0f} s" if offsets[-1] - offsets[0] >= 1 else ""
        )

    check = reconcile(run.records, state["cases"])
    by_door = Counter(r.door for r in run.records if r.acked)
    updates_acked = run.updates_acked
    print()
    print("\n".join(request_table(run, seconds)))
    print()
    table, _outside = error_table(run)
    print("\n".join(table))
    print()
    for fault in sorted(run.faults, key=lambda f: f["start"]):
        print(f"  +{fault['start']:5.1f} s  {fault['fault']:<9} {fault['note']}")
    regencies = state["regencies"] or 13
    expected_summaries = (regencies + 1) * 2
    summary_keys = Counter((r, v) for r, v, _b in state["summaries"])
    owed = dict(state["owed"])
    reminded = Counter(state["reminders"])
    mail_counts = [mails.get(email, 0) for email in owed.values()]
    twice = [pk for pk, email in owed.items() if mails.get(email, 0) > 1 or reminded[pk] > 1]
    missing = [pk for pk, email in owed.items() if mails.get(email, 0) == 0]
    print()
    print("| check | result |")
    print("|---|---|")
    rows = [
        ("acknowledged submissions (API 201/200)", by_door["api"]),
        ("acknowledged creates (page redirect to the case)", by_door["page"]),
        (
            "acknowledged updates (PATCH 200, or 412 after a lost answer that had applied)",
            updates_acked,
        ),
        ("acknowledged cases found exactly once", f"{check.found_once} of {check.acked}"),
        ("lost", len(check.lost)),
        ("duplicated", len(check.duplicated)),
        ("version/value not the last acknowledged", len(check.mismatched)),
        ("unknown cases (never sent)", len(check.unknown)),
        (
            "sent without an answer: stored / not stored",
            f"{check.in_doubt_stored} / {check.in_doubt_absent}",
        ),
        (
            "cases without victims (of all cases)",
            f"{state['without_victims']} of {state['total_cases']}",
        ),
        ("numbering series with a gap or a repeat", f"{len(state['gaps'])} of {state['series']}"),
        (
            f"summaries of {state['period'][:7]} (province + {regencies} regencies, 2 versions)",
            f"{len(summary_keys)} of {expected_summaries}, repeated {sum(n > 1 for n in summary_keys.values())}",
        ),
        (
            "units owing the return / reminded once / not reminded / reminded twice or more",
            f"{len(owed)} / {sum(1 for n in mail_counts if n == 1)} / {len(missing)} / {len(twice)}",
        ),
        ("reminder mails in all", sum(mails.values())),
        (
            "faults injected",
            ", ".join(f"{k} {n}" for k, n in Counter(f["fault"] for f in run.faults).items())
            or "none",
        ),
        (
            "summaries built / reminders sent (seconds into the run)",
            f"{when(b for _r, _v, b in state['summaries'])} / {when(state['reminded_at'])}",
        ),
        ("month complete after the load (beat's catch-up)", f"{settled:.0f} s"),
        ("catch-up sent through the broker at the end did", again or "no answer from the worker"),
        ("logical problems seen by the clients", sum(run.problems.values())),
    ]
    for name, value in rows:
        print(f"| {name} | {value} |")
    for message, n in run.problems.most_common(10):
        print(f"  problem x{n}: {message}")
    for item in [*check.lost[:5], *check.duplicated[:5], *check.mismatched[:5]]:
        print(f"  case: {item}")
    for series, info in list(state["gaps"].items())[:5]:
        print(f"  series {series}: {info}")
    failed += [
        *(["lost writes"] if check.lost else []),
        *(["duplicated writes"] if check.duplicated else []),
        *(["mismatched versions"] if check.mismatched else []),
        *(["unknown cases"] if check.unknown else []),
        *(["cases without victims"] if state["without_victims"] else []),
        *(["gaps in numbering"] if state["gaps"] else []),
        *(["summaries missing"] if len(summary_keys) < expected_summaries else []),
        *(["reminders missing"] if missing else []),
        *(["reminders sent twice"] if twice else []),
        *(["no acknowledged write"] if not check.acked else []),
        *(["client problems"] if run.problems else []),
        *(["the final catch-up did not run"] if again is None else []),
    ]
    print(f"\nLogs: {LOGS.relative_to(ROOT)}/")
    print("RESULT: " + ("FAILED: " + "; ".join(failed) if failed else "OK"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
