"""Who may open what: every route × every role, plus object-level checks.

The route × role matrix shares one scenario per module: building it approves a judgement,
renders a real certificate PDF and records a batch, which cost more than all the requests of a
route together when it was built for every case. Each route is one test that tries every role
in turn and reports every wrong answer at once.
"""

import hashlib
import io
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from app.accounts.invitations import issue_token
from app.accounts.models import Accreditation, Credential, TokenPurpose
from app.accounts.roles import Role
from app.accounts.services import create_user
from app.api.models import TokenScope
from app.api.services import create_token
from app.appeals.services import Upload, file_appeal
from app.assessments.services import approve_judgement
from app.certificates.batches import create_batch
from app.certificates.recertification import request_recertification
from app.certificates.services import issue_certificate
from app.diagnostics.services import start_diagnostic
from app.evidence.services import add_evidence
from app.extensions import db
from tests import factories
from tests.evidence_files import photo

ANON = "anonymous"
ROLES = [ANON, Role.BODY_ADMIN, Role.ADMIN, Role.EVALUATOR, Role.REVIEWER, Role.CANDIDATE]
STAFF = {Role.ADMIN, Role.EVALUATOR, Role.REVIEWER}
# The catalogue is the body administrator's; centre staff read its published standards.
READERS = STAFF | {Role.BODY_ADMIN}
BODY = {Role.BODY_ADMIN}
EVERYONE = set(ROLES)
HOLDER_SIDE = {Role.ADMIN, Role.REVIEWER, Role.CANDIDATE}
# JSON API routes that take an API token (Authorization header) and never a session cookie:
# every role and anonymous get 401 here; tests/http/test_api.py tries the tokens.
API_TOKEN = "api token"

