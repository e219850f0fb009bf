from flask import Blueprint

blueprint = Blueprint("verification", __name__)
