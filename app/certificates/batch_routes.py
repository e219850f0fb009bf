"""Batch issuance pages: start a batch, follow its progress, re-run it, download its PDFs."""

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.auth import require_role
from app.certificates import batches
from app.certificates.blueprint import blueprint
from app.errors import DomainError
from app.extensions import db
from app.forms import ActionForm
from app.tasks import run_issuance_batch


@blueprint.post("/certificates/batches")
@require_role(Role.ADMIN)
def start_batch():
    if not ActionForm().validate_on_submit():
        abort(400)
    ids = [int(value) for value in request.form.getlist("assessment") if value.isdigit()]
    try:
        batch = batches.create_batch(current_user, ids)
    except DomainError:
        db.session.rollback()
        flash(_("Choose at least one judgement to certify."), "error")
        return redirect(url_for("certificates.index"))
    db.session.commit()
    run_issuance_batch(batch.id)
    return redirect(url_for("certificates.show_batch", batch_id=batch.id))


@blueprint.get("/certificates/batches/<int:batch_id>")
@require_role(Role.ADMIN)
def show_batch(batch_id: int):
    batch = batches.get_batch_for(current_user, batch_id)
    return render_template("certificates/batch.html", batch=batch, counts=batch.counts())


@blueprint.get("/certificates/batches/<int:batch_id>/progress")
@require_role(Role.ADMIN)
def batch_progress(batch_id: int):
    batch = batches.get_batch_for(current_user, batch_id)
    return jsonify({"counts": batch.counts(), "finished": batch.finished_at is not None})


@blueprint.post("/certificates/batches/<int:batch_id>/run")
@require_role(Role.ADMIN)
def rerun_batch(batch_id: int):
    batch = batches.get_batch_for(current_user, batch_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    run_issuance_batch(batch.id)
    return redirect(url_for("certificates.show_batch", batch_id=batch.id))


@blueprint.get("/certificates/batches/<int:batch_id>/zip")
@require_role(Role.ADMIN)
def batch_zip(batch_id: int):
    batch = batches.get_batch_for(current_user, batch_id)
    return Response(batches.zip_of_batch(batch), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="lote-{batch.id}.zip"',
    })
