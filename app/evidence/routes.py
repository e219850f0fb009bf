"""The evidence pages: attach a file to an item, take it back before sign-off, download one
file, download the portfolio as a ZIP."""

from urllib.parse import quote

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.roles import Role
from app.assessments.queries import get_assessment_for
from app.audit.services import record_alarm
from app.auth import require_role
from app.errors import NotFound, StoredDataCorrupted, allows
from app.evidence import queries, rules, services
from app.evidence.blueprint import blueprint
from app.evidence.forms import EvidenceForm
from app.evidence.portfolio import portfolio_zip
from app.forms import ActionForm, explained_on, flashed_on_failure, status_of
from app.responses import streamed_download
from app.storage import StoredObjectAltered, StoredObjectMissing, current_storage, open_checked

SEE = (Role.ADMIN, Role.EVALUATOR, Role.REVIEWER, Role.CANDIDATE)
CENTRE_STAFF = (Role.ADMIN, Role.EVALUATOR, Role.REVIEWER)
# Room for the form's other fields and the multipart framing around the largest file.
FORM_OVERHEAD = 64 * 1024


@blueprint.record_once
def _raise_the_request_limit_for_evidence(state) -> None:
    """The evidence limit, not the app's general MAX_CONTENT_LENGTH, bounds an upload (a short
    video). Set first of all, before CSRFProtect's own before_request parses the form."""

    def raise_limit() -> None:
        if request.endpoint == "evidence.add":
            request.max_content_length = current_app.config["EVIDENCE_MAX_BYTES"] + FORM_OVERHEAD

    state.app.before_request_funcs.setdefault(None, []).insert(0, raise_limit)


blueprint.app_template_global("evidence_size")(rules.size_label)


@blueprint.app_template_global()
def evidence_portfolio(assessment) -> dict:
    """What the assessment page shows of the portfolio, decided by the services' own rules."""
    return {
        "by_item": queries.evidence_by_item(assessment),
        "may_add": allows(services.ensure_may_add, current_user, assessment),
        "may_zip": current_user.role in CENTRE_STAFF,
        "form": EvidenceForm(formdata=None),
        "action_form": ActionForm(formdata=None),
    }


@blueprint.post("/<int:assessment_id>/evidence")
@require_role(Role.EVALUATOR)
def add(assessment_id: int):
    assessment = get_assessment_for(current_user, assessment_id)
    form = EvidenceForm()
    if form.validate_on_submit():
        upload = form.file.data
        with explained_on(form):
            evidence = services.add_evidence(
                current_user, assessment, form.item_id(), upload.stream, upload.filename or ""
            )
            flash(_("Evidence attached: %(name)s.", name=evidence.original_name), "success")
            return redirect(_item_anchor(assessment.id, evidence.item_id))
    item = next((i for i in assessment.standard.instrument.items if i.id == form.item_id()), None)
    page = render_template("evidence/add.html", assessment=assessment, item=item, form=form)
    return page, status_of(form)


@blueprint.post("/<int:assessment_id>/evidence/<int:evidence_id>/remove")
@require_role(Role.EVALUATOR)
def remove(assessment_id: int, evidence_id: int):
    evidence = queries.get_evidence_for(current_user, assessment_id, evidence_id)
    if ActionForm().validate_on_submit():
        with flashed_on_failure():
            services.remove_evidence(current_user, evidence)
            flash(_("Evidence removed."), "success")
    return redirect(_item_anchor(assessment_id, evidence.item_id))


DAMAGED = _l("The stored evidence file is missing or damaged; the centre has been alerted.")


@blueprint.get("/<int:assessment_id>/evidence/<int:evidence_id>")
@require_role(*SEE)
def download(assessment_id: int, evidence_id: int):
    evidence = queries.get_evidence_for(current_user, assessment_id, evidence_id)
    if evidence.is_purged:
        raise NotFound(_("This file was removed at the end of its retention period."))
    try:
        stored = open_checked(current_storage(), evidence.storage_key, evidence.sha256)
    except (StoredObjectMissing, StoredObjectAltered) as error:
        problem = "missing" if isinstance(error, StoredObjectMissing) else "altered"
        record_alarm(current_user, "evidence.file_damaged", evidence, problem=problem)
        raise StoredDataCorrupted(str(DAMAGED)) from None
    fallback = f"evidencia-{evidence.id}.{evidence.extension}"
    response = streamed_download(stored, evidence.mimetype, fallback)
    response.headers["Content-Disposition"] = content_disposition(fallback, evidence.original_name)
    return response


def content_disposition(fallback: str, name: str) -> str:
    """Always an attachment (never shown inline by the browser): an ASCII name the app made,
    and the original name, percent-encoded, for browsers that read RFC 6266's filename*."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@blueprint.get("/<int:assessment_id>/portfolio.zip")
@require_role(*CENTRE_STAFF)
def portfolio(assessment_id: int):
    assessment = get_assessment_for(current_user, assessment_id)
    archive = portfolio_zip(current_user, assessment)
    return streamed_download(archive, "application/zip", f"portafolio-{assessment.id}.zip")


def _item_anchor(assessment_id: int, item_id: int) -> str:
    return url_for("assessments.show", assessment_id=assessment_id, _anchor=f"evidence-{item_id}")
