"""A stored PDF exists exactly when its certificate row was committed: no orphans."""

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.certificates.models import Certificate
from app.certificates.services import issue_certificate, read_certificate_pdf
from app.extensions import db


def stored_pdfs(app) -> list[Path]:
    return sorted(Path(app.config["CERTIFICATE_STORAGE"]).rglob("*.pdf"))


def test_a_committed_issuance_keeps_its_pdf(app, world):
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    assert stored_pdfs(app) == [Path(app.config["CERTIFICATE_STORAGE"]) / certificate.pdf_path]
    assert read_certificate_pdf(certificate).startswith(b"%PDF")


def test_a_rolled_back_issuance_leaves_no_pdf(app, world):
    issue_certificate(world.admin, world.approved())
    assert len(stored_pdfs(app)) == 1  # written before the row is committed
    db.session.rollback()
    assert stored_pdfs(app) == []
    assert db.session.scalars(select(Certificate)).all() == []


def test_an_issuance_whose_commit_fails_leaves_no_pdf(app, world):
    first = issue_certificate(world.admin, world.approved())
    db.session.commit()
    kept = stored_pdfs(app)
    second = issue_certificate(world.admin, world.approved(world.other_candidate, hours_from_now=3))
    second.folio = first.folio  # the unique folio makes the commit fail
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert stored_pdfs(app) == kept


def test_a_session_closed_without_commit_leaves_no_pdf(app, world):
    issue_certificate(world.admin, world.approved())
    db.session.close()
    assert stored_pdfs(app) == []
