"""The published OpenAPI schema, its docs, and schemathesis against it with all its checks.

Schemathesis 4.32.5 runs every check it has (`schemathesis.checks.CHECKS`: server errors,
status codes, content types, headers, response schemas, acceptance of valid and rejection
of invalid data, missing required headers, unsupported methods, the `Allow` header,
ignored authentication, use after free, resource availability, object-level
authorization) over every operation, three ways:

- per operation, as a unit officer of Banjarmasin: the examples, the coverage phase
  (boundary values, missing and malformed parameters, unexpected methods) and generated
  positive and negative data;
- per operation, without credentials: every answer is a 401;
- as workflows (links inferred from the schema: create a case, read it, change it...),
  where a second identity, a unit officer of Tanah Bumbu, replays every read of a record
  the first one owns and must get nothing.

Bounded for CI: few examples per operation, derandomized, no shrinking of failures.
"""

import atexit
import json
import os
import secrets
import tempfile
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from rest_framework.throttling import UserRateThrottle
from schemathesis.checks import (
    CHECKS,
    load_all_checks,
)
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from agencies.models import ApiToken
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


def test_free_text_query_parameters_say_they_refuse_nul(schema_doc, unit_bjm):
    """A NUL in `?search=` is a 400 (PostgreSQL cannot search for it): the schema says so,
    or a client generating valid requests from it would be refused."""
    (search,) = [
        p
        for p in schema_doc["paths"]["/api/v1/cases/"]["get"]["parameters"]
        if p["name"] == "search"
    ]
    assert search["schema"]["pattern"] == "^[^\\u0000]*$"
    response = api_client(unit_bjm).get("/api/v1/cases/", {"search": "a\x00"})
    assert response.status_code == 400


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


def test_the_docs_are_served_from_local_assets(unit_bjm):
    from tests.conftest import client_for

    response = client_for(unit_bjm).get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html


# --- schemathesis --------------------------------------------------------------------------


def published_schema() -> dict:
    """What /api/v1/schema/ serves (test_the_published_schema_is_what_schemathesis_tests
    checks that), built without a request so that it can parametrize the tests below."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


def test_the_published_schema_is_what_schemathesis_tests(schema_doc):
    assert schema_doc == published_schema()


# The two identities, as a Web Fuzzing Commons document (schemathesis' way of naming
# users). Their tokens are made for this run and stored by the `api_world` fixture.
IDENTITIES = {"unit_bjm": secrets.token_hex(20), "outsider": secrets.token_hex(20)}
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as _wfc:
    json.dump(
        {
            "auth": [
                {
                    "name": name,
                    "fixedHeaders": [{"name": "Authorization", "value": f"Token {key}"}],
                }
                for name, key in IDENTITIES.items()
            ]
        },
        _wfc,
    )
atexit.register(os.unlink, _wfc.name)

CONFIG = {
    # Requests are made as the unit officer; the outsider is the peer that must not see
    # the unit's records (object_level_authorization).
    "auth": {"wfc": {"path": _wfc.name, "user": "unit_bjm", "peers": list(IDENTITIES)}},
    "operations": [
        {
            # Writes obey rules the schema cannot state: a regency, agency, victim or case
            # named must exist and be in the caller's scope, dates must follow each other
            # (occurred_from before occurred_to, nothing in the future, no return for a
            # month to come), a stage must follow the case's current one, a version must
            # be current, and a change must carry it (the `version` field or If-Match: one
            # of the two, which the schema cannot require). The contract (api.md,
            # "Guarantees") answers such input with a 400 and field-level messages, or
            # 409/412/428 for the version, all documented per operation in the schema.
            "include-method": ["POST", "PATCH"],
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": [
                        *("2xx", "3xx", "400", "401", "403", "404"),
                        *("409", "412", "428", "429"),
                    ]
                }
            },
        }
    ],
}

schema = schemathesis.openapi.from_dict(
    published_schema(), config=SchemathesisConfig.from_dict(CONFIG)
)
anonymous_schema = schemathesis.openapi.from_dict(published_schema())
# Every request, the checks' own probes included, goes through the WSGI application.
schema.app = anonymous_schema.app = WSGI


def test_every_check_schemathesis_has_is_enabled():
    load_all_checks()
    names = {check.__name__ for check in CHECKS.get_all()}
    assert len(names) >= 14 and "object_level_authorization" in names
    for config in (schema.config.checks_config_for(), anonymous_schema.config.checks_config_for()):
        for name in names:
            assert config.get_by_name(name=name).enabled, name


@pytest.fixture
def api_world(settings, unit_bjm, outsider, monkeypatch):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "100000/min"})
    expires_at = timezone.now() + timedelta(days=1)
    ApiToken.objects.create(user=unit_bjm, key=IDENTITIES["unit_bjm"], expires_at=expires_at)
    ApiToken.objects.create(user=outsider, key=IDENTITIES["outsider"], expires_at=expires_at)
    # A few records, so that lists and filters have rows to show, and the outsider one
    # of their own.
    make_case(unit_bjm, victims=2)
    make_case(unit_bjm, regency="6372")
    make_case(outsider, regency="6310")
    # Requests run in the test's transaction, on its connection: as Django's test client
    # does, keep the request signals from closing that connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


BOUNDED = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@BOUNDED
def test_api_honours_its_schema(case, api_world):
    """Every operation as a unit officer, every check."""
    case.call_and_validate()


@anonymous_schema.parametrize()
@settings(BOUNDED, max_examples=5)
def test_api_refuses_the_anonymous(case, api_world):
    """Every operation without credentials: a 401 whatever the request, every check. An
    address no route matches (an id that is not a number) is the API's JSON 404."""
    response = case.call_and_validate()
    unroutable = case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH)
    assert response.status_code == 401 or (unroutable and response.status_code == 404), (
        case.method,
        case.formatted_path,
        response.status_code,
    )


Workflows = schema.as_state_machine()


def test_api_workflows(api_world):
    """Chains of operations linked through the ids they return (a case created, read,
    changed, its victims' services...), every check; the outsider replays the reads.

    Generated, so it finds a scope leak by chance, if quickly (a case detail left unscoped
    fails it within a few seconds); the proof that every route is scoped is the sweep in
    tests/security/test_authorization_sweep.py."""
    Workflows.run(settings=settings(BOUNDED, max_examples=60, stateful_step_count=6))
