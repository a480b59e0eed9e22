"""The published OpenAPI schema, its docs, and schemathesis against it."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import UserRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.helpers import api_client
from tests.factories import make_case

pytestmark = pytest.mark.django_db

WSGI = get_wsgi_application()

ERRORS_OF = {
    ("get", "/api/v1/cases/"): {"400", "401", "429"},
    ("post", "/api/v1/cases/"): {"400", "401", "403", "409", "429"},
    ("get", "/api/v1/cases/{id}/"): {"401", "404", "429"},
    ("patch", "/api/v1/cases/{id}/"): {"400", "401", "403", "404", "409", "412", "428", "429"},
    ("post", "/api/v1/cases/{id}/stages/"): {"400", "401", "403", "404", "429"},
    ("get", "/api/v1/victims/{code}/"): {"401", "404", "429"},
    ("post", "/api/v1/victims/{code}/services/"): {"400", "401", "403", "404", "429"},
    ("post", "/api/v1/services/{id}/transition/"): {"400", "401", "403", "404", "429"},
}


@pytest.fixture
def schema_doc(unit_bjm):
    response = api_client(unit_bjm).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_its_errors(schema_doc):
    for (method, path), codes in ERRORS_OF.items():
        responses = schema_doc["paths"][path][method]["responses"]
        assert codes <= set(responses), (method, path, sorted(responses))
        error = responses["404" if "404" in codes else "400"]["content"]["application/json"]
        assert error["schema"]["$ref"].endswith("/Error")
    throttled = schema_doc["paths"]["/api/v1/cases/"]["get"]["responses"]["429"]
    assert "Retry-After" in throttled["headers"]


def test_every_operation_documents_401_and_429(schema_doc):
    for path, operations in schema_doc["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert {"401", "429"} <= set(operation["responses"]), (method, path)


def test_the_contract_paths_are_published(schema_doc):
    for path in [
        "/api/v1/regencies/",
        "/api/v1/agencies/",
        "/api/v1/cases/",
        "/api/v1/cases/{id}/",
        "/api/v1/cases/{id}/stages/",
        "/api/v1/victims/",
        "/api/v1/victims/{code}/",
        "/api/v1/victims/{code}/services/",
        "/api/v1/services/{id}/transition/",
        "/api/v1/perpetrators/",
        "/api/v1/perpetrators/{id}/",
    ]:
        assert path in schema_doc["paths"], path


def test_the_docs_are_served_from_local_assets(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html


# --- schemathesis --------------------------------------------------------------------------


def published_schema() -> dict:
    """What /api/v1/schema/ serves (test_the_published_schema_is_what_schemathesis_tests
    checks that), built without a request so that it can parametrize the test below."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


def test_the_published_schema_is_what_schemathesis_tests(schema_doc):
    assert schema_doc == published_schema()


schema = schemathesis.openapi.from_dict(published_schema())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def unit_token(settings, unit_bjm, monkeypatch):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "100000/min"})
    # A few records, so that lists and filters have rows to show.
    make_case(unit_bjm, victims=2)
    make_case(unit_bjm, regency="6372")
    # Requests run in the test's transaction, on its connection: as Django's test client
    # does, keep the request signals from closing that connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield Token.objects.create(user=unit_bjm).key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_honours_its_schema(case, unit_token):
    """Bounded: a dozen generated requests per operation, authenticated as a unit officer,
    through the WSGI application in the test's transaction."""
    case.call_and_validate(
        app=WSGI, headers={"Authorization": f"Token {unit_token}"}, checks=CHECKS
    )
