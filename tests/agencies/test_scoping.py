import pytest

from agencies import scoping
from agencies.models import Role
from tests.conftest import agency
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def codes(user):
    return set(scoping.visible_regencies(user).values_list("code", flat=True))


def test_province_sees_all_13_regencies_and_identities(province):
    assert len(codes(province)) == 13
    assert scoping.may_see_identities(province)
    assert scoping.case_scope(province).children == []


def test_regency_user_sees_one_regency(regency_bjm):
    assert codes(regency_bjm) == {"6371"}
    assert scoping.may_see_identities(regency_bjm)


def test_unit_user_sees_one_regency(unit_bjm, outsider):
    assert codes(unit_bjm) == {"6371"}
    assert codes(outsider) == {"6310"}
    assert scoping.may_see_identities(unit_bjm)


def test_analyst_sees_all_regencies_but_no_identity(analyst):
    assert len(codes(analyst)) == 13
    assert not scoping.may_see_identities(analyst)
    assert not scoping.may_write(analyst)
    assert scoping.identity_scope(analyst) == scoping.NOTHING


def test_inactive_or_agencyless_user_sees_nothing():
    inactive = UserFactory(
        role=Role.PROVINCE, agency=agency("DP3AKB Provinsi Kalimantan Selatan"), is_active=False
    )
    homeless = UserFactory(role=Role.PROVINCE, agency=None)
    for user in (inactive, homeless):
        assert codes(user) == set()
        assert scoping.case_scope(user) == scoping.NOTHING
        assert not scoping.may_see_identities(user)


def test_who_may_create_a_case_where(unit_bjm, regency_bjm, analyst, province):
    assert scoping.may_create_case_in(unit_bjm, "6372")  # police areas cross regency lines
    assert scoping.may_create_case_in(regency_bjm, "6371")
    assert not scoping.may_create_case_in(regency_bjm, "6372")
    assert not scoping.may_create_case_in(analyst, "6371")
    assert scoping.may_create_case_in(province, "6310")
