"""A process killed between storing a PDF and committing its row leaves a file no row names;
the sweep removes such files once they are older than the grace period, and never a file a
committed certificate names. Real processes, real SIGKILL, on the local folder and on S3."""

import io
import json
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.appeals.services import Upload, file_appeal
from app.certificates.files import key_of
from app.certificates.models import Certificate
from app.certificates.services import issue_certificate, read_certificate_pdf, reissue_certificate
from app.db_types import utcnow
from app.evidence.services import add_evidence
from app.extensions import db
from app.storage import current_storage
from app.storage_sweep import sweep_orphan_files
from tests.conftest import STORAGES, storage_for
from tests.evidence_files import pdf, photo
from tests.storage_tools import stored_keys

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ("SQLALCHEMY_DATABASE_URI", "INSTANCE_DIR", "STORAGE_URL", "S3_ENDPOINT_URL")
SETTINGS += ("SIGNING_KEY_PATH",)
APPEAL = Upload("prueba.pdf", pdf())


@pytest.fixture(params=STORAGES)
def storage_settings(request):
    return storage_for(request)


def killed_while_issuing(app, admin_id: int, assessment_id: int) -> str:
    """Run tests/kill_before_commit.py on this app's database and store; the public id of the
    certificate whose file it stored before it died."""
    settings = {key: str(app.config[key]) for key in SETTINGS if app.config.get(key)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.kill_before_commit",
            json.dumps(settings),
            str(admin_id),
            str(assessment_id),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    return json.loads(done.stdout.splitlines()[-1])["public_id"]


def test_the_sweep_removes_what_a_killed_issuer_left_and_keeps_every_committed_file(app, world):
    kept = issue_certificate(world.admin, world.approved())
    replaced = issue_certificate(world.admin, world.approved(world.other_candidate, 3))
    db.session.commit()
    successor = reissue_certificate(world.admin, replaced, "Nombre mal escrito")
    pending = world.approved(hours_from_now=6)
    db.session.commit()
    committed = sorted(key_of(c.pdf_path) for c in (kept, replaced, successor))
    assert stored_keys() == committed

    public_id = killed_while_issuing(app, world.admin.id, pending.id)

    db.session.expire_all()
    assert db.session.scalar(select(Certificate).where(Certificate.public_id == public_id)) is None
    [orphan] = [key for key in stored_keys() if key not in committed]
    assert orphan.endswith(f"/{public_id}.pdf")

    # Too recent: it could be an issuance between its write and its commit.
    report = sweep_orphan_files()
    assert report.removed == [] and report.too_recent == 4
    assert orphan in stored_keys()

    report = sweep_orphan_files(grace=timedelta(0))
    assert report.removed == [orphan]
    assert report.kept == 3
    assert stored_keys() == committed
    for certificate in (kept, replaced, successor):
        assert read_certificate_pdf(certificate).startswith(b"%PDF")


def test_the_sweep_removes_a_half_written_leftover_and_nothing_outside_certificates(app, world):
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    storage = current_storage()
    leftover = f"certificates/2026/.{certificate.public_id}.pdf.k3x9q1"  # as mkstemp names it
    storage.put(leftover, b"%PDF-1.7 half")
    storage.put("exports/2026/report.csv", b"not a certificate")

    report = sweep_orphan_files(grace=timedelta(0), dry_run=True)
    assert report.removed == [leftover]
    assert storage.exists(leftover)  # a dry run removes nothing

    assert sweep_orphan_files(grace=timedelta(0)).removed == [leftover]
    assert not storage.exists(leftover)
    assert storage.exists("exports/2026/report.csv")
    assert stored_keys() == [key_of(certificate.pdf_path)]


def test_flask_storage_sweep_reports_what_it_removed(app, world):
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    current_storage().put("certificates/2026/huerfano.pdf", b"%PDF-1.7")
    runner = app.test_cli_runner()

    result = runner.invoke(args=["storage", "sweep"])
    assert result.exit_code == 0, result.output
    assert "0 orphans removed" in result.output and "2 too recent" in result.output

    result = runner.invoke(args=["storage", "sweep", "--grace-seconds", "0"])
    assert result.exit_code == 0, result.output
    assert "removed certificates/2026/huerfano.pdf" in result.output
    assert "1 kept" in result.output and "1 orphans removed" in result.output
    assert stored_keys() == [key_of(certificate.pdf_path)]


def test_the_sweep_keeps_the_evidence_and_appeal_files_rows_name_and_removes_the_rest(app, world):
    assessment = world.schedule()
    item = world.standard.instrument.items[0]
    kept = add_evidence(world.evaluator, assessment, item.id, io.BytesIO(photo()), "foto.jpg")
    purged = add_evidence(world.evaluator, assessment, item.id, io.BytesIO(photo()), "otra.jpg")
    judged = world.approved(world.other_candidate, hours_from_now=3)
    appeal = file_appeal(world.other_candidate.user, judged, "No estoy de acuerdo.", [APPEAL])
    db.session.commit()
    # A purge whose removal failed after its commit: the row says purged, the file is still there.
    purged.purged_at = utcnow()
    db.session.commit()
    storage = current_storage()
    left_by_killed_uploads = [
        f"evidence/{assessment.id}/abandonada.jpg",
        "appeals/9/abandonado.pdf",
    ]
    for key in left_by_killed_uploads:
        storage.put(key, photo())
    storage.put("exports/2026/report.csv", b"not stored by a row")

    report = sweep_orphan_files(grace=timedelta(0))

    assert sorted(report.removed) == sorted([*left_by_killed_uploads, purged.storage_key])
    assert report.kept == 2
    [appeal_file] = appeal.files
    for key in (kept.storage_key, appeal_file.file_key, "exports/2026/report.csv"):
        assert storage.exists(key)
    for key in report.removed:
        assert not storage.exists(key)
