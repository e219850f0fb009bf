"""E-mail goes out through a real SMTP server on loopback, after the transaction commits, in
the recipient's language, as plain text and HTML."""

from app.extensions import db
from app.mail.services import send_mail
from app.transactions import commit_request, rollback_request

CONTEXT = {
    "full_name": "Laura Méndez Ochoa",
    "inviter_name": "Patricia Gómez <script>",
    "role": "evaluator",
    "place_name": "CONALEP Plantel Azcapotzalco",
    "days": 7,
    "link": "http://localhost/invitations/abc",
}


def test_mail_is_sent_only_after_the_transaction_commits(app, mailbox):
    send_mail("laura@example.com", "invitation", "es_MX", CONTEXT)
    assert mailbox.messages == []
    commit_request()
    received = mailbox.last_to("laura@example.com")
    assert received.subject == "Tu invitación a Avala"
    assert "Evaluador" in received.text
    assert received.links == ["http://localhost/invitations/abc"]
    assert 'href="http://localhost/invitations/abc"' in received.html
    assert "Patricia Gómez &lt;script&gt;" in received.html


def test_nothing_is_sent_when_the_transaction_rolls_back(app, mailbox):
    send_mail("laura@example.com", "invitation", "es_MX", CONTEXT)
    rollback_request()
    db.session.commit()
    commit_request()
    assert mailbox.messages == []


def test_mail_speaks_the_recipients_language(app, mailbox):
    send_mail("laura@example.com", "invitation", "en", CONTEXT)
    send_mail("ana@example.com", "invitation", "xx", CONTEXT)
    commit_request()
    assert mailbox.last_to("laura@example.com").subject == "Your invitation to Avala"
    assert "Evaluator" in mailbox.last_to("laura@example.com").text
    assert mailbox.last_to("ana@example.com").subject == "Tu invitación a Avala"
