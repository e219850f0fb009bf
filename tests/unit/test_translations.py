"""Spanish is the first language: every string the user can read has a Spanish translation."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "app/translations/es/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


def spanish():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle)


def test_every_message_in_the_code_is_in_the_spanish_catalogue(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(template),
            "app",
            "templates",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as handle:
        extracted = {message.id for message in read_po(handle) if message.id}
    translated = {message.id for message in spanish() if message.id and message.string}
    assert len(extracted) > 200  # the extraction really read the code
    assert sorted(extracted - translated) == []


def test_translations_keep_every_placeholder():
    for message in spanish():
        if message.id and message.string:
            assert sorted(PLACEHOLDER.findall(message.string)) == sorted(
                PLACEHOLDER.findall(message.id)
            ), message.id
