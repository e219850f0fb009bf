"""The appeal pages: the candidate files one, the centre lists and decides them, and schedules
the re-assessment; and the panel the assessment page shows (appeal_panel)."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.appeals import queries, reassessments, services
from app.appeals.blueprint import blueprint
from app.appeals.forms import AppealForm, DecisionForm
from app.appeals.models import AppealStatus
from app.assessments.forms import SessionForm
from app.assessments.queries import get_assessment_for
from app.assessments.scheduling_views import schedule_follow_up
from app.auth import require_role
from app.dates import today
from app.errors import allows
from app.forms import explained_on, status_of
from app.responses import streamed_download
from app.storage import current_storage, open_checked
from app.uploads import read_limited

STAFF = (Role.ADMIN, Role.EVALUATOR, Role.REVIEWER)


@blueprint.app_template_global()
def appeal_panel(assessment) -> dict:
    """What the assessment page shows of appeals and attempts, asked of the services' rules."""
    return {
        "deadline": services.appeal_deadline(assessment),
        "appeals": queries.list_appeals_of(assessment),
        "may_appeal": allows(services.ensure_may_appeal, current_user, assessment),
        "may_reassess": allows(reassessments.ensure_may_reassess, current_user, assessment),
        "attempts": reassessments.list_attempts(assessment),
    }


@blueprint.get("/")
@require_role(*STAFF)
def index():
    return render_template("appeals/index.html", appeals=queries.list_appeals_for(current_user))


def _uploads(form: AppealForm) -> list[services.Upload]:
    limit = current_app.config["APPEAL_FILE_MAX_BYTES"]
    return [
        services.Upload(upload.filename or "", read_limited(upload.stream, limit, field="files"))
        for upload in form.files.data or []
        if upload and upload.filename
    ]


@blueprint.route("/assessments/<int:assessment_id>/new", methods=["GET", "POST"])
@require_role(Role.CANDIDATE)
def new(assessment_id: int):
    assessment = get_assessment_for(current_user, assessment_id)
    form = AppealForm()
    if form.validate_on_submit():
        with explained_on(form):
            appeal = services.file_appeal(
                current_user, assessment, form.reason.data, _uploads(form)
            )
            flash(_("Your appeal was received."), "success")
            return redirect(url_for("appeals.show", appeal_id=appeal.id))
    deadline = services.appeal_deadline(assessment)
    return render_template(
        "appeals/new.html",
        assessment=assessment,
        form=form,
        deadline=deadline,
        is_over=deadline is not None and deadline < today(),
        why_not=services.why_not_appeal(current_user, assessment),
    ), status_of(form)


def _show(appeal, form=None, status=200):
    return render_template(
        "appeals/show.html",
        appeal=appeal,
        assessment=appeal.assessment,
        form=form or DecisionForm(),
        may_decide=allows(services.ensure_may_decide, current_user, appeal),
        may_reassess=allows(reassessments.ensure_may_reassess, current_user, appeal.assessment),
    ), status


@blueprint.get("/<int:appeal_id>")
@require_role(*STAFF, Role.CANDIDATE)
def show(appeal_id: int):
    return _show(queries.get_appeal_for(current_user, appeal_id))


@blueprint.post("/<int:appeal_id>/decision")
@require_role(*STAFF)
def decide(appeal_id: int):
    appeal = queries.get_appeal_for(current_user, appeal_id)
    form = DecisionForm()
    if form.validate_on_submit():
        with explained_on(form):
            services.decide_appeal(
                current_user, appeal, AppealStatus(form.outcome.data), form.reason.data
            )
            flash(_("Decision recorded."), "success")
            return redirect(url_for("appeals.show", appeal_id=appeal.id))
    return _show(appeal, form, status_of(form))


@blueprint.get("/<int:appeal_id>/files/<int:file_id>")
@require_role(*STAFF, Role.CANDIDATE)
def file(appeal_id: int, file_id: int):
    found = queries.get_appeal_file_for(current_user, appeal_id, file_id)
    stream = open_checked(current_storage(), found.file_key, found.sha256)
    extension = found.file_key.rsplit(".", 1)[-1]
    return streamed_download(
        stream, found.mimetype, f"inconformidad-{appeal_id}-{file_id}.{extension}"
    )


@blueprint.route("/reassessments/<int:assessment_id>", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def reassess(assessment_id: int):
    previous = get_assessment_for(current_user, assessment_id)
    form = SessionForm()
    done = schedule_follow_up(
        form,
        reassessments.schedule_reassessment,
        previous,
        previous.standard,
        _("Re-assessment scheduled."),
    )
    if done:
        return done
    return render_template(
        "appeals/reassess.html",
        previous=previous,
        form=form,
        why_not=reassessments.why_not_reassess(current_user, previous),
    ), status_of(form)
