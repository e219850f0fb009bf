from flask import Blueprint

blueprint = Blueprint("appeals", __name__, url_prefix="/appeals")
