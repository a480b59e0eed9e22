import pytest

from agencies.models import Agency, Role
from tests.factories import UserFactory, make_case, victim_data
from tests.pages.conftest import overhead  # noqa: F401 - the measured page overhead

NAME = "Nur Aisyah Putri"
NIK = "6371014509050003"


@pytest.fixture
def mail_admin(db):
    """An administrator with an email: the alert goes to them."""
    return UserFactory(
        role=Role.ADMIN,
        agency=Agency.objects.get(name="DP3AKB Provinsi Kalimantan Selatan"),
        email="admin@tppo.test",
    )


def case_with_victims(user, n: int = 1, **fields):
    """A Banjarmasin case of `user` with `n` victims, the first named NAME with NIK."""
    victims = [victim_data() for _ in range(n)]
    victims[0]["identity"] = {**victims[0]["identity"], "full_name": NAME, "nik": NIK}
    case = make_case(user, victims=victims, **fields)
    return case, [link.victim for link in case.victim_links.select_related("victim")]
