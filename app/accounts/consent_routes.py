"""The candidate's own page: their consent to the public register and the privacy notice."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import enrolments
from app.accounts.blueprint import blueprint
from app.accounts.forms import ConsentForm
from app.accounts.roles import Role
from app.accounts.rules import CONSENT_TEXT_VERSION, PRIVACY_NOTICE_VERSION
from app.auth import require_role
from app.forms import explained_on, status_of


@blueprint.route("/me/privacy", methods=["GET", "POST"])
@require_role(Role.CANDIDATE)
def privacy():
    candidate = current_user.candidate
    form = ConsentForm(
        is_publicly_listed=candidate.is_publicly_listed,
        accepts_privacy_notice=candidate.privacy_notice_version == PRIVACY_NOTICE_VERSION,
    )
    if form.validate_on_submit():
        with explained_on(form):
            changed = enrolments.change_consents(
                current_user,
                candidate,
                is_publicly_listed=form.is_publicly_listed.data,
                accepts_privacy_notice=form.accepts_privacy_notice.data,
            )
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("accounts.privacy"))
    return render_template(
        "accounts/privacy.html",
        form=form,
        candidate=candidate,
        consent_version=CONSENT_TEXT_VERSION,
        notice_version=PRIVACY_NOTICE_VERSION,
    ), status_of(form)
