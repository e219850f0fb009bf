"""The catalogue pages: list, create, build a draft (add, change, move, delete its elements,
criteria and items), publish after confirming, new versions, cancel, delete a draft.

The builder's forms post to the routes below. Without JavaScript each answers with a redirect
to the standard's page. With it (static/js/standard-builder.js sends `X-Requested-With:
fetch`), each answers with the builder fragment rendered by the server, which replaces the old
one in place: no page reload per line.
"""

import json

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.auth import require_role
from app.certificates.issuer import public_base_url
from app.dates import today
from app.errors import NotFound, allows
from app.forms import ActionForm, explained_on, flashed_on_failure, status_of
from app.standards import case, importing, interchange, offers, queries, services
from app.standards.blueprint import blueprint
from app.standards.forms import (
    CriterionEditForm,
    CriterionForm,
    ElementForm,
    HeaderForm,
    ImportForm,
    ItemEditForm,
    ItemForm,
    MoveForm,
    NewVersionForm,
    PublishForm,
    RuleForm,
    StandardForm,
)
from app.uploads import read_limited

# Centre staff read the catalogue's published standards; the body administrator, who owns it,
# also sees and builds drafts. Every write is the body administrator's (services).
READERS = (Role.BODY_ADMIN, Role.ADMIN, Role.EVALUATOR, Role.REVIEWER)
EDITOR = Role.BODY_ADMIN
LINE_VERBS = ("move-", "split-", "delete-", "missing")


def _wants_fragment() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _header(form) -> services.Header:
    return services.Header(
        code=form.code.data,
        version=form.version.data or "",
        title=form.title.data,
        level=form.level.data,
        sector=form.sector.data,
        validity_years=form.validity_years.data,
        purpose=form.purpose.data or "",
        title_en=form.title_en.data or "",
        approved_on=form.approved_on.data,
        dof_published_on=form.dof_published_on.data,
    )


@blueprint.get("/")
@require_role(*READERS)
def index():
    may = {
        "edit_catalogue": allows(services.ensure_may_edit_catalogue, current_user),
        "choose_offers": allows(offers.ensure_may_choose_offers, current_user),
    }
    standards = queries.list_standards(include_drafts=may["edit_catalogue"])
    return render_template("standards/index.html", standards=standards, may=may)


@blueprint.route("/new", methods=["GET", "POST"])
@require_role(EDITOR)
def create():
    services.ensure_may_edit_catalogue(current_user)
    form = StandardForm()
    if form.validate_on_submit():
        with explained_on(form):
            header = _header(form)
            standard = services.create_standard(
                actor=current_user, threshold_percent=form.threshold_percent.data, **vars(header)
            )
            return redirect(url_for("standards.show", standard_id=standard.id))
    return render_template("standards/new.html", form=form), status_of(form)


@blueprint.route("/<int:standard_id>/edit", methods=["GET", "POST"])
@require_role(EDITOR)
def edit(standard_id: int):
    standard = queries.get_standard(standard_id)
    services.ensure_may_edit(current_user, standard)
    form = HeaderForm(obj=standard)
    if not form.is_submitted():
        form.code.data = standard.full_code
        form.version.data = ""
    if form.validate_on_submit():
        with explained_on(form):
            services.update_standard(current_user, standard, _header(form))
            flash(_("Saved."), "success")
            return redirect(url_for("standards.show", standard_id=standard.id))
    return render_template("standards/edit.html", form=form, standard=standard), status_of(form)


# The builder


