"""The public pages: the QR code's page, lookups by folio and CURP, the PDF check, the keys."""

from flask import Response, current_app, jsonify, render_template, request, session, url_for
from flask_login import current_user

from app.accounts.queries import find_centre
from app.auth import public
from app.certificates import badges, queries, signing
from app.certificates.issuer import active_public_key, public_base_url, published_public_keys
from app.dates import today
from app.errors import NotFound
from app.extensions import csrf, limiter
from app.verification import page_cache, services
from app.verification.blueprint import blueprint
from app.verification.forms import CurpLookupForm, FolioLookupForm, PdfCheckForm


def _public_limit() -> str:
    return current_app.config["PUBLIC_LOOKUP_RATE_LIMIT"]


# One allowance per client across every public lookup, so alternating routes gains nothing.
public_lookup_limit = limiter.shared_limit(_public_limit, scope="public-lookup")


# The public catalogue's page of one standard (app/catalogue, /catalogo/<code>), when present.
CATALOGUE_PAGE = "catalogue.show"


def _facts(certificate, shows_holder: bool) -> dict:
    """What both the QR code's page and a folio's answer show about a certificate."""
    return {
        "certificate": certificate,
        "status": certificate.public_status(today()),
        "shows_holder": shows_holder,
        "elements": [element.title for element in certificate.assessment.standard.elements],
        "signature_ok": services.signature_checks_out(certificate),
        "body_logo": current_app.config.get("CERTIFYING_BODY_LOGO"),
        "catalogue_url": _catalogue_url(certificate.standard_code),
    }


def _catalogue_url(standard_code: str) -> str | None:
    """The standard's page in the public catalogue, where this deployment has one."""
    if CATALOGUE_PAGE not in current_app.view_functions:
        return None
    return url_for(CATALOGUE_PAGE, code=standard_code)


def _page(certificate, check_form=None, pdf_is_original=None, status=200):
    return render_template(
        "verification/show.html",
        check_form=check_form or PdfCheckForm(),
        pdf_is_original=pdf_is_original,
        **_facts(certificate, shows_holder=True),
    ), status


def _not_found():
    return render_template("verification/not_found.html"), 404


@blueprint.get("/v/<public_id>")
@public
@public_lookup_limit
def show(public_id: str):
    if current_user.is_authenticated or session.get("_flashes"):  # pages for one person only
        certificate = queries.find_public_page(public_id)
        page, status = _page(certificate) if certificate else _not_found()
        return page, status, {"Cache-Control": "private, no-cache"}
    answer = page_cache.kept_answer(public_id, lambda: _fresh_page(public_id))
    return answer if answer is not None else _not_found()


def _fresh_page(public_id: str) -> Response:
    page, _status = _page(queries.find_public_page(public_id))
    return Response(page, mimetype="text/html")


@blueprint.post("/v/<public_id>/check")
@csrf.exempt  # no session to bind a token to (visitors get no cookie); it stores nothing
@public
@public_lookup_limit
def check_pdf(public_id: str):
    certificate = queries.find_public_page(public_id)
    if certificate is None:
        return _not_found()
    form = PdfCheckForm()
    if not form.validate_on_submit():
        return _page(certificate, check_form=form, status=422)
    return _page(
        certificate,
        check_form=form,
        pdf_is_original=services.is_original_pdf(certificate, form.pdf.data.stream),
    )


@blueprint.get("/verify")
@public
@public_lookup_limit
def lookup():
    folio_form, curp_form = FolioLookupForm(request.args), CurpLookupForm(request.args)
    context = {"folio_form": folio_form, "curp_form": curp_form, "not_found": False, "listed": None}
    if "folio" in request.args and folio_form.validate():
        answer = services.look_up_folio(folio_form.folio.data, folio_form.holder.data or "")
        if answer.certificate is not None:
            return render_template(
                "verification/folio.html",
                folio_form=folio_form,
                **_facts(answer.certificate, answer.shows_holder),
            )
        context["not_found"] = True
    elif "curp" in request.args and curp_form.validate():
        context["listed"] = services.list_listed_certificates(curp_form.curp.data)
    status = 422 if folio_form.errors or curp_form.errors else 200
    if context["not_found"]:
        status = 404
    return render_template("verification/lookup.html", today=today(), **context), status


@blueprint.get("/centres/<int:centre_id>/logo")
@public
def centre_logo(centre_id: int):
    """A centre's logo, shown on the public page of its certificates (checked on upload)."""
    centre = find_centre(centre_id)
    if centre is None or not centre.logo:
        raise NotFound()
    return Response(
        centre.logo,
        mimetype=centre.logo_mimetype,
        headers={"Cache-Control": "public, max-age=3600"},
    )


def _pem_response(public_key) -> Response:
    return Response(
        signing.public_key_pem(public_key),
        mimetype="application/x-pem-file",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@blueprint.get("/.well-known/avala/signing-key.pem")
@public
def public_key():
    """The key that signs new certificates (the database's active key, on every machine)."""
    key = active_public_key()
    if key is None:
        raise NotFound()
    return _pem_response(key)


@blueprint.get("/.well-known/avala/keys/<key_id>.pem")
@public
def published_key(key_id: str):
    """Any key the body has signed with, by the key id each certificate records."""
    public_key = published_public_keys().get(key_id)
    if public_key is None:
        raise NotFound()
    return _pem_response(public_key)


@blueprint.get("/.well-known/avala/issuer.json")
@public
def issuer():
    document = badges.issuer_document(
        public_base_url(), current_app.config["CERTIFYING_BODY_NAME"], published_public_keys()
    )
    return jsonify(document)
