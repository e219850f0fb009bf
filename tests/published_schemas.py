"""Published JSON schemas (1EdTech's) that our exports are checked against.

They are third parties' files, so the repository does not carry them: a test finds each one by
its file name in AVALA_SCHEMAS_DIR, by default the workplace's shared folder beside the checkout
(`../shared/schemas/`). A missing schema is no service a test run could start, so the test that
needs it skips and names the file and where to download it.
"""

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "schemas"

OPEN_BADGES_3 = (
    "ob_v3p0_achievementcredential_schema.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
)
CASE_1_PACKAGE = (
    "case_v1p0_cfpackage_schema.json",
    "https://purl.imsglobal.org/spec/case/v1p0/schema/json/case_v1p0_cfpackage_schema.json",
)


def schemas_dir() -> Path:
    return Path(os.environ.get("AVALA_SCHEMAS_DIR") or DEFAULT_DIR)


def load_schema(schema: tuple[str, str]) -> dict:
    name, source = schema
    path = schemas_dir() / name
    if not path.is_file():
        pytest.skip(f"put 1EdTech's schema {source} at {path} (or set AVALA_SCHEMAS_DIR)")
    return json.loads(path.read_text(encoding="utf-8"))
