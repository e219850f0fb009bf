"""Batch issuance pages: start a batch, follow its progress, re-run it, download its PDFs."""

from functools import partial

from flask import abort, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.auth import require_role
from app.certificates import batches, queries
from app.certificates.blueprint import blueprint
from app.certificates.forms import BatchForm
from app.errors import ValidationFailed
from app.forms import ActionForm, flashed_on_failure
from app.responses import streamed_download
from app.tasks import run_issuance_batch
from app.transactions import after_commit


@blueprint.post("/certificates/batches")
@require_role(Role.ADMIN)
def start_batch():
    form = BatchForm()
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400)
    with flashed_on_failure():
        if form.errors or not form.assessment.data:
            raise ValidationFailed(_("Choose at least one judgement to certify."))
        batch = batches.create_batch(current_user, form.assessment.data)
        after_commit(partial(run_issuance_batch, batch.id))
        return redirect(url_for("certificates.show_batch", batch_id=batch.id))
    return redirect(url_for("certificates.index"))


@blueprint.get("/certificates/batches/<int:batch_id>")
@require_role(Role.ADMIN)
def show_batch(batch_id: int):
    batch = queries.get_batch_for(current_user, batch_id)
    return render_template(
        "certificates/batch.html", batch=batch, counts=queries.count_batch_items(batch.id)
    )


@blueprint.get("/certificates/batches/<int:batch_id>/progress")
@require_role(Role.ADMIN)
def batch_progress(batch_id: int):
    counts, finished = queries.get_batch_progress(current_user, batch_id)
    return jsonify({"counts": counts, "finished": finished})


@blueprint.post("/certificates/batches/<int:batch_id>/run")
@require_role(Role.ADMIN)
def rerun_batch(batch_id: int):
    batch = queries.get_batch_for(current_user, batch_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    after_commit(partial(run_issuance_batch, batch.id))
    return redirect(url_for("certificates.show_batch", batch_id=batch.id))


@blueprint.get("/certificates/batches/<int:batch_id>/zip")
@require_role(Role.ADMIN)
def batch_zip(batch_id: int):
    batch = queries.get_batch_for(current_user, batch_id)
    archive = batches.zip_of_batch(current_user, batch)
    return streamed_download(archive, "application/zip", f"lote-{batch.id}.zip")
