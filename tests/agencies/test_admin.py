import pytest
from django.contrib.auth.models import Permission

from agencies.models import Role
from tests.conftest import agency, client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def staff(role, agency_name, *codenames):
    user = UserFactory(role=role, agency=agency(agency_name), is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_superuser_admin_lists_search_and_filter(admin_user):
    c = client_for(admin_user)
    page = c.get("/admin/agencies/agency/", {"q": "Unit PPA", "kind__exact": "UNIT_PPA"})
    assert page.status_code == 200
    assert "Unit PPA Polresta Banjarmasin" in page.text
    assert "Unit PPA Polres Tanah Bumbu" in page.text
    assert c.get("/admin/agencies/regency/?q=6371").status_code == 200
    assert c.get("/admin/agencies/user/?role__exact=UNIT").status_code == 200


def test_non_superuser_staff_see_only_their_scope(unit_bjm, outsider):
    regency_staff = staff(Role.REGENCY, "DP3A Kota Banjarmasin", "view_user", "view_agency")
    c = client_for(regency_staff)
    users = c.get("/admin/agencies/user/")
    assert users.status_code == 200
    assert unit_bjm.username in users.text
    assert outsider.username not in users.text
    agencies = c.get("/admin/agencies/agency/")
    assert "Unit PPA Polresta Banjarmasin" in agencies.text
    assert "Unit PPA Polres Tanah Bumbu" not in agencies.text
    # Another regency's user is not even there to open.
    assert c.get(f"/admin/agencies/user/{outsider.pk}/change/").status_code == 302


def test_regency_staff_cannot_grant_roles(unit_bjm):
    regency_staff = staff(Role.REGENCY, "DP3A Kota Banjarmasin", "view_user", "change_user")
    page = client_for(regency_staff).get(f"/admin/agencies/user/{unit_bjm.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "role" not in form.fields and "is_superuser" not in form.fields
