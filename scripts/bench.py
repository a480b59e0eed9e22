#!/usr/bin/env python3
"""`make bench`: seed PostgreSQL databases at several sizes with the demo generator, serve
each with gunicorn, and measure the API, the pages and the monthly summaries on 127.0.0.1.

Usage: .venv/bin/python scripts/bench.py [--sizes 1000,10000,100000] [--requests 200]
       [--concurrency 8] [--out docs/benchmarks.md]

Each size gets its own database (tppo_bench_<size>), seeded once and reused by later runs
(the seed is deterministic). Only loopback traffic; every loop is bounded.

BENCH_CACHE_URL (e.g. redis://127.0.0.1:6379/15, a database the bench may empty) serves
with Redis as the cache, as in production, and adds the dashboard with a cold cache;
without it each worker caches in its own memory.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "")


def manage(db_url: str, *args: str, capture: bool = True) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "API_THROTTLE_RATE": "1000000/min",
    }
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=capture, check=True
    )
    return result.stdout if capture else ""


def shell(db_url: str, code: str) -> str:
    return manage(db_url, "shell", "-v", "0", "-c", code).strip()


def ensure_database(size: int) -> str:
    name = f"tppo_bench_{size}"
    url = f"{PG}/{name}"
    exists = subprocess.run(
        ["psql", f"{PG}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        text=True,
        capture_output=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    manage(url, "migrate", "--noinput", "-v", "0")
    count = int(shell(url, "from cases.models import Case; print(Case.objects.count())") or 0)
    seed = ("seed_demo", "--allow-production", "-v", "0")  # the bench runs with DEBUG off
    if count < size:
        started = time.monotonic()
        manage(url, *seed, "--cases", str(size - count), "--seed", "1")
        print(f"  seeded {size - count:,} cases in {time.monotonic() - started:.0f}s", flush=True)
    manage(url, *seed)  # demo users
    subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
    return url


class Server:
    def __init__(self, db_url: str, port: int, workers: int = 2):
        self.db_url, self.port, self.workers = db_url, port, workers

    def __enter__(self):
        env = {
            **os.environ,
            "DATABASE_URL": self.db_url,
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "API_THROTTLE_RATE": "1000000/min",
            "DJANGO_SETTINGS_MODULE": "scripts.bench.settings",
            "AXES_ENABLED": "0",
            **({"CACHE_URL": CACHE_URL} if CACHE_URL else {}),
        }
        self.proc = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "tppo.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=30)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


def memory_mb(pid: int, field: str) -> float:
    """VmRSS (now) or VmHWM (the peak so far) of a process, in MB."""
    found = re.search(rf"^{field}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    return int(found.group(1)) / 1024 if found else 0.0


def stream(port: int, path: str, headers: dict) -> tuple[float, int, int]:
    """Seconds, bytes and lines of one GET, read 64 kB at a time as a client saving it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    size = lines = 0
    while block := response.read(65536):
        size += len(block)
        lines += block.count(b"\n")
    conn.close()
    return time.perf_counter() - started, size, lines


def export_measure(db_url: str, port: int, headers: dict, runs: int = 3) -> dict:
    """The case list as CSV, every case, from a one-worker server: time per export and the
    worker's peak resident memory (VmHWM), next to what it held before the first export."""
    path = "/kasus/unduh.csv"
    with Server(db_url, port, workers=1) as server:
        (pid,) = server.worker_pids()
        stream(port, path + "?reported_after=2999-01-01", headers)  # loaded, nothing sent
        before = memory_mb(pid, "VmHWM")
        times = []
        for _ in range(runs):
            seconds, size, lines = stream(port, path, headers)
            times.append(seconds)
        peak = memory_mb(pid, "VmHWM")
    return sequential(times) | {
        "peak_mb": peak,
        "before_mb": before,
        "rows": lines - 1,
        "mb": size / 2**20,
    }


def sequential(times: list[float]) -> dict:
    """A row of requests sent one at a time: median and slowest (few runs: no p95)."""
    times = sorted(times)
    return {
        "n": len(times),
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": times[-1] * 1000,
        "rps": 0,
        "errors": 0,
    }


