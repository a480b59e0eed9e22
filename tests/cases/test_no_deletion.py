"""Case data is never deleted (#14.4): no admin deletes it, superusers included, and the
database layer refuses a delete that would take the timeline, the victims' links or the
involvements with it. Lawful erasure blanks an identity; it deletes nothing."""

import pytest
from django.contrib import admin
from django.db.models import ProtectedError

from cases.models import Case, CaseVictim, Involvement, Perpetrator
from tests.conftest import agency, client_for
from tests.factories import make_case
from victims.models import Victim, VictimIdentity, VictimService
from victims.services import identity_erase, service_create

pytestmark = pytest.mark.django_db

CASE_DATA = [Case, Victim, Perpetrator, Involvement, VictimService]


@pytest.fixture
def world(unit_bjm):
    case = make_case(unit_bjm)
    victim = case.victim_links.get().victim
    service = service_create(
        by=unit_bjm,
        victim=victim,
        case=case,
        type="REHAB_SOSIAL",
        provider_agency=agency("DP3A Kota Banjarmasin"),
    )
    return {
        Case: case,
        Victim: victim,
        Perpetrator: case.involvements.get().perpetrator,
        Involvement: case.involvements.get(),
        VictimService: service,
    }


@pytest.mark.parametrize("model", CASE_DATA, ids=lambda m: m._meta.label)
def test_a_superuser_cannot_delete_case_data_in_the_admin(admin_user, world, model):
    obj = world[model]
    opts = model._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/"
    client = client_for(admin_user)
    assert client.get(f"{base}{obj.pk}/delete/").status_code in (403, 404)
    assert client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code in (403, 404)
    # No bulk action either: the change list offers no delete, and posting it deletes nothing.
    listing = client.get(base)
    assert listing.status_code == 200
    assert "delete_selected" not in listing.text
    client.post(base, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert model.objects.filter(pk=obj.pk).exists()
    model_admin = admin.site._registry[model]
    assert "delete_selected" not in model_admin.get_actions(_request(admin_user))
    assert not model_admin.has_delete_permission(_request(admin_user), obj)


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_inlines_of_case_data_cannot_delete(admin_user, world):
    for model in (Case, Victim):
        model_admin = admin.site._registry[model]
        for inline in model_admin.get_inline_instances(_request(admin_user), world[model]):
            assert not inline.can_delete
            assert not inline.has_delete_permission(_request(admin_user), world[model])


def test_deleting_a_case_is_refused_by_the_models(world):
    case = world[Case]
    with pytest.raises(ProtectedError):
        Case.objects.get(pk=case.pk).delete()
    assert CaseVictim.objects.filter(case=case).exists()
    assert Involvement.objects.filter(case=case).exists()


def test_a_case_without_services_is_protected_by_its_children_too(unit_bjm):
    """The services' PROTECT alone was what saved a case before; the timeline, the victim
    links, the involvements and the codes protect it now."""
    case = make_case(unit_bjm)
    assert not case.services.exists()
    with pytest.raises(ProtectedError):
        case.delete()
    assert Case.objects.filter(pk=case.pk).exists()


def test_deleting_a_victim_or_perpetrator_is_refused(world):
    with pytest.raises(ProtectedError):
        Victim.objects.get(pk=world[Victim].pk).delete()
    with pytest.raises(ProtectedError):
        Perpetrator.objects.get(pk=world[Perpetrator].pk).delete()
    with pytest.raises(ProtectedError):
        Involvement.objects.get(pk=world[Involvement].pk).delete()


def test_lawful_erasure_still_removes_the_identity(world, province):
    victim = world[Victim]
    identity_erase(by=province, victim=victim, reference="Surat 12/2026")
    identity = VictimIdentity.objects.get(victim=victim)
    assert identity.erased_at is not None and identity.full_name == "" and identity.nik == ""
    assert Victim.objects.filter(pk=victim.pk).exists()