def _builder(standard, submitted=None):
    """Every form of the builder; `submitted` is (key, form) of the one just posted, kept with
    its input and errors. The others are filled from the database."""
    key, posted = submitted or (None, None)

    def make(form_class, form_key, **kwargs):
        if form_key == key:
            return posted
        return form_class(formdata=None, prefix=form_key, **kwargs)

    element_ids = [e.id for e in standard.elements]
    forms = {
        # A line's move, split or delete has no form on the page: its reasons go above.
        "line_errors": posted.form_errors if key and key.startswith(LINE_VERBS) else [],
        "element": make(ElementForm, "element"),
        "criterion": make(CriterionForm, "criterion"),
        "item": make(ItemForm, "item"),
        "rule": make(RuleForm, "rule", threshold_percent=standard.instrument.threshold_percent),
        "element_rows": {
            e.id: make(ElementForm, f"element-{e.id}", obj=e) for e in standard.elements
        },
        "criterion_rows": {
            c.id: make(CriterionEditForm, f"criterion-{c.id}", obj=c) for c in standard.criteria
        },
        "item_rows": {
            i.id: make(ItemEditForm, f"item-{i.id}", obj=i) for i in standard.instrument.items
        },
    }
    forms["criterion"].element.choices = [
        (e.id, f"{e.position}. {e.title}") for e in standard.elements
    ]
    if forms["criterion"].element.data not in element_ids and element_ids:
        forms["criterion"].element.data = element_ids[-1]
    forms["item"].criterion.choices = [
        (c.id, f"{c.element.position}.{c.position} {c.text[:80]}") for c in standard.criteria
    ]
    return forms


def _may(standard) -> dict:
    return {
        "edit": allows(services.ensure_may_edit, current_user, standard),
        "derive": allows(services.ensure_may_derive, current_user, standard),
        "cancel": allows(services.ensure_may_cancel, current_user, standard),
    }


def _page(standard, forms, status=200):
    template = "standards/_builder.html" if _wants_fragment() else "standards/show.html"
    return render_template(
        template,
        standard=standard,
        line_errors=forms.pop("line_errors"),
        problems=services.publication_problems(standard),
        may=_may(standard),
        forms=forms,
        versions=queries.list_versions(
            standard.code, include_drafts=allows(services.ensure_may_edit_catalogue, current_user)
        ),
    ), status


@blueprint.get("/<int:standard_id>")
@require_role(*READERS)
def show(standard_id: int):
    standard = queries.get_standard(standard_id)
    services.ensure_may_see(current_user, standard)
    return _page(standard, _builder(standard))


def _build(standard_id: int, form_class, key: str, action, choices=None):
    """Validate one builder form (prefix `key`) and run `action(standard, form)`; then the page
    (or the fragment) again. On a broken rule nothing is kept and the form shows why (422)."""
    standard = queries.get_standard(standard_id)
    form = form_class(prefix=key)
    if choices is not None:
        choices(standard, form)
    if form.validate_on_submit():
        with explained_on(form):
            action(standard, form)
            if not _wants_fragment():
                flash(_("Saved."), "success")
                return redirect(url_for("standards.show", standard_id=standard.id))
            standard = queries.get_standard(standard_id)
            return _page(standard, _builder(standard, (key, _kept(form, key))))
    return _page(standard, _builder(standard, (key, form)), status=status_of(form) or 422)


def _kept(form, key):
    """After a line is added, its form again, empty, keeping the element and kind chosen."""
    if key != "criterion":
        return type(form)(formdata=None, prefix=key)
    fresh = CriterionForm(formdata=None, prefix=key)
    fresh.element.data, fresh.kind.data = form.element.data, form.kind.data
    fresh.with_item.data = form.with_item.data
    return fresh


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


def _item_of(standard, item_id):
    item = next((i for i in standard.instrument.items if i.id == item_id), None)
    if item is None:
        raise NotFound()
    return item


def _element_choices(standard, form):
    form.element.choices = [(e.id, e.title) for e in standard.elements]


def _criterion_choices(standard, form):
    form.criterion.choices = [(c.id, c.text) for c in standard.criteria]


@blueprint.post("/<int:standard_id>/elements")
@require_role(EDITOR)
def add_element(standard_id: int):
    return _build(
        standard_id,
        ElementForm,
        "element",
        lambda standard, form: services.add_element(current_user, standard, form.title.data),
    )


@blueprint.post("/<int:standard_id>/elements/<int:element_id>")
@require_role(EDITOR)
def update_element(standard_id: int, element_id: int):
    return _build(
        standard_id,
        ElementForm,
        f"element-{element_id}",
        lambda standard, form: services.update_element(
            current_user, _element_of(standard, element_id), form.title.data
        ),
    )


