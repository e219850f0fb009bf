import json

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.accounts.services import correct_candidate_name
from app.assessments.queries import get_assessment_for, list_ready_to_certify
from app.audit.queries import list_events_for
from app.auth import require_role
from app.certificates import badges, queries, services
from app.certificates.blueprint import blueprint
from app.certificates.forms import STATUS_CHOICES, ReissueForm, StatusForm
from app.certificates.lifecycle import allowed_statuses, change_certificate_status
from app.certificates.signing import SigningKeyMissing
from app.dates import today
from app.errors import DomainError
from app.extensions import db
from app.forms import ActionForm, commit_or_show_errors


@blueprint.get("/certificates/")
@require_role(Role.ADMIN, Role.REVIEWER, Role.CANDIDATE)
def index():
    ready = list_ready_to_certify(current_user) if current_user.role == Role.ADMIN else []
    return render_template("certificates/index.html", ready=ready, today=today(),
                           certificates=queries.list_certificates_for(current_user))


@blueprint.post("/assessments/<int:assessment_id>/certify")
@require_role(Role.ADMIN)
def issue(assessment_id: int):
    assessment = get_assessment_for(current_user, assessment_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        certificate = services.issue_certificate(current_user, assessment)
        db.session.commit()
        flash(_("Certificate %(folio)s issued.", folio=certificate.folio), "success")
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    except SigningKeyMissing:
        db.session.rollback()
        current_app.logger.error("certificate not issued: no signing key")
        flash(_("Certificates cannot be issued: the signing key is missing. Ask the system "
                "administrator."), "error")
    return redirect(url_for("certificates.index"))


@blueprint.get("/certificates/<public_id>")
@require_role(Role.ADMIN, Role.REVIEWER, Role.CANDIDATE)
def show(public_id: str):
    certificate = queries.get_certificate_for(current_user, public_id)
    return _detail(certificate)


def _status_choices(certificate) -> list[tuple[str, str]]:
    """The changes allowed from the current status; none is preselected, revocation above all."""
    allowed = {status.value for status in allowed_statuses(certificate)}
    return [("", _("Choose…"))] + [
        (value, label) for value, label in STATUS_CHOICES.items() if value in allowed]


def _detail(certificate, status_form=None, reissue_form=None, http_status=200):
    status_form = status_form or StatusForm()
    status_form.status.choices = _status_choices(certificate)
    return render_template(
        "certificates/show.html", certificate=certificate, today=today(),
        status_form=status_form, reissue_form=reissue_form or ReissueForm(),
        events=list_events_for(certificate) if current_user.role != Role.CANDIDATE else [],
    ), http_status


@blueprint.post("/certificates/<public_id>/status")
@require_role(Role.ADMIN)
def change_status(public_id: str):
    certificate = queries.get_certificate_for(current_user, public_id)
    form = StatusForm()
    form.status.choices = _status_choices(certificate)
    if form.validate_on_submit() and commit_or_show_errors(form, lambda: change_certificate_status(
            current_user, certificate, form.status.data, form.reason.data)):
        flash(_("Status changed. The public page shows it now."), "success")
        return redirect(url_for("certificates.show", public_id=public_id))
    return _detail(certificate, status_form=form, http_status=422)


@blueprint.post("/certificates/<public_id>/reissue")
@require_role(Role.ADMIN)
def reissue(public_id: str):
    certificate = queries.get_certificate_for(current_user, public_id)
    form = ReissueForm()

    def correct_and_reissue():
        if form.holder_name.data:
            correct_candidate_name(current_user, certificate.candidate, form.holder_name.data)
        return services.reissue_certificate(current_user, certificate, form.reissue_reason.data)

    if form.validate_on_submit() and (saved := commit_or_show_errors(form, correct_and_reissue)):
        flash(_("Certificate %(folio)s issued; the old one is now superseded.",
                folio=saved.value.folio), "success")
        return redirect(url_for("certificates.show", public_id=saved.value.public_id))
    return _detail(certificate, reissue_form=form, http_status=422)


@blueprint.get("/certificates/<public_id>/badge.json")
@require_role(Role.ADMIN, Role.REVIEWER, Role.CANDIDATE)
def badge(public_id: str):
    """The holder's Open Badges 3.0 credential, signed with the body's key."""
    certificate = queries.get_certificate_for(current_user, public_id)
    credential = badges.signed_credential(certificate, services.public_base_url(),
                                          services.current_signing_key())
    return Response(json.dumps(credential, ensure_ascii=False, indent=2),
                    mimetype="application/vc+ld+json", headers={
                        "Content-Disposition":
                            f'attachment; filename="{certificate.folio}.badge.json"'})


@blueprint.get("/certificates/<public_id>/pdf")
@require_role(Role.ADMIN, Role.REVIEWER, Role.CANDIDATE)
def download(public_id: str):
    certificate = queries.get_certificate_for(current_user, public_id)
    pdf = services.read_certificate_pdf(certificate)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{certificate.folio}.pdf"',
        "Cache-Control": "private, no-store",
    })

