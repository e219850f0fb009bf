from flask import Blueprint
from flask_smorest import Blueprint as ApiBlueprint

# The JSON API, documented in its OpenAPI document (flask-smorest).
blueprint = ApiBlueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Public verification, and a centre's certificates, judgements and batches.",
)
# The HTML pages of the API: its documentation, and the tokens page of a centre administrator.
pages = Blueprint("api_pages", __name__)
