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


# --- Nobody but a superuser manages a superuser or a higher role (#13.6) -------------------


def province_staff():
    return staff(
        Role.PROVINCE,
        "DP3AKB Provinsi Kalimantan Selatan",
        "view_user",
        "change_user",
        "add_user",
        "delete_user",
        "view_agency",
    )


def test_province_staff_cannot_see_or_reset_the_superuser(admin_user):
    c = client_for(province_staff())
    listing = c.get("/admin/agencies/user/")
    assert listing.status_code == 200
    assert f">{admin_user.username}<" not in listing.text
    for page in ("change", "password", "delete"):
        response = c.get(f"/admin/agencies/user/{admin_user.pk}/{page}/")
        assert response.status_code in (302, 404), page
    response = c.post(
        f"/admin/agencies/user/{admin_user.pk}/password/",
        {"password1": "Kalsel-Aman-Untuk-Anak-2026", "password2": "Kalsel-Aman-Untuk-Anak-2026"},
    )
    assert response.status_code in (302, 404)
    admin_user.refresh_from_db()
    assert admin_user.check_password("Kalsel-Aman-Untuk-Anak-2026") is False


def test_province_staff_cannot_manage_its_own_role_or_itself(province):
    me = province_staff()
    c = client_for(me)
    listing = c.get("/admin/agencies/user/")
    assert f">{province.username}<" not in listing.text
    assert f">{me.username}<" not in listing.text
    assert c.get(f"/admin/agencies/user/{province.pk}/change/").status_code == 302
    assert c.get(f"/admin/agencies/user/{me.pk}/change/").status_code == 302


def test_province_staff_manage_lower_roles_without_admin_rights(unit_bjm):
    c = client_for(province_staff())
    assert unit_bjm.username in c.get("/admin/agencies/user/").text
    page = c.get(f"/admin/agencies/user/{unit_bjm.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert field not in form.fields, field
    roles = {value for value, _label in form.fields["role"].choices}
    assert roles == {Role.REGENCY, Role.UNIT, Role.ANALYST}


def test_province_staff_cannot_raise_a_user_to_its_own_role_or_grant_rights(unit_bjm):
    c = client_for(province_staff())
    page = c.get(f"/admin/agencies/user/{unit_bjm.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: form.initial.get(name) or ""
        for name in ("username", "first_name", "last_name", "email")
    }
    data.update(
        {
            "agency": unit_bjm.agency_id,
            "role": Role.PROVINCE,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        }
    )
    response = c.post(f"/admin/agencies/user/{unit_bjm.pk}/change/", data)
    assert response.status_code == 200  # the form refuses the role
    unit_bjm.refresh_from_db()
    assert unit_bjm.role == Role.UNIT
    assert not unit_bjm.is_staff and not unit_bjm.is_superuser

    data["role"] = Role.REGENCY
    data["agency"] = agency("DP3A Kota Banjarmasin").pk
    response = c.post(f"/admin/agencies/user/{unit_bjm.pk}/change/", data)
    assert response.status_code == 302
    unit_bjm.refresh_from_db()
    assert unit_bjm.role == Role.REGENCY
    assert not unit_bjm.is_staff and not unit_bjm.is_superuser  # read-only: ignored


def test_province_staff_cannot_add_a_user_of_its_own_role():
    c = client_for(province_staff())
    page = c.get("/admin/agencies/user/add/")
    assert page.status_code == 200
    roles = {value for value, _label in page.context["adminform"].form.fields["role"].choices}
    assert Role.PROVINCE not in roles and Role.ADMIN not in roles


def test_the_superuser_still_manages_everyone(admin_user, province):
    c = client_for(admin_user)
    page = c.get(f"/admin/agencies/user/{province.pk}/change/")
    assert page.status_code == 200
    assert "is_superuser" in page.context["adminform"].form.fields
