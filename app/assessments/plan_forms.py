"""The plan form: one group of fields per element of the standard; and the acceptance."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.assessments.plan_models import EvidenceType
from app.dates import local_zone, to_utc
from app.forms import BaseForm


class CheckboxesField(SelectMultipleField):
    """Several choices as check boxes: usable without JavaScript, by touch and by keyboard."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def plan_form_class(elements):
    """Per element: included, evidence kinds, place, date and time, resources, notes."""

    class PlanForm(BaseForm):
        pass

    evidence_choices = [(e.value, e.label) for e in EvidenceType]
    for element in elements:
        n = element.id
        fields = {
            f"include_{n}": BooleanField(_l("Assess this element")),
            f"evidence_{n}": CheckboxesField(
                _l("Evidence"), choices=evidence_choices, validators=[Optional()]
            ),
            f"place_{n}": StringField(_l("Place"), validators=[Optional(), Length(max=200)]),
            f"starts_at_{n}": DateTimeLocalField(
                _l("Date and time"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
            ),
            f"resources_{n}": TextAreaField(
                _l("Resources"),
                description=_l("Materials, equipment and room the assessment needs."),
                validators=[Optional(), Length(max=2000)],
            ),
            f"notes_{n}": TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)]),
        }
        for name, unbound in fields.items():
            setattr(PlanForm, name, unbound)
    return PlanForm


def form_data(planned) -> dict:
    """The form's initial values from the plan's elements (times shown in local time)."""
    data = {}
    for entry in planned:
        n = entry.element_id
        local = None
        if entry.starts_at is not None:
            local = entry.starts_at.astimezone(local_zone()).replace(tzinfo=None)
        data.update(
            {
                f"include_{n}": entry.included,
                f"evidence_{n}": entry.evidence,
                f"place_{n}": entry.place,
                f"starts_at_{n}": local,
                f"resources_{n}": entry.resources,
                f"notes_{n}": entry.notes,
            }
        )
    return data


def submitted_elements(form, elements, planned_cls) -> list:
    """The plan typed on the form, as the service takes it (times in UTC)."""
    planned = []
    for element in elements:
        n = element.id
        starts_at = form[f"starts_at_{n}"].data
        planned.append(
            planned_cls(
                element.id,
                included=bool(form[f"include_{n}"].data),
                evidence=list(form[f"evidence_{n}"].data or []),
                place=form[f"place_{n}"].data or "",
                starts_at=to_utc(starts_at) if starts_at else None,
                resources=form[f"resources_{n}"].data or "",
                notes=form[f"notes_{n}"].data or "",
            )
        )
    return planned


class AcceptPlanForm(BaseForm):
    # The content the candidate read: if the plan changed meanwhile, they must read it again.
    content_hash = HiddenField(validators=[DataRequired()])
    agree = BooleanField(
        _l("I have read the plan and agree to be assessed as it says."),
        validators=[DataRequired(_l("Tick the box to accept the plan."))],
    )
