"""The development outbox: every e-mail the app sent, with clickable links (development only)."""

from pathlib import Path

from flask import current_app, render_template

from app.mail import queries
from app.mail.blueprint import blueprint
from app.mail.rules import split_links


def _folder() -> Path:
    return Path(current_app.config["MAIL_FILE_PATH"])


@blueprint.get("/")
def outbox():
    return render_template("mail/outbox.html", messages=queries.list_outbox(_folder()))


@blueprint.get("/<message_id>")
def show(message_id: str):
    message = queries.get_outbox_message(_folder(), message_id)
    return render_template("mail/message.html", message=message, parts=split_links(message.text))
