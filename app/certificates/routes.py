from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.assessments.models import AssessmentStatus, Judgement
from app.assessments.queries import get_assessment_for, list_assessments_for
from app.auth import Role, require_role
from app.certificates import queries, services
from app.certificates.signing import SigningKeyMissing
from app.dates import today
from app.errors import DomainError
from app.extensions import db
from app.forms import ActionForm

blueprint = Blueprint("certificates", __name__)


@blueprint.get("/certificates/")
@require_role(Role.ADMIN, Role.REVIEWER, Role.CANDIDATE)
def index():
    ready = []
    if current_user.role == Role.ADMIN:
        ready = [a for a in list_assessments_for(current_user, AssessmentStatus.REVIEWED)
                 if a.judgement == Judgement.COMPETENT]
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


@blueprint.get("/certificates/<public_id>/pdf")
@require_role(Role.ADMIN, Role.REVIEWER, Role.CANDIDATE)
def download(public_id: str):
    certificate = queries.get_certificate_for(current_user, public_id)
    pdf = services.read_certificate_pdf(certificate)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{certificate.folio}.pdf"',
        "Cache-Control": "private, no-store",
    })
