from flask import Blueprint

blueprint = Blueprint("assessments", __name__, url_prefix="/assessments")
