"""docs/verification.md, followed literally: its code blocks are executed in order, against a
certificate this app issues (documents fetched through the test client) and against the worked
example printed in the page. If the page and the code disagree, these tests fail.

Blocks marked ```python are the checks of the signed data, with nothing but the standard library
and `cryptography`; blocks marked ```python pdf check the PDF (the second one with pyHanko).
"""

import ast
import hashlib
import json
import re
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature

from app.certificates.services import issue_certificate, read_certificate_pdf
from app.extensions import db
from tests import factories

DOC = Path(__file__).resolve().parents[2] / "docs" / "verification.md"
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(info: str) -> list[str]:
    return [body for tag, body in FENCE.findall(DOC.read_text(encoding="utf-8")) if tag == info]


def literal(label: str) -> str:
    (body,) = blocks(label)
    return body


def run_the_steps(fetch, base: str, public_id: str, pdf_path: Path | None) -> dict:
    """Execute the page's steps; the set-up block runs as written, then the three names a
    reader would set are set here (and fetch goes to the test client or the worked example)."""
    setup, *steps = blocks("python")
    namespace: dict = {}
    exec(compile(setup, "verification.md (set-up)", "exec"), namespace)
    namespace.update(fetch=fetch, BASE=base, PUBLIC_ID=public_id, PDF_PATH=str(pdf_path))
    for number, step in enumerate(steps, start=1):
        exec(compile(step, f"verification.md (step {number})", "exec"), namespace)
    if pdf_path is not None:
        for number, step in enumerate(blocks("python pdf"), start=1):
            exec(compile(step, f"verification.md (PDF step {number})", "exec"), namespace)
    return namespace


def test_the_signed_data_steps_need_only_the_standard_library_and_cryptography():
    imported = set()
    for block in blocks("python"):
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module.split(".")[0])
    assert imported <= {"base64", "hashlib", "json", "urllib", "cryptography"}, imported
    assert len(blocks("python")) >= 4 and len(blocks("python pdf")) == 2


@pytest.fixture(scope="module")
def issued(module_app, tmp_path_factory):
    world = factories.make_world()
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    pdf_path = tmp_path_factory.mktemp("download") / "certificado.pdf"
    pdf_path.write_bytes(read_certificate_pdf(certificate))
    return certificate, pdf_path


@pytest.fixture(scope="module")
def base(module_app):
    return module_app.config["PUBLIC_BASE_URL"].rstrip("/")


@pytest.fixture(scope="module")
def fetch_from_app(module_app, base):
    client = module_app.test_client()

    def fetch(url: str) -> bytes:
        assert url.startswith(f"{base}/"), url
        response = client.get(url.removeprefix(base))
        assert response.status_code == 200, url
        return response.data

    return fetch


def test_the_steps_verify_a_certificate_this_app_issued(issued, base, fetch_from_app):
    certificate, pdf_path = issued
    found = run_the_steps(fetch_from_app, base, certificate.public_id, pdf_path)
    assert found["facts"]["folio"] == certificate.folio
    assert found["record"]["status"] == "valid"
    assert found["status"].bottom_line


def test_the_steps_refuse_facts_changed_after_signing(issued, base, fetch_from_app):
    """A record whose name was changed, in both its copies, no longer carries the signature."""
    certificate, pdf_path = issued

    def forged(url: str) -> bytes:
        data = fetch_from_app(url)
        if "/api/v1/certificates/" not in url:
            return data
        record = json.loads(data)
        record["certificate"]["holder_name"] = "Otra Persona"
        record["signed_payload"] = json.dumps(
            record["certificate"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return json.dumps(record).encode()

    with pytest.raises(InvalidSignature):
        run_the_steps(forged, base, certificate.public_id, pdf_path)


def test_the_steps_refuse_a_changed_pdf(issued, base, fetch_from_app, tmp_path):
    certificate, pdf_path = issued
    pdf = pdf_path.read_bytes()
    at = pdf.index(b"stream\n") + 20
    changed = tmp_path / "certificado.pdf"
    changed.write_bytes(pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :])
    with pytest.raises(AssertionError, match="not the issued file"):
        run_the_steps(fetch_from_app, base, certificate.public_id, changed)


def test_the_worked_example_verifies_as_the_page_says():
    record = json.loads(literal("json worked-example:record"))
    base = "https://avala.example.org"
    documents = {
        f"{base}/api/v1/certificates/{record['certificate']['public_id']}": json.dumps(record),
        f"{base}/.well-known/avala/keys/{record['key_id']}.pem": literal("text worked-example:key"),
        f"{base}/.well-known/avala/issuer.json": literal("json worked-example:issuer"),
    }
    found = run_the_steps(
        lambda url: documents[url].encode("utf-8"), base, record["certificate"]["public_id"], None
    )
    # The figures the page quotes under "What the steps find".
    text = DOC.read_text(encoding="utf-8")
    raw = found["raw_key"].hex()
    assert f"`{raw[:8]}…{raw[-8:]}`" in text
    assert hashlib.sha256(found["raw_key"]).hexdigest()[:16] == record["key_id"]
    assert f"{len(found['signed_bytes'])} bytes" in text
    assert f"`{record['pdf_sha256'][:8]}…{record['pdf_sha256'][-7:]}`" in text
    assert f"GET {base}/api/v1/certificates/{record['certificate']['public_id']}" in text