def empty_cache() -> None:
    """Empties BENCH_CACHE_URL: entries are keyed by scope and day, not by database, so one
    size must not read what another cached."""
    if CACHE_URL:
        import redis

        redis.Redis.from_url(CACHE_URL).flushdb()


def cold_dashboard(port: int, headers: dict, runs: int = 5) -> dict | None:
    """The dashboard right after the cache was emptied (as after a write, or at midnight):
    the aggregates computed again. Needs BENCH_CACHE_URL (an in-process cache cannot be
    emptied from here)."""
    if not CACHE_URL:
        return None
    times = []
    for _ in range(runs):
        empty_cache()
        seconds, _size, _lines = stream(port, "/", headers)
        times.append(seconds)
    return sequential(times)


def measure(
    port: int,
    method: str,
    path: str,
    headers: dict,
    *,
    requests: int,
    concurrency: int,
    body_for=None,
    expect=(200, 201),
) -> dict:
    """Latency (median, p95) of `requests` requests sent by `concurrency` keep-alive clients."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_client = max(1, requests // concurrency)

    def client(worker: int):
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in range(per_client):
            body = body_for(worker, i) if body_for else None
            started = time.perf_counter()
            conn.request(
                method,
                path,
                body=json.dumps(body) if body is not None else None,
                headers={**headers, **({"Content-Type": "application/json"} if body else {})},
            )
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status not in expect:
                    errors += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(client, range(concurrency)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "n": len(latencies),
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "rps": len(latencies) / wall,
        "errors": errors,
    }


def credentials(db_url: str) -> tuple[str, str, int]:
    token = manage(db_url, "issue_token", "provinsi").strip().split()[-1]
    session = shell(
        db_url,
        (
            "from importlib import import_module; from django.conf import settings;"
            "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY;"
            "u=get_user_model().objects.get(username='provinsi');"
            "s=import_module(settings.SESSION_ENGINE).SessionStore();"
            "s[SESSION_KEY]=str(u.pk); s[BACKEND_SESSION_KEY]='django.contrib.auth.backends.ModelBackend';"
            "s[HASH_SESSION_KEY]=u.get_session_auth_hash(); s.create(); print(s.session_key)"
        ),
    )
    case_id = int(
        shell(
            db_url,
            "from cases.models import Case; print(Case.objects.order_by('-id').values_list('id', flat=True)[5000 if Case.objects.count() > 6000 else 0])",
        )
    )
    return token, session, case_id


def summaries_time(db_url: str) -> tuple[float, float]:
    """Seconds and peak MB of building one month's summaries, in a fresh process."""
    code = (
        "import resource, time; from reports.services import summaries_build;"
        "t=time.perf_counter(); summaries_build(period='2026-10');"
        "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)"
    )
    out = shell(db_url, code).split()
    return float(out[-2]), float(out[-1])


