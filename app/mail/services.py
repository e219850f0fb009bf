"""Sending e-mail: queued after the transaction commits, rendered and sent by the worker.

`send_mail(to, template, language, context)` is the one way any area sends mail. The message
is rendered from templates/mail/<template>.txt (plain text; its `{% set subject = ... %}` is
the subject) and templates/mail/<template>.html, in the recipient's language. Nothing is sent
when the request (or the caller's transaction) rolls back, and a slow or failing mail server
never holds up a page: the Huey worker sends, and retries.
"""

from flask import current_app

from app.mail.rules import Attachment
from app.tasks import deliver_mail
from app.transactions import after_commit


def send_mail(
    to: str,
    template: str,
    language: str,
    context: dict,
    attachments: tuple[Attachment, ...] = (),
) -> None:
    """Queue the message `template` to `to` in `language` once the transaction commits.

    `context` holds plain values only (strings, numbers): it travels through the task queue.
    Links in it must be absolute (see public_url). `attachments` are files sent with the
    message (a calendar invitation, ...), made before the call: bytes, not ORM objects.
    Outside a request, the caller's `app.transactions.commit_request()` sends what was queued.
    """
    language = language if language in current_app.config["LANGUAGES"] else None
    language = language or current_app.config["BABEL_DEFAULT_LOCALE"]
    files = [tuple(attachment) for attachment in attachments]
    after_commit(lambda: deliver_mail(to, template, language, dict(context), files))


def public_url(endpoint: str, **values) -> str:
    """The absolute address of `endpoint` for a link in an e-mail (PUBLIC_BASE_URL)."""
    from flask import url_for

    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
