"""One FilterSet per list, shared by the page and the API: the victim list page and
GET /api/v1/victims/ find the same victims for the same query."""

import pytest
from django.urls import reverse

from tests.api.helpers import api_client
from tests.conftest import client_for
from tests.factories import make_case, victim_data
from victims.filters import VictimFilter
from victims.forms import VictimPageFilter

pytestmark = pytest.mark.django_db


def test_the_page_and_the_api_find_the_same_victims(unit_bjm):
    make_case(unit_bjm, victims=[victim_data(sex="P"), victim_data(sex="L"), victim_data(sex="P")])
    for query in ({"sex": "P"}, {"sex": "L", "status": "TERIDENTIFIKASI"}, {"code": "-0000"}):
        page = client_for(unit_bjm).get(reverse("victims:list"), query)
        assert page.status_code == 200
        on_page = sorted(v.code for v in page.context["page"].object_list)
        api = api_client(unit_bjm).get("/api/v1/victims/", query).json()
        assert on_page == sorted(row["code"] for row in api["results"]), query


def test_the_page_filter_is_the_api_filter_with_fewer_fields():
    assert issubclass(VictimPageFilter, VictimFilter)
    assert set(VictimPageFilter.PAGE_FIELDS) <= set(VictimFilter.base_filters)


def test_a_bad_filter_on_the_page_says_so_and_lists_nothing_wrong(unit_bjm):
    make_case(unit_bjm)
    page = client_for(unit_bjm).get(reverse("victims:list"), {"sex": "X"})
    assert page.status_code == 200
    assert page.context["form"].errors["sex"]
    assert list(page.context["page"].object_list) == []  # not everything, as if unfiltered
