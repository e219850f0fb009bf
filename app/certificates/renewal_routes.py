"""Pages of a certificate's renewal: what expires soon (centre), recertification requests
(holder asks, centre schedules)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.assessments.forms import SessionForm
from app.assessments.scheduling_views import schedule_follow_up
from app.auth import require_role
from app.certificates import queries, recertification, reminders
from app.certificates.blueprint import blueprint
from app.forms import ActionForm, flashed_on_failure, status_of


@blueprint.get("/certificates/expiring")
@require_role(Role.ADMIN)
def expiring():
    within = request.args.get("within", type=int)
    within = within if within in reminders.EXPIRING_WINDOWS else max(reminders.EXPIRING_WINDOWS)
    return render_template(
        "certificates/expiring.html",
        within=within,
        windows=reminders.EXPIRING_WINDOWS,
        rows=reminders.list_expiring(current_user.centre_id, within),
    )


@blueprint.post("/certificates/<public_id>/recertification")
@require_role(Role.CANDIDATE)
def request_recertification(public_id: str):
    return _holder_acts(
        public_id,
        recertification.request_recertification,
        _("Recertification requested. The centre will schedule your assessment."),
    )


@blueprint.post("/certificates/<public_id>/recertification/withdraw")
@require_role(Role.CANDIDATE)
def withdraw_recertification(public_id: str):
    return _holder_acts(
        public_id,
        recertification.withdraw_recertification,
        _("Your recertification request was withdrawn. You may ask again."),
    )


def _holder_acts(public_id: str, act, done: str):
    """The holder's button on their certificate's page: `act(holder, certificate)`, then back
    to the page with `done`, or with the reasons it was refused."""
    certificate = queries.get_certificate_for(current_user, public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with flashed_on_failure():
        act(current_user, certificate)
        flash(done, "success")
    return redirect(url_for("certificates.show", public_id=public_id))


@blueprint.get("/certificates/recertifications")
@require_role(Role.ADMIN)
def recertifications():
    return render_template(
        "certificates/recertifications.html",
        requests=recertification.list_requests(current_user.centre_id),
    )


@blueprint.route("/certificates/recertifications/<int:request_id>", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def schedule_recertification(request_id: int):
    renewal = recertification.get_request_for(current_user, request_id)
    standard = renewal.certificate.assessment.standard
    form = SessionForm()
    done = schedule_follow_up(
        form,
        recertification.schedule_recertification,
        renewal,
        standard,
        _("Recertification assessment scheduled."),
    )
    if done:
        return done
    return render_template(
        "certificates/recertification.html", renewal=renewal, standard=standard, form=form
    ), status_of(form)
