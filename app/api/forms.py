from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from app.api.models import TokenScope
from app.forms import REQUIRED, BaseForm


class TokenForm(BaseForm):
    name = StringField(
        _l("Name"),
        description=_l("Which system uses it, e.g. “School records”."),
        validators=[DataRequired(REQUIRED), Length(max=80)],
    )
    scope = RadioField(
        _l("Permission"),
        choices=[(scope.value, scope.label) for scope in TokenScope],
        default=TokenScope.READ.value,
        validators=[DataRequired(_l("Choose what the token may do."))],
    )
