from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import REQUIRED, BaseForm

# In the order offered: the reversible change first, the final one last.
STATUS_CHOICES = {
    "suspended": _l("Suspended"),
    "valid": _l("Valid (reinstate)"),
    "revoked": _l("Revoked (final)"),
}


class StatusForm(BaseForm):
    status = SelectField(_l("New status"), validators=[DataRequired(_l("Choose the new status."))])
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Shown on the public verification page."),
        validators=[DataRequired(REQUIRED), Length(max=1000)],
    )


class ReissueForm(BaseForm):
    holder_name = StringField(
        _l("Corrected holder name"),
        description=_l("Leave empty to keep the current name."),
        validators=[Optional(), Length(max=200)],
    )
    reissue_reason = TextAreaField(
        _l("Reason for the reissue"), validators=[DataRequired(REQUIRED), Length(max=1000)]
    )


class BatchForm(BaseForm):
    # The ids are checked against the actor's centre by create_batch, not against a list here.
    assessment = SelectMultipleField(coerce=int, validate_choice=False)
