"""Demo logins for the quick start: one per role. Never run against production data."""

from django.db import transaction

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


@transaction.atomic
def demo_users_seed() -> list[User]:
    """Create the demo users once; a second run changes nothing."""
    users = []
    for username, role, agency_name, full_name in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(
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
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users.append(user)
    return users
