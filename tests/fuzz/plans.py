"""A fuzz plan for every route: which fields it reads, what a valid value of each looks like.

PLANS is keyed like the app's url_map: (method, rule). tests/fuzz/test_routes.py fails when a
route has no plan here, and fuzzes it with `GENERIC` meanwhile. Who sends the requests comes
from the route itself (`require_role`'s allowed roles; anonymous for public routes) unless a
plan says otherwise. Path parameters are fuzzed for every route: real ids (so requests reach
the view) or hostile ones.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import strategies as st

from app.accounts.roles import Role
from tests.evidence_files import photo
from tests.factories import PASSWORD, valid_curp
from tests.fuzz.renewals import folio_csv
from tests.fuzz.site import Scenario, png_bytes
from tests.fuzz.strategies import (
    FLAG_EDGES,
    NUMBER_EDGES,
    Field,
    Upload,
    choice,
    date_field,
    dates_around,
    datetime_field,
    file_field,
    flag,
    hostile_text,
    hostile_uploads,
    number,
    text,
)

LOGGED_IN = (Role.BODY_ADMIN, Role.ADMIN, Role.EVALUATOR, Role.REVIEWER, Role.CANDIDATE)


def junk_fields(s: Scenario) -> dict[str, Field]:
    """For a route that reads no input: a few stray parameters anyway."""
    return {"next": text(), "id": number(1, 5), "q": text()}


@dataclass(frozen=True)
class Plan:
    """`fields(scenario)` gives the form (or, for GET, query) fields and how to draw them;
    None for a route that reads no input."""

    fields: Callable[[Scenario], dict[str, Field]] | None = None
    roles: tuple | None = None  # None: the route's own allowed roles, or anonymous
    # The path values the edge sweep uses, where the first real id would not get far.
    target: Callable[[Scenario], dict] | None = None

    @property
    def reads_input(self) -> bool:
        return self.fields is not None

    def fields_for(self, scenario: Scenario) -> dict[str, Field]:
        return self.fields(scenario) if self.fields else junk_fields(scenario)


GENERIC = Plan()


def _emails():
    return st.integers(1, 10**6).map(lambda n: f"persona{n}@example.com")


def _curps():
    return st.integers(1000, 5000).map(valid_curp)


def _starts_at():
    """A free slot inside the evaluator's accreditation, at a round hour (local time)."""
    return st.integers(2, 300).map(lambda d: f"{date.today() + timedelta(days=d)}T09:00")


def _ends_at():
    return st.integers(2, 300).map(lambda d: f"{date.today() + timedelta(days=d)}T11:00")


def _password():
    return st.sampled_from(["correct-horse-battery", "una-clave-larga"])


def login_form(s):
    """A real account's email, and its password or a wrong one."""
    return {
        "email": Field(st.just(s.emails[Role.ADMIN]), hostile_text()),
        "password": Field(st.sampled_from(["not-the-password", PASSWORD]), hostile_text()),
    }


def language_form(s):
    return {"locale": choice(["es_MX", "en"])}


def candidate_form(s):
    return {
        "full_name": text(st.sampled_from(["Ana Ruiz", "José Ñúñez Ávila"])),
        "curp": Field(_curps(), hostile_text()),
        "email": Field(_emails(), hostile_text()),
        "birth_date": date_field(st.sampled_from(["", "1990-01-01", "1931-08-20"])),
        "language": choice(["es_MX", "en"]),
        "is_publicly_listed": flag(),
    }


def consent_form(s):
    return {"is_publicly_listed": flag(), "accepts_privacy_notice": flag()}


def invitation_form(s):
    return {
        "full_name": text(st.sampled_from(["Rosa Linares", "José Ñúñez Ávila"])),
        "email": Field(_emails(), hostile_text()),
        "role": choice(["evaluator", "reviewer", "admin"]),
        "language": choice(["es_MX", "en"]),
    }


def centre_form(s):
    return {
        "code": text(st.integers(1, 10**4).map(lambda n: f"CE-{n}")),
        "name": text(st.sampled_from(["CONALEP Plantel Toluca", "Centro Ñandú"])),
        "city": text(st.sampled_from(["", "Toluca"])),
    }


