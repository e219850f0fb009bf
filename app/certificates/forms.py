from flask_babel import lazy_gettext as _l
from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.certificates.models import PublicReason
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
        _l("Internal reason"),
        description=_l("The details, for staff and the audit trail; never shown publicly."),
        validators=[DataRequired(REQUIRED), Length(max=1000)],
    )
    # Required for a suspension or revocation (change_certificate_status says so on the field).
    public_reason = SelectField(
        _l("Reason shown publicly"),
        description=_l("The public verification page shows only this, with the note below."),
        choices=[("", _l("Choose…"))] + [(reason.value, reason.label) for reason in PublicReason],
        validators=[Optional()],
    )
    public_note = TextAreaField(
        _l("Public note (optional)"),
        description=_l("Shown on the public verification page; do not write personal data."),
        validators=[Optional(), Length(max=300)],
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
