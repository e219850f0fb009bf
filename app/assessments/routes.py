"""The assessment pages: schedule, record results, sign off, review."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Candidate
from app.accounts.queries import (
    get_centre_member,
    list_candidates,
)
from app.accounts.roles import Role
from app.assessments import queries, services
from app.assessments.blueprint import blueprint
from app.assessments.cancellation import cancel_assessment, ensure_may_cancel
from app.assessments.entry import group_items
from app.assessments.forms import (
    MET,
    CancelForm,
    DeclarationForm,
    ReviewForm,
    ScheduleForm,
    SignOffForm,
    results_form_class,
)
from app.assessments.plans import plan_status
from app.assessments.scheduling_views import accept_any_evaluator, book_session
from app.assessments.signing import preview_judgement, reasons_for
from app.audit.queries import list_assessment_events
from app.audit.services import ensure_may_read_trail
from app.auth import require_role
from app.certificates.services import ensure_may_certify
from app.db_types import utcnow
from app.errors import DomainError, allows
from app.forms import explained_on, status_of
from app.standards.offers import list_offered_standards
from app.standards.queries import get_standard

ALL_STAFF_AND_CANDIDATES = (Role.ADMIN, Role.EVALUATOR, Role.REVIEWER, Role.CANDIDATE)


@blueprint.get("/")
@require_role(Role.ADMIN, Role.EVALUATOR, Role.REVIEWER)
def index():
    return render_template(
        "assessments/index.html", assessments=queries.list_assessments_for(current_user)
    )


def _schedule_form() -> ScheduleForm:
    form = ScheduleForm()
    form.candidate.choices = [
        (c.id, f"{c.full_name} ({c.curp})") for c in list_candidates(current_user.centre_id)
    ]
    form.standard.choices = [
        (s.id, f"{s.full_code} {s.title}") for s in list_offered_standards(current_user.centre_id)
    ]
    accept_any_evaluator(form)
    return form


def _chosen_standard(form: ScheduleForm):
    """The published standard chosen on the form, if one of those offered was."""
    offered = {standard_id for standard_id, _label in form.standard.choices}
    if not form.standard.raw_data or form.standard.data not in offered:
        return None
    return get_standard(form.standard.data)


@blueprint.route("/new", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def schedule():
    form = _schedule_form()

    def book(**session):
        return services.schedule_assessment(
            actor=current_user,
            candidate=get_centre_member(current_user.centre_id, Candidate, form.candidate.data),
            standard=get_standard(form.standard.data),
            **session,
        )

    done = book_session(form, book, _chosen_standard(form), _("Assessment scheduled."))
    return done or (render_template("assessments/new.html", form=form), status_of(form))


def _page(
    assessment,
    results_form=None,
    review_form=None,
    declaration_form=None,
    cancel_form=None,
    status=200,
):
    items = assessment.standard.instrument.items
    results_form = results_form or results_form_class(items)(
        data={**_current_answers(assessment), "feedback": assessment.feedback}
    )
    may = _what_the_user_may_do(assessment)
    return render_template(
        "assessments/show.html",
        assessment=assessment,
        items=items,
        results_form=results_form,
        review_form=review_form or ReviewForm(),
        declaration_form=declaration_form or DeclarationForm(),
        cancel_form=cancel_form or CancelForm(formdata=None),
        has_started=assessment.starts_at <= utcnow(),
        why_not_record=_why_not(services.ensure_may_record, assessment),
        may=may,
        groups=group_items(items),
        answered=sum(1 for item in items if assessment.result_for(item.id)),
        reasons=reasons_for(assessment),
        item_positions={item.id: item.position for item in items},
        plan_status=plan_status(assessment),
        events=list_assessment_events(assessment) if may["read_trail"] else [],
    ), status


def _why_not(check, assessment) -> str | None:
    """For the assigned evaluator, why `check` refuses them now (e.g. their accreditation
    lapsed); None when it allows them or they are someone else."""
    if current_user.id != assessment.evaluator_id or not assessment.is_editable:
        return None
    try:
        check(current_user, assessment)
    except DomainError as error:
        return str(error.message)
    return None


def _what_the_user_may_do(assessment) -> dict[str, bool]:
    """Which actions to offer, decided by the same checks the services enforce."""
    return {
        "declare": allows(services.ensure_may_declare, current_user, assessment),
        "record": allows(services.ensure_may_record, current_user, assessment),
        "review": allows(services.ensure_may_review, current_user, assessment),
        "certify": allows(ensure_may_certify, current_user, assessment),
        "cancel": allows(ensure_may_cancel, current_user, assessment),
        "read_trail": allows(ensure_may_read_trail, current_user),
    }


def _current_answers(assessment) -> dict:
    answers = {}
    for result in assessment.results:
        answers[f"item_{result.item_id}"] = "met" if result.is_met else "not_met"
        answers[f"observation_{result.item_id}"] = result.observation
    return answers


@blueprint.get("/<int:assessment_id>")
@require_role(*ALL_STAFF_AND_CANDIDATES)
def show(assessment_id: int):
    return _page(queries.get_assessment_for(current_user, assessment_id))


def _submitted_results(assessment_id: int):
    assessment = queries.get_assessment_for(current_user, assessment_id)
    items = assessment.standard.instrument.items
    form = results_form_class(items)()
    entries = {
        item.id: (_answer(form, item), form[f"observation_{item.id}"].data or "") for item in items
    }
    return assessment, form, entries


def _answer(form, item) -> bool | None:
    value = form[f"item_{item.id}"].data
    return None if not value else value == MET


@blueprint.post("/<int:assessment_id>/results")
@require_role(Role.EVALUATOR)
def record_results(assessment_id: int):
    """The plain form's save (no JavaScript needed); "Check and sign" saves, then previews."""
    assessment, form, entries = _submitted_results(assessment_id)
    if form.validate_on_submit():
        with explained_on(form):
            services.record_item_results(current_user, assessment, entries)
            services.save_feedback_draft(current_user, assessment, form.feedback.data or "")
            if request.form.get("then") == "preview":
                return redirect(
                    url_for("assessments.preview_sign_off", assessment_id=assessment_id)
                )
            return _back_to(assessment, _("Results saved."))
    return _page(assessment, results_form=form, status=status_of(form))


