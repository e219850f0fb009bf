"""The shapes of the API's answers and inputs (marshmallow), which the OpenAPI document shows."""

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate

from app.inputs import has_control_characters

MAX_PAGE = 100_000
MAX_BATCH = 500


def plain_text(value: str) -> None:
    """No control characters (a NUL would reach PostgreSQL, which cannot store it)."""
    if has_control_characters(value):
        raise ValidationError("Remove the invisible control characters from this text.")


class ErrorDetail(Schema):
    status = fields.Integer(required=True)
    title = fields.String(required=True)
    message = fields.String(required=True)
    hint = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(), metadata={"description": "What is wrong with each input"}
    )


class ErrorSchema(Schema):
    """Every error of the API (app/errors.py): 4xx and 5xx, 429 with Retry-After."""

    error = fields.Nested(ErrorDetail, required=True)


class NotFoundSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["not_found"]))


class PublicRecordSchema(Schema):
    """The public page's facts, with the signed data, its signature and where the key is."""

    status = fields.String(required=True)
    status_reason = fields.String(required=True, allow_none=True)
    status_note = fields.String(allow_none=True)
    revoked_at = fields.String(required=True, allow_none=True)
    superseded_by = fields.String(required=True, allow_none=True)
    certificate = fields.Dict(required=True, metadata={"description": "The signed facts"})
    signed_payload = fields.String(required=True)
    signature = fields.String(required=True)
    signature_algorithm = fields.String(required=True)
    key_id = fields.String(required=True)
    public_key_url = fields.String(required=True)
    pdf_sha256 = fields.String(required=True)


class QuerySchema(Schema):
    # A misspelt parameter (?pagee=2) is refused with 422 and named, not silently ignored:
    # the document lists every parameter an operation takes, `lang` included.
    class Meta:
        unknown = RAISE

    lang = fields.String(
        validate=validate.OneOf(["es", "en"]),
        metadata={"description": "The language of error messages (default: Accept-Language)"},
    )

    @post_load
    def _without_language(self, data: dict, **_kwargs) -> dict:
        data.pop("lang", None)  # read from the address by the locale selector, not the view
        return data


class FolioQuerySchema(QuerySchema):
    folio = fields.String(required=True, validate=[validate.Length(min=1, max=60), plain_text])
    holder = fields.String(
        load_default="",
        validate=[validate.Length(max=200), plain_text],
        metadata={"description": "The holder's CURP or first surname (or whole name)"},
    )


class FolioAnswerSchema(Schema):
    """A folio's certificate. `holder_name` and `verification_url` only when the holder
    consented to the public register or the caller gave matching holder data."""

    folio = fields.String(required=True)
    status = fields.String(required=True)
    standard_code = fields.String(required=True)
    standard_title = fields.String(required=True)
    standard_level = fields.Integer(required=True)
    centre_name = fields.String(required=True)
    judged_on = fields.Date(required=True)
    valid_until = fields.Date(required=True, allow_none=True)
    holder_name = fields.String(required=True, allow_none=True)
    verification_url = fields.String(required=True, allow_none=True)


class PageQuerySchema(QuerySchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class PaginationSchema(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class CertificateSchema(Schema):
    public_id = fields.String(required=True)
    folio = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "valid, expired, …"})
    holder_name = fields.String(required=True)
    curp_masked = fields.String(required=True)
    standard_code = fields.String(required=True)
    standard_title = fields.String(required=True)
    standard_level = fields.Integer(required=True)
    evaluator_name = fields.String(required=True)
    judged_on = fields.Date(required=True)
    issued_at = fields.DateTime(required=True)
    valid_until = fields.Date(required=True, allow_none=True)
    verification_url = fields.String(required=True)


class CertificatePageSchema(Schema):
    items = fields.List(fields.Nested(CertificateSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


class JudgementSchema(Schema):
    assessment_id = fields.Integer(required=True)
    candidate_name = fields.String(required=True)
    standard_code = fields.String(required=True)
    standard_title = fields.String(required=True)
    judgement = fields.String(required=True)
    reviewed_at = fields.DateTime(required=True, allow_none=True)


class JudgementPageSchema(Schema):
    items = fields.List(fields.Nested(JudgementSchema), required=True)
    pagination = fields.Nested(PaginationSchema, required=True)


class BatchRequestSchema(Schema):
    assessment_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=2**31 - 1)),
        required=True,
        validate=validate.Length(min=1, max=MAX_BATCH),
    )


class BatchCountsSchema(Schema):
    pending = fields.Integer(required=True)
    issued = fields.Integer(required=True)
    failed = fields.Integer(required=True)


class BatchSchema(Schema):
    id = fields.Integer(required=True)
    counts = fields.Nested(BatchCountsSchema, required=True)
    finished = fields.Boolean(required=True)
