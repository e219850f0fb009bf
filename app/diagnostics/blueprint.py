from flask import Blueprint

blueprint = Blueprint("diagnostics", __name__, url_prefix="/diagnostics")
