"""A signed-in user's own password: "Cambiar mi contraseña"."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.accounts import services
from app.accounts.blueprint import blueprint
from app.accounts.forms import ChangePasswordForm
from app.accounts.roles import Role
from app.auth import require_role
from app.extensions import limiter
from app.forms import explained_on, status_of


def _login_limit() -> str:
    # Guessing the current password here is as limited as guessing it at the login form.
    return current_app.config["LOGIN_RATE_LIMIT"]


@blueprint.route("/password/change", methods=["GET", "POST"])
@require_role(*Role)
@limiter.limit(_login_limit, methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with explained_on(form):
            user = current_user._get_current_object()
            services.change_password(
                user,
                current_password=form.current_password.data,
                password=form.password.data,
            )
            # The new password ended every session; this one goes on with the new token.
            login_user(user)
            flash(_("Your password is changed. Your other sessions have ended."), "success")
            return redirect(url_for("accounts.home"))
    return render_template("accounts/change_password.html", form=form), status_of(form)
