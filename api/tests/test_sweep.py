"""Schemathesis against /api/v1/openapi.json: no server error, every answer as documented.

Property-based: for every operation it generates valid and invalid parameters and bodies from the schema and
checks each response (status code, content type, headers and body against the document). It runs once in CI on
PostgreSQL (ALIS_SWEEP=1, see .ci/run), not in the quick suite:

    ALIS_SWEEP=1 DATABASE_URL=postgres://… python -m pytest -m sweep api/tests/test_sweep.py
"""

import os
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from api.tokens import token_create

pytestmark = [
    pytest.mark.sweep,
    pytest.mark.skipif(not os.environ.get("ALIS_SWEEP"), reason="the sweep runs with ALIS_SWEEP=1 (once in CI)"),
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("ALIS_SWEEP_EXAMPLES", "40"))


@pytest.fixture
def wsgi_app(db, settings):
    """Django itself, called as the WSGI application, inside the test's transaction, on the small demo data set
    (an office user in Vest, the Helsedirektoratet reader …), which the transaction takes away again.

    Django closes the database connection around each request; inside a test's transaction that would end it,
    so those two signal handlers are off while the sweep runs (as Django's own test client does).
    """
    settings.API_THROTTLE_RATE = None
    call_command("load_reference", verbosity=0)
    call_command("seed_demo", size="small", verbosity=0)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _token(username: str) -> str:
    return token_create(user=User.objects.get(username=username), name="sweep")[1]


def _sweep(app, token: str) -> list[str]:
    """Every operation, with data that fits the schema and data that does not; the failures found."""
    statuses: Counter[str] = Counter()

    def counted(environ, start_response):
        def start(status, headers, *args):
            statuses[status.split()[0]] += 1
            return start_response(status, headers, *args)

        return app(environ, start)

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", counted)
    # The app gzips answers for clients that accept it; the checks read the body as sent, so none is asked for.
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def run(case) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            # Schemathesis raises its findings as an exception group; each operation's are kept, then the next runs.
            except (Exception, BaseExceptionGroup) as failure:
                failures.append(f"{operation.method.upper()} {operation.path} ({mode}): {failure}")
    print(f"{sum(statuses.values())} requests, by status: {dict(sorted(statuses.items()))}")
    return failures


def test_an_office_users_token(wsgi_app):
    failures = _sweep(wsgi_app, _token("vest"))
    assert failures == [], "\n\n".join(failures)


def test_the_readers_token(wsgi_app):
    failures = _sweep(wsgi_app, _token("hdir"))
    assert failures == [], "\n\n".join(failures)
