"""A real SMTP server on loopback (aiosmtpd) that keeps every message it receives."""

import email
import re
import socket
import threading
from dataclasses import dataclass
from email import policy

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s<>\"']+")


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()

    @property
    def links(self) -> list[str]:
        return LINK.findall(self.text)


class Mailbox:
    """What the server received, in order; tests read it and empty it."""

    def __init__(self):
        self.messages: list[Received] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.recipients]

    def last_to(self, address: str) -> Received:
        received = self.to(address)
        assert received, f"no e-mail reached {address}"
        return received[-1]


def free_port() -> int:
    """A port the OS says is free now (aiosmtpd's controller cannot bind port 0 itself)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    def __init__(self):
        self.mailbox = Mailbox()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    def start(self) -> "MailServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