def set_password_form(s):
    password = st.sampled_from(["tlacuache-en-la-azotea", "1234567890"])
    return {
        "password": Field(password, hostile_text()),
        "confirm": Field(password, hostile_text()),
    }


def forgot_password_form(s):
    return {
        "email": Field(
            st.sampled_from([s.emails[Role.REVIEWER], "nadie@example.com"]), hostile_text()
        )
    }


def offer_form(s):
    return {"standard": choice([s.published_standard_id])}


def accreditation_form(s):
    return {
        "evaluator": choice(s.evaluator_ids),
        "standard": choice([s.published_standard_id]),
        "number": text(st.sampled_from(["", "CED-2026-0001"])),
        "valid_from": date_field(dates_around(-30, 0)),
        "valid_until": date_field(dates_around(1, 900)),
    }


def accreditation_change_form(s):
    return {
        "number": text(st.sampled_from(["", "CED-2026-0002"])),
        "valid_from": date_field(dates_around(-30, 0)),
        "valid_until": date_field(dates_around(1, 900)),
    }


def withdrawal_form(s):
    return {"reason": text(st.sampled_from(["", "Cédula cancelada por el organismo"]))}


PDF_COPY = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = photo()


def credential_form(s):
    return {
        "credential-evaluator": choice(s.evaluator_ids),
        "credential-standard_code": text(st.sampled_from(["EC0076", "EC0217", "ec0217.01", ""])),
        "credential-source": choice(["here", "elsewhere"]),
        "credential-folio": text(st.sampled_from([s.folio, "D-0076-000123", ""])),
        "credential-valid_until": date_field(dates_around(1, 900)),
        "credential-file": file_field(
            st.just(Upload("cedula.pdf", PDF_COPY, "application/pdf")),
            hostile_uploads([PDF_COPY[:-6]]),
        ),
    }


def accreditation(s):
    return {"accreditation_id": s.accreditation_id}


def branding_form(s):
    logo = st.just(Upload("logo.png", png_bytes(), "image/png"))
    return {
        "design": choice(s.designs),
        "logo": file_field(logo, hostile_uploads([png_bytes((1, 1))])),
        "remove_logo": flag(),
    }


def standard_form(s):
    return {
        "code": text(st.integers(1000, 9999).map(lambda n: f"EC{n}")),
        "version": text(st.sampled_from(["01", "02"])),
        "title": text(),
        "purpose": text(st.sampled_from(["", "Propósito"])),
        "level": choice(range(1, 6)),
        "sector": text(),
        "validity_years": Field(st.sampled_from(["", "3"]), number(1, 50).hostile),
        "threshold_percent": number(1, 100),
    }


def element_form(s):
    return {"element-title": text()}


def criterion_form(s):
    return {
        "criterion-element": choice(s.draft_element_ids),
        "criterion-kind": choice(["performance", "product", "knowledge", "attitude"]),
        "criterion-text": text(),
    }


def item_form(s):
    return {
        "item-criterion": choice(s.draft_criterion_ids),
        "item-text": text(),
        "item-weight": number(1, 100),
        "item-is_critical": flag(),
    }


def rule_form(s):
    return {"rule-threshold_percent": number(1, 100)}


def header_form(s):
    fields = standard_form(s)
    del fields["threshold_percent"]
    official = date_field(dates_around(-3000, 0))
    return {**fields, "title_en": text(), "approved_on": official, "dof_published_on": official}


def draft_element(s):
    return {"standard_id": s.draft_standard_id, "element_id": s.draft_element_ids[0]}


def draft_criterion(s):
    return {"standard_id": s.draft_standard_id, "criterion_id": s.draft_criterion_ids[0]}


def draft_line(s):
    return {
        "standard_id": s.draft_standard_id,
        "kind": "criteria",
        "line_id": s.draft_criterion_ids[0],
    }


def element_row_form(s):
    return {f"element-{s.draft_element_ids[0]}-title": text()}


def criterion_row_form(s):
    prefix = f"criterion-{s.draft_criterion_ids[0]}"
    return {
        f"{prefix}-kind": choice(["performance", "product", "knowledge", "attitude"]),
        f"{prefix}-text": text(),
    }


