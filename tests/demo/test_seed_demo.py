"""`seed_demo` never puts fake data or a known password into production (#14.10)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from agencies.models import Agency, Role, User
from cases.models import Case
from demo.users import DEMO_PASSWORD, DEMO_USERS, OFFICER_PREFIX
from reports.models import UnitReturn
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DEMO_NAMES = [u[0] for u in DEMO_USERS]


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, verbosity=0, **options)
    return out.getvalue()


def test_refused_with_debug_off_and_nothing_is_written(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        seed(cases=10)
    assert not User.objects.exists()
    assert not Case.objects.exists()
    assert not UnitReturn.objects.exists()


def test_allowed_outside_debug_the_demo_users_cannot_sign_in(settings, client):
    settings.DEBUG = False
    said = seed(cases=20, allow_production=True)
    assert Case.objects.count() == 20
    demo = User.objects.filter(username__in=DEMO_NAMES)
    assert demo.count() == len(DEMO_USERS)
    assert not any(u.has_usable_password() for u in demo)
    assert "unusable passwords" in said
    assert DEMO_PASSWORD not in said
    signed_in = client.post(reverse("login"), {"username": "admin", "password": DEMO_PASSWORD})
    assert signed_in.status_code != 302
    assert "_auth_user_id" not in client.session


def test_outside_debug_a_demo_login_left_with_the_published_password_is_locked(settings):
    settings.DEBUG = True
    seed(cases=0)  # an earlier run on a development setting
    assert User.objects.get(username="admin").check_password(DEMO_PASSWORD)
    settings.DEBUG = False
    said = seed(cases=0, allow_production=True)
    for user in User.objects.filter(username__in=DEMO_NAMES):
        assert not user.check_password(DEMO_PASSWORD), user.username
    assert "admin: had the published demo password, now locked" in said


def test_a_demo_login_whose_password_was_changed_is_left_alone(settings):
    settings.DEBUG = True
    seed(cases=0)
    admin = User.objects.get(username="admin")
    admin.set_password("sandi-baru-yang-panjang-sekali")
    admin.save()
    settings.DEBUG = False
    said = seed(cases=0, allow_production=True)
    assert User.objects.get(username="admin").check_password("sandi-baru-yang-panjang-sekali")
    assert "admin: had" not in said
    assert "provinsi: had the published demo password, now locked" in said


def test_with_debug_on_the_demo_logins_have_the_published_password(settings):
    settings.DEBUG = True
    said = seed(cases=0)
    assert f"password: {DEMO_PASSWORD}" in said
    assert User.objects.get(username="provinsi").check_password(DEMO_PASSWORD)


def test_the_officers_who_sign_demo_records_never_sign_in_and_are_never_real_users(settings):
    settings.DEBUG = True
    real = UserFactory(role=Role.UNIT, agency=Agency.objects.get(name="Unit PPA Polres Banjar"))
    seed(cases=80)
    officers = User.objects.filter(username__startswith=OFFICER_PREFIX)
    assert officers.count() == Agency.objects.filter(kind=Agency.Kind.UNIT_PPA).count() - 2
    assert not any(o.has_usable_password() for o in officers)
    assert not Case.objects.filter(created_by=real).exists()
    assert not Case.history.filter(history_user=real).exists()
    assert not UnitReturn.objects.filter(filed_by=real).exists()
    assert Case.objects.filter(reporting_agency=real.agency).exists()
