"""The catalogue pages: list, create, build a draft piece by piece, publish."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.auth import require_role
from app.dates import today
from app.errors import NotFound, allows
from app.forms import ActionForm, explained_on, flashed_on_failure, status_of
from app.standards import queries, services
from app.standards.blueprint import blueprint
from app.standards.forms import CriterionForm, ElementForm, ItemForm, RuleForm, StandardForm


@blueprint.get("/")
@require_role(Role.ADMIN, Role.EVALUATOR, Role.REVIEWER)
def index():
    return render_template("standards/index.html", standards=queries.list_standards())


@blueprint.route("/new", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def create():
    form = StandardForm()
    if form.validate_on_submit():
        with explained_on(form):
            standard = services.create_standard(
                actor=current_user,
                code=form.code.data,
                version=form.version.data,
                title=form.title.data,
                level=form.level.data,
                sector=form.sector.data,
                validity_years=form.validity_years.data,
                purpose=form.purpose.data or "",
                threshold_percent=form.threshold_percent.data,
            )
            return redirect(url_for("standards.show", standard_id=standard.id))
    return render_template("standards/new.html", form=form), status_of(form)


def _builder_forms(standard):
    element_form, criterion_form = ElementForm(prefix="element"), CriterionForm(prefix="criterion")
    item_form, rule_form = ItemForm(prefix="item"), RuleForm(prefix="rule")
    criterion_form.element.choices = [(e.id, f"{e.position}. {e.title}") for e in standard.elements]
    item_form.criterion.choices = [
        (c.id, f"{c.element.position}.{c.position} {c.text[:80]}") for c in standard.criteria
    ]
    if standard.instrument and not rule_form.is_submitted():
        rule_form.threshold_percent.data = standard.instrument.threshold_percent
    return {
        "element_form": element_form,
        "criterion_form": criterion_form,
        "item_form": item_form,
        "rule_form": rule_form,
    }


def _page(standard, forms, status=200):
    return render_template(
        "standards/show.html",
        standard=standard,
        problems=services.publication_problems(standard),
        may_edit=allows(services.ensure_may_edit, current_user, standard),
        **forms,
    ), status


@blueprint.get("/<int:standard_id>")
@require_role(Role.ADMIN, Role.EVALUATOR, Role.REVIEWER)
def show(standard_id: int):
    standard = queries.get_standard(standard_id)
    return _page(standard, _builder_forms(standard))


def _build(standard_id: int, form_name: str, action):
    """Validate one of the builder's forms and run `action(standard, form)`, or show it again."""
    standard = queries.get_standard(standard_id)
    forms = _builder_forms(standard)
    form = forms[form_name]
    if form.validate_on_submit():
        with explained_on(form):
            action(standard, form)
            flash(_("Saved."), "success")
            return redirect(url_for("standards.show", standard_id=standard.id))
    return _page(standard, forms, status=422)


def _element_of(standard, element_id):
    element = next((e for e in standard.elements if e.id == element_id), None)
    if element is None:
        raise NotFound()
    return element


def _criterion_of(standard, criterion_id):
    criterion = next((c for c in standard.criteria if c.id == criterion_id), None)
    if criterion is None:
        raise NotFound()
    return criterion


@blueprint.post("/<int:standard_id>/elements")
@require_role(Role.ADMIN)
def add_element(standard_id: int):
    return _build(
        standard_id,
        "element_form",
        lambda standard, form: services.add_element(current_user, standard, form.title.data),
    )


@blueprint.post("/<int:standard_id>/criteria")
@require_role(Role.ADMIN)
def add_criterion(standard_id: int):
    return _build(
        standard_id,
        "criterion_form",
        lambda standard, form: services.add_criterion(
            current_user, _element_of(standard, form.element.data), form.kind.data, form.text.data
        ),
    )


@blueprint.post("/<int:standard_id>/items")
@require_role(Role.ADMIN)
def add_item(standard_id: int):
    return _build(
        standard_id,
        "item_form",
        lambda standard, form: services.add_item(
            current_user,
            standard,
            _criterion_of(standard, form.criterion.data),
            form.text.data,
            form.weight.data,
            form.is_critical.data,
        ),
    )


@blueprint.post("/<int:standard_id>/rule")
@require_role(Role.ADMIN)
def set_rule(standard_id: int):
    return _build(
        standard_id,
        "rule_form",
        lambda standard, form: services.set_decision_rule(
            current_user, standard, form.threshold_percent.data
        ),
    )


@blueprint.post("/<int:standard_id>/publish")
@require_role(Role.ADMIN)
def publish(standard_id: int):
    standard = queries.get_standard(standard_id)
    if ActionForm().validate_on_submit():
        with flashed_on_failure():
            services.publish_standard(current_user, standard, today())
            flash(_("Standard published. It can no longer be changed."), "success")
    return redirect(url_for("standards.show", standard_id=standard_id))
