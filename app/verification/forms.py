from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.forms import BaseForm


class FolioLookupForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET search: nothing to forge

    folio = StringField(
        _l("Certificate folio"),
        description=_l("As printed on the certificate, e.g. CONALEP-EC0217.01-2026-000123."),
        validators=[DataRequired(_l("Type the folio printed on the certificate.")), Length(max=60)],
    )
    holder = StringField(
        _l("Holder’s CURP or first surname (optional)"),
        description=_l(
            "With it, the answer also shows the holder’s name, if it matches the certificate."
        ),
        validators=[Length(max=200)],
    )


class CurpLookupForm(BaseForm):
    class Meta:
        csrf = False

    curp = StringField(
        _l("CURP of the holder"),
        description=_l("Only holders who agreed to appear in the public register are listed."),
        validators=[DataRequired(_l("Type the 18 characters of the CURP.")), Length(max=18)],
    )


class PdfCheckForm(BaseForm):
    class Meta:
        # Visitors get no session cookie to bind a token to; the check only hashes the upload,
        # stores nothing and keeps its rate limit (docs/security.md).
        csrf = False

    pdf = FileField(
        _l("Certificate PDF file"), validators=[FileRequired(_l("Choose the PDF file to check."))]
    )


class FolioFileForm(BaseForm):
    class Meta:
        # As the PDF check: visitors get no session cookie to bind a token to; the answer only
        # reads, stores nothing, and every row counts against the client's allowance.
        csrf = False

    file = FileField(
        _l("List of folios (CSV or Excel)"),
        description=_l(
            "First row: folio, and curp or primer_apellido (first_surname). One certificate per "
            "row."
        ),
        validators=[FileRequired(_l("Choose the CSV or Excel file with the folios."))],
    )
