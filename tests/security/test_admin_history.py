"""The admin's history pages follow the access rule, write nothing, and show nothing the
user may not see; the admin holds no request between requests (#13.3)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.http import HttpRequest
from django.test import Client

from agencies.models import Role
from audit.models import IdentityAccess
from cases.models import Case, Perpetrator
from tests.conftest import agency, client_for
from tests.factories import UserFactory, make_case
from victims.models import Victim

pytestmark = pytest.mark.django_db

VIEW = ["view_case", "view_victim", "view_perpetrator", "view_involvement", "view_victimservice"]


def staff(role, agency_name, *codenames, **extra):
    user = UserFactory(role=role, agency=agency(agency_name), is_staff=True, **extra)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def viewer(db):
    """View-only admin staff of the Banjarmasin task force."""
    return staff(Role.REGENCY, "DP3A Kota Banjarmasin", *VIEW)


@pytest.fixture
def tanah_bumbu(outsider):
    """A case of Tanah Bumbu, changed once so that it has a history of two rows."""
    case = make_case(outsider, regency="6310")
    victim = case.victim_links.get().victim
    perpetrator = case.involvements.get().perpetrator
    perpetrator.note = "Residivis, kenal petugas"
    perpetrator.save()
    victim.occupation = "Pemandu lagu"
    victim.save()
    return {"case": case, "victim": victim, "perpetrator": perpetrator}


def _objects(world):
    return {
        "case": ("cases", "case", world["case"]),
        "victim": ("victims", "victim", world["victim"]),
        "perpetrator": ("cases", "perpetrator", world["perpetrator"]),
    }


@pytest.mark.parametrize("kind", ["case", "victim", "perpetrator"])
def test_history_list_and_form_are_404_outside_the_scope(viewer, tanah_bumbu, kind):
    app, model, obj = _objects(tanah_bumbu)[kind]
    version = obj.history.earliest("history_date").history_id
    client = client_for(viewer)
    listing = client.get(f"/admin/{app}/{model}/{obj.pk}/history/")
    assert listing.status_code == 404
    form = client.get(f"/admin/{app}/{model}/{obj.pk}/history/{version}/")
    assert form.status_code == 404
    for response in (listing, form):
        assert "Pelaku 0" not in response.text and "Residivis" not in response.text


@pytest.mark.parametrize("kind", ["case", "victim", "perpetrator"])
def test_history_is_open_inside_the_scope_read_only(regency_bjm, unit_bjm, kind):
    case = make_case(unit_bjm)
    world = {
        "case": case,
        "victim": case.victim_links.get().victim,
        "perpetrator": case.involvements.get().perpetrator,
    }
    app, model, obj = _objects(world)[kind]
    user = staff(Role.REGENCY, "DP3A Kota Banjarmasin", *VIEW)
    version = obj.history.earliest("history_date").history_id
    client = client_for(user)
    assert client.get(f"/admin/{app}/{model}/{obj.pk}/history/").status_code == 200
    form = client.get(f"/admin/{app}/{model}/{obj.pk}/history/{version}/")
    assert form.status_code == 200
    # Every field of the historical version is shown read-only: nothing to type into.
    assert not [
        name
        for name, field in form.context["adminform"].form.fields.items()
        if not field.widget.is_hidden
    ]


def test_a_post_to_the_history_form_changes_nothing(viewer, tanah_bumbu, admin_user):
    victim = tanah_bumbu["victim"]
    version = victim.history.earliest("history_date").history_id
    url = f"/admin/victims/victim/{victim.pk}/history/{version}/"
    data = {"sex": "L", "age_at_identification": "40", "nationality": "MYS", "status": "DIDUGA"}
    # Outside the scope: 404; a superuser (who sees it): no revert either.
    assert client_for(viewer).post(url, data).status_code == 404
    assert client_for(admin_user).post(url, data).status_code == 405
    victim.refresh_from_db()
    assert (victim.sex, victim.age_at_identification, victim.nationality) == ("P", 22, "IDN")
    assert victim.history.count() == 2


def test_history_rows_show_only_the_fields_the_admin_shows(admin_user, unit_bjm):
    """`submission_hash` is kept out of the case's history model; the admin's delta shows
    the fields of its form only (a field added to the model later stays out until the
    admin shows it)."""
    case = make_case(unit_bjm)
    case_admin = admin.site._registry[Case]
    request = HttpRequest()
    request.user = admin_user
    shown = case_admin.history_fields(request)
    assert "summary" in shown and "submission_hash" not in shown
    assert set(shown) <= {f if isinstance(f, str) else "" for f in case_admin.fields}
    client = client_for(admin_user)
    version = case.version
    response = client.post(
        f"/admin/cases/case/{case.pk}/change/",
        {**_case_form(client, case), "summary": "Ringkasan baru.", "seen_version": version},
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    page = client.get(f"/admin/cases/case/{case.pk}/history/")
    assert page.status_code == 200
    deltas = {
        str(change["field"]).lower()
        for record in page.context["page_obj"].object_list
        for change in getattr(record, "history_delta_changes", [])
    }
    labels = {str(Case._meta.get_field(name).verbose_name).lower() for name in shown}
    assert deltas and deltas <= labels
    assert str(Case._meta.get_field("summary").verbose_name).lower() in deltas


def posted(page) -> dict:
    """What a browser would post back from an admin change page, unchanged."""
    from django.forms import CheckboxInput

    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = value

    add(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def _case_form(client, case):
    return posted(client.get(f"/admin/cases/case/{case.pk}/change/"))


# --- The identity panel: the request is passed, never stored on the admin -----------------


def test_identity_panel_logs_each_view_under_its_own_user(unit_bjm):
    case = make_case(unit_bjm)
    victim = case.victim_links.get().victim
    first = staff(Role.REGENCY, "DP3A Kota Banjarmasin", "view_victim")
    second = staff(Role.PROVINCE, "DP3AKB Provinsi Kalimantan Selatan", "view_victim")
    a, b = client_for(first), client_for(second)
    assert "Siti Rahmawati" in a.get(f"/admin/victims/victim/{victim.pk}/change/").text
    # The second user opens a historical version (a view that never went through
    # `change_view`): nothing is shown or logged under the first user's name.
    version = victim.history.earliest("history_date").history_id
    page = b.get(f"/admin/victims/victim/{victim.pk}/history/{version}/")
    assert page.status_code == 200 and "Siti Rahmawati" not in page.text
    assert "Siti Rahmawati" in b.get(f"/admin/victims/victim/{victim.pk}/change/").text
    logged = list(
        IdentityAccess.objects.filter(victim=victim, channel="admin:victim")
        .order_by("pk")
        .values_list("user__username", flat=True)
    )
    assert logged == [first.username, second.username]
    victim_admin = admin.site._registry[Victim]
    assert not [v for v in vars(victim_admin).values() if isinstance(v, HttpRequest)]


def test_no_admin_instance_keeps_a_request(admin_user, unit_bjm):
    """After a tour of every change list and change form, no ModelAdmin holds a request."""
    case = make_case(unit_bjm)
    client = Client()
    client.force_login(admin_user)
    victim = case.victim_links.get().victim
    for path in (
        f"/admin/cases/case/{case.pk}/change/",
        f"/admin/victims/victim/{victim.pk}/change/",
        f"/admin/cases/perpetrator/{case.involvements.get().perpetrator_id}/change/",
    ):
        assert client.get(path).status_code == 200
    for model_admin in admin.site._registry.values():
        assert not [v for v in vars(model_admin).values() if isinstance(v, HttpRequest)]


# --- Saves through the services, with the version checked ---------------------------------


def test_case_admin_refuses_a_stale_save_and_keeps_what_was_typed(admin_user, unit_bjm):
    case = make_case(unit_bjm)
    seen = case.version
    client = client_for(admin_user)
    opened = _case_form(client, case)  # both admins open the page at this version
    first = client.post(f"/admin/cases/case/{case.pk}/change/", {**opened, "status": "DITUTUP"})
    assert first.status_code == 302
    # A second admin, who opened the page before the first saved, changes the summary.
    second = client.post(
        f"/admin/cases/case/{case.pk}/change/",
        {**opened, "summary": "Ringkasan lain."},
    )
    assert second.status_code == 200
    assert "telah diubah orang lain" in second.text
    assert "Ringkasan lain." in second.text  # what was typed stays in the form
    case.refresh_from_db()
    assert case.status == "DITUTUP" and case.summary != "Ringkasan lain."
    assert case.version == seen + 1


def test_victim_admin_saves_through_the_service(admin_user, unit_bjm):
    case = make_case(unit_bjm)
    victim = case.victim_links.get().victim
    client = client_for(admin_user)
    data = posted(client.get(f"/admin/victims/victim/{victim.pk}/change/"))
    data["occupation"] = "Nelayan"
    saved = client.post(f"/admin/victims/victim/{victim.pk}/change/", data)
    assert saved.status_code == 302
    victim.refresh_from_db()
    assert victim.occupation == "Nelayan"
    # The same form again, now stale: refused.
    stale = client.post(f"/admin/victims/victim/{victim.pk}/change/", {**data, "occupation": "X"})
    assert stale.status_code == 200 and "telah diubah orang lain" in stale.text
    victim.refresh_from_db()
    assert victim.occupation == "Nelayan"


@pytest.mark.parametrize(
    "path", ["cases/perpetrator", "cases/involvement", "victims/victimservice"]
)
def test_admins_without_a_service_write_path_are_read_only(admin_user, unit_bjm, path):
    case = make_case(unit_bjm)
    pk = {
        "cases/perpetrator": case.involvements.get().perpetrator_id,
        "cases/involvement": case.involvements.get().pk,
        "victims/victimservice": None,
    }[path]
    if pk is None:
        from victims.services import service_create

        pk = service_create(
            by=unit_bjm,
            victim=case.victim_links.get().victim,
            case=case,
            type="REHAB_SOSIAL",
            provider_agency=agency("DP3A Kota Banjarmasin"),
        ).pk
    response = client_for(admin_user).post(f"/admin/{path}/{pk}/change/", {"name": "Ganti"})
    assert response.status_code == 403
    assert Perpetrator.objects.filter(name="Ganti").count() == 0