def published_item(s):
    return {"standard_id": s.published_standard_id, "item_id": s.item_ids[0]}


def item_row_form(s):
    prefix = f"item-{s.item_ids[0]}"
    return {
        f"{prefix}-text": text(),
        f"{prefix}-weight": number(1, 100),
        f"{prefix}-is_critical": flag(),
    }


def move_form(s):
    return {"offset": choice(["-1", "1"])}


def publish_form(s):
    return {"supersede": flag()}


def new_version_form(s):
    return {"version": text(st.sampled_from(["", "07"]))}


def import_form(s):
    upload = st.just(Upload("ec.csv", b"code,title\nEC1,T\n", "text/csv"))
    return {
        "file_format": choice(["json", "csv", "case"]),
        "file": file_field(upload, hostile_uploads([b"{}", b"\xff\xfe"])),
    }


def catalogue_query(s):
    return {
        "q": text(st.sampled_from(["EC0", "cursos", "formación", ""])),
        "sector": text(st.sampled_from(["", "Educación y formación de personas"])),
        "level": Field(st.sampled_from(["", "3"]), number(1, 5).hostile),
        "page": number(1, 3),
    }


def schedule_form(s):
    return {
        "candidate": choice(s.candidate_ids),
        "standard": choice([s.published_standard_id]),
        "evaluator": choice(s.evaluator_ids),
        "starts_at": datetime_field(_starts_at()),
        "ends_at": datetime_field(_ends_at()),
        "location": text(),
    }


def results_form(s):
    fields = {"feedback": text(st.just("Buen desempeño general; reforzar el cierre."))}
    for item_id in s.item_ids:
        fields[f"item_{item_id}"] = choice(["met", "not_met"])
        fields[f"observation_{item_id}"] = text()
    return fields


def sign_off_form(s):
    return {
        "feedback": text(st.just("Buen desempeño general; reforzar el cierre.")),
        "results_digest": text(),
        "confirm": flag(),
    }


def review_form(s):
    return {"decision": choice(["approve", "return"]), "reason": text()}


def status_form(s):
    return {
        "status": choice(["suspended", "valid", "revoked"]),
        "reason": text(),
        "public_reason": choice(["data_error", "body_decision", "holder_request", "under_review"]),
        "public_note": text(st.sampled_from(["", "Aviso 12/2026"])),
    }


def reissue_form(s):
    return {
        "holder_name": text(st.sampled_from(["", "María José Núñez Ávila"])),
        "reissue_reason": text(st.just("Corrección del nombre")),
    }


def batch_form(s):
    ids = st.lists(st.sampled_from([str(i) for i in s.assessment_ids]), min_size=1, max_size=3)
    hostile = st.lists(st.one_of(number(1, 5).hostile, st.just("1")), min_size=1, max_size=3)
    return {"assessment": Field(ids, hostile, NUMBER_EDGES)}


def pdf_check_form(s):
    issued = st.just(Upload("certificado.pdf", s.issued_pdf, "application/pdf"))
    return {"pdf": file_field(issued, hostile_uploads([s.issued_pdf[:-1]]))}


def lookup_query(s):
    return {
        "folio": Field(st.sampled_from([s.folio, s.folio.lower(), " CONALEP-X "]), hostile_text()),
        "holder": Field(st.sampled_from(["", s.curp, "Núñez", "nunez", "Pérez"]), hostile_text()),
        "lang": choice(["es_MX", "en"]),
        "curp": Field(st.sampled_from([s.curp, s.curp.lower(), valid_curp(4999)]), hostile_text()),
    }


def language_query(s):
    """A public page that reads only the language in its address (?lang=)."""
    return {"lang": choice(["es_MX", "en"]), "next": text()}


def report_query(s):
    """The reports' GET filters: dates, a standard and an evaluator of the centre, groupings."""
    return {
        "date_from": date_field(dates_around(-900, -1)),
        "date_to": date_field(dates_around(0, 30)),
        "standard": choice(["", s.published_standard_id]),
        "evaluator": choice(["", *s.evaluator_ids]),
        "grouping": choice(["month", "quarter", "year", "standard", "evaluator", "centre"]),
        "period": choice(["month", "quarter", "year"]),
    }


