"""The assessment plan's page (staff draft it, the candidate accepts it) and the candidate's
own list of assessments ("Mis evaluaciones")."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.assessments import plans, queries
from app.assessments.blueprint import blueprint
from app.assessments.mine import list_my_assessments
from app.assessments.plan_forms import (
    AcceptPlanForm,
    form_data,
    plan_form_class,
    submitted_elements,
)
from app.assessments.plan_models import EvidenceType
from app.auth import require_role
from app.errors import allows
from app.forms import explained_on, status_of

STAFF_AND_CANDIDATES = (Role.ADMIN, Role.EVALUATOR, Role.REVIEWER, Role.CANDIDATE)


def _plan_page(assessment, plan_form=None, accept_form=None, status=200):
    elements = assessment.standard.elements
    plan = plans.get_plan(assessment)
    plan_form = plan_form or plan_form_class(elements)(
        data=form_data(plans.planned_elements(assessment))
    )
    accept_form = accept_form or AcceptPlanForm(
        data={"content_hash": plan.content_hash if plan else ""}
    )
    return render_template(
        "assessments/plan.html",
        assessment=assessment,
        plan=plan,
        elements=elements,
        plan_form=plan_form,
        accept_form=accept_form,
        evidence_labels={e.value: e.label for e in EvidenceType},
        may={
            "edit": allows(plans.ensure_may_edit_plan, current_user, assessment),
            "accept": allows(plans.ensure_may_accept, current_user, assessment),
        },
    ), status


@blueprint.get("/<int:assessment_id>/plan")
@require_role(*STAFF_AND_CANDIDATES)
def plan(assessment_id: int):
    return _plan_page(queries.get_assessment_for(current_user, assessment_id))


@blueprint.post("/<int:assessment_id>/plan")
@require_role(Role.ADMIN, Role.EVALUATOR)
def save_plan(assessment_id: int):
    assessment = queries.get_assessment_for(current_user, assessment_id)
    elements = assessment.standard.elements
    form = plan_form_class(elements)()
    if form.validate_on_submit():
        with explained_on(form):
            planned = submitted_elements(form, elements, plans.PlannedElement)
            plans.save_plan(current_user, assessment, planned)
            flash(_("Plan saved. The candidate is asked to accept it."), "success")
            return redirect(url_for("assessments.plan", assessment_id=assessment.id))
    return _plan_page(assessment, plan_form=form, status=status_of(form))


@blueprint.post("/<int:assessment_id>/plan/accept")
@require_role(Role.CANDIDATE)
def accept_plan(assessment_id: int):
    assessment = queries.get_assessment_for(current_user, assessment_id)
    form = AcceptPlanForm()
    if form.validate_on_submit():
        with explained_on(form):
            plans.accept_plan(current_user, assessment, form.content_hash.data)
            flash(_("You accepted the assessment plan."), "success")
            return redirect(url_for("assessments.mine"))
    return _plan_page(assessment, accept_form=form, status=status_of(form))


@blueprint.get("/mine")
@require_role(Role.CANDIDATE)
def mine():
    return render_template("assessments/mine.html", mine=list_my_assessments(current_user))
