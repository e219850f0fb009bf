"""Rules of mail, pure logic: reading a message's text for the development outbox page."""

import re
from typing import NamedTuple


class Attachment(NamedTuple):
    """A file sent with an e-mail: its name, its bytes and its MIME type."""

    filename: str
    content: bytes
    mimetype: str


URL = re.compile(r"https?://[^\s<>\"']+")


def split_links(text: str) -> list[tuple[str, bool]]:
    """`text` as (part, is_link) pieces in order, so a template can make the links clickable
    while escaping everything."""
    parts, position = [], 0
    for match in URL.finditer(text):
        url = match.group().rstrip(".,;:)")
        if match.start() > position:
            parts.append((text[position : match.start()], False))
        parts.append((url, True))
        position = match.start() + len(url)
    if position < len(text):
        parts.append((text[position:], False))
    return parts
