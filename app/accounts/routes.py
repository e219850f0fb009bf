"""Signing in and out, the language, and the centre's people and settings."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from app.accounts import invitations, queries, services
from app.accounts.blueprint import blueprint
from app.accounts.forms import (
    BrandingForm,
    CandidateForm,
    CentreForm,
    ForgotPasswordForm,
    InvitationForm,
    LanguageForm,
    LoginForm,
    SetPasswordForm,
)
from app.accounts.models import TokenPurpose, User
from app.accounts.roles import Role
from app.auth import public, require_role
from app.certificates.designs import list_designs
from app.extensions import language_in_address, limiter
from app.forms import ActionForm, explained_on, flashed_on_failure, status_of
from app.uploads import read_limited

HOME_BY_ROLE = {
    Role.BODY_ADMIN: "accounts.centres",
    Role.ADMIN: "assessments.index",
    Role.EVALUATOR: "assessments.index",
    Role.REVIEWER: "assessments.index",
    Role.CANDIDATE: "certificates.index",
}


@blueprint.get("/")
@public
def home():
    if not current_user.is_authenticated:
        return render_template("accounts/welcome.html")
    return redirect(url_for(HOME_BY_ROLE[Role(current_user.role)]))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            if language := language_in_address():  # chosen before signing in: keep it
                session["locale"] = language
            return redirect(url_for("accounts.home"))
        form.form_errors.append(_login_refusal(form.email.data))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 422


def _login_refusal(email: str) -> str:
    # The same words whether or not the address has an account (lockout.py counts both).
    config = current_app.config
    if services.login_is_locked(email):
        return _(
            "Too many failed attempts: this email cannot log in for the next %(minutes)d "
            "minutes. You can reset your password meanwhile.",
            minutes=config["LOGIN_LOCK_MINUTES"],
        )
    return _(
        "The email or the password is not correct. After %(n)d failed attempts, the email "
        "cannot log in for %(minutes)d minutes.",
        n=config["LOGIN_LOCK_AFTER_FAILURES"],
        minutes=config["LOGIN_LOCK_MINUTES"],
    )


@blueprint.post("/logout")
@require_role(*Role)
def logout():
    if ActionForm().validate_on_submit():
        services.log_out(current_user)
        logout_user()
    return redirect(url_for("accounts.home"))


@blueprint.post("/language")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:  # their e-mails follow the language they read
            services.set_language(current_user, form.locale.data)
    return redirect(request.referrer or url_for("accounts.home"))


@blueprint.route("/candidates/", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def candidates():
    form = CandidateForm(language=str(get_locale()))
    if form.validate_on_submit():
        with explained_on(form):
            candidate = invitations.invite_candidate(
                current_user,
                email=form.email.data,
                full_name=form.full_name.data,
                curp=form.curp.data,
                is_publicly_listed=form.is_publicly_listed.data,
                language=form.language.data,
                birth_date=form.birth_date.data,
            )
            if candidate.centre_id != current_user.centre_id:
                flash(_("This person was already registered in Avala: now enrolled here too."))
            else:
                flash(_("Candidate registered; we sent them an invitation by email."), "success")
            return redirect(url_for("accounts.candidates"))
    people = queries.list_candidates(current_user.centre_id)
    statuses = queries.account_statuses([c.user for c in people])
    return render_template(
        "accounts/candidates.html", form=form, candidates=people, statuses=statuses
    ), status_of(form)


@blueprint.route("/staff/", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def staff():
    form = InvitationForm(language=str(get_locale()))
    form.role.choices = [(r.value, r.label) for r in (Role.EVALUATOR, Role.REVIEWER)]
    if form.validate_on_submit():
        with explained_on(form):
            invitations.invite_user(
                current_user,
                centre=current_user.centre,
                email=form.email.data,
                full_name=form.full_name.data,
                role=Role(form.role.data),
                language=form.language.data,
            )
            flash(_("Invitation sent."), "success")
            return redirect(url_for("accounts.staff"))
    people = queries.list_people(current_user.centre_id, STAFF_ROLES)
    return render_template(
        "accounts/staff.html", form=form, people=people, statuses=queries.account_statuses(people)
    ), status_of(form)


STAFF_ROLES = (Role.ADMIN, Role.EVALUATOR, Role.REVIEWER)


@blueprint.route("/centres/", methods=["GET", "POST"])
@require_role(Role.BODY_ADMIN)
def centres():
    form = CentreForm()
    if form.validate_on_submit():
        with explained_on(form):
            centre = services.create_centre(
                current_user, code=form.code.data, name=form.name.data, city=form.city.data or ""
            )
            flash(_("Centre opened. Now invite its administrator."), "success")
            return redirect(url_for("accounts.centre", centre_id=centre.id))
    return render_template(
        "accounts/centres.html", form=form, centres=queries.list_centres()
    ), status_of(form)


@blueprint.route("/centres/<int:centre_id>", methods=["GET", "POST"])
@require_role(Role.BODY_ADMIN)
def centre(centre_id: int):
    centre = queries.get_centre(centre_id)
    form = InvitationForm(language=str(get_locale()), role=Role.ADMIN.value)
    form.role.choices = [(Role.ADMIN.value, Role.ADMIN.label)]
    if form.validate_on_submit():
        with explained_on(form):
            invitations.invite_user(
                current_user,
                centre=centre,
                email=form.email.data,
                full_name=form.full_name.data,
                role=Role.ADMIN,
                language=form.language.data,
            )
            flash(_("Invitation sent."), "success")
            return redirect(url_for("accounts.centre", centre_id=centre.id))
    admins = queries.list_people(centre.id, (Role.ADMIN,))
    return render_template(
        "accounts/centre_admins.html",
        centre=centre,
        form=form,
        people=admins,
        statuses=queries.account_statuses(admins),
    ), status_of(form)


# What an administrator does to an account: resend or withdraw its invitation, deactivate it
# or reactivate it. Each asks the service, which checks the actor administers the account.
ACCOUNT_ACTIONS = {
    "resend": (invitations.resend_invitation, _l("A new invitation was sent.")),
    "withdraw": (invitations.withdraw_invitation, _l("The invitation was withdrawn.")),
    "deactivate": (services.deactivate_user, _l("The account was deactivated.")),
    "reactivate": (services.reactivate_user, _l("The account was reactivated.")),
}


@blueprint.post("/people/<int:user_id>/resend")
@require_role(Role.BODY_ADMIN, Role.ADMIN)
def resend_invitation(user_id: int):
    return _account_action(user_id, "resend")


@blueprint.post("/people/<int:user_id>/withdraw")
@require_role(Role.BODY_ADMIN, Role.ADMIN)
def withdraw_invitation(user_id: int):
    return _account_action(user_id, "withdraw")


@blueprint.post("/people/<int:user_id>/deactivate")
@require_role(Role.BODY_ADMIN, Role.ADMIN)
def deactivate(user_id: int):
    return _account_action(user_id, "deactivate")


@blueprint.post("/people/<int:user_id>/reactivate")
@require_role(Role.BODY_ADMIN, Role.ADMIN)
def reactivate(user_id: int):
    return _account_action(user_id, "reactivate")


def _account_action(user_id: int, action: str):
    user = queries.get_user_in_scope(current_user, user_id)
    operation, done = ACCOUNT_ACTIONS[action]
    if ActionForm().validate_on_submit():
        with flashed_on_failure():
            operation(current_user, user)
            flash(str(done), "success")
    return redirect(_people_page(user))


def _people_page(user: User) -> str:
    if user.role == Role.ADMIN:
        return url_for("accounts.centre", centre_id=user.centre_id)
    if user.role == Role.CANDIDATE:
        return url_for("accounts.candidates")
    return url_for("accounts.staff")


@blueprint.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _set_password_page(token, TokenPurpose.INVITATION)


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _set_password_page(token, TokenPurpose.PASSWORD_RESET)


def _set_password_page(token: str, purpose: TokenPurpose):
    problem = invitations.link_problem(token, purpose)
    if problem:
        message = invitations.LINK_PROBLEMS[problem]
        status = 404 if problem == "unknown" else 410
        return render_template("accounts/link_unusable.html", message=message), status
    form = SetPasswordForm()
    if form.validate_on_submit():
        with explained_on(form):
            invitations.use_link(token, purpose, form.password.data)
            flash(_("Your password is saved. You can log in now."), "success")
            return redirect(url_for("accounts.login"))
    return render_template(
        "accounts/set_password.html", form=form, purpose=purpose.value
    ), status_of(form)


@blueprint.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        invitations.request_password_reset(form.email.data)
        # The same answer whether or not the address has an account.
        flash(
            _("If an account uses this email, we sent it a link to choose a new password."),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form), status_of(form)


@blueprint.route("/centre/", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def centre_settings():
    centre = current_user.centre
    designs = list_designs(current_app.config["CERTIFICATE_DESIGNS_DIR"])
    form = BrandingForm(
        design=centre.certificate_design or current_app.config["CERTIFICATE_DESIGN"]
    )
    form.design.choices = [(name, name) for name in designs]
    if form.validate_on_submit():
        with explained_on(form):
            services.update_centre_branding(
                current_user,
                design=form.design.data,
                available_designs=designs,
                logo=_uploaded(form.logo.data, services.MAX_LOGO_BYTES, "logo"),
                remove_logo=form.remove_logo.data,
            )
            flash(
                _("Saved. New certificates will use this design; issued ones do not change."),
                "success",
            )
            return redirect(url_for("accounts.centre_settings"))
    return render_template("accounts/centre.html", form=form, centre=centre), status_of(form)


def _uploaded(upload, max_bytes: int, field: str) -> bytes | None:
    """The bytes of an uploaded file, None when none was chosen."""
    if upload is None:
        return None
    return read_limited(upload.stream, max_bytes, field=field)


@blueprint.get("/centre/logo")
@require_role(Role.ADMIN)
def centre_logo():
    centre = current_user.centre
    if not centre.logo:
        abort(404)
    return Response(centre.logo, mimetype=centre.logo_mimetype)
