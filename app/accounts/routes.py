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
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts import queries, services
from app.accounts.blueprint import blueprint
from app.accounts.forms import (
    AccreditationForm,
    BrandingForm,
    CandidateForm,
    LanguageForm,
    LoginForm,
)
from app.accounts.models import User
from app.accounts.roles import Role
from app.auth import public, require_role
from app.certificates.designs import list_designs
from app.extensions import language_in_address, limiter
from app.forms import ActionForm, explained_on, status_of
from app.standards.queries import get_standard, list_published_standards
from app.uploads import read_limited

HOME_BY_ROLE = {
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
        form.form_errors.append(_("The email or the password is not correct."))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 422


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
    return redirect(request.referrer or url_for("accounts.home"))


@blueprint.route("/candidates/", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def candidates():
    form = CandidateForm()
    if form.validate_on_submit():
        with explained_on(form):
            services.register_candidate(
                actor=current_user,
                email=form.email.data,
                full_name=form.full_name.data,
                curp=form.curp.data,
                password=form.password.data,
                is_publicly_listed=form.is_publicly_listed.data,
            )
            flash(_("Candidate registered."), "success")
            return redirect(url_for("accounts.candidates"))
    people = queries.list_candidates(current_user.centre_id)
    return render_template("accounts/candidates.html", form=form, candidates=people), status_of(
        form
    )


@blueprint.route("/evaluators/", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def evaluators():
    form = AccreditationForm()
    evaluators = queries.list_staff(current_user.centre_id, Role.EVALUATOR)
    form.evaluator.choices = [(e.id, e.full_name) for e in evaluators]
    form.standard.choices = [(s.id, f"{s.full_code} {s.title}") for s in list_published_standards()]
    if form.validate_on_submit():
        with explained_on(form):
            services.accredit_evaluator(
                evaluator=queries.get_centre_member(
                    current_user.centre_id, User, form.evaluator.data
                ),
                standard=get_standard(form.standard.data),
                number=form.number.data,
                valid_from=form.valid_from.data,
                valid_until=form.valid_until.data,
            )
            flash(_("Accreditation recorded."), "success")
            return redirect(url_for("accounts.evaluators"))
    accreditations = queries.list_accreditations(current_user.centre_id)
    return render_template(
        "accounts/evaluators.html", form=form, accreditations=accreditations
    ), status_of(form)


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
