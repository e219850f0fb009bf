"""The centre administrator's page of the standards their centre offers: add a published
standard of the body's catalogue, or stop offering one (app/standards/offers.py)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.auth import require_role
from app.errors import allows
from app.forms import ActionForm, explained_on, status_of
from app.standards import offers, queries
from app.standards.blueprint import blueprint
from app.standards.forms import OfferForm


def _choices(form: OfferForm) -> None:
    form.standard.choices = [
        (s.id, f"{s.full_code} {s.title}")
        for s in offers.list_offerable_standards(current_user.centre_id)
    ]


@blueprint.route("/offered", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def offered():
    offers.ensure_may_choose_offers(current_user)
    form = OfferForm()
    _choices(form)
    if form.validate_on_submit():
        with explained_on(form):
            offer = offers.offer_standard(current_user, queries.get_standard(form.standard.data))
            flash(_("The centre now offers %(code)s.", code=offer.standard.full_code), "success")
            return redirect(url_for("standards.offered"))
    return render_template(
        "standards/offered.html",
        form=form,
        offers=offers.list_offers(current_user.centre_id),
        may_withdraw=allows(offers.ensure_may_choose_offers, current_user),
    ), status_of(form)


@blueprint.post("/offered/<int:standard_id>/withdraw")
@require_role(Role.ADMIN)
def withdraw_offer(standard_id: int):
    standard = queries.get_standard(standard_id)
    if ActionForm().validate_on_submit():
        # Not the centre's offer: NotFound, a 404, whoever else offers it.
        offers.withdraw_offer(current_user, standard)
        flash(_("The centre no longer offers %(code)s.", code=standard.full_code), "success")
    return redirect(url_for("standards.offered"))
