"""Clients and payloads for the API tests."""

from itertools import count

from rest_framework.test import APIClient

from agencies.models import ApiToken
from agencies.services import issue_token

_numbers = count(1)


def api_client(user=None, **headers) -> APIClient:
    """A client authenticated the way unit systems are: `Authorization: Token <key>`."""
    client = APIClient(**headers)
    if user is not None:
        token = ApiToken.objects.filter(user=user).first() or issue_token(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def nik() -> str:
    return f"6371{next(_numbers) + 500000:012d}"


def victim_payload(**overrides) -> dict:
    data = {
        "sex": "P",
        "age": 22,
        "age_at_exploitation": 21,
        "nationality": "IDN",
        "home_regency": "6371",
        "status": "TERIDENTIFIKASI",
        "identity": {
            "full_name": "Siti Rahmawati",
            "nik": nik(),
            "birth_date": "2004-03-01",
            "phone": "081234567890",
            "address": "Jl. Veteran No. 1, Banjarmasin",
        },
    }
    data.update(overrides)
    return data


def case_payload(n_victims: int = 1, **overrides) -> dict:
    data = {
        "external_ref": f"LP-UNIT-{next(_numbers)}",
        "regency": "6371",
        "police_report_no": "LP/B/123/III/2026/SPKT",
        "reported_on": "2026-03-02",
        "occurred_from": "2026-01-10",
        "occurred_to": "2026-02-20",
        "summary": "Korban direkrut untuk bekerja di tempat karaoke.",
        "exploitation_types": ["SEKS_PROSTITUSI"],
        "recruitment_modus": ["PEMANDU_LAGU_TERAPIS"],
        "means_of_control": ["JERATAN_UTANG"],
        "transnational": False,
        "victims": [victim_payload() for _ in range(n_victims)],
        "perpetrators": [
            {"kind": "ORANG", "name": "Budi Santoso", "sex": "L", "roles": ["PEREKRUT"]}
        ],
    }
    data.update(overrides)
    return data


def keys_in(data) -> set[str]:
    """Every key anywhere in a JSON document."""
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in keys_in(v)}
    if isinstance(data, list):
        return {k for item in data for k in keys_in(item)}
    return set()