@blueprint.post("/<int:standard_id>/criteria")
@require_role(EDITOR)
def add_criterion(standard_id: int):
    return _build(
        standard_id,
        CriterionForm,
        "criterion",
        lambda standard, form: services.add_criterion(
            current_user,
            _element_of(standard, form.element.data),
            form.kind.data,
            form.text.data,
            with_item=form.with_item.data,
        ),
        choices=_element_choices,
    )


@blueprint.post("/<int:standard_id>/criteria/<int:criterion_id>")
@require_role(EDITOR)
def update_criterion(standard_id: int, criterion_id: int):
    return _build(
        standard_id,
        CriterionEditForm,
        f"criterion-{criterion_id}",
        lambda standard, form: services.update_criterion(
            current_user, _criterion_of(standard, criterion_id), form.kind.data, form.text.data
        ),
    )


@blueprint.post("/<int:standard_id>/items")
@require_role(EDITOR)
def add_item(standard_id: int):
    return _build(
        standard_id,
        ItemForm,
        "item",
        lambda standard, form: services.add_item(
            current_user,
            standard,
            _criterion_of(standard, form.criterion.data),
            form.text.data,
            form.weight.data,
            form.is_critical.data,
        ),
        choices=_criterion_choices,
    )


@blueprint.post("/<int:standard_id>/items/<int:item_id>")
@require_role(EDITOR)
def update_item(standard_id: int, item_id: int):
    return _build(
        standard_id,
        ItemEditForm,
        f"item-{item_id}",
        lambda standard, form: services.update_item(
            current_user,
            _item_of(standard, item_id),
            form.text.data,
            form.weight.data,
            form.is_critical.data,
        ),
    )


@blueprint.post("/<int:standard_id>/items/missing")
@require_role(EDITOR)
def add_missing_items(standard_id: int):
    return _build(
        standard_id,
        ActionForm,
        "missing",
        lambda standard, form: services.add_missing_items(current_user, standard),
    )


@blueprint.post("/<int:standard_id>/rule")
@require_role(EDITOR)
def set_rule(standard_id: int):
    return _build(
        standard_id,
        RuleForm,
        "rule",
        lambda standard, form: services.set_decision_rule(
            current_user, standard, form.threshold_percent.data
        ),
    )


# Moving, splitting and deleting a line: one route per kind of line and per verb.

LINES = {
    "elements": (_element_of, services.move_element, services.delete_element),
    "criteria": (_criterion_of, services.move_criterion, services.delete_criterion),
    "items": (_item_of, services.move_item, services.delete_item),
}


def _line_action(standard_id: int, kind: str, line_id: int, verb: str):
    find, move, delete = LINES[kind]
    form = MoveForm(prefix="") if verb == "move" else ActionForm(prefix="")

    def action(standard, form):
        line = find(standard, line_id)
        if verb == "move":
            move(current_user, line, form.offset.data)
        elif verb == "split":
            services.split_item(current_user, line)
        else:
            delete(current_user, line)

    return _build(standard_id, lambda prefix: form, f"{verb}-{kind}-{line_id}", action)


@blueprint.post("/<int:standard_id>/<any(elements, criteria, items):kind>/<int:line_id>/move")
@require_role(EDITOR)
def move_line(standard_id: int, kind: str, line_id: int):
    return _line_action(standard_id, kind, line_id, "move")


@blueprint.post("/<int:standard_id>/<any(elements, criteria, items):kind>/<int:line_id>/delete")
@require_role(EDITOR)
def delete_line(standard_id: int, kind: str, line_id: int):
    return _line_action(standard_id, kind, line_id, "delete")


@blueprint.post("/<int:standard_id>/items/<int:line_id>/split")
@require_role(EDITOR)
def split_item(standard_id: int, line_id: int):
    return _line_action(standard_id, "items", line_id, "split")


# Publishing, versions, cancelling, deleting: each asks for confirmation on a page of its own.


