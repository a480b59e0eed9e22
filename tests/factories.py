import factory

from agencies.models import Agency, Role, User

PASSWORD = "sandi-uji-yang-panjang"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"petugas{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    role = Role.UNIT
    agency = factory.LazyFunction(lambda: Agency.objects.get(name="Unit PPA Polresta Banjarmasin"))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# --- Case data, created through the services (the rules apply to test data too) ----------

_refs = iter(range(1, 10**9))


def victim_data(**overrides) -> dict:
    """A victim as a submission carries it; an adult woman with an identity by default."""
    data = {
        "sex": "P",
        "age_at_identification": 22,
        "age_at_exploitation": 21,
        "nationality": "IDN",
        "status": "TERIDENTIFIKASI",
        "identity": {
            "full_name": "Siti Rahmawati",
            "nik": f"6371{next(_refs):012d}",
            "birth_date": "2004-03-01",
            "phone": "081234567890",
            "address": "Jl. Veteran No. 1, Banjarmasin",
        },
    }
    data.update(overrides)
    return data


def perpetrator_data(**overrides) -> dict:
    data = {"name": "Budi Santoso", "kind": "ORANG", "sex": "L", "roles": ["PEREKRUT"]}
    data.update(overrides)
    return data


def make_case(by, *, regency: str = "6371", victims=1, perpetrators=1, **fields):
    """A case recorded by `by` through `case_create`. `victims`/`perpetrators` are a count
    (default data) or a list of submission dicts."""
    from datetime import date, timedelta

    from agencies.models import Regency
    from cases.services import case_create

    reported_on = fields.pop("reported_on", date(2026, 3, 2))
    data = {
        "reported_on": reported_on,
        "occurred_from": reported_on - timedelta(days=50),
        "occurred_to": reported_on - timedelta(days=10),
        "summary": "Korban direkrut untuk bekerja di tempat karaoke.",
        "exploitation_types": ["SEKS_PROSTITUSI"],
        "recruitment_modus": ["PEMANDU_LAGU_TERAPIS"],
        "means_of_control": ["JERATAN_UTANG"],
        "external_ref": f"REF-{next(_refs)}",
    }
    data.update(fields)
    if isinstance(victims, int):
        victims = [victim_data() for _ in range(victims)]
    if isinstance(perpetrators, int):
        perpetrators = [perpetrator_data(name=f"Pelaku {i}") for i in range(perpetrators)]
    return case_create(
        by=by,
        regency=Regency.objects.get(pk=regency),
        victims=victims,
        perpetrators=perpetrators,
        **data,
    )
