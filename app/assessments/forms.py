from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.forms import REQUIRED, BaseForm

MET, NOT_MET = "met", "not_met"


class SessionForm(BaseForm):
    """When, where and with whom an assessment happens: the form of a follow-up assessment (a
    re-assessment, a recertification), whose candidate and standard are already known."""

    # Accepted: any evaluator of the centre (the service says why one is refused); offered:
    # those accredited for the standard on the chosen date (scheduling_views).
    evaluator = SelectField(
        _l("Evaluator"),
        coerce=int,
        description=_l("Only evaluators accredited for the standard on that date are listed."),
    )
    starts_at = DateTimeLocalField(
        _l("Starts"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Enter a date and time."))],
    )
    ends_at = DateTimeLocalField(
        _l("Ends"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(_l("Enter a date and time."))]
    )
    location = StringField(_l("Place"), validators=[DataRequired(REQUIRED), Length(max=200)])


class ScheduleForm(SessionForm):
    """A new assessment: the session, and the candidate and standard it is for."""

    candidate = SelectField(_l("Candidate"), coerce=int)
    standard = SelectField(_l("Standard"), coerce=int)


class DeclarationForm(BaseForm):
    no_conflict = BooleanField(
        _l("I declare that I did not train this candidate (no conflict of interest)."),
        validators=[DataRequired(_l("Tick the declaration to confirm it."))],
    )


def results_form_class(items):
    """One met / not met choice and one observation per item, and the feedback.

    Saving and signing off submit this same form, so results typed but not yet saved are never
    lost when the evaluator goes straight to "sign off".
    """

    class ResultsForm(BaseForm):
        feedback = TextAreaField(
            _l("Feedback for the candidate"),
            description=_l("Strengths, gaps and recommended training."),
            validators=[Optional(), Length(max=5000)],
        )

    for item in items:
        setattr(
            ResultsForm,
            f"item_{item.id}",
            RadioField(
                item.text,
                choices=[(MET, _l("Met")), (NOT_MET, _l("Not met"))],
                validators=[Optional()],
            ),
        )
        setattr(
            ResultsForm,
            f"observation_{item.id}",
            TextAreaField(
                _l("Observation"),
                validators=[Optional(), Length(max=2000)],
            ),
        )
    return ResultsForm


class SignOffForm(BaseForm):
    """The second, confirmed step of signing: the preview page's form."""

    feedback = TextAreaField(
        _l("Feedback for the candidate"),
        description=_l("Strengths, gaps and recommended training."),
        validators=[Optional(), Length(max=5000)],
    )
    # The results the preview showed (signing.results_digest); signing refuses if they changed.
    results_digest = HiddenField()
    confirm = BooleanField(
        _l("I have checked the results and sign this judgement; the results are then locked."),
        validators=[DataRequired(_l("Tick the confirmation to sign."))],
    )


class ReviewForm(BaseForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            ("approve", _l("Approve the judgement")),
            ("return", _l("Return it to the evaluator")),
        ],
        validators=[DataRequired(_l("Choose a decision."))],
    )
    reason = TextAreaField(_l("Reason for returning"), validators=[Optional(), Length(max=2000)])


class CancelForm(BaseForm):
    reason = TextAreaField(
        _l("Reason for cancelling"),
        description=_l("The candidate and the evaluator receive it with the cancellation."),
        validators=[DataRequired(REQUIRED), Length(max=500)],
    )
