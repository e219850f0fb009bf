from flask import Blueprint

# Registered only when MAIL_OUTBOX_PAGE is on (development): production has no such page.
blueprint = Blueprint("mail", __name__, url_prefix="/dev/outbox")
