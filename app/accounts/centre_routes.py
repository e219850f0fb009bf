"""The body administrator's pages to correct a centre and to deactivate or reactivate it
(app/accounts/centres.py)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import centres, queries
from app.accounts.blueprint import blueprint
from app.accounts.forms import CentreForm
from app.accounts.roles import Role
from app.auth import require_role
from app.forms import ActionForm, explained_on, status_of


@blueprint.route("/centres/<int:centre_id>/edit", methods=["GET", "POST"])
@require_role(Role.BODY_ADMIN)
def edit_centre(centre_id: int):
    centre = queries.get_centre(centre_id)
    centres.ensure_may_administer_centres(current_user)
    form = CentreForm(obj=centre)
    if form.validate_on_submit():
        with explained_on(form):
            details = centres.CentreDetails(form.code.data, form.name.data, form.city.data or "")
            centres.update_centre(current_user, centre, details)
            flash(_("Saved."), "success")
            return redirect(url_for("accounts.centre", centre_id=centre.id))
    return render_template("accounts/centre_edit.html", form=form, centre=centre), status_of(form)


@blueprint.post("/centres/<int:centre_id>/deactivate")
@require_role(Role.BODY_ADMIN)
def deactivate_centre(centre_id: int):
    centre = queries.get_centre(centre_id)
    if ActionForm().validate_on_submit():
        centres.deactivate_centre(current_user, centre)
        flash(
            _("The centre was deactivated. Its staff cannot log in until it is reactivated."),
            "success",
        )
    return redirect(url_for("accounts.centre", centre_id=centre_id))


@blueprint.post("/centres/<int:centre_id>/reactivate")
@require_role(Role.BODY_ADMIN)
def reactivate_centre(centre_id: int):
    centre = queries.get_centre(centre_id)
    if ActionForm().validate_on_submit():
        centres.reactivate_centre(current_user, centre)
        flash(_("The centre was reactivated. Its staff can log in again."), "success")
    return redirect(url_for("accounts.centre", centre_id=centre_id))
