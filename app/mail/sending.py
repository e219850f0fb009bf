"""Rendering and sending one message now: what the worker does (app/tasks.py deliver_mail).

Kept apart from services.py, which queues the task, so that the task queue and the services
do not import each other.
"""

from flask import current_app
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives

from app.accounts.roles import Role


def render_message(to: str, template: str, language: str, context: dict, attachments=()):
    """The message, rendered in `language`, ready to send (a multipart text + HTML e-mail,
    with `attachments`: (filename, bytes, MIME type) each)."""
    env = current_app.jinja_env
    context = {**context, "body_name": current_app.config["CERTIFYING_BODY_NAME"]}
    with force_locale(language):
        if "role" in context:  # the role's name in the recipient's language
            context["role_label"] = str(Role(context["role"]).label)
        text = env.get_template(f"mail/{template}.txt").make_module(context)
        html = env.get_template(f"mail/{template}.html").render(context)
        subject = " ".join(str(text.subject).split())
    message = EmailMultiAlternatives(subject=subject, body=str(text).strip() + "\n", to=[to])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def deliver(to: str, template: str, language: str, context: dict, attachments=()) -> None:
    """Render and send one message now; the worker calls this (app/tasks.py)."""
    render_message(to, template, language, context, attachments).send()
