"""Reports for a centre's administrator: the summary with its charts, the evaluators, exports."""

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.auth import require_role
from app.dates import today
from app.reports import exports, services
from app.reports.blueprint import blueprint
from app.reports.forms import ReportFilterForm
from app.reports.rules import percent

READERS = (Role.ADMIN, Role.BODY_ADMIN)  # services.scope_for gives each its scope
FORMATS = ("csv", "xlsx")


def _form() -> ReportFilterForm:
    centre_id = request.args.get("centre", type=int)
    return ReportFilterForm.from_args(
        request.args, today(), services.filter_choices(current_user, centre_id)
    )


def _invalid(template: str, form: ReportFilterForm):
    return render_template(template, form=form, report=None, percent=percent), 422


@blueprint.get("/reports/")
@require_role(*READERS)
def index():
    form = _form()
    if not form.validate():
        return _invalid("reports/index.html", form)
    report = services.summary_report(current_user, form.filters(), form.centre.data)
    return render_template("reports/index.html", form=form, report=report, percent=percent)


@blueprint.get("/reports/evaluators")
@require_role(*READERS)
def evaluators():
    form = _form()
    if not form.validate():
        return _invalid("reports/evaluators.html", form)
    report = services.evaluator_report(current_user, form.filters(), form.centre.data)
    return render_template("reports/evaluators.html", form=form, report=report, percent=percent)


@blueprint.get("/reports/export/<fmt>")
@require_role(*READERS)
def export(fmt: str):
    form = _check_export(fmt, "reports/index.html")
    if not isinstance(form, ReportFilterForm):
        return form
    report = services.summary_report(current_user, form.filters(), form.centre.data)
    tables = services.summary_tables(report)
    return _file(fmt, _("report"), report, form, tables)


@blueprint.get("/reports/evaluators/export/<fmt>")
@require_role(*READERS)
def export_evaluators(fmt: str):
    form = _check_export(fmt, "reports/evaluators.html")
    if not isinstance(form, ReportFilterForm):
        return form
    report = services.evaluator_report(current_user, form.filters(), form.centre.data)
    tables = services.evaluator_tables(report)
    return _file(fmt, _("evaluators"), report, form, tables)


def _check_export(fmt: str, template: str):
    if fmt not in FORMATS:
        abort(404)
    form = _form()
    if not form.validate():
        return _invalid(template, form)
    return form


def _file(fmt: str, name: str, report, form, tables) -> Response:
    f = report.filters
    filename = f"{name}-{f.date_from.isoformat()}-{f.date_to.isoformat()}.{fmt}"
    if fmt == "csv":
        body, mimetype = exports.to_csv(tables[0]), exports.CSV_MIMETYPE
    else:
        lines = services.filter_lines(report, form.chosen_names())
        body, mimetype = exports.to_xlsx(_("Filters"), lines, tables), exports.XLSX_MIMETYPE
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