# (method, url template, roles allowed). Placeholders are filled from the scenario below.
MATRIX = [
    ("GET", "/", EVERYONE),
    ("GET", "/login", EVERYONE),
    ("POST", "/login", EVERYONE),
    ("POST", "/logout", STAFF | {Role.CANDIDATE, Role.BODY_ADMIN}),
    ("POST", "/language", EVERYONE),
    ("GET", "/candidates/", {Role.ADMIN}),
    ("POST", "/candidates/", {Role.ADMIN}),
    ("GET", "/me/privacy", {Role.CANDIDATE}),
    ("POST", "/me/privacy", {Role.CANDIDATE}),
    ("GET", "/centre/", {Role.ADMIN}),
    ("POST", "/centre/", {Role.ADMIN}),
    ("GET", "/centre/logo", {Role.ADMIN}),
    ("GET", "/staff/", {Role.ADMIN}),
    ("POST", "/staff/", {Role.ADMIN}),
    ("GET", "/centres/", {Role.BODY_ADMIN}),
    ("POST", "/centres/", {Role.BODY_ADMIN}),
    ("GET", "/centres/{centre}", {Role.BODY_ADMIN}),
    ("POST", "/centres/{centre}", {Role.BODY_ADMIN}),
    ("GET", "/centres/{other_centre}", {Role.BODY_ADMIN}),
    ("GET", "/centres/{centre}/edit", {Role.BODY_ADMIN}),
    ("POST", "/centres/{centre}/edit", {Role.BODY_ADMIN}),
    ("POST", "/centres/{other_centre}/deactivate", {Role.BODY_ADMIN}),
    ("POST", "/centres/{other_centre}/reactivate", {Role.BODY_ADMIN}),
    # An account is changed by its administrator only: the evaluator's by the centre
    # administrator, the centre administrator's by the body administrator; the second
    # centre's evaluator by neither (its own administrator is not among the roles here).
    ("POST", "/people/{evaluator}/resend", {Role.ADMIN}),
    ("POST", "/people/{evaluator}/withdraw", {Role.ADMIN}),
    ("POST", "/people/{evaluator}/deactivate", {Role.ADMIN}),
    ("POST", "/people/{evaluator}/reactivate", {Role.ADMIN}),
    ("POST", "/people/{centre_admin}/resend", {Role.BODY_ADMIN}),
    ("POST", "/people/{centre_admin}/withdraw", {Role.BODY_ADMIN}),
    ("POST", "/people/{centre_admin}/deactivate", {Role.BODY_ADMIN}),
    ("POST", "/people/{centre_admin}/reactivate", {Role.BODY_ADMIN}),
    ("POST", "/people/{other_evaluator}/resend", set()),
    ("POST", "/people/{other_evaluator}/withdraw", set()),
    ("POST", "/people/{other_evaluator}/deactivate", set()),
    ("POST", "/people/{other_evaluator}/reactivate", set()),
    ("GET", "/invitations/{invitation}", EVERYONE),
    ("POST", "/invitations/{invitation}", EVERYONE),
    ("GET", "/password/forgot", EVERYONE),
    ("POST", "/password/forgot", EVERYONE),
    ("GET", "/password/change", set(ROLES) - {ANON}),
    ("POST", "/password/change", set(ROLES) - {ANON}),
    ("GET", "/password/reset/{reset}", EVERYONE),
    ("POST", "/password/reset/{reset}", EVERYONE),
    ("GET", "/evaluators/", {Role.ADMIN}),
    ("POST", "/evaluators/", {Role.ADMIN}),
    ("POST", "/evaluators/credentials", {Role.ADMIN}),
    ("GET", "/evaluators/credentials/{credential}/file", {Role.ADMIN}),
    ("GET", "/evaluators/accreditations/{accreditation}", {Role.ADMIN}),
    ("POST", "/evaluators/accreditations/{accreditation}", {Role.ADMIN}),
    ("POST", "/evaluators/accreditations/{accreditation}/withdraw", {Role.ADMIN}),
    ("GET", "/standards/", READERS),
    ("GET", "/standards/new", BODY),
    ("POST", "/standards/new", BODY),
    ("GET", "/standards/{standard}", READERS),
    ("POST", "/standards/{standard}/elements", BODY),
    ("POST", "/standards/{standard}/criteria", BODY),
    ("POST", "/standards/{standard}/items", BODY),
    ("POST", "/standards/{standard}/rule", BODY),
    ("GET", "/standards/{standard}/publish", BODY),
    ("POST", "/standards/{standard}/publish", BODY),
    ("GET", "/standards/{standard}/edit", BODY),
    ("POST", "/standards/{standard}/edit", BODY),
    ("POST", "/standards/{standard}/elements/{element}", BODY),
    ("POST", "/standards/{standard}/criteria/{criterion}", BODY),
    ("POST", "/standards/{standard}/items/{item}", BODY),
    ("POST", "/standards/{standard}/items/missing", BODY),
    ("POST", "/standards/{standard}/{kind}/{line}/move", BODY),
    ("POST", "/standards/{standard}/{kind}/{line}/delete", BODY),
    ("POST", "/standards/{standard}/items/{line}/split", BODY),
    ("GET", "/standards/{standard}/cancel", BODY),
    ("POST", "/standards/{standard}/cancel", BODY),
    ("GET", "/standards/{standard}/delete", BODY),
    ("POST", "/standards/{standard}/delete", BODY),
    ("GET", "/standards/{standard}/new-version", BODY),
    ("POST", "/standards/{standard}/new-version", BODY),
    ("GET", "/standards/import", BODY),
    ("POST", "/standards/import", BODY),
    ("GET", "/standards/{standard}/export.{file_format}", READERS),
    # Drafts are the body administrator's only: centre staff get 404, not the page.
    ("GET", "/standards/{draft}", BODY),
    ("GET", "/standards/{draft}/export.{file_format}", BODY),
    ("GET", "/standards/offered", {Role.ADMIN}),
    ("POST", "/standards/offered", {Role.ADMIN}),
    ("POST", "/standards/offered/{standard}/withdraw", {Role.ADMIN}),
    ("GET", "/assessments/", STAFF),
    ("GET", "/assessments/new", {Role.ADMIN}),
    ("POST", "/assessments/new", {Role.ADMIN}),
    ("GET", "/assessments/{assessment}", STAFF | {Role.CANDIDATE}),
    ("GET", "/diagnostics/", STAFF | {Role.CANDIDATE}),
    ("POST", "/diagnostics/", {Role.ADMIN, Role.EVALUATOR}),
    ("GET", "/diagnostics/{diagnostic}", STAFF | {Role.CANDIDATE}),
    # The reviewer reads a diagnostic of the centre but does not answer it.
    ("POST", "/diagnostics/{diagnostic}", {Role.ADMIN, Role.EVALUATOR, Role.CANDIDATE}),
    ("POST", "/assessments/{assessment}/declaration", {Role.EVALUATOR}),
    ("POST", "/assessments/{assessment}/results", {Role.EVALUATOR}),
    ("POST", "/assessments/{assessment}/results/autosave", {Role.EVALUATOR}),
    ("GET", "/assessments/{assessment}/sign-off", {Role.EVALUATOR}),
    ("POST", "/assessments/{assessment}/sign-off", {Role.EVALUATOR}),
    ("POST", "/assessments/{assessment}/review", {Role.REVIEWER}),
    ("GET", "/assessments/{assessment}/cedula.pdf", STAFF | {Role.CANDIDATE}),
    ("POST", "/assessments/{assessment}/cedula/acknowledge", {Role.CANDIDATE}),
    ("POST", "/assessments/{assessment}/certify", {Role.ADMIN}),
    ("POST", "/assessments/{assessment}/cancel", {Role.ADMIN}),
    # Appeals: the candidate files one on their own assessment; the centre's staff read and
    # decide them (the service refuses those involved); the public never.
    ("GET", "/appeals/", STAFF),
    ("GET", "/appeals/assessments/{assessment}/new", {Role.CANDIDATE}),
    ("POST", "/appeals/assessments/{assessment}/new", {Role.CANDIDATE}),
    ("GET", "/appeals/{appeal}", STAFF | {Role.CANDIDATE}),
    ("POST", "/appeals/{appeal}/decision", STAFF),
    ("GET", "/appeals/{appeal}/files/{appeal_file}", STAFF | {Role.CANDIDATE}),
    ("GET", "/appeals/reassessments/{assessment}", {Role.ADMIN}),
    ("POST", "/appeals/reassessments/{assessment}", {Role.ADMIN}),
    ("GET", "/assessments/{assessment}/plan", STAFF | {Role.CANDIDATE}),
    ("POST", "/assessments/{assessment}/plan", {Role.ADMIN, Role.EVALUATOR}),
    ("POST", "/assessments/{assessment}/plan/accept", {Role.CANDIDATE}),
    ("GET", "/assessments/mine", {Role.CANDIDATE}),
    ("POST", "/assessments/{assessment}/evidence", {Role.EVALUATOR}),
    ("POST", "/assessments/{assessment}/evidence/{evidence}/remove", {Role.EVALUATOR}),
    ("GET", "/assessments/{assessment}/evidence/{evidence}", STAFF | {Role.CANDIDATE}),
    ("GET", "/assessments/{assessment}/portfolio.zip", STAFF),
    ("GET", "/certificates/", {Role.ADMIN, Role.REVIEWER, Role.CANDIDATE}),
    ("GET", "/certificates/{certificate}", HOLDER_SIDE),
    ("POST", "/certificates/{certificate}/status", {Role.ADMIN}),
    ("POST", "/certificates/{certificate}/reissue", {Role.ADMIN}),
    ("GET", "/certificates/{certificate}/pdf", HOLDER_SIDE),
    ("GET", "/certificates/{certificate}/badge.json", HOLDER_SIDE),
    ("POST", "/certificates/{certificate}/recertification", {Role.CANDIDATE}),
    ("POST", "/certificates/{certificate}/recertification/withdraw", {Role.CANDIDATE}),
    ("GET", "/certificates/expiring", {Role.ADMIN}),
    ("GET", "/certificates/recertifications", {Role.ADMIN}),
    ("GET", "/certificates/recertifications/{recertification}", {Role.ADMIN}),
    ("POST", "/certificates/recertifications/{recertification}", {Role.ADMIN}),
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
    ("GET", "/verify/lote", EVERYONE),
    ("POST", "/verify/lote", EVERYONE),
    ("POST", "/verify/lote/csv", EVERYONE),
    ("GET", "/catalogo/", EVERYONE),
    ("GET", "/catalogo/{code}", EVERYONE),
    ("GET", "/catalogo/{code}/{version}", EVERYONE),
    ("GET", "/centres/{centre}/logo", EVERYONE),
    # Operations: probes for load balancers, metrics for Prometheus (this module lets the test
    # client's address read them, see `scenario`; tests/http/test_operations.py checks who else).
    ("GET", "/healthz", EVERYONE),
    ("GET", "/readyz", EVERYONE),
    ("GET", "/metrics", EVERYONE),
    ("GET", "/reports/", {Role.ADMIN, Role.BODY_ADMIN}),
    ("GET", "/reports/evaluators", {Role.ADMIN, Role.BODY_ADMIN}),
    ("GET", "/reports/export/{fmt}", {Role.ADMIN, Role.BODY_ADMIN}),
    ("GET", "/reports/evaluators/export/{fmt}", {Role.ADMIN, Role.BODY_ADMIN}),
    ("GET", "/centre/api-tokens", {Role.ADMIN}),
    ("POST", "/centre/api-tokens", {Role.ADMIN}),
    ("POST", "/centre/api-tokens/{token}/revoke", {Role.ADMIN}),
    ("GET", "/api/v1/openapi.json", EVERYONE),
    ("GET", "/api/v1/docs", EVERYONE),
    ("GET", "/api/v1/verify", EVERYONE),
    ("GET", "/api/v1/centre/certificates", {API_TOKEN}),
    ("GET", "/api/v1/centre/certificates/{certificate}", {API_TOKEN}),
    ("GET", "/api/v1/centre/judgements", {API_TOKEN}),
    ("POST", "/api/v1/centre/batches", {API_TOKEN}),
    ("GET", "/api/v1/centre/batches/{batch}", {API_TOKEN}),
]