def api_folio_query(s):
    return {
        "folio": Field(st.sampled_from([s.folio, s.folio.lower(), " CONALEP-X "]), hostile_text()),
        "holder": Field(st.sampled_from(["", s.curp, "Núñez", "nadie"]), hostile_text()),
    }


def token_form(s):
    return {
        "name": text(st.sampled_from(["Control escolar", "Bolsa de trabajo ñ"])),
        "scope": choice(["read", "issue"]),
    }


def static_query(s):
    return {"v": text()}


def scheduled(s):
    return {"assessment_id": s.scheduled_assessment_id}


def booked(s):
    return {"assessment_id": s.booked_assessment_id}


def declaration_form(s):
    return {"no_conflict": flag()}


def plan_form(s):
    fields = {}
    for n in s.published_element_ids:
        fields |= {
            f"include_{n}": flag(),
            f"evidence_{n}": choice(["observation", "product", "questionnaire"]),
            f"place_{n}": text(),
            f"starts_at_{n}": datetime_field(_starts_at()),
            f"resources_{n}": text(),
            f"notes_{n}": text(),
        }
    return fields


def accept_plan_form(s):
    return {"content_hash": text(st.just("0" * 64)), "agree": flag()}


def judged(s):
    return {"assessment_id": s.judged_assessment_id}


def appealable(s):
    return {"assessment_id": s.appealable_assessment_id}


def not_yet(s):
    return {"assessment_id": s.not_yet_assessment_id}


def evidence(s):
    return {"assessment_id": s.scheduled_assessment_id, "evidence_id": s.evidence_id}


def appeal_form(s):
    pdf = st.just(Upload("acta.pdf", PDF_COPY, "application/pdf"))
    return {
        "reason": text(st.just("El reactivo 3 sí se cumplió: entregué el producto.")),
        "files": file_field(pdf, hostile_uploads([PDF_COPY[:-6], png_bytes((1, 1))])),
    }


def decision_form(s):
    return {"outcome": choice(["dismissed", "upheld"]), "reason": text()}


def session_form(s):
    """A re-assessment's or a recertification's session: evaluator, times and place."""
    return {
        "evaluator": choice(s.evaluator_ids),
        "starts_at": datetime_field(_starts_at()),
        "ends_at": datetime_field(_ends_at()),
        "location": text(),
    }


def recertification_form(s):
    # Left out at its simplest: present, it only redraws the list of evaluators.
    listing = Field(st.sampled_from([None, "y"]), hostile_text(), FLAG_EDGES)
    return {**session_form(s), "show_evaluators": listing}


def cancel_form(s):
    return {"reason": text(st.just("El candidato pidió otra fecha."))}


def evidence_form(s):
    jpeg = st.just(Upload("foto.jpg", JPEG, "image/jpeg"))
    return {
        "item": choice(s.item_ids),
        "file": file_field(jpeg, hostile_uploads([JPEG[:40], PDF_COPY])),
    }


def expiring_query(s):
    return {"within": choice([7, 30, 90])}


def diagnostic_start_form(s):
    return {"candidate": choice(s.candidate_ids), "standard": choice([s.published_standard_id])}


def diagnostic_answers_form(s):
    return {f"item_{item_id}": choice(["yes", "no"]) for item_id in s.diagnostic_item_ids}


def change_password_form(s):
    new = st.sampled_from(["tlacuache-en-la-azotea", "1234567890"])
    return {
        "current_password": Field(st.sampled_from([PASSWORD, "not-the-password"]), hostile_text()),
        "password": Field(new, hostile_text()),
        "confirm": Field(new, hostile_text()),
    }


def folio_file_form(s):
    table = st.just(Upload("folios.csv", folio_csv(s.folio, s.curp), "text/csv"))
    odd = [b"folio\n", b"\xef\xbb\xbffolio;curp\n;;\n", b"PK\x03\x04broken", b"\x00" * 64]
    return {"file": file_field(table, hostile_uploads(odd))}


def sealed_results_form(s):
    return {"results": Field(st.just(s.sealed_results), hostile_text())}


