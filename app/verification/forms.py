from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class FolioLookupForm(FlaskForm):
    class Meta:
        csrf = False  # a read-only GET search: nothing to forge

    folio = StringField(
        _l("Certificate folio"), description=_l("As printed on the certificate, e.g. "
                                                 "CONALEP-EC0217.01-2026-000123."),
        validators=[DataRequired(_l("Type the folio printed on the certificate.")),
                    Length(max=60)],
    )
