"""The JSON API (/api/v1): public verification, and a centre's data for its API tokens.

Token routes read the token from `Authorization: Bearer …` only: a session cookie never
authenticates here, so they need no CSRF token (the blueprint is exempt) and a page of another
site cannot make a signed-in browser write through them.
"""

import hashlib
from functools import partial, wraps

from flask import Response, abort, current_app, g, jsonify, make_response, request, url_for
from flask_limiter.util import get_remote_address
from marshmallow import RAISE

from app.api import queries, schemas, services
from app.api.blueprint import blueprint
from app.auth import public
from app.certificates import queries as certificate_queries
from app.certificates.issuer import public_base_url
from app.dates import today
from app.extensions import limiter
from app.tasks import run_issuance_batch
from app.transactions import after_commit
from app.verification import page_cache
from app.verification import services as verification

TOKEN = [{"apiToken": []}]

# One allowance per client shared with the public pages: alternating between them gains nothing.
public_lookup_limit = limiter.shared_limit(
    lambda: current_app.config["PUBLIC_LOOKUP_RATE_LIMIT"], scope="public-lookup"
)


def _presented_secret() -> str:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def _token_key() -> str:
    """Each token has its own allowance (keyed by a digest, never the secret); a request
    without one is counted by its address."""
    secret = _presented_secret()
    if not secret:
        return f"address:{get_remote_address()}"
    return "token:" + hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:32]


token_limit = limiter.shared_limit(
    lambda: current_app.config["API_TOKEN_RATE_LIMIT"], scope="api-token", key_func=_token_key
)


def token_required(needed: str):
    """Let in requests with an active token of scope `needed` (401 without one, 403 when its
    scope does not cover the operation); the token is `g.api_token`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = services.authenticate(_presented_secret())
            if token is None:
                abort(401)
            request_line = f"{request.method} {request.path}"
            services.ensure_token_may(token, needed, request_line)
            services.record_use(token, request_line)
            g.api_token = token
            return view(*args, **kwargs)

        wrapped.needs_api_token = True
        return wrapped

    return decorator


@blueprint.after_request
def token_answers_are_private(response):
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "needs_api_token", False):
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Authorization")
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="avala"'
    return response


# A public lookup that finds nothing answers {"status": "not_found"} (the contract since the first
# version); an address the router refuses (control characters) gets the common error body.
NOT_FOUND_DOC = {
    "responses": {
        "404": {
            "description": "Nothing to confirm",
            "content": {
                "application/json": {
                    "schema": {
                        "anyOf": [
                            {"$ref": "#/components/schemas/NotFound"},
                            {"$ref": "#/components/schemas/Error"},
                        ]
                    }
                }
            },
        }
    }
}


def _not_found():
    return make_response(jsonify({"status": "not_found"}), 404)


def _verification_url(certificate) -> str:
    return public_base_url() + url_for("verification.show", public_id=certificate.public_id)


@blueprint.route("/certificates/<public_id>")
@public
@public_lookup_limit
@blueprint.response(200, schemas.PublicRecordSchema)
@blueprint.alt_response(404, schema=schemas.NotFoundSchema, description="No such certificate")
@blueprint.doc(**NOT_FOUND_DOC)
def public_certificate(public_id: str):
    """A certificate by its public id (from the QR code)

    The public page's facts with the signed data, its Ed25519 signature and the URL of the key.
    """
    answer = page_cache.kept_answer(public_id, lambda: _fresh_record(public_id))
    return answer if answer is not None else _not_found()


def _fresh_record(public_id: str) -> Response:
    certificate = certificate_queries.find_public(public_id)
    key_url = url_for("verification.published_key", key_id=certificate.key_id)
    record = verification.public_record(certificate, today(), f"{public_base_url()}{key_url}")
    return jsonify(schemas.PublicRecordSchema().dump(record))


@blueprint.route("/verify")
@public
@public_lookup_limit
@blueprint.arguments(schemas.FolioQuerySchema, location="query", as_kwargs=True, unknown=RAISE)
@blueprint.response(200, schemas.FolioAnswerSchema)
@blueprint.alt_response(404, schema=schemas.NotFoundSchema, description="Nothing to confirm")
def verify_folio(folio: str, holder: str):
    """A certificate by its folio, with the holder's CURP or first surname

    Private by default: the holder's name (and the public page's address) only when the holder
    consented to the public register or `holder` matches. Holder data that does not match
    answers exactly as an unknown folio.
    """
    answer = verification.look_up_folio(folio, holder)
    certificate = answer.certificate
    if certificate is None:
        return _not_found()
    return {
        "folio": certificate.folio,
        "status": certificate.public_status(today()).value,
        "standard_code": certificate.standard_code,
        "standard_title": certificate.standard_title,
        "standard_level": certificate.standard_level,
        "centre_name": certificate.centre_name,
        "judged_on": certificate.judged_on,
        "valid_until": certificate.valid_until,
        "holder_name": certificate.holder_name if answer.shows_holder else None,
        "verification_url": _verification_url(certificate) if answer.shows_holder else None,
    }


def _pagination(page: int, per_page: int, total: int) -> dict:
    return {"page": page, "per_page": per_page, "total": total}


def _certificate(certificate) -> dict:
    return {
        "public_id": certificate.public_id,
        "folio": certificate.folio,
        "status": certificate.public_status(today()).value,
        "holder_name": certificate.holder_name,
        "curp_masked": certificate.curp_masked,
        "standard_code": certificate.standard_code,
        "standard_title": certificate.standard_title,
        "standard_level": certificate.standard_level,
        "evaluator_name": certificate.evaluator_name,
        "judged_on": certificate.judged_on,
        "issued_at": certificate.issued_at,
        "valid_until": certificate.valid_until,
        "verification_url": _verification_url(certificate),
    }


@blueprint.route("/centre/certificates")
@token_limit
@token_required("read")
@blueprint.arguments(schemas.PageQuerySchema, location="query", as_kwargs=True, unknown=RAISE)
@blueprint.response(200, schemas.CertificatePageSchema)
@blueprint.doc(security=TOKEN)
def list_certificates(page: int, per_page: int):
    """The token's centre's certificates, newest first"""
    items, total = queries.page_of_certificates(g.api_token.centre_id, page, per_page)
    return {
        "items": [_certificate(c) for c in items],
        "pagination": _pagination(page, per_page, total),
    }


@blueprint.route("/centre/certificates/<public_id>")
@token_limit
@token_required("read")
@blueprint.response(200, schemas.CertificateSchema)
@blueprint.doc(security=TOKEN)
def show_certificate(public_id: str):
    """One certificate of the token's centre"""
    return _certificate(queries.get_certificate_of_centre(g.api_token.centre_id, public_id))


