"""The employers' bulk verification page: a CSV or Excel file of folios in, a table and a CSV
out. Public and without a session, as the PDF check: nothing is stored, and each row counts as
one lookup against the client's allowance (BULK_VERIFY_RATE_LIMIT)."""

from datetime import timedelta

from flask import Response, current_app, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from limits import parse as parse_limit

from app.auth import public
from app.certificates.issuer import public_base_url
from app.dates import today
from app.errors import ValidationFailed
from app.extensions import csrf, limiter
from app.forms import show_errors, status_of
from app.verification import bulk
from app.verification.blueprint import blueprint
from app.verification.bulk_files import read_folio_file
from app.verification.forms import FolioFileForm
from app.verification.routes import public_lookup_limit


def _uploaded_rows():
    """The upload's rows, or the ValidationFailed saying what is wrong; read once a request
    (the rate limit's cost reads it before the view does). Kept on the request, not on `g`,
    which outlives a request where an app context is shared (tests)."""
    if ROWS_KEY not in request.environ:
        upload = request.files.get("file")
        max_bytes = current_app.config["BULK_VERIFY_MAX_BYTES"]
        try:
            data = upload.stream.read(max_bytes + 1) if upload else b""
            request.environ[ROWS_KEY] = read_folio_file(
                data, max_rows=current_app.config["BULK_VERIFY_MAX_ROWS"], max_bytes=max_bytes
            )
        except ValidationFailed as error:
            request.environ[ROWS_KEY] = error
    return request.environ[ROWS_KEY]


ROWS_KEY = "avala.bulk_rows"


def _rows_cost() -> int:
    """What a file costs: its rows. The allowance is tested before the file is looked up and
    drawn on only when it was (deduct_when): a refused file, or one that would go over, costs
    nothing here (each request still counts against the public lookups' allowance)."""
    rows = _uploaded_rows()
    return 1 if isinstance(rows, ValidationFailed) else len(rows)


def _rows_explained() -> str:
    limit = parse_limit(current_app.config["BULK_VERIFY_RATE_LIMIT"])
    period = format_timedelta(timedelta(seconds=limit.get_expiry()), threshold=1)
    return _(
        "This file would go over the allowance of %(amount)d rows per %(period)s from one "
        "address. Send a shorter file, or try again later.",
        amount=limit.amount,
        period=period,
    )


rows_limit = limiter.limit(
    lambda: current_app.config["BULK_VERIFY_RATE_LIMIT"],
    cost=_rows_cost,
    deduct_when=lambda response: response.status_code == 200,
    error_message=_rows_explained,
    methods=["POST"],
)


def _page(form, answers=None, sealed=None, status=200):
    return render_template(
        "verification/bulk.html",
        form=form,
        answers=answers,
        sealed=sealed,
        max_rows=current_app.config["BULK_VERIFY_MAX_ROWS"],
    ), status


@blueprint.get("/verify/lote")
@public
def bulk_form():
    return _page(FolioFileForm())


@blueprint.post("/verify/lote")
@csrf.exempt  # no session to bind a token to (visitors get no cookie); it stores nothing
@public
@public_lookup_limit
@rows_limit
def bulk_check():
    form = FolioFileForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    rows = _uploaded_rows()
    if isinstance(rows, ValidationFailed):
        show_errors(form, rows)
        return _page(form, status=status_of(form))
    answers = bulk.verify_rows(rows, today())
    return _page(form, answers, bulk.seal(answers))


@blueprint.post("/verify/lote/csv")
@csrf.exempt  # turns the server's own signed answers into a file: nothing to forge, no lookup
@public
@public_lookup_limit
def bulk_csv():
    answers = bulk.unseal(request.form.get("results", ""))
    if answers is None:
        form = FolioFileForm()
        form.form_errors = [_("These results are too old to download. Send the file again.")]
        return _page(form, status=422)
    text = bulk.results_csv(answers, _page_url)
    return Response(
        "\ufeff" + text,  # the BOM makes Excel read the accents as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="verificacion.csv"'},
    )


def _page_url(public_id: str) -> str:
    return public_base_url() + url_for("verification.show", public_id=public_id, lang=None)
