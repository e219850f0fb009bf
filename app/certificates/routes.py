"""Certificate pages for staff and holders: list, issue, show, change status, reissue, files."""

import json

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.accounts.services import correct_candidate_name
from app.assessments.queries import get_assessment_for, list_ready_to_certify
from app.audit.queries import list_events_for
from app.audit.services import ensure_may_read_trail
from app.auth import may_open, require_role
from app.certificates import badges, queries, recertification, services
from app.certificates.blueprint import blueprint
from app.certificates.forms import STATUS_CHOICES, ReissueForm, StatusForm
from app.certificates.issuer import current_signing_key, public_base_url, verification_url
from app.certificates.lifecycle import allowed_statuses, change_certificate_status
from app.certificates.rules import linkedin_add_url
from app.dates import today
from app.errors import allows
from app.forms import ActionForm, explained_on, flashed_on_failure, status_of
from app.responses import streamed_download

HOLDER_SIDE = (Role.ADMIN, Role.REVIEWER, Role.CANDIDATE)


@blueprint.get("/certificates/")
@require_role(*HOLDER_SIDE)
def index():
    may_issue = may_open("certificates.start_batch")
    return render_template(
        "certificates/index.html",
        today=today(),
        is_holder=current_user.candidate is not None,
        ready=list_ready_to_certify(current_user) if may_issue else [],
        damaged=queries.list_damaged_files(current_user.centre_id) if may_issue else [],
        certificates=queries.list_certificates_for(current_user),
    )


@blueprint.post("/assessments/<int:assessment_id>/certify")
@require_role(Role.ADMIN)
def issue(assessment_id: int):
    assessment = get_assessment_for(current_user, assessment_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with flashed_on_failure():
        certificate = services.issue_certificate(current_user, assessment)
        flash(_("Certificate %(folio)s issued.", folio=certificate.folio), "success")
    return redirect(url_for("certificates.index"))


@blueprint.get("/certificates/<public_id>")
@require_role(*HOLDER_SIDE)
def show(public_id: str):
    return _detail(queries.get_certificate_for(current_user, public_id))


def _status_choices(certificate) -> list[tuple[str, str]]:
    """The changes allowed from the current status; none is preselected, revocation above all."""
    allowed = {status.value for status in allowed_statuses(certificate)}
    return [("", _("Choose…"))] + [
        (value, label) for value, label in STATUS_CHOICES.items() if value in allowed
    ]


def _detail(certificate, status_form=None, reissue_form=None, http_status=200):
    status_form = status_form or StatusForm()
    status_form.status.choices = _status_choices(certificate)
    may = {
        "change_status": allows(services.ensure_may_manage, current_user, certificate)
        and bool(allowed_statuses(certificate)),
        "reissue": allows(services.ensure_may_reissue, current_user, certificate),
        "read_trail": allows(ensure_may_read_trail, current_user),
        "request_recertification": allows(
            recertification.ensure_may_request, current_user, certificate
        ),
    }
    renewal = recertification.open_request_for(certificate)
    may["withdraw_recertification"] = renewal is not None and allows(
        recertification.ensure_may_withdraw, current_user, renewal
    )
    share_url = verification_url(certificate.public_id)
    return render_template(
        "certificates/show.html",
        certificate=certificate,
        today=today(),
        elements=[element.title for element in certificate.assessment.standard.elements],
        share_url=share_url,
        linkedin_url=linkedin_add_url(
            f"{certificate.standard_code} {certificate.standard_title}",
            certificate.body_name,
            certificate.issued_at.year,
            certificate.issued_at.month,
            share_url,
            certificate.folio,
        ),
        may=may,
        renewal=renewal,
        action_form=ActionForm(),
        status_form=status_form,
        reissue_form=reissue_form or ReissueForm(),
        events=list_events_for(certificate) if may["read_trail"] else [],
    ), http_status


@blueprint.post("/certificates/<public_id>/status")
@require_role(Role.ADMIN)
def change_status(public_id: str):
    certificate = queries.get_certificate_for(current_user, public_id)
    form = StatusForm()
    form.status.choices = _status_choices(certificate)
    if form.validate_on_submit():
        with explained_on(form):
            change_certificate_status(
                current_user,
                certificate,
                form.status.data,
                form.reason.data,
                public_reason=form.public_reason.data or None,
                public_note=form.public_note.data or "",
            )
            flash(_("Status changed. The public page shows it now."), "success")
            return redirect(url_for("certificates.show", public_id=public_id))
    return _detail(certificate, status_form=form, http_status=status_of(form))


@blueprint.post("/certificates/<public_id>/reissue")
@require_role(Role.ADMIN)
def reissue(public_id: str):
    certificate = queries.get_certificate_for(current_user, public_id)
    form = ReissueForm()
    if form.validate_on_submit():
        with explained_on(form):
            if form.holder_name.data:
                correct_candidate_name(current_user, certificate.candidate, form.holder_name.data)
            successor = services.reissue_certificate(
                current_user, certificate, form.reissue_reason.data
            )
            flash(
                _(
                    "Certificate %(folio)s issued; the old one is now superseded.",
                    folio=successor.folio,
                ),
                "success",
            )
            return redirect(url_for("certificates.show", public_id=successor.public_id))
    return _detail(certificate, reissue_form=form, http_status=status_of(form))


@blueprint.get("/certificates/<public_id>/badge.json")
@require_role(*HOLDER_SIDE)
def badge(public_id: str):
    """The holder's Open Badges 3.0 credential, signed with the body's key."""
    certificate = queries.get_certificate_for(current_user, public_id)
    credential = badges.signed_credential(certificate, public_base_url(), current_signing_key())
    return Response(
        json.dumps(credential, ensure_ascii=False, indent=2),
        mimetype="application/vc+ld+json",
        headers={"Content-Disposition": f'attachment; filename="{certificate.folio}.badge.json"'},
    )


@blueprint.get("/certificates/<public_id>/pdf")
@require_role(*HOLDER_SIDE)
def download(public_id: str):
    certificate = queries.get_certificate_for(current_user, public_id)
    pdf = services.certificate_pdf_for(current_user, certificate)
    return streamed_download(pdf, "application/pdf", f"{certificate.folio}.pdf")
