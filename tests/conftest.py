"""Personas and clients shared by the whole suite (see style.md)."""

import importlib
import os

import pytest
from django.test import Client

from agencies.models import Agency, Role
from tests.factories import UserFactory

requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (set DATABASE_URL; CI does)",
)
requires_broker = pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"),
    reason="needs a Redis broker (set CELERY_BROKER_URL; CI does)",
)


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        or {"transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush the tables between tests, data migrations included:
    put the regencies and agencies back so every test starts from the seeded state."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from agencies.models import Regency

    if not Regency.objects.exists():
        seed = importlib.import_module("agencies.migrations.0002_seed_regencies_agencies").seed
        seed(apps, None)
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Requests activate their language in the test thread; start each test in the default."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures outlive a rolled-back test: every test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def agency(name: str) -> Agency:
    return Agency.objects.get(name=name)


@pytest.fixture
def unit_bjm(db):
    """A unit officer of Banjarmasin."""
    return UserFactory(role=Role.UNIT, agency=agency("Unit PPA Polresta Banjarmasin"))


@pytest.fixture
def regency_bjm(db):
    """A regency task-force officer of Banjarmasin."""
    return UserFactory(role=Role.REGENCY, agency=agency("DP3A Kota Banjarmasin"))


@pytest.fixture
def outsider(db):
    """A unit officer of Tanah Bumbu: sees nothing of Banjarmasin."""
    return UserFactory(role=Role.UNIT, agency=agency("Unit PPA Polres Tanah Bumbu"))


@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.ANALYST, agency=agency("BP3MI Kalimantan Selatan"))


@pytest.fixture
def province(db):
    return UserFactory(role=Role.PROVINCE, agency=agency("DP3AKB Provinsi Kalimantan Selatan"))


@pytest.fixture
def admin_user(db):
    return UserFactory(
        role=Role.ADMIN,
        agency=agency("DP3AKB Provinsi Kalimantan Selatan"),
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def personas(unit_bjm, regency_bjm, outsider, analyst, province, admin_user):
    return {
        "unit_bjm": unit_bjm,
        "regency_bjm": regency_bjm,
        "outsider": outsider,
        "analyst": analyst,
        "province": province,
        "admin": admin_user,
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