@blueprint.post("/<int:assessment_id>/results/autosave")
@require_role(Role.EVALUATOR)
def autosave_results(assessment_id: int):
    """static/js/result-entry.js sends each changed answer here, as form fields with the CSRF
    token, and reads JSON back. Only the items sent are touched; the same answer twice changes
    nothing (record_item_results), so a retry after a dropped connection is harmless."""
    assessment = queries.get_assessment_for(current_user, assessment_id)
    items = assessment.standard.instrument.items
    form = results_form_class(items)()
    if not form.validate_on_submit():
        return jsonify(error=_("The answers could not be read."), fields=form.errors), 422
    sent = [item for item in items if f"item_{item.id}" in request.form]
    entries = {
        item.id: (_answer(form, item), form[f"observation_{item.id}"].data or "") for item in sent
    }
    try:
        services.record_item_results(current_user, assessment, entries)
        if "feedback" in request.form:
            services.save_feedback_draft(current_user, assessment, form.feedback.data or "")
    except DomainError as error:
        return jsonify(error=str(error.message)), error.status_code
    answered = {result.item_id for result in assessment.results}
    return jsonify(saved=sorted(entries), answered=len(answered), total=len(items))


@blueprint.get("/<int:assessment_id>/sign-off")
@require_role(Role.EVALUATOR)
def preview_sign_off(assessment_id: int):
    """The judgement the rule gives for the saved results, and why, before signing."""
    assessment = queries.get_assessment_for(current_user, assessment_id)
    if not allows(services.ensure_may_record, current_user, assessment):
        return redirect(url_for("assessments.show", assessment_id=assessment_id))
    form = SignOffForm(data={"feedback": assessment.feedback})
    return _preview_page(assessment, form)


@blueprint.post("/<int:assessment_id>/sign-off")
@require_role(Role.EVALUATOR)
def sign_off(assessment_id: int):
    """Sign the judgement previewed, once the evaluator confirmed it."""
    assessment = queries.get_assessment_for(current_user, assessment_id)
    form = SignOffForm()
    if form.validate_on_submit():
        with explained_on(form):
            services.sign_off_judgement(
                current_user, assessment, form.feedback.data or "", form.results_digest.data or ""
            )
            return _back_to(assessment, _("Judgement signed off."))
    return _preview_page(assessment, form, status_of(form))


def _preview_page(assessment, form: SignOffForm, status: int = 200):
    preview = preview_judgement(assessment)
    # Always the results shown now: after a refusal the evaluator confirms what they see again.
    form.results_digest.data = preview.results_digest
    form.confirm.data = False
    return render_template(
        "assessments/sign_off.html", assessment=assessment, preview=preview, form=form
    ), status


@blueprint.post("/<int:assessment_id>/review")
@require_role(Role.REVIEWER)
def review(assessment_id: int):
    assessment = queries.get_assessment_for(current_user, assessment_id)
    form = ReviewForm()
    if form.validate_on_submit():
        with explained_on(form):
            if form.decision.data == "approve":
                services.approve_judgement(current_user, assessment)
            else:
                services.return_judgement(current_user, assessment, form.reason.data or "")
            return _back_to(assessment, _("Review recorded."))
    return _page(assessment, review_form=form, status=status_of(form))


@blueprint.post("/<int:assessment_id>/declaration")
@require_role(Role.EVALUATOR)
def declare(assessment_id: int):
    """The evaluator declares, in their own name, that they did not train the candidate."""
    assessment = queries.get_assessment_for(current_user, assessment_id)
    form = DeclarationForm()
    if form.validate_on_submit():
        with explained_on(form):
            services.declare_no_conflict(current_user, assessment)
            return _back_to(assessment, _("Declaration recorded."))
    return _page(assessment, declaration_form=form, status=status_of(form))


def _back_to(assessment, message: str):
    flash(message, "success")
    return redirect(url_for("assessments.show", assessment_id=assessment.id))


@blueprint.post("/<int:assessment_id>/cancel")
@require_role(Role.ADMIN)
def cancel(assessment_id: int):
    """The centre administrator calls a booked session off; both people are told."""
    assessment = queries.get_assessment_for(current_user, assessment_id)
    form = CancelForm()
    if form.validate_on_submit():
        with explained_on(form):
            cancel_assessment(current_user, assessment, form.reason.data)
            return _back_to(
                assessment, _("Assessment cancelled. The candidate and the evaluator were told.")
            )
    return _page(assessment, cancel_form=form, status=status_of(form))
