"""A write names one version: the body's `version` and `If-Match` must agree, whichever of
them is current."""

import pytest

from tests.api.helpers import api_client
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("body", "header"), [(1, '"2"'), (2, '"1"')])
def test_a_body_version_that_differs_from_if_match_is_refused(unit_bjm, body, header):
    case = make_case(unit_bjm)
    response = api_client(unit_bjm).patch(
        f"/api/v1/cases/{case.pk}/",
        {"summary": "Diubah", "version": body},
        format="json",
        HTTP_IF_MATCH=header,
    )
    assert response.status_code == 400
    assert "version" in response.json()["errors"]
    case.refresh_from_db()
    assert (case.summary, case.version) != ("Diubah", 2)
    assert case.version == 1
