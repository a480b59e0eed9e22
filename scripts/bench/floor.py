"""The benchmark's floor: the API's case-list page produced by one hand-written SQL query.

Served only by the bench's own URLconf (`scripts/bench/urls.py`, `make bench`), never by the
product: it skips the access rule and serves the whole database to any signed-in user.
It answers the same JSON as `GET /api/v1/cases/` for a province user (same fields, same
order, same pagination envelope), so the two can be timed side by side.
"""

import json

from django.db import connection
from django.http import HttpResponse
from rest_framework.decorators import api_view

CODES = "COALESCE((SELECT json_agg(code ORDER BY code) FROM cases_casecode WHERE case_id = p.id AND field = '{}'), '[]')"

QUERY = f"""
WITH page AS (
    SELECT c.*
    FROM cases_case c
    ORDER BY c.reported_on DESC, c.id DESC
    LIMIT %s OFFSET %s
)
SELECT json_build_object(
    'count', (SELECT count(*) FROM cases_case),
    'results', COALESCE(json_agg(item ORDER BY reported_on DESC, id DESC), '[]')
)::text
FROM (
    SELECT p.reported_on, p.id, json_build_object(
        'id', p.id, 'register_no', p.register_no, 'external_ref', p.external_ref,
        'regency', p.regency_id, 'reporting_agency', p.reporting_agency_id,
        'handling_agencies', COALESCE((SELECT json_agg(agency_id ORDER BY agency_id)
                                       FROM cases_caseagency WHERE case_id = p.id), '[]'),
        'police_report_no', p.police_report_no, 'reported_on', p.reported_on,
        'occurred_from', p.occurred_from, 'occurred_to', p.occurred_to, 'summary', p.summary,
        'exploitation_types', {CODES.format("EXPLOITATION")},
        'recruitment_modus', {CODES.format("MODUS")},
        'recruitment_channels', {CODES.format("CHANNEL")},
        'means_of_control', {CODES.format("CONTROL")},
        'labour_sector', p.labour_sector, 'recruiter_relation', p.recruiter_relation,
        'transnational', p.transnational, 'destination_country', NULLIF(p.destination_country, ''),
        'complicity', p.complicity, 'stage', p.stage, 'status', p.status,
        'simfoni_id', p.simfoni_id, 'version', p.version,
        'created_at', p.created_at, 'updated_at', p.updated_at,
        'journey', COALESCE((SELECT json_agg(json_build_object(
                'kind', j.kind, 'regency', j.regency_id, 'country', j.country, 'place', j.place,
                'occurred_on', j.occurred_on) ORDER BY j.occurred_on, j.id)
            FROM cases_journeyevent j WHERE j.case_id = p.id), '[]'),
        'stage_events', COALESCE((SELECT json_agg(json_build_object(
                'id', s.id, 'stage', s.stage, 'occurred_on', s.occurred_on,
                'document_no', s.document_no, 'note', s.note, 'reason', s.reason,
                'recorded_at', s.recorded_at) ORDER BY s.occurred_on, s.id)
            FROM cases_stageevent s WHERE s.case_id = p.id), '[]'),
        'victims', COALESCE((SELECT json_agg(json_build_object(
                'code', v.code, 'sex', v.sex, 'age', v.age_at_identification,
                'age_at_exploitation', v.age_at_exploitation, 'is_child', v.is_child,
                'nationality', v.nationality, 'home_regency', v.home_regency_id,
                'education', v.education, 'occupation', v.occupation, 'disability', v.disability,
                'status', v.status, 'identified_on', v.identified_on, 'simfoni_id', v.simfoni_id,
                'matched_existing', l.matched_existing,
                'differences', (l.differences - 'age_at_identification') || CASE
                    WHEN l.differences ? 'age_at_identification'
                    THEN jsonb_build_object('age', l.differences -> 'age_at_identification')
                    ELSE '{{}}'::jsonb END
            ) ORDER BY l.id)
            FROM cases_casevictim l JOIN victims_victim v ON v.id = l.victim_id
            WHERE l.case_id = p.id), '[]'),
        'perpetrators', COALESCE((SELECT json_agg(json_build_object(
                'perpetrator', i.perpetrator_id, 'kind', pp.kind, 'name', pp.name, 'sex', pp.sex,
                'nationality', pp.nationality,
                'roles', COALESCE((SELECT json_agg(r.code ORDER BY r.code)
                                   FROM cases_involvementrole r WHERE r.involvement_id = i.id), '[]'),
                'legal_status', i.legal_status, 'verdict', i.verdict, 'verdict_on', i.verdict_on,
                'sentence_months', i.sentence_months, 'fine', i.fine, 'articles', i.articles,
                'restitution_requested', i.restitution_requested,
                'restitution_awarded', i.restitution_awarded,
                'restitution_paid', i.restitution_paid
            ) ORDER BY i.id)
            FROM cases_involvement i JOIN cases_perpetrator pp ON pp.id = i.perpetrator_id
            WHERE i.case_id = p.id), '[]')
    ) AS item
    FROM page p
) rows
"""


@api_view(["GET"])
def case_list_floor(request):
    size = min(int(request.GET.get("page_size", 50)), 200)
    page = max(int(request.GET.get("page", 1)), 1)
    with connection.cursor() as cursor:
        cursor.execute(QUERY, [size, (page - 1) * size])
        body = json.loads(cursor.fetchone()[0])
    base = request.build_absolute_uri(request.path)
    last = max((body["count"] + size - 1) // size, 1)
    envelope = {
        "count": body["count"],
        "next": f"{base}?page={page + 1}&page_size={size}" if page < last else None,
        "previous": f"{base}?page={page - 1}&page_size={size}" if page > 1 else None,
        "results": body["results"],
    }
    return HttpResponse(json.dumps(envelope), content_type="application/json")
