"""The public pages: the QR code's page, lookups by folio and CURP, the PDF check, the keys."""

from flask import Response, current_app, jsonify, redirect, render_template, request, url_for

from app.auth import public
from app.certificates import badges, queries, signing
from app.certificates.issuer import current_signing_key, public_base_url, published_public_keys
from app.dates import today
from app.errors import NotFound
from app.extensions import limiter
from app.verification import services
from app.verification.blueprint import blueprint
from app.verification.forms import CurpLookupForm, FolioLookupForm, PdfCheckForm


def _public_limit() -> str:
    return current_app.config["PUBLIC_LOOKUP_RATE_LIMIT"]


# One allowance per client across every public lookup, so alternating routes gains nothing.
public_lookup_limit = limiter.shared_limit(_public_limit, scope="public-lookup")


def _page(certificate, check_form=None, pdf_is_original=None, status=200):
    return render_template(
        "verification/show.html",
        certificate=certificate,
        status=certificate.public_status(today()),
        check_form=check_form or PdfCheckForm(),
        pdf_is_original=pdf_is_original,
    ), status


def _not_found():
    return render_template("verification/not_found.html"), 404


@blueprint.get("/v/<public_id>")
@public
@public_lookup_limit
def show(public_id: str):
    certificate = queries.find_public(public_id)
    return _page(certificate) if certificate else _not_found()


@blueprint.post("/v/<public_id>/check")
@public
@public_lookup_limit
def check_pdf(public_id: str):
    certificate = queries.find_public(public_id)
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
        certificate = queries.find_by_folio(folio_form.folio.data)
        if certificate is not None:
            return redirect(url_for("verification.show", public_id=certificate.public_id))
        context["not_found"] = True
    elif "curp" in request.args and curp_form.validate():
        context["listed"] = services.list_listed_certificates(curp_form.curp.data)
    status = 422 if folio_form.errors or curp_form.errors else 200
    if context["not_found"]:
        status = 404
    return render_template("verification/lookup.html", today=today(), **context), status


def _pem_response(public_key) -> Response:
    return Response(
        signing.public_key_pem(public_key),
        mimetype="application/x-pem-file",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@blueprint.get("/.well-known/avala/signing-key.pem")
@public
def public_key():
    """The key that signs new certificates."""
    return _pem_response(current_signing_key().public_key())


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
