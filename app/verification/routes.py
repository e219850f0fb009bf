from flask import Blueprint, current_app, redirect, render_template, request, url_for

from app.certificates import queries
from app.dates import today
from app.extensions import limiter
from app.verification.forms import FolioLookupForm

blueprint = Blueprint("verification", __name__)


def _public_limit() -> str:
    return current_app.config["PUBLIC_LOOKUP_RATE_LIMIT"]


@blueprint.get("/v/<public_id>")
@limiter.limit(_public_limit)
def show(public_id: str):
    certificate = queries.find_public(public_id)
    if certificate is None:
        return render_template("verification/not_found.html"), 404
    return render_template("verification/show.html", certificate=certificate,
                           status=certificate.public_status(today()))


@blueprint.get("/verify")
@limiter.limit(_public_limit)
def lookup():
    form = FolioLookupForm(request.args)
    if request.args and form.validate():
        certificate = queries.find_by_folio(form.folio.data)
        if certificate is not None:
            return redirect(url_for("verification.show", public_id=certificate.public_id))
        return render_template("verification/lookup.html", form=form, not_found=True), 404
    status = 422 if request.args and form.errors else 200
    return render_template("verification/lookup.html", form=form, not_found=False), status
