from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from app.accounts.rules import MIN_PASSWORD_LENGTH
from app.forms import REQUIRED, BaseForm


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])


class LanguageForm(BaseForm):
    locale = SelectField(_l("Language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = list(current_app.config["LANGUAGES"].items())


class CandidateForm(BaseForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    curp = StringField(
        _l("CURP"),
        validators=[DataRequired(REQUIRED)],
        description=_l("18 characters, as on the candidate's identity document."),
    )
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Enter a valid email address."), check_deliverability=False),
        ],
    )
    password = PasswordField(
        _l("Initial password"),
        description=_l(
            "At least %(n)d characters and hard to guess: a few uncommon words together work well.",
            n=MIN_PASSWORD_LENGTH,
        ),
        validators=[
            DataRequired(REQUIRED),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l("The password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    is_publicly_listed = BooleanField(
        _l("The candidate agrees to appear in the public register of certificates")
    )


class AccreditationForm(BaseForm):
    evaluator = SelectField(_l("Evaluator"), coerce=int)
    standard = SelectField(_l("Standard"), coerce=int)
    number = StringField(_l("Accreditation number"), validators=[Length(max=40)])
    valid_from = DateField(_l("Valid from"), validators=[DataRequired(REQUIRED)])
    valid_until = DateField(_l("Valid until"), validators=[DataRequired(REQUIRED)])


class BrandingForm(BaseForm):
    design = SelectField(_l("Certificate design"))
    # The file's content decides whether it is a PNG or JPEG image, never its name
    # (app/uploads.py); `accept` only helps the browser's file picker.
    logo = FileField(
        _l("Centre logo (PNG or JPEG, up to 512 KB)"),
        description=_l(
            "At most 4000 × 4000 pixels; it is kept reduced to 1000 pixels on its long side."
        ),
        render_kw={"accept": "image/png,image/jpeg"},
    )
    remove_logo = BooleanField(_l("Remove the current logo"))
