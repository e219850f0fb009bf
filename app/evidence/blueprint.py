from flask import Blueprint

blueprint = Blueprint("evidence", __name__, url_prefix="/assessments")
