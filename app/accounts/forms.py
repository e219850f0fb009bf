from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

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
    birth_date = DateField(
        _l("Birth date"),
        validators=[Optional()],
        description=_l(
            "Checked against the CURP; needed when the person is already registered in Avala "
            "by another centre."
        ),
    )
    is_publicly_listed = BooleanField(
        _l("The candidate agrees to appear in the public register of certificates")
    )
    language = SelectField(_l("Language of the e-mails"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = list(current_app.config["LANGUAGES"].items())


class InvitationForm(BaseForm):
    """Invite a member of staff: the view offers the roles the user may invite."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Enter a valid email address."), check_deliverability=False),
        ],
    )
    role = SelectField(_l("Role"))
    language = SelectField(_l("Language of the e-mails"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = list(current_app.config["LANGUAGES"].items())


class CentreForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        description=_l("Short and unique, e.g. CONALEP-AZC."),
    )
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    city = StringField(_l("City"), validators=[Length(max=120)])


class SetPasswordForm(BaseForm):
    password = PasswordField(
        _l("New password"),
        description=_l(
            "At least %(n)d characters and hard to guess: a few uncommon words together work well.",
            n=MIN_PASSWORD_LENGTH,
        ),
        validators=[DataRequired(REQUIRED)],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )


class ChangePasswordForm(SetPasswordForm):
    """The new password twice, as when setting one, and the current password first."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])


class ForgotPasswordForm(BaseForm):
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED)])


class AccreditationForm(BaseForm):
    evaluator = SelectField(_l("Evaluator"), coerce=int)
    standard = SelectField(_l("Standard"), coerce=int)
    number = StringField(
        _l("Accreditation number (cédula)"), validators=[DataRequired(REQUIRED), Length(max=40)]
    )
    valid_from = DateField(_l("Valid from"), validators=[DataRequired(REQUIRED)])
    valid_until = DateField(_l("Valid until"), validators=[DataRequired(REQUIRED)])


class AccreditationChangeForm(BaseForm):
    number = StringField(
        _l("Accreditation number (cédula)"), validators=[DataRequired(REQUIRED), Length(max=40)]
    )
    valid_from = DateField(_l("Valid from"), validators=[DataRequired(REQUIRED)])
    valid_until = DateField(_l("Valid until"), validators=[DataRequired(REQUIRED)])


class WithdrawalForm(BaseForm):
    reason = StringField(
        _l("Reason for the withdrawal"), validators=[DataRequired(REQUIRED), Length(max=500)]
    )


ISSUED_HERE, ISSUED_ELSEWHERE = "here", "elsewhere"


class CredentialForm(BaseForm):
    evaluator = SelectField(_l("Evaluator"), coerce=int)
    standard_code = StringField(
        _l("Standard certified"),
        description=_l("EC0076 (evaluator standard) or the code of the standard assessed."),
        validators=[DataRequired(REQUIRED), Length(max=20)],
    )
    source = SelectField(
        _l("Issued"),
        choices=[
            (ISSUED_HERE, _l("In Avala (found by its folio)")),
            (ISSUED_ELSEWHERE, _l("Elsewhere (attach a copy)")),
        ],
    )
    folio = StringField(_l("Folio"), validators=[DataRequired(REQUIRED), Length(max=80)])
    valid_until = DateField(
        _l("Valid until"),
        description=_l("Certificates issued elsewhere only; empty if it does not expire."),
        validators=[Optional()],
    )
    # The file's content decides whether it is a PDF, PNG or JPEG (app/uploads.py).
    file = FileField(
        _l("Copy of the certificate (PDF, PNG or JPEG, up to 5 MB)"),
        render_kw={"accept": "application/pdf,image/png,image/jpeg"},
    )


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


class ConsentForm(BaseForm):
    is_publicly_listed = BooleanField(
        _l("I agree to appear in the public register of certificates")
    )
    accepts_privacy_notice = BooleanField(_l("I have read and accept the privacy notice"))