@blueprint.route("/centre/judgements")
@token_limit
@token_required("read")
@blueprint.arguments(schemas.PageQuerySchema, location="query", as_kwargs=True, unknown=RAISE)
@blueprint.response(200, schemas.JudgementPageSchema)
@blueprint.doc(security=TOKEN)
def ready_judgements(page: int, per_page: int):
    """Approved Competente judgements of the token's centre, ready to certify"""
    items, total = queries.page_of_ready_judgements(g.api_token.centre_id, page, per_page)
    return {
        "items": [
            {
                "assessment_id": a.id,
                "candidate_name": a.candidate.full_name,
                "standard_code": a.standard.full_code,
                "standard_title": a.standard.title,
                "judgement": a.judgement.value,
                "reviewed_at": a.reviewed_at,
            }
            for a in items
        ],
        "pagination": _pagination(page, per_page, total),
    }


def _batch(centre_id: int, batch_id: int) -> dict:
    counts, finished = queries.get_batch_progress(centre_id, batch_id)
    return {"id": batch_id, "counts": counts, "finished": finished}


@blueprint.route("/centre/batches", methods=["POST"])
@token_limit
@token_required("issue")
@blueprint.arguments(schemas.BatchRequestSchema, location="json")
@blueprint.response(202, schemas.BatchSchema)
@blueprint.doc(security=TOKEN)
def start_batch(body: dict):
    """Start a batch issuance of judgements ready to certify (scope `issue`)

    The batch runs in the background; poll `GET /centre/batches/{batch_id}` until `finished`.
    """
    token = g.api_token
    batch = services.start_batch(token, body["assessment_ids"])
    after_commit(partial(run_issuance_batch, batch.id))
    location = url_for("api.show_batch", batch_id=batch.id)
    return _batch(token.centre_id, batch.id), {"Location": location}


@blueprint.route("/centre/batches/<int:batch_id>")
@token_limit
@token_required("read")
@blueprint.response(200, schemas.BatchSchema)
@blueprint.doc(security=TOKEN)
def show_batch(batch_id: int):
    """A batch's progress: issued, failed and pending items, and whether it has finished"""
    return _batch(g.api_token.centre_id, batch_id)
