#!/usr/bin/env python3
"""A minimal client for the SI-TPPO API, for a police unit's own system.

Standard library only (Python 3.9+). It shows the three things a unit's system must get
right: submitting a case so that retries never duplicate it, updating a case based on the
version it read, and syncing incrementally with `updated_since`.

    python unit_client.py --base-url https://tppo.example.go.id --token <KEY> demo
    python unit_client.py --base-url http://127.0.0.1:8000 --token <KEY> sync --since 2026-03-01T00:00:00+08:00

The token comes from the system administrator (`manage.py issue_token <username>`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date

RETRY_STATUSES = {429, 502, 503, 504}


class ApiError(Exception):
    """An answer the client should not retry: 4xx (but 429) and the final failure."""

    def __init__(self, status: int, body: dict):
        super().__init__(f"HTTP {status}: {body.get('detail')} {body.get('errors', '')}")
        self.status = status
        self.body = body


class Client:
    def __init__(self, base_url: str, token: str, *, attempts: int = 5, timeout: float = 30):
        if not base_url.startswith(("https://", "http://")):
            raise ValueError("base_url must start with https:// (or http:// for a test server)")
        self.base_url = base_url.rstrip("/") + "/api/v1/"
        self.token = token
        self.attempts = attempts
        self.timeout = timeout

    def request(
        self, method: str, path: str, body: dict | None = None, *, headers: dict | None = None
    ) -> tuple[int, dict, dict]:
        """Send a request; retry on network errors, 429 (after Retry-After) and 502-504.

        Retrying a POST /cases/ is safe because of `external_ref`; retrying a PATCH is safe
        because of `version` (a replay of an applied PATCH gets 409, never a second write).
        """
        url = path if path.startswith("http") else self.base_url + path.lstrip("/")
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {
            "Authorization": f"Token {self.token}",
            "Accept": "application/json",
            "Accept-Language": "id",
            **({"Content-Type": "application/json"} if data is not None else {}),
            **(headers or {}),
        }
        for attempt in range(1, self.attempts + 1):
            request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
                url, data=data, method=method, headers=all_headers
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return response.status, dict(response.headers), json.loads(response.read())
            except urllib.error.HTTPError as error:
                payload = json.loads(error.read() or b"{}")
                if error.code in RETRY_STATUSES and attempt < self.attempts:
                    time.sleep(float(error.headers.get("Retry-After") or 2**attempt))
                    continue
                raise ApiError(error.code, payload) from None
            except (urllib.error.URLError, TimeoutError):
                if attempt == self.attempts:
                    raise
                time.sleep(2**attempt)
        raise AssertionError("unreachable")

    # --- The three operations ----------------------------------------------------------

    def submit_case(self, case: dict) -> tuple[dict, bool]:
        """Submit a case with its victims and perpetrators. Returns (case, created).

        `external_ref` must be your own unique reference: a retry with the same payload
        answers 200 with the case stored the first time; the same reference with another
        payload is a 409 (change a stored case with `update_case`)."""
        if not case.get("external_ref"):
            raise ValueError("Set external_ref: without it a retry could store the case twice.")
        status, _headers, body = self.request("POST", "cases/", case)
        return body, status == 201

    def update_case(self, case_id: int, change, *, attempts: int = 3) -> dict:
        """Apply `change(case) -> dict of fields` to the current version of a case.

        When someone else changed the case in between (409), read it again and re-apply the
        change to what is stored now: never send a blind overwrite."""
        for _ in range(attempts):
            _status, headers, case = self.request("GET", f"cases/{case_id}/")
            fields = change(case)
            try:
                _status, _headers, updated = self.request(
                    "PATCH", f"cases/{case_id}/", fields, headers={"If-Match": headers["ETag"]}
                )
                return updated
            except ApiError as error:
                if error.status not in (409, 412):
                    raise
        raise RuntimeError("The case keeps changing; try again later.")

    def sync(self, resource: str, since: str | None, **filters):
        """Every row of `resource` changed since `since` (all rows when None), page by
        page. Afterwards `self.next_since` holds the server's mark (`sync_from` of the
        first page): store it as your next `since`, never your own clock. For cases pass
        `ordering="id"`: rows then keep their place while you read the pages."""
        query = {"page_size": 200, **filters}
        if since:
            query["updated_since"] = since
        url = f"{resource}/?{urllib.parse.urlencode(query)}"
        self.next_since = None
        while url:
            _status, _headers, page = self.request("GET", url)
            self.next_since = self.next_since or page["sync_from"]
            yield from page["results"]
            url = page["next"]


def demo_case(reference: str) -> dict:
    today = date.today().isoformat()  # noqa: DTZ011 - the unit's own calendar day
    return {
        "external_ref": reference,
        "regency": "6371",
        "police_report_no": f"LP/B/{reference}/SPKT",
        "reported_on": today,
        "summary": "Contoh: korban direkrut lewat lowongan kerja palsu di media sosial.",
        "exploitation_types": ["KERJA_PAKSA"],
        "recruitment_modus": ["LOWKER_PALSU_ONLINE"],
        "means_of_control": ["JANJI_PALSU"],
        "transnational": False,
        "victims": [
            {
                "sex": "P",
                "age": 17,
                "nationality": "IDN",
                "home_regency": "6371",
                "status": "TERIDENTIFIKASI",
                "identity": {"full_name": "Contoh Korban", "nik": "6371010101080001"},
            }
        ],
        "perpetrators": [{"kind": "ORANG", "name": "Contoh Pelaku", "roles": ["PEREKRUT"]}],
    }


def demo(client: Client, out=sys.stdout) -> dict:
    """Submit, retry, update and sync one example case; returns what it saw."""
    # The server's mark before our changes (any list page carries it), not our own clock.
    _status, _headers, page = client.request("GET", "cases/?page_size=1")
    started = page["sync_from"]
    reference = f"CONTOH-{int(time.time())}"
    case, created = client.submit_case(demo_case(reference))
    print(f"submitted {case['register_no']} (created={created})", file=out)
    again, created_again = client.submit_case(demo_case(reference))
    print(f"retried   {again['register_no']} (created={created_again})", file=out)
    updated = client.update_case(case["id"], lambda current: {"status": "TINDAK_LANJUT"})
    print(f"updated   {updated['register_no']} to version {updated['version']}", file=out)
    changed = [row["register_no"] for row in client.sync("cases", started, ordering="id")]
    print(f"changed since {started}: {', '.join(changed)}", file=out)
    return {"case": case, "again": again, "updated": updated, "changed": changed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="submit, retry, update and sync an example case")
    sync = commands.add_parser("sync", help="print the cases changed since a moment")
    sync.add_argument("--since", help="ISO 8601 timestamp with offset")
    args = parser.parse_args(argv)

    client = Client(args.base_url, args.token)
    try:
        if args.command == "demo":
            demo(client)
        else:
            for row in client.sync("cases", args.since, ordering="id"):
                print(json.dumps(row, ensure_ascii=False))
            print(f"next --since {client.next_since}", file=sys.stderr)
    except ApiError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
