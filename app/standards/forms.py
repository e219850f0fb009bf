from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.forms import REQUIRED, BaseForm
from app.standards.models import CriterionKind

KIND_CHOICES = [
    (CriterionKind.PERFORMANCE.value, _l("Performance")),
    (CriterionKind.PRODUCT.value, _l("Product")),
    (CriterionKind.KNOWLEDGE.value, _l("Knowledge")),
    (CriterionKind.ATTITUDE.value, _l("Attitude")),
]


class StandardForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(REQUIRED),
            Regexp(
                r"^[A-Za-z]{2,6}\d{1,6}$",
                message=_l("Use letters followed by digits, e.g. EC0217."),
            ),
        ],
    )
    version = StringField(
        _l("Version"),
        default="01",
        validators=[DataRequired(REQUIRED), Regexp(r"^\d{2}$", message=_l("Two digits, e.g. 01."))],
    )
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    purpose = TextAreaField(_l("Purpose"), validators=[Optional(), Length(max=4000)])
    level = SelectField(_l("Level"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)])
    sector = StringField(
        _l("Sector or committee"), validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    validity_years = IntegerField(
        _l("Certificate validity (years)"),
        description=_l("Leave empty if the certificate never expires."),
        validators=[Optional(), NumberRange(1, 50, _l("Between 1 and 50 years."))],
    )
    threshold_percent = IntegerField(
        _l("Threshold to be Competente (%)"),
        default=100,
        validators=[DataRequired(REQUIRED), NumberRange(1, 100, _l("Between 1 and 100."))],
    )


class ElementForm(BaseForm):
    title = StringField(_l("Element title"), validators=[DataRequired(REQUIRED), Length(max=300)])


class CriterionForm(BaseForm):
    element = SelectField(_l("Element"), coerce=int)
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    text = TextAreaField(_l("Criterion"), validators=[DataRequired(REQUIRED), Length(max=2000)])


class ItemForm(BaseForm):
    criterion = SelectField(_l("Criterion"), coerce=int)
    text = TextAreaField(_l("Item"), validators=[DataRequired(REQUIRED), Length(max=2000)])
    weight = IntegerField(
        _l("Relative weight"),
        default=1,
        validators=[DataRequired(REQUIRED), NumberRange(1, 100, _l("Between 1 and 100."))],
    )
    is_critical = BooleanField(_l("Critical item (must be met to be Competente)"))


class RuleForm(BaseForm):
    threshold_percent = IntegerField(
        _l("Threshold to be Competente (%)"),
        validators=[DataRequired(REQUIRED), NumberRange(1, 100, _l("Between 1 and 100."))],
    )