PLANS = {
    ("GET", "/static/<path:filename>"): Plan(static_query),
    ("GET", "/"): GENERIC,
    ("GET", "/login"): GENERIC,
    ("POST", "/login"): Plan(login_form),
    ("POST", "/logout"): Plan(roles=LOGGED_IN),
    ("POST", "/language"): Plan(language_form),
    ("GET", "/candidates/"): GENERIC,
    ("POST", "/candidates/"): Plan(candidate_form),
    ("GET", "/staff/"): GENERIC,
    ("POST", "/staff/"): Plan(invitation_form),
    ("GET", "/centres/"): GENERIC,
    ("POST", "/centres/"): Plan(centre_form),
    ("GET", "/centres/<int:centre_id>"): GENERIC,
    ("POST", "/centres/<int:centre_id>"): Plan(invitation_form),
    ("GET", "/centres/<int:centre_id>/edit"): GENERIC,
    ("POST", "/centres/<int:centre_id>/edit"): Plan(centre_form),
    ("POST", "/centres/<int:centre_id>/deactivate"): GENERIC,
    ("POST", "/centres/<int:centre_id>/reactivate"): GENERIC,
    ("POST", "/people/<int:user_id>/resend"): GENERIC,
    ("POST", "/people/<int:user_id>/withdraw"): GENERIC,
    ("POST", "/people/<int:user_id>/deactivate"): GENERIC,
    ("POST", "/people/<int:user_id>/reactivate"): GENERIC,
    ("GET", "/invitations/<token>"): GENERIC,
    ("POST", "/invitations/<token>"): Plan(set_password_form),
    ("GET", "/password/forgot"): GENERIC,
    ("POST", "/password/forgot"): Plan(forgot_password_form),
    ("GET", "/password/reset/<token>"): GENERIC,
    ("POST", "/password/reset/<token>"): Plan(set_password_form),
    ("GET", "/evaluators/"): GENERIC,
    ("GET", "/me/privacy"): GENERIC,
    ("POST", "/me/privacy"): Plan(consent_form),
    ("POST", "/evaluators/"): Plan(accreditation_form),
    ("POST", "/evaluators/credentials"): Plan(credential_form),
    ("GET", "/evaluators/credentials/<int:credential_id>/file"): GENERIC,
    ("GET", "/evaluators/accreditations/<int:accreditation_id>"): GENERIC,
    ("POST", "/evaluators/accreditations/<int:accreditation_id>"): Plan(
        accreditation_change_form, target=accreditation
    ),
    ("POST", "/evaluators/accreditations/<int:accreditation_id>/withdraw"): Plan(
        withdrawal_form, target=accreditation
    ),
    ("GET", "/centre/"): GENERIC,
    ("POST", "/centre/"): Plan(branding_form),
    ("GET", "/centre/logo"): GENERIC,
    ("GET", "/standards/"): GENERIC,
    ("GET", "/standards/new"): GENERIC,
    ("POST", "/standards/new"): Plan(standard_form),
    ("GET", "/standards/<int:standard_id>"): GENERIC,
    ("POST", "/standards/<int:standard_id>/elements"): Plan(element_form),
    ("POST", "/standards/<int:standard_id>/criteria"): Plan(criterion_form),
    ("POST", "/standards/<int:standard_id>/items"): Plan(item_form),
    ("POST", "/standards/<int:standard_id>/rule"): Plan(rule_form),
    ("GET", "/standards/<int:standard_id>/publish"): GENERIC,
    ("POST", "/standards/<int:standard_id>/publish"): Plan(publish_form),
    ("GET", "/standards/<int:standard_id>/edit"): GENERIC,
    ("POST", "/standards/<int:standard_id>/edit"): Plan(header_form),
    ("POST", "/standards/<int:standard_id>/elements/<int:element_id>"): Plan(
        element_row_form, target=draft_element
    ),
    ("POST", "/standards/<int:standard_id>/criteria/<int:criterion_id>"): Plan(
        criterion_row_form, target=draft_criterion
    ),
    ("POST", "/standards/<int:standard_id>/items/<int:item_id>"): Plan(
        item_row_form, target=published_item
    ),
    ("POST", "/standards/<int:standard_id>/items/missing"): GENERIC,
    (
        "POST",
        "/standards/<int:standard_id>/<any(elements, criteria, items):kind>/<int:line_id>/move",
    ): Plan(move_form, target=draft_line),
    (
        "POST",
        "/standards/<int:standard_id>/<any(elements, criteria, items):kind>/<int:line_id>/delete",
    ): Plan(target=draft_line),
    ("POST", "/standards/<int:standard_id>/items/<int:line_id>/split"): GENERIC,
    ("GET", "/standards/<int:standard_id>/cancel"): GENERIC,
    ("POST", "/standards/<int:standard_id>/cancel"): GENERIC,
    ("GET", "/standards/<int:standard_id>/delete"): GENERIC,
    ("POST", "/standards/<int:standard_id>/delete"): GENERIC,
    ("GET", "/standards/<int:standard_id>/new-version"): GENERIC,
    ("POST", "/standards/<int:standard_id>/new-version"): Plan(new_version_form),
    ("GET", "/standards/import"): GENERIC,
    ("POST", "/standards/import"): Plan(import_form),
    ("GET", "/standards/offered"): GENERIC,
    ("POST", "/standards/offered"): Plan(offer_form),
    ("POST", "/standards/offered/<int:standard_id>/withdraw"): GENERIC,
    ("GET", "/standards/<int:standard_id>/export.<any(json, csv, case):file_format>"): GENERIC,
    ("GET", "/assessments/"): GENERIC,
    ("GET", "/assessments/new"): GENERIC,
    ("POST", "/assessments/new"): Plan(schedule_form),
    ("GET", "/assessments/<int:assessment_id>"): GENERIC,
    ("POST", "/assessments/<int:assessment_id>/declaration"): Plan(declaration_form, target=booked),
    ("POST", "/assessments/<int:assessment_id>/results"): Plan(results_form, target=scheduled),
    ("POST", "/assessments/<int:assessment_id>/results/autosave"): Plan(
        results_form, target=scheduled
    ),
    ("GET", "/assessments/<int:assessment_id>/sign-off"): Plan(target=scheduled),
    ("POST", "/assessments/<int:assessment_id>/sign-off"): Plan(sign_off_form, target=scheduled),
    ("POST", "/assessments/<int:assessment_id>/review"): Plan(review_form, target=judged),
    ("GET", "/assessments/<int:assessment_id>/cedula.pdf"): GENERIC,
    ("POST", "/assessments/<int:assessment_id>/cedula/acknowledge"): GENERIC,
    ("POST", "/assessments/<int:assessment_id>/certify"): GENERIC,
    ("GET", "/assessments/<int:assessment_id>/plan"): GENERIC,
    # The booked assessment: a new plan there stops nobody else's fuzzing of result entry.
    ("POST", "/assessments/<int:assessment_id>/plan"): Plan(plan_form, target=booked),
    ("POST", "/assessments/<int:assessment_id>/plan/accept"): Plan(accept_plan_form),
    ("GET", "/assessments/mine"): GENERIC,
    ("GET", "/certificates/"): GENERIC,
    ("GET", "/certificates/<public_id>"): GENERIC,
    ("POST", "/certificates/<public_id>/status"): Plan(status_form),
    ("POST", "/certificates/<public_id>/reissue"): Plan(reissue_form),
    ("GET", "/certificates/<public_id>/badge.json"): GENERIC,
    ("GET", "/certificates/<public_id>/pdf"): GENERIC,
    ("POST", "/certificates/batches"): Plan(batch_form),
    ("GET", "/certificates/batches/<int:batch_id>"): GENERIC,
    ("GET", "/certificates/batches/<int:batch_id>/progress"): GENERIC,
    ("POST", "/certificates/batches/<int:batch_id>/run"): GENERIC,
    ("GET", "/certificates/batches/<int:batch_id>/zip"): GENERIC,
    ("GET", "/v/<public_id>"): GENERIC,
    ("POST", "/v/<public_id>/check"): Plan(pdf_check_form),
    ("GET", "/api/v1/certificates/<public_id>"): GENERIC,
    ("GET", "/verify"): Plan(lookup_query),
    ("GET", "/catalogo/"): Plan(catalogue_query),
    ("GET", "/catalogo/<code>"): GENERIC,
    ("GET", "/catalogo/<code>/<version>"): GENERIC,
    ("GET", "/centres/<int:centre_id>/logo"): Plan(language_query),
    ("GET", "/.well-known/avala/signing-key.pem"): GENERIC,
    ("GET", "/.well-known/avala/keys/<key_id>.pem"): GENERIC,
    ("GET", "/.well-known/avala/issuer.json"): GENERIC,
    ("GET", "/healthz"): GENERIC,
    ("GET", "/readyz"): GENERIC,
    ("GET", "/metrics"): GENERIC,
    ("GET", "/reports/"): Plan(report_query),
    ("GET", "/reports/evaluators"): Plan(report_query),
    ("GET", "/reports/export/<fmt>"): Plan(report_query),
    ("GET", "/reports/evaluators/export/<fmt>"): Plan(report_query),
    ("GET", "/centre/api-tokens"): GENERIC,
    ("POST", "/centre/api-tokens"): Plan(token_form),
    ("POST", "/centre/api-tokens/<int:token_id>/revoke"): GENERIC,
    ("GET", "/api/v1/openapi.json"): GENERIC,
    ("GET", "/api/v1/docs"): GENERIC,
    ("GET", "/api/v1/verify"): Plan(api_folio_query),
    # Token routes refuse every session (401); tests/http/test_api_schema.py fuzzes them with a
    # token, from their OpenAPI document (schemathesis).
    ("GET", "/api/v1/centre/certificates"): GENERIC,
    ("GET", "/api/v1/centre/certificates/<public_id>"): GENERIC,
    ("GET", "/api/v1/centre/judgements"): GENERIC,
    ("POST", "/api/v1/centre/batches"): GENERIC,
    ("GET", "/api/v1/centre/batches/<int:batch_id>"): GENERIC,
    ("GET", "/appeals/"): GENERIC,
    ("GET", "/appeals/<int:appeal_id>"): GENERIC,
    ("POST", "/appeals/<int:appeal_id>/decision"): Plan(decision_form),
    ("GET", "/appeals/<int:appeal_id>/files/<int:file_id>"): GENERIC,
    ("GET", "/appeals/assessments/<int:assessment_id>/new"): Plan(target=appealable),
    ("POST", "/appeals/assessments/<int:assessment_id>/new"): Plan(appeal_form, target=appealable),
    ("GET", "/appeals/reassessments/<int:assessment_id>"): Plan(target=not_yet),
    ("POST", "/appeals/reassessments/<int:assessment_id>"): Plan(session_form, target=not_yet),
    ("POST", "/assessments/<int:assessment_id>/cancel"): Plan(cancel_form, target=booked),
    ("POST", "/assessments/<int:assessment_id>/evidence"): Plan(evidence_form, target=scheduled),
    ("GET", "/assessments/<int:assessment_id>/evidence/<int:evidence_id>"): Plan(target=evidence),
    ("POST", "/assessments/<int:assessment_id>/evidence/<int:evidence_id>/remove"): Plan(
        target=evidence
    ),
    ("GET", "/assessments/<int:assessment_id>/portfolio.zip"): Plan(target=scheduled),
    ("POST", "/certificates/<public_id>/recertification"): GENERIC,
    ("POST", "/certificates/<public_id>/recertification/withdraw"): GENERIC,
    ("GET", "/certificates/expiring"): Plan(expiring_query),
    ("GET", "/certificates/recertifications"): GENERIC,
    ("GET", "/certificates/recertifications/<int:request_id>"): GENERIC,
    ("POST", "/certificates/recertifications/<int:request_id>"): Plan(recertification_form),
    ("GET", "/diagnostics/"): GENERIC,
    ("POST", "/diagnostics/"): Plan(diagnostic_start_form),
    ("GET", "/diagnostics/<int:diagnostic_id>"): GENERIC,
    ("POST", "/diagnostics/<int:diagnostic_id>"): Plan(diagnostic_answers_form),
    ("GET", "/password/change"): GENERIC,
    ("POST", "/password/change"): Plan(change_password_form),
    ("GET", "/verify/lote"): GENERIC,
    ("POST", "/verify/lote"): Plan(folio_file_form),
    ("POST", "/verify/lote/csv"): Plan(sealed_results_form),
}
