from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField
from wtforms.validators import Optional

from app.forms import BaseForm

YES, NO = "yes", "no"


class StartForm(BaseForm):
    candidate = SelectField(_l("Candidate"), coerce=int)
    standard = SelectField(_l("Standard"), coerce=int)


def answers_form_class(items, by_candidate: bool):
    """One yes / no per questionnaire item. A missing answer is the service's to report, with
    every other one, so the form takes none as required."""

    class AnswersForm(BaseForm):
        pass

    if by_candidate:
        choices = [(YES, _l("Yes, I know this")), (NO, _l("Not yet"))]
    else:
        choices = [(YES, _l("Met")), (NO, _l("Not met"))]
    for item in items:
        setattr(
            AnswersForm,
            f"item_{item.id}",
            RadioField(item.text, choices=choices, validators=[Optional()]),
        )
    return AnswersForm


def answers_from(form, items) -> dict[int, bool]:
    return {
        item.id: getattr(form, f"item_{item.id}").data == YES
        for item in items
        if getattr(form, f"item_{item.id}").data in (YES, NO)
    }
