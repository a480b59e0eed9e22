"""Demo logins for the quick start (one per role), and the officers the demo's records are
signed by. The published demo password is set only with DEBUG on: never in production."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from faker import Faker

from agencies.models import Agency, Role, User

DEMO_PASSWORD = "demo-tppo-2026"  # noqa: S105 - a published demo password, by design

DEMO_USERS = [
    # username, role, agency name, full name
    ("admin", Role.ADMIN, "DP3AKB Provinsi Kalimantan Selatan", "Administrator Sistem"),
    ("provinsi", Role.PROVINCE, "DP3AKB Provinsi Kalimantan Selatan", "Sekretariat Gugus Tugas"),
    ("banjarmasin", Role.REGENCY, "DP3A Kota Banjarmasin", "Gugus Tugas Kota Banjarmasin"),
    (
        "ppa.banjarmasin",
        Role.UNIT,
        "Unit PPA Polresta Banjarmasin",
        "Unit PPA Polresta Banjarmasin",
    ),
    ("ppa.tanahbumbu", Role.UNIT, "Unit PPA Polres Tanah Bumbu", "Unit PPA Polres Tanah Bumbu"),
    ("analis", Role.ANALYST, "BP3MI Kalimantan Selatan", "Analis BP3MI"),
]
OFFICER_PREFIX = "petugas."


def demo_passwords_usable() -> bool:
    """The published password may be set only on a development machine (DEBUG on)."""
    return settings.DEBUG


@transaction.atomic
def demo_users_seed() -> tuple[list[User], list[User]]:
    """Create the demo logins once; a second run changes nothing. Returns (users, locked).

    With DEBUG off, no demo login gets (or keeps) the published password: new ones get an
    unusable password, and existing ones that still have it are locked (`locked`)."""
    usable = demo_passwords_usable()
    users, locked = [], []
    for username, role, agency_name, full_name in DEMO_USERS:
        user, created = _demo_user(username, role, agency_name, full_name)
        if created:
            _set_demo_password(user, usable=usable)
        elif not usable and user.has_usable_password() and user.check_password(DEMO_PASSWORD):
            _set_demo_password(user, usable=False)
            locked.append(user)
        users.append(user)
    return users, locked


def _set_demo_password(user: User, *, usable: bool) -> None:
    if usable:
        user.set_password(DEMO_PASSWORD)
    else:
        user.set_unusable_password()
    user.save(update_fields=["password"])


def _demo_user(username: str, role: str, agency_name: str, full_name: str) -> tuple[User, bool]:
    first, _, last = full_name.partition(" ")
    return User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "agency": Agency.objects.get(name=agency_name),
            "first_name": first,
            "last_name": last,
            "is_staff": role in (Role.ADMIN, Role.PROVINCE),
            "is_superuser": role == Role.ADMIN,
        },
    )


def demo_officers_seed(*, seed: int = 2026) -> dict[int, User]:
    """The officer who signs each unit's demo cases and returns, by the unit's id: the
    unit's demo login where there is one, else a demo officer made for the unit, who signs
    records but cannot sign in. Never a real user: fake records are nobody's work."""
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    logins = {agency: username for username, _r, agency, _n in DEMO_USERS}
    officers = {}
    for unit in Agency.objects.filter(kind=Agency.Kind.UNIT_PPA).order_by("pk"):
        name = fake.name()  # drawn for every unit, so each unit's officer is the same each run
        login = User.objects.filter(username=logins.get(unit.name, ""), agency=unit).first()
        officers[unit.pk] = login or _officer(unit, name)
    return officers


def _officer(unit: Agency, name: str) -> User:
    username = OFFICER_PREFIX + slugify(unit.name.removeprefix("Unit PPA "))
    first, _, last = name.partition(" ")
    officer, created = User.objects.get_or_create(
        username=username,
        defaults={"role": Role.UNIT, "agency": unit, "first_name": first, "last_name": last[:150]},
    )
    if created:
        officer.set_unusable_password()
        officer.save(update_fields=["password"])
    return officer
