import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from cases.models import Case, Involvement
from victims.models import Victim, VictimIdentity

pytestmark = pytest.mark.django_db


def test_seed_demo_is_realistic_deterministic_and_idempotent():
    call_command("seed_demo", cases=300, seed=7, verbosity=0)
    assert Case.objects.count() == 300
    per_regency = dict(Case.objects.values_list("regency").annotate(n=Count("id")))
    assert len(per_regency) == 13 and min(per_regency.values()) > 0
    assert Victim.objects.count() >= 300
    assert Victim.objects.filter(is_child=True).exists()
    assert Victim.objects.filter(is_child=False).exists()
    assert VictimIdentity.objects.count() == Victim.objects.count()
    # Syndicates: some perpetrators appear in cases of more than one regency.
    shared = (
        Involvement.objects.values("perpetrator")
        .annotate(regencies=Count("case__regency", distinct=True))
        .filter(regencies__gt=1)
    )
    assert shared.exists()
    # Every record obeys the rules the services enforce.
    for model in (Case, Involvement, Victim):
        for obj in model.objects.all()[:150]:
            obj.full_clean(validate_unique=False, validate_constraints=False)
    call_command("seed_demo", verbosity=0)  # demo cases exist: adds nothing
    assert Case.objects.count() == 300


def test_the_same_seed_gives_the_same_data_set():
    def generate(seed):
        with transaction.atomic():
            call_command("seed_demo", cases=50, seed=seed, verbosity=0)
            rows = list(
                Case.objects.order_by("register_no").values_list(
                    "register_no", "stage", "reported_on", "victim_links__victim__sex"
                )
            )
            transaction.set_rollback(True)
        return rows

    assert generate(11) == generate(11)
    assert generate(11) != generate(12)
