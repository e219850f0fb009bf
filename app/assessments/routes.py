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
from app.auth import require_role
from app.certificates.services import ensure_may_certify
from app.dates import to_utc
from app.errors import DomainError, allows
from app.extensions import db
from app.forms import commit_or_show_errors, show_errors, status_of
from app.standards.queries import get_standard, list_published_standards

ALL_STAFF_AND_CANDIDATES = (Role.ADMIN, Role.EVALUATOR, Role.REVIEWER, Role.CANDIDATE)


@blueprint.get("/")
@require_role(Role.ADMIN, Role.EVALUATOR, Role.REVIEWER)
def index():
    return render_template("assessments/index.html",
                           assessments=queries.list_assessments_for(current_user))


def _schedule_form() -> ScheduleForm:
    form = ScheduleForm()
    form.candidate.choices = [(c.id, f"{c.full_name} ({c.curp})")
                              for c in list_candidates(current_user.centre_id)]
    form.standard.choices = [(s.id, f"{s.full_code} {s.title}") for s in list_published_standards()]
    form.evaluator.choices = [(e.id, e.full_name)
                              for e in list_staff(current_user.centre_id, Role.EVALUATOR)]
    return form


@blueprint.route("/new", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def schedule():
    form = _schedule_form()

    def book():
        return services.schedule_assessment(
            actor=current_user,
            candidate=get_centre_member(current_user.centre_id, Candidate, form.candidate.data),
            standard=get_standard(form.standard.data),
            evaluator=get_centre_member(current_user.centre_id, User, form.evaluator.data),
            starts_at=to_utc(form.starts_at.data), ends_at=to_utc(form.ends_at.data),
            location=form.location.data, no_conflict_declared=form.no_conflict.data)

    if form.validate_on_submit() and (saved := commit_or_show_errors(form, book)):
        flash(_("Assessment scheduled."), "success")
        return redirect(url_for("assessments.show", assessment_id=saved.value.id))
    return render_template("assessments/new.html", form=form), status_of(form)


def _page(assessment, **forms):
    items = assessment.standard.instrument.items
    results_form = forms.pop("results_form", None) or results_form_class(items)(
        data={**_current_answers(assessment), "feedback": assessment.feedback})
    return render_template(
        "assessments/show.html", assessment=assessment, items=items, results_form=results_form,
        review_form=forms.pop("review_form", None) or ReviewForm(),
        may=_what_the_user_may_do(assessment),
        item_positions={item.id: item.position for item in items},
        events=list_assessment_events(assessment) if current_user.role != Role.CANDIDATE else [],
    )


def _what_the_user_may_do(assessment) -> dict[str, bool]:
    """Which actions to offer, decided by the same checks the services enforce."""
    return {
        "record": allows(services.ensure_may_record, current_user, assessment),
        "review": allows(services.ensure_may_review, current_user, assessment),
        "certify": allows(ensure_may_certify, current_user, assessment),
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
        item.id: (_answer(form, item), form[f"observation_{item.id}"].data or "")
        for item in items
    }
    return assessment, form, entries


def _answer(form, item) -> bool | None:
    value = form[f"item_{item.id}"].data
    return None if not value else value == MET


@blueprint.post("/<int:assessment_id>/results")
@require_role(Role.EVALUATOR)
def record_results(assessment_id: int):
    assessment, form, entries = _submitted_results(assessment_id)
    if not form.validate_on_submit():
        return _page(assessment, results_form=form), 422

    def save():
        services.record_item_results(current_user, assessment, entries)
        services.save_feedback_draft(current_user, assessment, form.feedback.data or "")

    return _act(assessment, save, _("Results saved."), results_form=form)


@blueprint.post("/<int:assessment_id>/sign-off")
@require_role(Role.EVALUATOR)
def sign_off(assessment_id: int):
    """Save whatever the form holds and sign off, in one transaction."""
    assessment, form, entries = _submitted_results(assessment_id)
    if not form.validate_on_submit():
        return _page(assessment, results_form=form), 422

    def save_and_sign():
        services.record_item_results(current_user, assessment, entries)
        services.sign_off_judgement(current_user, assessment, form.feedback.data or "")

    return _act(assessment, save_and_sign, _("Judgement signed off."), results_form=form)


@blueprint.post("/<int:assessment_id>/review")
@require_role(Role.REVIEWER)
def review(assessment_id: int):
    assessment = queries.get_assessment_for(current_user, assessment_id)
    form = ReviewForm()
    if form.validate_on_submit():
        if form.decision.data == "approve":
            action = lambda: services.approve_judgement(current_user, assessment)  # noqa: E731
        else:
            action = lambda: services.return_judgement(  # noqa: E731
                current_user, assessment, form.reason.data or "")
        return _act(assessment, action, _("Review recorded."), review_form=form)
    return _page(assessment, review_form=form), 422


def _act(assessment, action, success_message, **forms):
    """Run a service, commit and go back to the assessment; on a broken rule, show why."""
    try:
        action()
        db.session.commit()
        flash(success_message, "success")
        return redirect(url_for("assessments.show", assessment_id=assessment.id))
    except DomainError as error:
        db.session.rollback()
        assessment = queries.get_assessment_for(current_user, assessment.id)
        for form in forms.values():
            show_errors(form, error)
        return _page(assessment, **forms), error.status_code
