"""The OpenAPI schema and its docs page, and schemathesis run against that schema through WSGI."""
import collections
import dataclasses
import itertools
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from clubs.tests.factories import add_members
from reporting.figures import ClubFigures

pytestmark = pytest.mark.django_db
SCHEMA_URL = "/api/v1/openapi.json"
# No 500, only documented status codes, and every body as the schema says (errors included).
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def test_schema_without_login_lists_every_endpoint(client):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {
        "/api/v1/indicators", "/api/v1/clubs", "/api/v1/areas", "/api/v1/plans", "/api/v1/plans/{plan_id}"}
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    clubs = schema["paths"]["/api/v1/clubs"]["get"]
    assert {p["name"] for p in clubs["parameters"]} == {"as_of", "district", "commune", "limit", "offset"}
    assert set(clubs["responses"]) == {"200", "401", "404", "422"}



def test_a_club_in_the_schema_has_every_field_of_the_matrix_row(client):
    """ClubOut is reporting.figures.ClubFigures: a figure added to the row is documented and returned."""
    club = client.get(SCHEMA_URL).json()["components"]["schemas"]["ClubOut"]
    fields = [f.name for f in dataclasses.fields(ClubFigures)]
    assert list(club["properties"]) == fields and club["required"] == fields
    assert club["properties"]["areas_done"]["items"] == {"type": "integer"}

def test_docs_page_loads_nothing_from_another_site(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert all(a.startswith("/static/") for a in assets), assets
    assert "<script>" not in page  # the CSP allows no inline script; the settings are JSON data
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, kept on the test's connection: as Django's test client does, the
    requests must not close it (it holds the test's transaction) when they start and finish."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("persona", ["officer_key", "key_a"])
def test_schemathesis_finds_no_server_error(request, persona, club_a, club_b, wsgi_app):
    add_members(club_a, women=30, men=15)
    add_members(club_b, women=4, men=2)
    key = request.getfixturevalue(persona)
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    seen = collections.Counter()
    for operation, mode in itertools.product(operations, GenerationMode):
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=15, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)
            seen[operation.path, response.status_code] += 1

        run()
    # The run reached the data (not only the token check) and the refusals of bad parameters.
    assert {path for path, status in seen if status == 200} == {op.path for op in operations} - {"/api/v1/plans/{plan_id}"}
    assert {status for _path, status in seen} >= {200, 422}
