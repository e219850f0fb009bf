from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.appeals.services import MAX_FILES, MAX_REASON_LENGTH
from app.forms import REQUIRED, BaseForm


class AppealForm(BaseForm):
    reason = TextAreaField(
        _l("Why do you disagree with the judgement?"),
        description=_l("Say which results or which part of the process you object to, and why."),
        validators=[DataRequired(REQUIRED), Length(max=MAX_REASON_LENGTH)],
    )
    # The content decides whether a file is a PDF, PNG or JPEG (app/uploads.py), never its name.
    files = MultipleFileField(
        _l("Supporting files (optional: up to %(n)d PDF, PNG or JPEG files)", n=MAX_FILES),
        render_kw={"accept": "application/pdf,image/png,image/jpeg"},
    )


class DecisionForm(BaseForm):
    outcome = RadioField(
        _l("Decision"),
        choices=[
            ("dismissed", _l("Dismiss the appeal: the judgement stands")),
            ("upheld", _l("Uphold the appeal: the candidate is assessed again")),
        ],
        validators=[DataRequired(_l("Choose a decision."))],
    )
    reason = TextAreaField(
        _l("Reasons for the decision"),
        description=_l("The candidate receives them by e-mail."),
        validators=[DataRequired(REQUIRED), Length(max=MAX_REASON_LENGTH)],
    )
