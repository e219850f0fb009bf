"""The assessment pages: schedule, record results, sign off, review."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Candidate, User
from app.accounts.queries import get_centre_member, list_candidates, list_staff
from app.accounts.roles import Role
from app.assessments import queries, services
from app.assessments.blueprint import blueprint
from app.assessments.forms import MET, ReviewForm, ScheduleForm, results_form_class
from app.audit.queries import list_assessment_events
from app.audit.services import ensure_may_read_trail
from app.auth import require_role
from app.certificates.services import ensure_may_certify
from app.dates import to_utc
from app.errors import allows
from app.forms import explained_on, status_of
from app.standards.queries import get_standard, list_published_standards

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
    form.standard.choices = [(s.id, f"{s.full_code} {s.title}") for s in list_published_standards()]
    form.evaluator.choices = [
        (e.id, e.full_name) for e in list_staff(current_user.centre_id, Role.EVALUATOR)
    ]
    return form


@blueprint.route("/new", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def schedule():
    form = _schedule_form()
    if form.validate_on_submit():
        with explained_on(form):
            assessment = services.schedule_assessment(
                actor=current_user,
                candidate=get_centre_member(current_user.centre_id, Candidate, form.candidate.data),
                standard=get_standard(form.standard.data),
                evaluator=get_centre_member(current_user.centre_id, User, form.evaluator.data),
                starts_at=to_utc(form.starts_at.data),
                ends_at=to_utc(form.ends_at.data),
                location=form.location.data,
                no_conflict_declared=form.no_conflict.data,
            )
            flash(_("Assessment scheduled."), "success")
            return redirect(url_for("assessments.show", assessment_id=assessment.id))
    return render_template("assessments/new.html", form=form), status_of(form)


def _page(assessment, results_form=None, review_form=None, status=200):
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
        may=may,
        item_positions={item.id: item.position for item in items},
        events=list_assessment_events(assessment) if may["read_trail"] else [],
    ), status


def _what_the_user_may_do(assessment) -> dict[str, bool]:
    """Which actions to offer, decided by the same checks the services enforce."""
    return {
        "record": allows(services.ensure_may_record, current_user, assessment),
        "review": allows(services.ensure_may_review, current_user, assessment),
        "certify": allows(ensure_may_certify, current_user, assessment),
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
    assessment, form, entries = _submitted_results(assessment_id)
    if form.validate_on_submit():
        with explained_on(form):
            services.record_item_results(current_user, assessment, entries)
            services.save_feedback_draft(current_user, assessment, form.feedback.data or "")
            return _back_to(assessment, _("Results saved."))
    return _page(assessment, results_form=form, status=status_of(form))


@blueprint.post("/<int:assessment_id>/sign-off")
@require_role(Role.EVALUATOR)
def sign_off(assessment_id: int):
    """Save whatever the form holds and sign off, in one transaction."""
    assessment, form, entries = _submitted_results(assessment_id)
    if form.validate_on_submit():
        with explained_on(form):
            services.record_item_results(current_user, assessment, entries)
            services.sign_off_judgement(current_user, assessment, form.feedback.data or "")
            return _back_to(assessment, _("Judgement signed off."))
    return _page(assessment, results_form=form, status=status_of(form))


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


def _back_to(assessment, message: str):
    flash(message, "success")
    return redirect(url_for("assessments.show", assessment_id=assessment.id))
