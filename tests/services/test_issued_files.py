"""A stored PDF exists exactly when its certificate row was committed: no orphans; on the local
folder and on the S3-compatible store alike."""

import pytest
from botocore.exceptions import ClientError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.certificates.files import key_of
from app.certificates.models import Certificate
from app.certificates.services import issue_certificate, read_certificate_pdf
from app.extensions import db
from app.storage import storage_from_url, wait_for_files
from tests.conftest import STORAGES, storage_for
from tests.storage_tools import stored_bytes, stored_keys


@pytest.fixture(params=STORAGES)
def storage_settings(request):
    return storage_for(request)


def test_a_committed_issuance_keeps_its_pdf(app, world):
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    assert stored_keys() == [key_of(certificate.pdf_path)]
    pdf = read_certificate_pdf(certificate)
    assert pdf.startswith(b"%PDF") and pdf == stored_bytes(certificate)


def test_a_rolled_back_issuance_leaves_no_pdf(app, world):
    issue_certificate(world.admin, world.approved())
    wait_for_files(db.session)
    assert len(stored_keys()) == 1  # written before the row is committed
    db.session.rollback()
    assert stored_keys() == []
    assert db.session.scalars(select(Certificate)).all() == []


def test_an_issuance_whose_commit_fails_leaves_no_pdf(app, world):
    first = issue_certificate(world.admin, world.approved())
    db.session.commit()
    kept = stored_keys()
    second = issue_certificate(world.admin, world.approved(world.other_candidate, hours_from_now=3))
    second.folio = first.folio  # the unique folio makes the commit fail
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert stored_keys() == kept


def test_a_session_closed_without_commit_leaves_no_pdf(app, world):
    issue_certificate(world.admin, world.approved())
    db.session.close()
    assert stored_keys() == []


def test_the_holder_downloads_the_stored_file_as_issued(app, world, client, login):
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    login(world.candidate.user)
    response = client.get(f"/certificates/{certificate.public_id}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Length"] == str(len(stored_bytes(certificate)))
    assert "no-store" in response.headers["Cache-Control"]
    assert f'filename="{certificate.folio}.pdf"' in response.headers["Content-Disposition"]
    assert response.data == stored_bytes(certificate)


def test_a_rollback_while_the_file_is_still_being_written_leaves_no_pdf(app, world):
    issue_certificate(world.admin, world.approved())  # its write may still be under way
    db.session.rollback()  # waits for the write, then removes the file
    assert stored_keys() == []


def test_a_commit_waits_for_the_file_and_fails_when_it_cannot_be_stored(app, world, tmp_path):
    """A store that refuses the write (a folder that cannot be made; a bucket that does not
    exist): the commit fails, and no certificate without its file is left."""
    if app.config["STORAGE_URL"].startswith("s3://"):
        unusable = storage_from_url("s3://no-such-bucket/x", app.config["S3_ENDPOINT_URL"])
    else:
        (tmp_path / "blocked").write_text("a file where the store's folder should be")
        unusable = storage_from_url(str(tmp_path / "blocked" / "store"))
    app.extensions["avala_storage"] = unusable
    issue_certificate(world.admin, world.approved())
    with pytest.raises(Exception) as refused:
        db.session.commit()
    assert isinstance(refused.value, OSError | ClientError)
    db.session.rollback()
    assert db.session.scalars(select(Certificate)).all() == []


def test_the_issuing_transaction_reads_its_own_pdf_back_before_it_commits(app, world):
    certificate = issue_certificate(world.admin, world.approved())  # its write may be under way
    assert read_certificate_pdf(certificate).startswith(b"%PDF")
