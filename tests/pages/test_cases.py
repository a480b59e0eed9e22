"""Case pages: list, detail, create, edit, stages, perpetrators and verdicts.

Query budgets are the page's own reads on top of `overhead` (tests/pages/conftest.py):
what every logged-in page costs (session, user, middleware, nav bar, session renewal)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Involvement, Perpetrator, StageEvent
from tests.conftest import client_for
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def _create_payload(**overrides) -> dict:
    """What the create form posts: a case, two victims and one perpetrator."""
    data = {
        "regency": "6371",
        "police_report_no": "LP/B/77/XI/2026/SPKT",
        "external_ref": "",
        "reported_on": "2026-11-20",
        "occurred_from": "2026-10-01",
        "occurred_to": "2026-11-01",
        "summary": "Dua korban direkrut untuk bekerja di karaoke.",
        "labour_sector": "HIBURAN_MALAM",
        "recruiter_relation": "",
        "transnational": "false",
        "destination_country": "",
        "complicity": "unknown",
        "simfoni_id": "",
        "stage": "LAPORAN_POLISI",
        "exploitation_types": ["SEKS_PROSTITUSI"],
        "recruitment_modus": ["PEMANDU_LAGU_TERAPIS"],
        "means_of_control": ["JERATAN_UTANG"],
        "victims-TOTAL_FORMS": "2",
        "victims-INITIAL_FORMS": "0",
        "victims-MIN_NUM_FORMS": "0",
        "victims-MAX_NUM_FORMS": "1000",
        "perpetrators-TOTAL_FORMS": "1",
        "perpetrators-INITIAL_FORMS": "0",
        "perpetrators-MIN_NUM_FORMS": "0",
        "perpetrators-MAX_NUM_FORMS": "1000",
        "perpetrators-0-kind": "ORANG",
        "perpetrators-0-name": "Rudi Hartono",
        "perpetrators-0-sex": "L",
        "perpetrators-0-nationality": "IDN",
        "perpetrators-0-roles": ["PEREKRUT"],
        "perpetrators-0-legal_status": "TERSANGKA",
    }
    for i, (age, nik) in enumerate([(16, "6371014101100001"), (24, "6371014101100002")]):
        data.update(
            {
                f"victims-{i}-sex": "P",
                f"victims-{i}-age_at_identification": str(age),
                f"victims-{i}-age_at_exploitation": str(age),
                f"victims-{i}-nationality": "IDN",
                f"victims-{i}-home_regency": "6371",
                f"victims-{i}-status": "TERIDENTIFIKASI",
                f"victims-{i}-full_name": f"Korban Uji {i}",
                f"victims-{i}-nik": nik,
            }
        )
    data.update(overrides)
    return data


# --- Access: outsiders get 404, read-only roles 403 ----------------------------------------


def _case_urls(case: Case) -> list[str]:
    involvement = case.involvements.first()
    return [
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:edit", args=[case.pk]),
        reverse("cases:stage", args=[case.pk]),
        reverse("cases:involvement_add", args=[case.pk]),
        reverse("cases:involvement_edit", args=[involvement.pk]),
        reverse("cases:perpetrator", args=[involvement.perpetrator_id]),
    ]


def test_outsider_gets_404_on_every_case_page(unit_bjm, outsider):
    case = make_case(unit_bjm)
    c = client_for(outsider)
    for url in _case_urls(case):
        assert c.get(url).status_code == 404, url
        assert c.post(url, {"stage": "PENYELIDIKAN"}).status_code in (404, 405), url
    assert case.register_no not in c.get(reverse("cases:list")).text


def test_analyst_reads_no_case_and_gets_403_on_the_lists_and_create(unit_bjm, analyst):
    """Aggregates only: a case page is not found, the record lists and the case form are
    forbidden."""
    case = make_case(unit_bjm)
    c = client_for(analyst)
    for url in _case_urls(case)[:5]:
        assert c.get(url).status_code == 404, url
        assert c.post(url, {"stage": "PENYELIDIKAN"}).status_code == 404, url
    for url in (reverse("cases:create"), reverse("cases:list"), reverse("cases:export")):
        response = c.get(url)
        assert response.status_code == 403, url
        assert case.register_no not in response.content.decode()
    assert c.post(reverse("cases:create"), {}).status_code == 403
    case.refresh_from_db()
    assert case.stage == "PENGADUAN" and case.version == 1


# --- List ---------------------------------------------------------------------------------


def test_list_filters_on_the_shared_filters_and_search(unit_bjm):
    a = make_case(unit_bjm, police_report_no="LP/1/2026", exploitation_types=["KERJA_PAKSA"])
    b = make_case(unit_bjm, police_report_no="LP/2/2026")
    c = client_for(unit_bjm)
    page = c.get(reverse("cases:list"), {"search": "LP/1"})
    assert a.register_no in page.text and b.register_no not in page.text
    page = c.get(reverse("cases:list"), {"exploitation_type": "KERJA_PAKSA"})
    assert a.register_no in page.text and b.register_no not in page.text
    page = c.get(reverse("cases:list"), {"reported_after": "2026-04-01"})
    assert a.register_no not in page.text
    assert page.text.count('<option value="" selected>Semua</option>') == 4
    bad = c.get(reverse("cases:list"), {"stage": "NOPE", "reported_after": "kemarin"})
    assert bad.status_code == 200  # bad filter input is shown on the form, never a 500


def test_list_sorts_by_whitelisted_keys_only(unit_bjm):
    old = make_case(unit_bjm, reported_on=date(2026, 1, 5), occurred_from=None, occurred_to=None)
    new = make_case(unit_bjm, reported_on=date(2026, 6, 5))
    c = client_for(unit_bjm)
    text = c.get(reverse("cases:list"), {"sort": "reported_on"}).text
    assert text.index(old.register_no) < text.index(new.register_no)
    text = c.get(reverse("cases:list"), {"sort": "-reported_on"}).text
    assert text.index(new.register_no) < text.index(old.register_no)
    assert c.get(reverse("cases:list"), {"sort": "summary; drop"}).status_code == 200


def test_list_paginates(unit_bjm):
    for _ in range(27):
        make_case(unit_bjm, victims=0, perpetrators=0)
    c = client_for(unit_bjm)
    first = c.get(reverse("cases:list"))
    assert len(first.context["page"].object_list) == 25
    second = c.get(reverse("cases:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 2


@pytest.mark.parametrize("rows", [1, 8])
def test_list_query_budget(unit_bjm, rows, django_assert_num_queries, overhead):
    for _ in range(rows):
        make_case(unit_bjm, victims=2)
    c = client_for(unit_bjm)
    # 1 count for the paginator, 2 regencies for the filter's select, 3 the page of cases
    # (regency and agency joined, victim count as a subquery), 4 their exploitation codes
    with django_assert_num_queries(overhead(c) + 4):
        response = c.get(reverse("cases:list"), {"stage": "PENGADUAN"})
    assert response.status_code == 200


# --- Detail -------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 4])
def test_detail_query_budget(unit_bjm, rows, django_assert_num_queries, overhead):
    case = make_case(unit_bjm, victims=rows, perpetrators=rows)
    c = client_for(unit_bjm)
    # 1 the case with regency, agencies, creator and editor, 2 codes, 3 journey,
    # 4 stage events with recorders, 5 victims, 6 involvements with perpetrators,
    # 7 their roles, 8 services, 9 handling agencies, 10 history with users
    with django_assert_num_queries(overhead(c) + 10):
        response = c.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200


def test_detail_shows_victims_by_code_never_by_name(unit_bjm):
    case = make_case(unit_bjm, victims=2)
    page = client_for(unit_bjm).get(reverse("cases:detail", args=[case.pk]))
    for link in case.victim_links.select_related("victim"):
        assert link.victim.code in page.text
    assert "Siti Rahmawati" not in page.text
    assert "Riwayat perubahan" in page.text


# --- Create -------------------------------------------------------------------------------


def test_create_with_two_victims_and_a_perpetrator(unit_bjm):
    response = client_for(unit_bjm).post(reverse("cases:create"), _create_payload())
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.victim_links.count() == 2
    assert case.involvements.get().perpetrator.name == "Rudi Hartono"
    assert case.stage == "LAPORAN_POLISI"
    assert case.exploitation_types == ["SEKS_PROSTITUSI"]
    assert case.transnational is False and case.complicity is None


def test_create_ignores_blank_extra_rows(unit_bjm):
    payload = _create_payload(**{"victims-TOTAL_FORMS": "3", "perpetrators-TOTAL_FORMS": "2"})
    # What a browser sends for an untouched row: the selects' initial values.
    payload.update({"victims-2-nationality": "IDN", "victims-2-status": "DIDUGA"})
    payload.update({"victims-2-education": "TIDAK_DIKETAHUI", "perpetrators-1-kind": "ORANG"})
    payload.update(
        {"perpetrators-1-nationality": "IDN", "perpetrators-1-legal_status": "TERSANGKA"}
    )
    assert client_for(unit_bjm).post(reverse("cases:create"), payload).status_code == 302
    case = Case.objects.get()
    assert case.victim_links.count() == 2 and case.involvements.count() == 1


def test_create_puts_a_service_error_on_the_victim_field_and_saves_nothing(unit_bjm):
    payload = _create_payload(**{"victims-1-nik": "12345"})
    response = client_for(unit_bjm).post(reverse("cases:create"), payload)
    assert response.status_code == 400
    victim_form = response.context["victims"].forms[1]
    assert "NIK harus terdiri dari 16 angka." in victim_form.errors["nik"]
    assert "12345" not in str(victim_form.errors)
    assert Case.objects.count() == 0


def test_create_refuses_a_future_date_with_a_field_message(unit_bjm):
    response = client_for(unit_bjm).post(
        reverse("cases:create"), _create_payload(reported_on="2099-01-01")
    )
    assert response.status_code == 400
    assert "Tanggal tidak boleh di masa depan." in response.context["form"].errors["reported_on"]
    assert Case.objects.count() == 0


def test_regency_officer_may_only_pick_own_regency(regency_bjm):
    response = client_for(regency_bjm).post(
        reverse("cases:create"), _create_payload(regency="6310")
    )
    assert response.status_code == 400
    assert "regency" in response.context["form"].errors
    assert Case.objects.count() == 0


# --- Edit and the version -----------------------------------------------------------------


def _edit_payload(case: Case, **overrides) -> dict:
    data = {
        "regency": case.regency_id,
        "police_report_no": case.police_report_no,
        "external_ref": case.external_ref,
        "reported_on": case.reported_on.isoformat(),
        "occurred_from": "",
        "occurred_to": "",
        "summary": case.summary,
        "labour_sector": "",
        "recruiter_relation": "",
        "transnational": "unknown",
        "destination_country": "",
        "complicity": "unknown",
        "simfoni_id": "",
        "status": case.status,
        "exploitation_types": case.exploitation_types,
        "means_of_control": case.means_of_control,
        "version": case.version,
    }
    data.update(overrides)
    return data


def test_edit_carries_the_version_and_saves(unit_bjm):
    case = make_case(unit_bjm)
    c = client_for(unit_bjm)
    form = c.get(reverse("cases:edit", args=[case.pk]))
    assert 'name="version" value="1"' in form.text
    response = c.post(reverse("cases:edit", args=[case.pk]), _edit_payload(case, summary="Baru."))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Baru." and case.version == 2


def test_stale_edit_is_refused_not_overwritten(unit_bjm, regency_bjm):
    case = make_case(unit_bjm)
    stale = _edit_payload(case, summary="Perubahan yang basi.")
    # Someone else saves first.
    assert (
        client_for(regency_bjm)
        .post(reverse("cases:edit", args=[case.pk]), _edit_payload(case, summary="Lebih dulu."))
        .status_code
        == 302
    )
    response = client_for(unit_bjm).post(reverse("cases:edit", args=[case.pk]), stale)
    assert response.status_code == 409
    assert "telah diubah oleh pengguna lain" in response.text
    case.refresh_from_db()
    assert case.summary == "Lebih dulu." and case.version == 2


# --- Stages -------------------------------------------------------------------------------


def test_stage_form_offers_only_allowed_next_stages(unit_bjm):
    case = make_case(unit_bjm)  # PENGADUAN
    page = client_for(unit_bjm).get(reverse("cases:stage", args=[case.pk]))
    offered = [value for value, _label in page.context["form"].fields["stage"].choices]
    assert offered == ["LAPORAN_POLISI", "PENYELIDIKAN", "LIDIK_DIHENTIKAN", "DIALIHKAN_NON_PIDANA"]


def test_record_stages_and_refuse_a_jump(unit_bjm):
    case = make_case(unit_bjm)
    c = client_for(unit_bjm)
    url = reverse("cases:stage", args=[case.pk])
    ok = c.post(
        url, {"stage": "LAPORAN_POLISI", "occurred_on": "2026-03-03", "document_no": "LP/9"}
    )
    assert ok.status_code == 302
    jump = c.post(url, {"stage": "PUTUSAN", "occurred_on": "2026-03-04"})
    assert jump.status_code == 400
    assert "stage" in jump.context["form"].errors
    early = c.post(url, {"stage": "PENYELIDIKAN", "occurred_on": "2026-03-01"})
    assert early.status_code == 400
    assert "occurred_on" in early.context["form"].errors
    assert list(StageEvent.objects.filter(case=case).values_list("stage", flat=True)) == [
        "PENGADUAN",
        "LAPORAN_POLISI",
    ]


# --- Perpetrators and verdicts ------------------------------------------------------------


def test_add_an_existing_perpetrator_found_by_a_post_search(unit_bjm):
    first = make_case(unit_bjm, perpetrators=0, victims=0)
    second = make_case(unit_bjm, perpetrators=0, victims=0)
    c = client_for(unit_bjm)
    c.post(
        reverse("cases:involvement_add", args=[first.pk]),
        {
            "action": "add",
            "name": "Haji Sindikat",
            "kind": "ORANG",
            "nationality": "IDN",
            "legal_status": "DPO",
        },
    )
    person = Perpetrator.objects.get(name="Haji Sindikat")
    url = reverse("cases:involvement_add", args=[second.pk])
    found = c.post(url, {"action": "search", "q": "sindikat"})
    assert found.status_code == 200 and "Haji Sindikat" in found.text
    added = c.post(
        url,
        {
            "action": "add",
            "perpetrator": person.pk,
            "kind": "ORANG",
            "nationality": "IDN",
            "legal_status": "TERSANGKA",
            "roles": ["PEREKRUT"],
        },
    )
    assert added.status_code == 302
    assert Perpetrator.objects.count() == 1
    assert set(person.involvements.values_list("case_id", flat=True)) == {first.pk, second.pk}
    assert person.involvements.get(case=second).roles == ["PEREKRUT"]


def test_add_perpetrator_needs_a_choice_or_a_name(unit_bjm):
    case = make_case(unit_bjm, perpetrators=0)
    response = client_for(unit_bjm).post(
        reverse("cases:involvement_add", args=[case.pk]),
        {"action": "add", "kind": "ORANG", "nationality": "IDN", "legal_status": "TERSANGKA"},
    )
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert Involvement.objects.count() == 0


def test_record_a_verdict_and_refuse_an_inconsistent_one(unit_bjm):
    case = make_case(unit_bjm)
    involvement = case.involvements.get()
    c = client_for(unit_bjm)
    url = reverse("cases:involvement_edit", args=[involvement.pk])
    bad = c.post(
        url,
        {
            "legal_status": "TERDAKWA",
            "verdict": "BEBAS",
            "verdict_on": "2026-11-01",
            "sentence_months": "24",
            "version": "1",
        },
    )
    assert bad.status_code == 400
    assert "sentence_months" in bad.context["form"].errors
    good = c.post(
        url,
        {
            "legal_status": "TERPIDANA",
            "verdict": "DIPIDANA",
            "verdict_on": "2026-11-01",
            "sentence_months": "48",
            "fine": "120000000",
            "roles": ["PEREKRUT"],
            "version": "1",
        },
    )
    assert good.status_code == 302
    involvement.refresh_from_db()
    assert involvement.verdict == "DIPIDANA" and involvement.sentence_months == 48


@pytest.mark.parametrize("rows", [1, 4])
def test_perpetrator_page_lists_only_visible_cases_in_fixed_queries(
    unit_bjm, outsider, province, rows, django_assert_num_queries, overhead
):
    mine = [make_case(unit_bjm, perpetrators=0, victims=0) for _ in range(rows)]
    theirs = make_case(outsider, regency="6310", perpetrators=0, victims=0)
    person = Perpetrator.objects.create(name="Sindikat Lintas Kabupaten")
    for case in [*mine, theirs]:
        Involvement.objects.create(case=case, perpetrator=person)
    c = client_for(unit_bjm)
    # 1 the perpetrator (in scope), 2 involvements with cases and regencies, 3 their roles
    with django_assert_num_queries(overhead(c) + 3):
        page = c.get(reverse("cases:perpetrator", args=[person.pk]))
    assert all(case.register_no in page.text for case in mine)
    assert theirs.register_no not in page.text
    every = client_for(province).get(reverse("cases:perpetrator", args=[person.pk]))
    assert theirs.register_no in every.text


def test_history_lists_changed_fields(unit_bjm):
    case = make_case(unit_bjm)
    from cases.services import case_update

    before = timezone.now()
    case_update(by=unit_bjm, case=case, version=1, summary="Ringkasan baru.")
    history = client_for(unit_bjm).get(reverse("cases:detail", args=[case.pk])).context["history"]
    assert [str(f) for f in history[0]["fields"]] == ["ringkasan"]
    assert before <= history[0]["at"] <= timezone.now()


def test_detail_of_a_case_without_history_records(unit_bjm):
    """Bulk-loaded cases (imports, demo data) have no history rows: the page still works."""
    case = make_case(unit_bjm)
    case.history.all().delete()
    page = client_for(unit_bjm).get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and page.context["history"] == []
