from flask import Blueprint

blueprint = Blueprint("certificates", __name__)
