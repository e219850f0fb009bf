"""The cédula de evaluación: download it, and the candidate's "He recibido mi cédula"."""

import io

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.assessments import queries, records
from app.assessments.blueprint import blueprint
from app.auth import require_role
from app.errors import allows
from app.forms import ActionForm, flashed_on_failure
from app.responses import streamed_download

ALL_STAFF_AND_CANDIDATES = (Role.ADMIN, Role.EVALUATOR, Role.REVIEWER, Role.CANDIDATE)


@blueprint.get("/<int:assessment_id>/cedula.pdf")
@require_role(*ALL_STAFF_AND_CANDIDATES)
def record_pdf(assessment_id: int):
    assessment = queries.get_assessment_for(current_user, assessment_id)
    records.ensure_may_read_record(current_user, assessment)
    pdf = records.render_record(assessment)
    return streamed_download(
        io.BytesIO(pdf), "application/pdf", records.record_filename(assessment)
    )


@blueprint.post("/<int:assessment_id>/cedula/acknowledge")
@require_role(Role.CANDIDATE)
def acknowledge_record(assessment_id: int):
    assessment = queries.get_assessment_for(current_user, assessment_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with flashed_on_failure():
        records.acknowledge_record(current_user, assessment)
        flash(_("Thank you: we recorded that you received your cédula."), "success")
    return redirect(url_for("assessments.show", assessment_id=assessment.id))


@blueprint.context_processor
def record_panel_helper():
    """`record_panel(assessment)` for templates/assessments/_record.html: what this user may do
    with the cédula, asked of the same checks the routes enforce."""

    def record_panel(assessment) -> dict:
        return {
            "may_read": allows(records.ensure_may_read_record, current_user, assessment),
            "may_acknowledge": allows(records.ensure_may_acknowledge, current_user, assessment),
            "acknowledgement": records.get_acknowledgement(assessment),
            "is_candidate": assessment.candidate.user_id == current_user.id,
        }

    return {"record_panel": record_panel}
