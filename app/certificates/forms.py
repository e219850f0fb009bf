from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import REQUIRED

# In the order offered: the reversible change first, the final one last.
STATUS_CHOICES = {
    "suspended": _l("Suspended"),
    "valid": _l("Valid (reinstate)"),
    "revoked": _l("Revoked (final)"),
}


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), validators=[DataRequired(_l("Choose the new status."))])
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Shown on the public verification page."),
        validators=[DataRequired(REQUIRED), Length(max=1000)],
    )


class ReissueForm(FlaskForm):
    holder_name = StringField(
        _l("Corrected holder name"),
        description=_l("Leave empty to keep the current name."),
        validators=[Optional(), Length(max=200)],
    )
    reissue_reason = TextAreaField(
        _l("Reason for the reissue"), validators=[DataRequired(REQUIRED), Length(max=1000)]
    )
