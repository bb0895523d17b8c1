"""The OpenAPI 3.1 document is valid and says what the API answers; the docs page works under our CSP."""

import re

import pytest
from django.test import Client
from openapi_spec_validator import validate

from api.problems import MEDIA_TYPE


@pytest.fixture
def document(db) -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document: dict):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_it_is_a_valid_openapi_3_1_document(document):
    assert document["openapi"].startswith("3.1")
    validate(document)
    assert document["info"]["title"] == "ALIS-oversikt API"
    assert document["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_every_error_is_documented_as_a_problem_document(document):
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        public = "security" not in operation
        expected = {"404", "422", "429"} if public else {"401", "422", "429"}
        assert expected <= set(responses), (path, method)
        if method == "patch":
            assert {"400", "403", "404", "409", "412", "422", "428"} <= set(responses), path
            assert any(p["name"] == "If-Match" and p["in"] == "header" for p in operation["parameters"]), path
        if method == "post":
            assert {"400", "403", "409", "422"} <= set(responses), path
        for status, response in responses.items():
            if status.startswith("4"):
                assert list(response["content"]) == [MEDIA_TYPE], (path, method, status)


def test_only_the_course_calendar_is_public(document):
    public = sorted({path for path, _method, operation in _operations(document) if "security" not in operation})
    assert public == ["/api/v1/courses/", "/api/v1/courses/{pk}/", "/api/v1/gatherings/"]


def test_list_parameters_say_their_bounds_and_choices(document):
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/trainings/"]["get"]["parameters"]}
    assert parameters["page_size"]["schema"]["maximum"] == 100
    assert "-start" in parameters["sort"]["schema"]["enum"]
    assert set(parameters["scheme"]["schema"]["anyOf"][0]["enum"]) == {"", "new", "old"}


def test_the_docs_are_served_from_our_own_static_files_within_the_csp(db):
    client = Client()
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    styles = re.findall(r'<link[^>]*href="([^"]+\.css)"', html)
    assert scripts and styles
    for url in [*scripts, *styles]:
        assert url.startswith("/static/"), url  # no CDN
        assert client.get(url).status_code == 200, url
    # No inline script to execute: the only inline one is JSON settings, which the CSP need not allow.
    inline = re.findall(r"<script(?![^>]*src=)([^>]*)>", html)
    assert all('type="application/json"' in attributes for attributes in inline)
    assert '"validatorUrl": null' in html
