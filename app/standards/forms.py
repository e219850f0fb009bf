from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.forms import REQUIRED, BaseForm
from app.standards.models import CriterionKind

KIND_CHOICES = [(kind.value, kind.label) for kind in CriterionKind]
CODE_HINT = _l("Use letters followed by digits, e.g. EC0217, or a version, e.g. EC0217.01.")


class HeaderForm(BaseForm):
    code = StringField(
        _l("Code"),
        description=_l("EC0217, or EC0217.01 with its version."),
        validators=[
            DataRequired(REQUIRED),
            Length(max=20),
            Regexp(r"^\s*[A-Za-z]{2,6}\d{1,6}(\.\d{2})?\s*$", message=CODE_HINT),
        ],
    )
    version = StringField(
        _l("Version"),
        description=_l("Two digits, e.g. 01; empty for an unsuffixed code."),
        validators=[Optional(), Regexp(r"^\d{2}$", message=_l("Two digits, e.g. 01."))],
    )
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=300)])
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
    approved_on = DateField(_l("Approved on"), validators=[Optional()])
    dof_published_on = DateField(_l("Published in the DOF on"), validators=[Optional()])


class StandardForm(HeaderForm):
    threshold_percent = IntegerField(
        _l("Threshold to be Competente (%)"),
        default=100,
        validators=[DataRequired(REQUIRED), NumberRange(1, 100, _l("Between 1 and 100."))],
    )


class ElementForm(BaseForm):
    title = StringField(_l("Element title"), validators=[DataRequired(REQUIRED), Length(max=300)])


class CriterionEditForm(BaseForm):
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    text = TextAreaField(_l("Criterion"), validators=[DataRequired(REQUIRED), Length(max=2000)])


class CriterionForm(CriterionEditForm):
    element = SelectField(_l("Element"), coerce=int)
    with_item = BooleanField(
        _l("Also add its instrument item (weight 1; change it below)"), default=True
    )


class ItemEditForm(BaseForm):
    text = TextAreaField(_l("Item"), validators=[DataRequired(REQUIRED), Length(max=2000)])
    weight = IntegerField(
        _l("Relative weight"),
        default=1,
        validators=[DataRequired(REQUIRED), NumberRange(1, 100, _l("Between 1 and 100."))],
    )
    is_critical = BooleanField(_l("Critical item (must be met to be Competente)"))


class ItemForm(ItemEditForm):
    criterion = SelectField(_l("Criterion"), coerce=int)


class RuleForm(BaseForm):
    threshold_percent = IntegerField(
        _l("Threshold to be Competente (%)"),
        validators=[DataRequired(REQUIRED), NumberRange(1, 100, _l("Between 1 and 100."))],
    )


class MoveForm(BaseForm):
    offset = SelectField(
        _l("Move"), coerce=int, choices=[(-1, _l("Move up")), (1, _l("Move down"))]
    )


class PublishForm(BaseForm):
    supersede = BooleanField(
        _l("Supersede the published version: new assessments will use this one"), default=True
    )


class NewVersionForm(BaseForm):
    version = StringField(
        _l("Version"),
        description=_l("Two digits; empty for the next one."),
        validators=[Optional(), Regexp(r"^\d{2}$", message=_l("Two digits, e.g. 01."))],
    )


FILE_FORMATS = [
    ("json", _l("JSON (Avala's own format)")),
    ("csv", _l("CSV (one row per criterion)")),
    ("case", _l("1EdTech CASE 1.0 package (JSON)")),
]


class ImportForm(BaseForm):
    file_format = SelectField(_l("Format"), choices=FILE_FORMATS)
    file = FileField(
        _l("File"),
        description=_l("Every standard in it is created as a draft; nothing is if any is wrong."),
        validators=[FileRequired(_l("Choose the file to import."))],
    )


class OfferForm(BaseForm):
    standard = SelectField(
        _l("Published standard"),
        coerce=int,
        validators=[DataRequired(REQUIRED)],
        description=_l("The centre can then schedule it and accredit its evaluators for it."),
    )
