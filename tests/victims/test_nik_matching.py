"""A NIK never unlocks a victim outside the caller's scope (#13 item 1).

A match the caller may see is linked and said so (`matched_existing`, `differences`); a
match outside its scope is answered exactly like a new person, gives a new victim, and
becomes a duplicate candidate that only the province lists."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.api.helpers import api_client, case_payload, keys_in, victim_payload
from tests.conftest import client_for
from tests.factories import make_case, victim_data
from victims.models import DuplicateCandidate, Victim, VictimIdentity
from victims.services import identity_update, nik_normalise

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
CANDIDATES = "/api/v1/duplicate-candidates/"
NIK = "6371014509050003"
NAME = "Nur Aisyah Putri"


def submit(user, nik: str, **victim):
    identity = {"full_name": "Nama Kiriman", "nik": nik}
    payload = case_payload(victims=[victim_payload(identity=identity, **victim)])
    return api_client(user).post(CASES, payload, format="json")


@pytest.fixture
def recorded(unit_bjm):
    """A Banjarmasin victim with NIK and name: outside the Tanah Bumbu unit's scope."""
    data = victim_data(sex="P", age_at_identification=22)
    data["identity"] = {**data["identity"], "full_name": NAME, "nik": NIK}
    case = make_case(unit_bjm, victims=[data])
    return case.victim_links.get().victim


def test_an_out_of_scope_match_answers_like_a_new_person_and_the_province_sees_it(
    recorded, outsider, province, unit_bjm, regency_bjm, analyst
):
    matched = submit(outsider, "6371-0145-0905-0003")  # her NIK, typed with dashes
    new = submit(outsider, "6371014509059999")  # a NIK nobody has

    assert (matched.status_code, new.status_code) == (201, 201)
    assert keys_in(matched.json()) == keys_in(new.json())
    assert set(matched.json()["victims"][0]) == set(new.json()["victims"][0])
    victim = matched.json()["victims"][0]
    assert victim["code"] != recorded.code and victim["code"] not in ("", None)
    assert victim["matched_existing"] is False and victim["differences"] == {}
    assert recorded.code not in matched.content.decode()
    # Not linked: her record stays out of the outsider's reach and its case.
    assert recorded.case_links.count() == 1
    assert api_client(outsider).get(f"/api/v1/victims/{recorded.code}/").status_code == 404
    # The outsider's own victim carries what it submitted, never her identity.
    mine = api_client(outsider).get(f"/api/v1/victims/{victim['code']}/").json()
    assert mine["identity"]["full_name"] == "Nama Kiriman"
    assert NAME not in str(mine)

    candidate = DuplicateCandidate.objects.get()
    assert (candidate.existing_victim, candidate.new_victim.code) == (recorded, victim["code"])
    assert (candidate.reason, candidate.status, candidate.kind) == ("NIK_SAMA", "TERBUKA", "KORBAN")
    listed = api_client(province).get(CANDIDATES)
    assert listed.status_code == 200
    [row] = listed.json()["results"]
    assert (row["existing_victim"], row["new_victim"], row["reason"], row["status"]) == (
        recorded.code,
        victim["code"],
        "NIK_SAMA",
        "TERBUKA",
    )
    page = client_for(province).get(reverse("victims:duplicates"))
    assert page.status_code == 200
    assert recorded.code in page.text and victim["code"] in page.text
    assert NAME not in page.text and NIK not in page.text
    for user in (outsider, unit_bjm, regency_bjm, analyst):
        # The analyst's answer on every record-level API route is 403 (no record, no count).
        assert api_client(user).get(CANDIDATES).status_code == (403 if user == analyst else 404)
        assert client_for(user).get(reverse("victims:duplicates")).status_code == 404


def test_an_in_scope_match_is_linked_and_says_so_with_the_differences(recorded, regency_bjm):
    response = submit(regency_bjm, "6371 0145 0905 0003", sex="L", age=23)

    assert response.status_code == 201
    [victim] = response.json()["victims"]
    assert victim["code"] == recorded.code
    assert victim["matched_existing"] is True
    assert victim["differences"] == {"age": [22, 23], "sex": ["P", "L"]}
    recorded.refresh_from_db()
    assert (recorded.sex, recorded.age_at_identification) == ("P", 22)  # kept, not overwritten
    assert recorded.case_links.count() == 2
    assert DuplicateCandidate.objects.count() == 0
    # A read of the case says it again (and a retry answers the same).
    again = api_client(regency_bjm).get(f"{CASES}{response.json()['id']}/").json()
    assert again["victims"][0]["matched_existing"] is True


