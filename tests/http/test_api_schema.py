"""The API against its own OpenAPI document, with schemathesis: every operation, with a token of
the issue scope (so the token routes are reached), finds no server error and no answer that
contradicts the document (status, content type, headers, body schema, auth refused without a
token). Bounded: a few examples per operation, the same ones on every run."""

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy import select

from app import create_app
from app.api.models import ApiToken, TokenScope
from app.api.services import create_token
from app.certificates.services import issue_certificate
from app.extensions import db
from config import TestingConfig
from tests import factories

EXAMPLES_PER_OPERATION = 25


class AppUnderTest:
    """The WSGI app schemathesis calls: an app without data to read the document while tests
    are collected, then the module's app with its world (`api_world`)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def _app_without_data():
    instance = Path(tempfile.mkdtemp(prefix="avala-api-schema-"))
    return create_app(
        TestingConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_DIR": instance}
    )


# Well-formed input may still break a rule of the centre (judgements of another centre, or
# already certified): the API answers that with 422, as its document says.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
            }
        }
    }
)
APP = AppUnderTest(_app_without_data())
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP, config=CONFIG)


@pytest.fixture(scope="module")
def api_world(module_app):
    """A certificate, a judgement ready to certify, and a token that may issue."""
    world = factories.make_world()
    issue_certificate(world.admin, world.approved())
    world.approved(world.other_candidate, hours_from_now=3)
    _token, secret = create_token(world.admin, "Schemathesis", TokenScope.ISSUE)
    db.session.commit()
    db.session.remove()
    APP.app = module_app
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_openapi_document_says(case, api_world):
    case.call_and_validate(headers=api_world)
    db.session.remove()


def test_the_token_routes_were_reached_with_the_token(api_world):
    token = db.session.scalar(select(ApiToken))
    assert token.last_used_at is not None
