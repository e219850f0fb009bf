"""Reading the development outbox: the messages Flask-Mailman's file backend wrote."""

import email
from dataclasses import dataclass
from email import policy
from pathlib import Path

from app.errors import NotFound

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclass(frozen=True)
class OutboxMessage:
    id: str
    to: str
    subject: str
    date: str
    text: str
    html: str


def _parse(raw: bytes, message_id: str) -> OutboxMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return OutboxMessage(
        id=message_id,
        to=str(message["To"] or ""),
        subject=str(message["Subject"] or ""),
        date=str(message["Date"] or ""),
        text=text.get_content() if text else "",
        html=html.get_content() if html else "",
    )


def list_outbox(folder: Path) -> list[OutboxMessage]:
    """Every message in the outbox folder, newest first."""
    if not folder.is_dir():
        return []
    messages = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime_ns, reverse=True):
        chunks = [c for c in path.read_bytes().split(SEPARATOR) if c.strip()]
        for index, raw in reversed(list(enumerate(chunks))):
            messages.append(_parse(raw, f"{path.stem}.{index}"))
    return messages


def get_outbox_message(folder: Path, message_id: str) -> OutboxMessage:
    for message in list_outbox(folder):
        if message.id == message_id:
            return message
    raise NotFound()