def test_a_match_without_differences_says_matched_with_none(recorded, unit_bjm):
    [victim] = submit(unit_bjm, NIK, sex="P", age=22, age_at_exploitation=None).json()["victims"]
    assert (victim["code"], victim["matched_existing"], victim["differences"]) == (
        recorded.code,
        True,
        {},
    )


def test_the_case_page_says_the_victim_was_already_on_record(recorded, regency_bjm):
    from tests.pages.test_cases import _create_payload

    payload = _create_payload(
        **{
            "victims-TOTAL_FORMS": "1",
            "victims-0-nik": "6371.0145.0905.0003",
            "victims-0-age_at_identification": "23",
            "victims-0-age_at_exploitation": "",
        }
    )
    response = client_for(regency_bjm).post(reverse("cases:create"), payload, follow=True)
    assert response.status_code == 200
    text = response.text
    assert f"Korban {recorded.code} sudah tercatat (NIK sama)" in text
    assert "22 → 23" in text


def test_a_new_nik_out_of_scope_on_an_identity_edit_is_accepted_and_queued(recorded, outsider):
    case = make_case(outsider)
    mine = case.victim_links.get().victim
    identity_update(by=outsider, victim=mine, nik=NIK)  # no "already recorded" oracle
    assert VictimIdentity.objects.get(victim=mine).nik_primary is False
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.existing_victim, candidate.new_victim) == (recorded, mine)


def test_an_identity_edit_to_a_nik_the_caller_sees_is_refused(recorded, unit_bjm):
    case = make_case(unit_bjm)
    other = case.victim_links.get().victim
    with pytest.raises(ValidationError) as exc:
        identity_update(by=unit_bjm, victim=other, nik=NIK)
    assert recorded.code in exc.value.message_dict["nik"][0]


def test_the_out_of_scope_submitter_finds_its_own_copy_next_time(recorded, outsider):
    first = submit(outsider, NIK).json()["victims"][0]
    second = submit(outsider, NIK).json()["victims"][0]
    assert second["code"] == first["code"] and second["matched_existing"] is True
    assert Victim.objects.count() == 2
    assert DuplicateCandidate.objects.count() == 1


# --- NIK normalisation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "6371014509050003",
        "6371-0145-0905-0003",
        "6371 0145 0905 0003",
        "6371.01.450905.0003",
        " 6371014509050003 ",
        "6371\u20130145\u20130905\u20130003",  # en dashes from a word processor
    ],
)
def test_spaces_dots_and_dashes_are_dropped(typed):
    assert nik_normalise(typed) == NIK


@pytest.mark.parametrize(
    "typed",
    [
        "６３７１０１４５０９０５０００３",  # full-width
        "٦٣٧١٠١٤٥٠٩٠٥٠٠٠٣",  # Arabic-Indic
        "۶۳۷۱۰۱۴۵۰۹۰۵۰۰۰۳",  # extended Arabic-Indic (Persian)
        "637101450905000３",  # one full-width digit among ASCII ones
    ],
)
def test_non_ascii_digits_are_refused_with_a_message(typed):
    with pytest.raises(ValidationError) as exc:
        nik_normalise(typed)
    assert "angka 0-9 biasa" in exc.value.messages[0]
    assert typed not in exc.value.messages[0]


@pytest.mark.parametrize("typed", ["637101450905000", "63710145090500031", "6371O14509050003"])
def test_a_nik_is_sixteen_ascii_digits(typed):
    with pytest.raises(ValidationError):
        nik_normalise(typed)


def test_a_full_width_nik_through_the_api_is_a_400_and_nothing_is_stored(recorded, unit_bjm):
    before = Victim.objects.count()
    response = submit(unit_bjm, "６３７１０１４５０９０５０００３")
    assert response.status_code == 400
    message = response.json()["errors"]["victims.0.identity.nik"][0]
    assert "lebar penuh" in message
    assert Victim.objects.count() == before
