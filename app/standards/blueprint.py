from flask import Blueprint

blueprint = Blueprint("standards", __name__, url_prefix="/standards")
