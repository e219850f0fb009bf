from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired

from app.forms import REQUIRED, BaseForm
from app.reports.rules import PERIODS, Filters, Grouping

# A report covers at most this many years: enough for any trend, bounded for the database.
MAX_YEARS = 10


def _optional_id(value):
    """A choice's id, or None for "all" (an empty value)."""
    if value in (None, "", "None"):
        return None
    return int(value)


def default_range(today: date) -> tuple[date, date]:
    """The last twelve months: from the first day of the month eleven months ago to today."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1), today


class ReportFilterForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET: nothing to forge

    date_from = DateField(_l("From"), validators=[DataRequired(REQUIRED)])
    date_to = DateField(_l("To"), validators=[DataRequired(REQUIRED)])
    centre = SelectField(_l("Evaluation centre"), coerce=_optional_id)
    standard = SelectField(_l("Standard"), coerce=_optional_id)
    evaluator = SelectField(_l("Evaluator"), coerce=_optional_id)
    grouping = SelectField(_l("Group by"))
    period = SelectField(
        _l("Period of the chart over time"),
        choices=[(g.value, g.label) for g in PERIODS],
    )

    @classmethod
    def from_args(cls, args, today: date, choices: dict) -> "ReportFilterForm":
        """The form filled from the query string, the defaults standing in for what is missing."""
        first, last = default_range(today)
        values = MultiDict(
            {
                "date_from": first.isoformat(),
                "date_to": last.isoformat(),
                "grouping": Grouping.MONTH.value,
                "period": Grouping.MONTH.value,
            }
        )
        for name in args:
            values.setlist(name, args.getlist(name))
        form = cls(values)
        all_ = [("", _l("All"))]
        form.centre.choices = all_ + list(choices["centres"])
        form.standard.choices = all_ + list(choices["standards"])
        form.evaluator.choices = all_ + list(choices["evaluators"])
        form.grouping.choices = [(g.value, g.label) for g in choices["groupings"]]
        return form

    def validate(self, extra_validators=None) -> bool:
        is_valid = super().validate(extra_validators)
        start, end = self.date_from.data, self.date_to.data
        if is_valid and start > end:
            self.date_to.errors.append(_l("The end date must not be before the start date."))
            is_valid = False
        if is_valid and end - start > timedelta(days=366 * MAX_YEARS):
            self.date_to.errors.append(_l("A report covers at most %(n)d years.", n=MAX_YEARS))
            is_valid = False
        return is_valid

    def filters(self) -> Filters:
        return Filters(
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            standard_id=self.standard.data,
            evaluator_id=self.evaluator.data,
            grouping=Grouping(self.grouping.data),
            period=Grouping(self.period.data),
        )

    def chosen_names(self) -> dict:
        """The names of the standard and evaluator chosen, for the exports' filter lines."""
        return {
            "standard": dict(self.standard.choices).get(self.standard.data) or "",
            "evaluator": dict(self.evaluator.choices).get(self.evaluator.data) or "",
        }
