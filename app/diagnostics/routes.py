"""The diagnostic pages: staff open one for a candidate; the candidate (or staff) answers it."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Candidate
from app.accounts.queries import get_centre_member, list_candidates
from app.accounts.roles import Role
from app.auth import require_role
from app.diagnostics import queries, questionnaire, services
from app.diagnostics.blueprint import blueprint
from app.diagnostics.forms import StartForm, answers_form_class, answers_from
from app.errors import allows
from app.forms import explained_on, status_of
from app.standards.offers import list_offered_standards
from app.standards.queries import get_standard

STAFF = (Role.ADMIN, Role.EVALUATOR, Role.REVIEWER)


def _start_form() -> StartForm:
    form = StartForm()
    form.candidate.choices = [
        (c.id, f"{c.full_name} ({c.curp})") for c in list_candidates(current_user.centre_id)
    ]
    form.standard.choices = [
        (s.id, f"{s.full_code} {s.title}") for s in list_offered_standards(current_user.centre_id)
    ]
    return form


@blueprint.get("/")
@require_role(*STAFF, Role.CANDIDATE)
def index():
    form = _start_form() if current_user.role in services.STARTERS else None
    return _index_page(form)


@blueprint.post("/")
@require_role(*services.STARTERS)
def start():
    form = _start_form()
    if form.validate_on_submit():
        with explained_on(form):
            diagnostic = services.start_diagnostic(
                current_user,
                get_centre_member(current_user.centre_id, Candidate, form.candidate.data),
                get_standard(form.standard.data),
            )
            flash(_("Diagnostic opened. The candidate has been told by e-mail."), "success")
            return redirect(url_for("diagnostics.show", diagnostic_id=diagnostic.id))
    return _index_page(form)


def _index_page(form):
    page = render_template(
        "diagnostics/index.html",
        form=form,
        diagnostics=queries.list_diagnostics_for(current_user),
        own=current_user.role == Role.CANDIDATE,
    )
    return page, status_of(form) if form is not None else 200


@blueprint.route("/<int:diagnostic_id>", methods=["GET", "POST"])
@require_role(*STAFF, Role.CANDIDATE)
def show(diagnostic_id: int):
    diagnostic = queries.get_diagnostic(current_user, diagnostic_id)
    items = questionnaire.items_asked(diagnostic.standard.instrument.items)
    by_candidate = current_user.role == Role.CANDIDATE
    may_answer = allows(services.ensure_may_answer, current_user, diagnostic)
    if not may_answer and request.method == "POST":
        services.ensure_may_answer(current_user, diagnostic)  # says why: 403, 404 or 409
    form = answers_form_class(items, by_candidate)() if may_answer else None
    if form is not None and form.validate_on_submit():
        with explained_on(form):
            services.answer_diagnostic(current_user, diagnostic, answers_from(form, items))
            flash(_("Answers saved."), "success")
            return redirect(url_for("diagnostics.show", diagnostic_id=diagnostic.id))
    return render_template(
        "diagnostics/show.html",
        diagnostic=diagnostic,
        items=items,
        form=form,
        by_candidate=by_candidate,
        answers={answer.item_id: answer.is_met for answer in diagnostic.answers},
    ), status_of(form) if form is not None else 200
