"""The centre administrator's pages for evaluators' accreditations (cédulas) and the
certificates they hold (EC0076 and the standards they assess)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import accreditations, queries
from app.accounts.blueprint import blueprint
from app.accounts.forms import (
    ISSUED_HERE,
    AccreditationChangeForm,
    AccreditationForm,
    CredentialForm,
    WithdrawalForm,
)
from app.accounts.models import User
from app.accounts.roles import Role
from app.auth import require_role
from app.forms import explained_on, status_of
from app.responses import streamed_download
from app.standards.offers import list_offered_standards
from app.standards.queries import get_standard
from app.storage import current_storage, open_checked
from app.uploads import read_limited

# The page holds two forms with an evaluator and a validity each: this one's fields are
# prefixed, so that every id and label on the page is unique.
CREDENTIAL = "credential"


def _evaluator_choices(form) -> None:
    evaluators = queries.list_staff(current_user.centre_id, Role.EVALUATOR)
    form.evaluator.choices = [(e.id, e.full_name) for e in evaluators]


def _standard_choices(form) -> None:
    """Only the standards the centre offers can be accredited (app/standards/offers.py)."""
    form.standard.choices = [
        (s.id, f"{s.full_code} {s.title}") for s in list_offered_standards(current_user.centre_id)
    ]


def _evaluators_page(form=None, credential_form=None):
    form = form or AccreditationForm(formdata=None)
    credential_form = credential_form or CredentialForm(formdata=None, prefix=CREDENTIAL)
    for each in (form, credential_form):
        _evaluator_choices(each)
    _standard_choices(form)
    centre_id = current_user.centre_id
    status = max(status_of(form), status_of(credential_form))
    return render_template(
        "accounts/evaluators.html",
        form=form,
        credential_form=credential_form,
        accreditations=queries.list_accreditations(centre_id),
        credentials=queries.list_credentials(centre_id),
    ), status


@blueprint.route("/evaluators/", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def evaluators():
    form = AccreditationForm()
    _evaluator_choices(form)
    _standard_choices(form)
    if form.validate_on_submit():
        with explained_on(form):
            accreditations.accredit_evaluator(
                actor=current_user,
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
    return _evaluators_page(form=form)


@blueprint.post("/evaluators/credentials")
@require_role(Role.ADMIN)
def record_credential():
    form = CredentialForm(prefix=CREDENTIAL)
    _evaluator_choices(form)
    if form.validate_on_submit():
        with explained_on(form):
            evaluator = queries.get_centre_member(current_user.centre_id, User, form.evaluator.data)
            if form.source.data == ISSUED_HERE:
                accreditations.record_issued_credential(
                    current_user,
                    evaluator,
                    standard_code=form.standard_code.data,
                    folio=form.folio.data,
                )
            else:
                accreditations.record_external_credential(
                    current_user,
                    evaluator,
                    standard_code=form.standard_code.data,
                    folio=form.folio.data,
                    valid_until=form.valid_until.data,
                    file=_uploaded(form.file.data),
                )
            flash(_("Certificate recorded."), "success")
            return redirect(url_for("accounts.evaluators"))
    return _evaluators_page(credential_form=form)


def _uploaded(upload) -> bytes | None:
    if upload is None:
        return None
    return read_limited(upload.stream, accreditations.MAX_CREDENTIAL_BYTES, field="file")


@blueprint.get("/evaluators/credentials/<int:credential_id>/file")
@require_role(Role.ADMIN)
def credential_file(credential_id: int):
    credential = queries.get_credential(current_user.centre_id, credential_id)
    if credential.file_key is None:
        return redirect(url_for("certificates.show", public_id=credential.certificate.public_id))
    stream = open_checked(current_storage(), credential.file_key, credential.file_sha256)
    extension = credential.file_key.rsplit(".", 1)[-1]
    return streamed_download(
        stream, credential.file_mimetype, f"{credential.standard_code}-{credential.id}.{extension}"
    )


@blueprint.route("/evaluators/accreditations/<int:accreditation_id>", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def accreditation(accreditation_id: int):
    """Correct a cédula's number or validity, or withdraw it."""
    found = queries.get_accreditation(current_user.centre_id, accreditation_id)
    form = AccreditationChangeForm(obj=found)
    if form.validate_on_submit():
        with explained_on(form):
            accreditations.change_accreditation(
                current_user,
                found,
                number=form.number.data,
                valid_from=form.valid_from.data,
                valid_until=form.valid_until.data,
            )
            flash(_("Accreditation changed."), "success")
            return redirect(url_for("accounts.evaluators"))
    return _accreditation_page(found, form=form)


def _accreditation_page(found, form=None, withdrawal_form=None):
    form = form or AccreditationChangeForm(formdata=None, obj=found)
    withdrawal_form = withdrawal_form or WithdrawalForm(formdata=None)
    status = max(status_of(form), status_of(withdrawal_form))
    return render_template(
        "accounts/accreditation.html",
        accreditation=found,
        form=form,
        withdrawal_form=withdrawal_form,
    ), status


@blueprint.post("/evaluators/accreditations/<int:accreditation_id>/withdraw")
@require_role(Role.ADMIN)
def withdraw_accreditation(accreditation_id: int):
    found = queries.get_accreditation(current_user.centre_id, accreditation_id)
    form = WithdrawalForm()
    if form.validate_on_submit():
        with explained_on(form):
            accreditations.withdraw_accreditation(current_user, found, form.reason.data)
            flash(_("Accreditation withdrawn."), "success")
            return redirect(url_for("accounts.evaluators"))
    return _accreditation_page(found, withdrawal_form=form)
