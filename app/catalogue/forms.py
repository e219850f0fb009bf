from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from app.forms import BaseForm


class SearchForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET search: nothing to forge, and no cookie is set

    q = StringField(
        _l("Code or words of the title"),
        description=_l("For example EC0217 or «cursos presenciales»."),
        validators=[Optional(), Length(max=100)],
    )
    sector = SelectField(_l("Sector or committee"), choices=[], validate_choice=False)
    level = SelectField(
        _l("Level"),
        choices=[("", _l("Any level"))] + [(str(n), str(n)) for n in range(1, 6)],
        validators=[Optional()],
    )
    page = IntegerField(_l("Page"), default=1, validators=[Optional(), NumberRange(1, 1000)])
