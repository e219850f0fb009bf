"""Who may open what: every route × every role, plus object-level checks."""

import pytest

from app.accounts.roles import Role
from app.certificates.batches import create_batch
from app.certificates.services import issue_certificate
from app.extensions import db
from tests import factories

ANON = "anonymous"
ROLES = [ANON, Role.ADMIN, Role.EVALUATOR, Role.REVIEWER, Role.CANDIDATE]
STAFF = {Role.ADMIN, Role.EVALUATOR, Role.REVIEWER}
EVERYONE = set(ROLES)
HOLDER_SIDE = {Role.ADMIN, Role.REVIEWER, Role.CANDIDATE}

# (method, url template, roles allowed). Placeholders are filled from the scenario below.
MATRIX = [
    ("GET", "/", EVERYONE),
    ("GET", "/login", EVERYONE),
    ("POST", "/login", EVERYONE),
    ("POST", "/logout", STAFF | {Role.CANDIDATE}),
    ("POST", "/language", EVERYONE),
    ("GET", "/candidates/", {Role.ADMIN}),
    ("POST", "/candidates/", {Role.ADMIN}),
    ("GET", "/centre/", {Role.ADMIN}),
    ("POST", "/centre/", {Role.ADMIN}),
    ("GET", "/centre/logo", {Role.ADMIN}),
    ("GET", "/evaluators/", {Role.ADMIN}),
    ("POST", "/evaluators/", {Role.ADMIN}),
    ("GET", "/standards/", STAFF),
    ("GET", "/standards/new", {Role.ADMIN}),
    ("POST", "/standards/new", {Role.ADMIN}),
    ("GET", "/standards/{standard}", STAFF),
    ("POST", "/standards/{standard}/elements", {Role.ADMIN}),
    ("POST", "/standards/{standard}/criteria", {Role.ADMIN}),
    ("POST", "/standards/{standard}/items", {Role.ADMIN}),
    ("POST", "/standards/{standard}/rule", {Role.ADMIN}),
    ("POST", "/standards/{standard}/publish", {Role.ADMIN}),
    ("GET", "/assessments/", STAFF),
    ("GET", "/assessments/new", {Role.ADMIN}),
    ("POST", "/assessments/new", {Role.ADMIN}),
    ("GET", "/assessments/{assessment}", STAFF | {Role.CANDIDATE}),
    ("POST", "/assessments/{assessment}/results", {Role.EVALUATOR}),
    ("POST", "/assessments/{assessment}/sign-off", {Role.EVALUATOR}),
    ("POST", "/assessments/{assessment}/review", {Role.REVIEWER}),
    ("POST", "/assessments/{assessment}/certify", {Role.ADMIN}),
    ("GET", "/certificates/", {Role.ADMIN, Role.REVIEWER, Role.CANDIDATE}),
    ("GET", "/certificates/{certificate}", HOLDER_SIDE),
    ("POST", "/certificates/{certificate}/status", {Role.ADMIN}),
    ("POST", "/certificates/{certificate}/reissue", {Role.ADMIN}),
    ("GET", "/certificates/{certificate}/pdf", HOLDER_SIDE),
    ("GET", "/certificates/{certificate}/badge.json", HOLDER_SIDE),
    ("POST", "/certificates/batches", {Role.ADMIN}),
    ("GET", "/certificates/batches/{batch}", {Role.ADMIN}),
    ("GET", "/certificates/batches/{batch}/progress", {Role.ADMIN}),
    ("POST", "/certificates/batches/{batch}/run", {Role.ADMIN}),
    ("GET", "/certificates/batches/{batch}/zip", {Role.ADMIN}),
    ("GET", "/v/{certificate}", EVERYONE),
    ("POST", "/v/{certificate}/check", EVERYONE),
    ("GET", "/api/v1/certificates/{certificate}", EVERYONE),
    ("GET", "/.well-known/avala/signing-key.pem", EVERYONE),
    ("GET", "/.well-known/avala/keys/{key}.pem", EVERYONE),
    ("GET", "/.well-known/avala/issuer.json", EVERYONE),
    ("GET", "/verify", EVERYONE),
]


@pytest.fixture
def scenario(world):
    certified = world.approved()
    certificate = issue_certificate(world.admin, certified)
    batch = create_batch(world.admin, [certified.id])
    world.centre.logo, world.centre.logo_mimetype = b"\x89PNG fake", "image/png"
    db.session.commit()
    users = {
        Role.ADMIN: world.admin,
        Role.EVALUATOR: world.evaluator,
        Role.REVIEWER: world.reviewer,
        Role.CANDIDATE: world.candidate.user,
    }
    ids = {
        "standard": world.standard.id,
        "assessment": certified.id,
        "certificate": certificate.public_id,
        "batch": batch.id,
        "key": certificate.key_id,
    }
    return users, ids


def test_matrix_covers_every_route(app):
    rules = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    listed = {
        (
            method,
            template.replace("{standard}", "<int:standard_id>")
            .replace("{assessment}", "<int:assessment_id>")
            .replace("{certificate}", "<public_id>")
            .replace("{batch}", "<int:batch_id>")
            .replace("{key}", "<key_id>"),
        )
        for method, template, _ in MATRIX
    }
    assert rules == listed


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize(
    ("method", "template", "allowed"), MATRIX, ids=[f"{m} {t}" for m, t, _ in MATRIX]
)
def test_route_access(client, login, scenario, role, method, template, allowed):
    users, ids = scenario
    if role != ANON:
        login(users[role])
    response = client.open(template.format(**ids), method=method)
    if role in allowed:
        assert response.status_code not in (401, 403, 404), response.status_code
        assert response.status_code < 500, response.status_code
    elif role == ANON:
        assert response.status_code == 302 and "/login" in response.location
    else:
        assert response.status_code in (403, 404)


def test_candidate_cannot_download_another_candidates_certificate(world, client, login):
    certificate = issue_certificate(world.admin, world.approved(world.other_candidate))
    db.session.commit()
    login(world.candidate.user)
    assert client.get(f"/certificates/{certificate.public_id}/pdf").status_code == 404
    login(world.other_candidate.user)
    assert client.get(f"/certificates/{certificate.public_id}/pdf").status_code == 200


def test_evaluator_sees_only_own_assessments(world, client, login):
    mine = world.schedule()
    colleague = factories.make_user(world.centre, Role.EVALUATOR, "Otro Evaluador")
    factories.accredit(colleague, world.standard)
    theirs = world.schedule(world.other_candidate, evaluator=colleague)
    db.session.commit()
    login(world.evaluator)
    listing = client.get("/assessments/").get_data(as_text=True)
    assert world.candidate.full_name in listing
    assert world.other_candidate.full_name not in listing
    assert client.get(f"/assessments/{mine.id}").status_code == 200
    assert client.get(f"/assessments/{theirs.id}").status_code == 404


def test_admin_of_another_centre_sees_nothing_of_this_one(world, client, login):
    assessment = world.schedule()
    other_centre = factories.make_centre("CONALEP Plantel Tlalnepantla")
    outsider = factories.make_user(other_centre, Role.ADMIN)
    db.session.commit()
    login(outsider)
    assert client.get(f"/assessments/{assessment.id}").status_code == 404
    assert world.candidate.full_name not in client.get("/candidates/").get_data(as_text=True)