@blueprint.route("/<int:standard_id>/publish", methods=["GET", "POST"])
@require_role(EDITOR)
def publish(standard_id: int):
    standard = queries.get_standard(standard_id)
    services.ensure_may_edit(current_user, standard)
    form = PublishForm()
    if form.validate_on_submit():
        with flashed_on_failure():
            services.publish_standard(current_user, standard, today(), form.supersede.data)
            flash(_("Standard published. It can no longer be changed."), "success")
        return redirect(url_for("standards.show", standard_id=standard_id))
    return render_template(
        "standards/publish.html",
        standard=standard,
        form=form,
        problems=services.publication_problems(standard),
        previous=services.published_predecessor(standard),
    )


@blueprint.route("/<int:standard_id>/cancel", methods=["GET", "POST"])
@require_role(EDITOR)
def cancel(standard_id: int):
    standard = queries.get_standard(standard_id)
    services.ensure_may_cancel(current_user, standard)
    form = ActionForm()
    if form.validate_on_submit():
        services.cancel_standard(current_user, standard, today())
        flash(_("Standard cancelled. No new assessment can use it."), "success")
        return redirect(url_for("standards.show", standard_id=standard_id))
    return render_template("standards/confirm.html", standard=standard, form=form, verb="cancel")


@blueprint.route("/<int:standard_id>/delete", methods=["GET", "POST"])
@require_role(EDITOR)
def delete(standard_id: int):
    standard = queries.get_standard(standard_id)
    services.ensure_may_edit(current_user, standard)
    form = ActionForm()
    if form.validate_on_submit():
        services.delete_draft(current_user, standard)
        flash(_("Draft deleted."), "success")
        return redirect(url_for("standards.index"))
    return render_template("standards/confirm.html", standard=standard, form=form, verb="delete")


@blueprint.route("/<int:standard_id>/new-version", methods=["GET", "POST"])
@require_role(EDITOR)
def new_version(standard_id: int):
    standard = queries.get_standard(standard_id)
    services.ensure_may_derive(current_user, standard)
    form = NewVersionForm()
    if form.validate_on_submit():
        with explained_on(form):
            copy = services.new_version(current_user, standard, form.version.data or None)
            flash(_("New draft version created from %(code)s.", code=standard.full_code), "success")
            return redirect(url_for("standards.show", standard_id=copy.id))
    return render_template("standards/new_version.html", standard=standard, form=form), status_of(
        form
    )


# Import and export

IMPORT_MAX_BYTES = 10 * 1024 * 1024


@blueprint.route("/import", methods=["GET", "POST"])
@require_role(EDITOR)
def import_file():
    services.ensure_may_edit_catalogue(current_user)
    form = ImportForm()
    if form.validate_on_submit():
        with explained_on(form):
            data = read_limited(form.file.data.stream, IMPORT_MAX_BYTES, field="file")
            document, where = importing.read_file(data, form.file_format.data)
            created = importing.import_standards(current_user, document, where)
            flash(_("%(n)d standards imported as drafts.", n=len(created)), "success")
            if len(created) == 1:
                return redirect(url_for("standards.show", standard_id=created[0].id))
            return redirect(url_for("standards.index"))
    return render_template("standards/import.html", form=form), status_of(form)


EXPORTS = {
    "json": ("application/json", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "case": ("application/json", "case.json"),
}


@blueprint.get("/<int:standard_id>/export.<any(json, csv, case):file_format>")
@require_role(*READERS)
def export(standard_id: int, file_format: str):
    standard = queries.get_standard(standard_id)
    services.ensure_may_see(current_user, standard)
    document = interchange.to_json([standard])
    if file_format == "csv":
        body = interchange.to_csv([standard])
    elif file_format == "case":
        package = case.to_case(
            document,
            creator=current_app.config["CERTIFYING_BODY_NAME"],
            base_url=public_base_url(),
            changed_at=standard.created_at.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        )
        body = json.dumps(package, ensure_ascii=False, indent=2)
    else:
        body = json.dumps(document, ensure_ascii=False, indent=2)
    mimetype, extension = EXPORTS[file_format]
    filename = f"{standard.full_code}.{extension}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