def run(sizes: list[int], requests: int, concurrency: int, out: Path) -> None:
    rows = []
    for size in sizes:
        print(f"size {size:,}: preparing database", flush=True)
        url = ensure_database(size)
        token, session, case_id = credentials(url)
        api = {"Authorization": f"Token {token}", "Accept": "application/json"}
        page = {"Cookie": f"sessionid={session}"}
        port = 8600 + len(rows)
        empty_cache()
        with Server(url, port):
            checks = [
                ("API case list (50)", "GET", "/api/v1/cases/?page_size=50", api, None),
                (
                    "API case list (50, filtered)",
                    "GET",
                    "/api/v1/cases/?page_size=50&regency=6371&stage=PENYIDIKAN&exploitation_type=KERJA_PAKSA",
                    api,
                    None,
                ),
                (
                    "SQL floor: same page, one query",
                    "GET",
                    "/api/v1/_floor/cases/?page_size=50",
                    api,
                    None,
                ),
                ("API case detail", "GET", f"/api/v1/cases/{case_id}/", api, None),
                ("API case submission", "POST", "/api/v1/cases/", api, submission(size)),
                ("Dashboard page (warm cache)", "GET", "/", page, None),
                ("Case list page", "GET", "/kasus/", page, None),
            ]
            for label, method, path, headers, body_for in checks:
                n = requests if method == "GET" else max(requests // 2, concurrency)
                # Warm up, then measure.
                measure(
                    port,
                    method,
                    path,
                    headers,
                    requests=concurrency,
                    concurrency=concurrency,
                    body_for=(lambda w, i, f=body_for: f(w, i + 10_000)) if body_for else None,
                )
                result = measure(
                    port,
                    method,
                    path,
                    headers,
                    requests=n,
                    concurrency=concurrency,
                    body_for=body_for,
                )
                rows.append({"size": size, "what": label, **result})
                print(
                    f"  {label:<34} median {result['median_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms  "
                    f"{result['rps']:7.1f} req/s  errors {result['errors']}",
                    flush=True,
                )
            cold = cold_dashboard(port, page)
            if cold:
                rows.append({"size": size, "what": "Dashboard page (cold cache)", **cold})
                print(f"  dashboard, cold cache: median {cold['median_ms']:.1f} ms", flush=True)
        export = export_measure(url, port + 50, page)
        rows.append({"size": size, "what": f"Case list CSV, all {size:,} cases", **export})
        print(
            f"  CSV export: {export['rows']:,} rows, {export['mb']:.1f} MB in "
            f"{export['median_ms'] / 1000:.1f} s; worker peak {export['peak_mb']:.0f} MB "
            f"({export['before_mb']:.0f} MB before)",
            flush=True,
        )
        try:
            seconds, peak = summaries_time(url)
            rows.append(
                {
                    "size": size,
                    "what": "Monthly summaries (province + 13 regencies)",
                    "n": 1,
                    "median_ms": seconds * 1000,
                    "p95_ms": seconds * 1000,
                    "rps": 0,
                    "errors": 0,
                    "peak_mb": peak,
                }
            )
            print(f"  summaries: {seconds:.2f}s, peak {peak:.0f} MB", flush=True)
        except subprocess.CalledProcessError as exc:
            print(f"  summaries: not measured ({exc.stderr[-300:] if exc.stderr else exc})")
    write_report(rows, out, requests, concurrency)


def submission(size: int):
    run_id = int(time.time())

    def body(worker: int, i: int) -> dict:
        return {
            "external_ref": f"BENCH-{size}-{run_id}-{worker}-{i}",
            "regency": "6371",
            "reported_on": "2026-10-02",
            "occurred_from": "2026-09-01",
            "summary": "Uji beban",
            "exploitation_types": ["KERJA_PAKSA"],
            "recruitment_modus": ["PMI_NONPROSEDURAL"],
            "means_of_control": ["DOKUMEN_DITAHAN"],
            "transnational": True,
            "destination_country": "MYS",
            "victims": [{"sex": "L", "age": 25, "nationality": "IDN", "status": "TERIDENTIFIKASI"}],
            "perpetrators": [{"kind": "ORANG", "name": "Pelaku Uji", "roles": ["PEREKRUT"]}],
        }

    return body


def machine() -> str:
    found = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    cpu = found.group(1) if found else "?"
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    pg = subprocess.run(
        ["psql", f"{PG}/postgres", "-tAc", "SHOW server_version"], text=True, capture_output=True
    ).stdout.strip()
    return (
        f"{platform.node()}: {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, "
        f"Python {platform.python_version()}, PostgreSQL {pg}"
    )


def write_report(rows: list[dict], out: Path, requests: int, concurrency: int) -> None:
    lines = [
        "| cases | what | requests | median ms | p95 ms | req/s | errors |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        extra = f" (peak {r['peak_mb']:.0f} MB)" if "peak_mb" in r else ""
        lines.append(
            f"| {r['size']:,} | {r['what']}{extra} | {r['n']} | {r['median_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['rps']:.1f} | {r['errors']} |"
        )
    table = "\n".join(lines)
    print(table)
    text = out.read_text() if out.exists() else "# Benchmarks\n"
    marker_start, marker_end = "<!-- bench:start -->", "<!-- bench:end -->"
    block = (
        f"{marker_start}\nRun {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
        f"{machine()}; gunicorn with 2 workers, {concurrency} concurrent keep-alive clients, "
        f"{requests} requests per GET row.\n\n{table}\n{marker_end}"
    )
    if marker_start in text:
        text = re.sub(
            re.escape(marker_start) + ".*?" + re.escape(marker_end), block, text, flags=re.S
        )
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    out.write_text(text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    run([int(s) for s in args.sizes.split(",")], args.requests, args.concurrency, Path(args.out))
