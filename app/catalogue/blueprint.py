from flask import Blueprint

blueprint = Blueprint("catalogue", __name__, url_prefix="/catalogo")