# Pages the same for everyone: they keep their own caching rules and are never marked no-store.
PUBLIC_PAGES = {
    "/",
    "/v/{certificate}",
    "/v/{certificate}/check",
    "/api/v1/certificates/{certificate}",
    "/.well-known/avala/signing-key.pem",
    "/.well-known/avala/keys/{key}.pem",
    "/.well-known/avala/issuer.json",
    "/verify",
    "/verify/lote",
    "/verify/lote/csv",
    "/catalogo/",
    "/catalogo/{code}",
    "/catalogo/{code}/{version}",
    "/centres/{centre}/logo",
    "/healthz",
    "/readyz",
    "/metrics",
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/api/v1/verify",
}


def is_private(role, template, allowed) -> bool:
    """A page of a route that needs a role, or any non-public page shown to a signed-in user."""
    return template not in PUBLIC_PAGES and (role != ANON or allowed != EVERYONE)


def test_matrix_covers_every_route(module_app):
    rules = {
        (method, rule.rule)
        for rule in module_app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    listed = {
        (
            method,
            template.replace("{standard}", "<int:standard_id>")
            .replace("{draft}", "<int:standard_id>")
            .replace("{assessment}", "<int:assessment_id>")
            .replace("{evidence}", "<int:evidence_id>")
            .replace("{certificate}", "<public_id>")
            .replace("{batch}", "<int:batch_id>")
            .replace("{element}", "<int:element_id>")
            .replace("{criterion}", "<int:criterion_id>")
            .replace("{item}", "<int:item_id>")
            .replace("{kind}", "<any(elements, criteria, items):kind>")
            .replace("{line}", "<int:line_id>")
            .replace("{code}", "<code>")
            .replace("{version}", "<version>")
            .replace("{file_format}", "<any(json, csv, case):file_format>")
            .replace("{centre}", "<int:centre_id>")
            .replace("{other_centre}", "<int:centre_id>")
            .replace("{evaluator}", "<int:user_id>")
            .replace("{centre_admin}", "<int:user_id>")
            .replace("{other_evaluator}", "<int:user_id>")
            .replace("{invitation}", "<token>")
            .replace("{reset}", "<token>")
            .replace("{key}", "<key_id>")
            .replace("{fmt}", "<fmt>")
            .replace("{token}", "<int:token_id>")
            .replace("{recertification}", "<int:request_id>")
            .replace("{accreditation}", "<int:accreditation_id>")
            .replace("{credential}", "<int:credential_id>")
            .replace("{diagnostic}", "<int:diagnostic_id>")
            .replace("{appeal}", "<int:appeal_id>")
            .replace("{appeal_file}", "<int:file_id>"),
        )
        for method, template, _ in MATRIX
    }
    assert rules == listed


# The object-level checks build their own worlds (function-scoped `app`). They come before the
# matrix on purpose: on PostgreSQL every app uses the same database, which stays empty until
# the matrix builds its shared world, and pytest runs a module's tests in file order.


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


def test_a_centre_administrator_reads_and_changes_only_their_own_centres_accounts(
    world, client, login, mailbox
):
    other_centre = factories.make_centre("CONALEP Plantel Tlalnepantla")
    outsider = factories.make_user(other_centre, Role.ADMIN, "Otra Administradora")
    theirs = factories.make_user(other_centre, Role.EVALUATOR, "Evaluador Ajeno")
    db.session.commit()
    login(world.admin)
    staff = client.get("/staff/").get_data(as_text=True)
    assert world.evaluator.full_name in staff and theirs.full_name not in staff
    assert outsider.full_name not in staff
    for action in ("resend", "withdraw", "deactivate", "reactivate"):
        assert client.post(f"/people/{theirs.id}/{action}").status_code == 404
    assert client.get(f"/centres/{other_centre.id}").status_code == 403
    db.session.expire_all()
    assert theirs.is_active and mailbox.messages == []


def test_the_body_administrator_manages_centre_administrators_of_every_centre_only(
    world, client, login
):
    body_admin = factories.make_body_admin()
    other_centre = factories.make_centre("CONALEP Plantel Tlalnepantla")
    outsider = factories.make_user(other_centre, Role.ADMIN, "Otra Administradora")
    db.session.commit()
    login(body_admin)
    page = client.get(f"/centres/{other_centre.id}").get_data(as_text=True)
    assert outsider.full_name in page and world.admin.full_name not in page
    assert client.post(f"/people/{outsider.id}/deactivate").status_code == 302
    assert client.post(f"/people/{world.evaluator.id}/deactivate").status_code == 404
    assert client.post(f"/people/{world.candidate.user.id}/deactivate").status_code == 404
    db.session.expire_all()
    assert not outsider.is_active and world.evaluator.is_active


class Scenario:
    """The matrix's shared world as plain values: who logs in as each role, and the ids that fill
    the MATRIX's placeholders.

    A few requests of the matrix change data even with an empty form (CSRF is off in
    TestingConfig): the administrator's POST /centre/ saves the branding form with its defaults
    (the design is recorded and an audit event appended), and POST
    /certificates/batches/{batch}/run runs the batch (its item is marked issued, the batch
    finished). POST /logout and POST /language only touch the client's session, and each role
    has a new client. Audit events cannot be deleted (a database trigger refuses it), so rather
    than undo such a change, `rebuild_if_changed`, called before every request, empties the
    database and builds the same world again when anything changed: every request of every
    route, in whatever order they run, meets the world as built.
    """

    def __init__(self, empty_database):
        self._empty_database = empty_database
        self._build()

    def _build(self) -> None:
        world = factories.make_world()
        # The judgement carries one evidence file, attached before sign-off.
        started = world.schedule()
        evidence = add_evidence(
            world.evaluator,
            started,
            world.standard.instrument.items[0].id,
            io.BytesIO(photo()),
            "foto.jpg",
        )
        certified = world.judge(started)
        approve_judgement(world.reviewer, certified)
        certificate = issue_certificate(world.admin, certified)
        batch = create_batch(world.admin, [certified.id])
        # Asked already: the holder's POST is refused as a second request and changes nothing.
        recertification = request_recertification(world.candidate.user, certificate)
        token, _secret = create_token(world.admin, "Control escolar", TokenScope.READ)
        appeal = file_appeal(
            world.candidate.user,
            world.approved(hours_from_now=10),
            "El reactivo 3 sí se cumplió.",
            [Upload("prueba.pdf", b"%PDF-1.4\n%%EOF\n")],
        )
        world.centre.logo, world.centre.logo_mimetype = b"\x89PNG fake", "image/png"
        body_admin = world.body_admin
        draft = factories.make_standard(body_admin, publish=False, code="EC9000")
        # A second centre with its own evaluator, and links waiting to be used.
        other_centre = factories.make_centre("CONALEP Plantel Tlalnepantla")
        other_evaluator = factories.make_user(other_centre, Role.EVALUATOR)
        invited = create_user(
            centre=world.centre,
            email="invitado@example.com",
            full_name="Persona Invitada",
            role=Role.REVIEWER,
            password=None,
        )
        invitation = issue_token(invited, TokenPurpose.INVITATION, world.admin, timedelta(days=7))
        reset = issue_token(world.reviewer, TokenPurpose.PASSWORD_RESET, None, timedelta(hours=2))
        diagnostic = start_diagnostic(world.admin, world.candidate, world.standard)
        db.session.commit()
        self.emails = {
            Role.BODY_ADMIN: body_admin.email,
            Role.ADMIN: world.admin.email,
            Role.EVALUATOR: world.evaluator.email,
            Role.REVIEWER: world.reviewer.email,
            Role.CANDIDATE: world.candidate.user.email,
        }
        self.ids = {
            "standard": world.standard.id,
            "draft": draft.id,
            "assessment": certified.id,
            "evidence": evidence.id,
            "certificate": certificate.public_id,
            "batch": batch.id,
            "key": certificate.key_id,
            "element": world.standard.elements[0].id,
            "criterion": world.standard.criteria[0].id,
            "item": world.standard.instrument.items[0].id,
            "kind": "items",
            "line": world.standard.instrument.items[0].id,
            "code": world.standard.code,
            "version": world.standard.version,
            "file_format": "case",
            "centre": world.centre.id,
            "other_centre": other_centre.id,
            "evaluator": world.evaluator.id,
            "centre_admin": world.admin.id,
            "other_evaluator": other_evaluator.id,
            "invitation": invitation,
            "reset": reset,
            "fmt": "xlsx",
            "token": token.id,
            "diagnostic": diagnostic.id,
            "recertification": recertification.id,
            "accreditation": db.session.scalar(
                select(Accreditation.id).where(Accreditation.evaluator_id == world.evaluator.id)
            ),
            "appeal": appeal.id,
            "appeal_file": appeal.files[0].id,
            "credential": db.session.scalar(
                select(Credential.id).where(Credential.evaluator_id == world.evaluator.id)
            ),
        }
        db.session.remove()
        self._contents = _contents()

    def rebuild_if_changed(self) -> None:
        if _contents() != self._contents:
            self._empty_database()
            self._build()


def _contents() -> dict:
    """Every row of every table, and every file under the instance folder (certificates, key)."""
    with db.engine.connect() as connection:
        rows = {
            table.name: connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            for table in db.metadata.sorted_tables
        }
    instance = current_app.config["INSTANCE_DIR"]
    files = {
        str(path.relative_to(instance)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(instance.rglob("*"))
        if path.is_file()
    }
    return {"rows": rows, "files": files}


@pytest.fixture(scope="module")
def scenario(module_app, empty_module_database):
    module_app.config["METRICS_ALLOWED_NETWORKS"] = "127.0.0.1"  # the test client's address
    # On PostgreSQL the tests above emptied the shared database, signing key row included.
    empty_module_database()
    return Scenario(empty_module_database)


def _answer(app, scenario: Scenario, role, method: str, url: str):
    """The response to one request, from a new client logged in as `role`, in an app context of
    its own (a new database session, and no user remembered by Flask-Login in `g`)."""
    with app.app_context():
        client = app.test_client()
        if role != ANON:
            response = client.post(
                "/login", data={"email": scenario.emails[role], "password": factories.PASSWORD}
            )
            assert response.status_code == 302, f"login as {role} failed"
        return client.open(url, method=method)


def _wrong_answer(role, template: str, allowed: set, response) -> str | None:
    """What is wrong with this role's answer, or None."""
    status = response.status_code
    cache_control = response.headers.get("Cache-Control", "")
    if API_TOKEN in allowed:  # a session is never enough; the answer is never stored
        if status != 401 or "no-store" not in cache_control:
            return f"{role} got {status}, Cache-Control {cache_control!r} (expected 401, no-store)"
        return None
    private = is_private(role, template, allowed)
    if ("no-store" in cache_control) != private or (private and "Cookie" not in response.vary):
        return f"{role} got Cache-Control {cache_control!r} (private page: {private})"
    if role in allowed:
        if status in (401, 403, 404) or status >= 500:
            return f"{role} got {status} but is allowed (expected not 401/403/404 and < 500)"
    elif role == ANON:
        if not (status == 302 and "/login" in (response.location or "")):
            return f"{role} got {status} {response.location or ''} (expected 302 to /login)"
    elif status not in (403, 404):
        return f"{role} got {status} but is refused (expected 403 or 404)"
    return None


@pytest.mark.parametrize(
    ("method", "template", "allowed"), MATRIX, ids=[f"{m} {t}" for m, t, _ in MATRIX]
)
def test_each_route_lets_in_its_roles_only_and_private_pages_are_never_stored(
    module_app, scenario, method, template, allowed
):
    wrong = []
    for role in ROLES:  # always in the same order; each meets the world exactly as built
        scenario.rebuild_if_changed()
        response = _answer(module_app, scenario, role, method, template.format(**scenario.ids))
        if problem := _wrong_answer(role, template, allowed, response):
            wrong.append(problem)
    assert not wrong, f"{method} {template}: " + "; ".join(wrong)
