"""The API and its OpenAPI document agree: schemathesis generates requests for every operation
of /api/v1/openapi.json, valid and invalid, sends them with a staff token, and checks each
answer against the document: no server error, a documented status code, a body of the
documented shape and content type, invalid input refused, a token required where declared.

A write may refuse a body its schema allows for a rule no JSON schema can state (an ID
number's check digit, a row that must exist, one date after another), so "valid data is
accepted" is checked on reads only. Bounded and derandomized: the same cases every run.
"""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.accounts.services.tokens import create_token
from tests import factories as f

EXAMPLES = 8  # per operation and mode: ~45 operations × 2 modes stay under a minute on SQLite


def _world(db) -> dict:
    """A staff token, and a small world for the generated ids to find now and then."""
    f.EventFactory()
    f.PersonFactory(organisation_id=f.OrganisationFactory().id)
    _, text = create_token(f.staff(), "schemathesis")
    db.session.commit()
    return {"Authorization": f"Bearer {text}"}


def _check_operation(operation, mode: GenerationMode, headers: dict) -> None:
    excluded = [] if operation.method.upper() == "GET" else [positive_data_acceptance]

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    check()


def test_every_operation_answers_as_its_document_says(app, db):
    headers = _world(db)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _check_operation(operation, mode, headers)
            except (AssertionError, BaseExceptionGroup) as error:
                failures[f"{operation.label} ({mode.value})"] = str(error)
    assert not failures, "\n\n".join(f"{label}: {error}" for label, error in failures.items())
