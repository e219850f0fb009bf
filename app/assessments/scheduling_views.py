"""What every scheduling page shares: the evaluators it offers, and the handling of the form of
an assessment that follows another (a re-assessment, a recertification)."""

from collections.abc import Callable
from functools import partial

from flask import flash, redirect, request, url_for
from flask_login import current_user

from app.accounts.accreditations import accreditation_problems
from app.accounts.models import User
from app.accounts.queries import get_centre_member, list_accredited_evaluators, list_staff
from app.accounts.roles import Role
from app.assessments.forms import SessionForm
from app.dates import to_utc, today
from app.forms import explained_on


def accept_any_evaluator(form: SessionForm) -> None:
    """Accept any evaluator of the centre: the service, not the list, says why one is refused."""
    form.evaluator.choices = [
        (e.id, e.full_name) for e in list_staff(current_user.centre_id, Role.EVALUATOR)
    ]


def offer_accredited_evaluators(form: SessionForm, standard) -> None:
    """List only the evaluators accredited for `standard` (any standard while none is chosen)
    on the day typed (today until one is), with the certificates that needs; "Show evaluators"
    re-renders the form with the choice made."""
    # The time typed is the centre's local time already: its date is the session's day.
    day = form.starts_at.data.date() if form.starts_at.data else today()
    evaluators = list_accredited_evaluators(
        current_user.centre_id, standard.id if standard else None, day
    )
    if standard is not None:
        evaluators = [e for e in evaluators if not accreditation_problems(e, standard, day, day)]
    form.evaluator.choices = [(e.id, e.full_name) for e in evaluators]


def wants_only_the_evaluators() -> bool:
    """The "show the evaluators" button re-renders the form instead of submitting it."""
    return "show_evaluators" in request.form


def book_session(form: SessionForm, book: Callable, standard, done_message: str):
    """Book the session typed on `form` through `book(evaluator=, starts_at=, ends_at=,
    location=)`, a service that applies every rule of a booking.

    Returns the redirect to the new assessment, or None when the page is to be shown again:
    its errors are on the form and its evaluators are those accredited for `standard`.
    """
    if not wants_only_the_evaluators() and form.validate_on_submit():
        with explained_on(form):
            assessment = book(
                evaluator=get_centre_member(current_user.centre_id, User, form.evaluator.data),
                starts_at=to_utc(form.starts_at.data),
                ends_at=to_utc(form.ends_at.data),
                location=form.location.data,
            )
            flash(done_message, "success")
            return redirect(url_for("assessments.show", assessment_id=assessment.id))
    offer_accredited_evaluators(form, standard)
    return None


def schedule_follow_up(form: SessionForm, schedule: Callable, subject, standard, done_message: str):
    """Book the assessment that follows `subject` (an assessment or a recertification request)
    through `schedule(actor, subject, evaluator=, starts_at=, ends_at=, location=)`; see
    book_session."""
    accept_any_evaluator(form)
    return book_session(form, partial(schedule, current_user, subject), standard, done_message)
