import pytest
from sqlalchemy import select

from app.accounts.roles import Role
from app.accounts.services import correct_candidate_name
from app.assessments.models import AssessmentStatus
from app.audit.models import AuditEvent
from app.certificates.lifecycle import change_certificate_status, revoke_certificate
from app.certificates.models import Certificate, CertificateStatus, PublicStatus
from app.certificates.services import (
    AlreadyIssued,
    issue_certificate,
    read_certificate_pdf,
    reissue_certificate,
)
from app.dates import today
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from tests import factories


@pytest.fixture
def certificate(world):
    issued = issue_certificate(world.admin, world.approved())
    db.session.commit()
    return issued


def test_issuing_twice_is_refused(world, certificate):
    with pytest.raises(AlreadyIssued, match="ya tiene un certificado"):
        issue_certificate(world.admin, certificate.assessment)
    assert certificate.assessment.status == AssessmentStatus.CERTIFIED


def test_public_id_is_random_and_not_derived_from_the_folio(world, certificate):
    second = issue_certificate(world.admin, world.approved(world.other_candidate))
    assert len(certificate.public_id) >= 22  # 16 random bytes, base64url
    assert certificate.public_id != second.public_id
    assert certificate.folio.split("-")[-1] not in certificate.public_id


def test_folios_are_consecutive_per_body_and_year(world, certificate):
    second = issue_certificate(world.admin, world.approved(world.other_candidate))
    first_number = int(certificate.folio.rsplit("-", 1)[1])
    assert second.folio.endswith(f"-{first_number + 1:06d}")


def test_revocation_needs_a_reason_and_is_final(world, certificate):
    with pytest.raises(ValidationFailed):
        revoke_certificate(world.admin, certificate, " ")
    revoke_certificate(world.admin, certificate, "Evidencia falsificada")
    assert certificate.public_status(today()) == PublicStatus.REVOKED
    assert certificate.revoked_at is not None
    with pytest.raises(ValidationFailed):
        change_certificate_status(world.admin, certificate, "valid", "Error")


def test_suspension_can_be_lifted(world, certificate):
    change_certificate_status(
        world.admin, certificate, "suspended", "Revisión de queja", "under_review"
    )
    assert certificate.public_status(today()) == PublicStatus.SUSPENDED
    change_certificate_status(world.admin, certificate, "valid", "Queja resuelta")
    assert certificate.public_status(today()) == PublicStatus.VALID
    assert certificate.status_reason == ""


def test_only_an_admin_of_the_centre_changes_status(world, certificate):
    with pytest.raises(PermissionDenied):
        revoke_certificate(world.reviewer, certificate, "x")
    outsider = factories.make_user(factories.make_centre("Otro"), Role.ADMIN)
    with pytest.raises(PermissionDenied):
        revoke_certificate(outsider, certificate, "x")


def test_every_status_change_is_audited_with_who_and_why(world, certificate):
    revoke_certificate(world.admin, certificate, "Suplantación de identidad")
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoked"))
    assert event.actor_id == world.admin.id
    assert event.details["reason"] == "Suplantación de identidad"


def test_expired_is_derived_from_the_validity(world, certificate):
    from datetime import timedelta

    assert certificate.public_status(certificate.valid_until) == PublicStatus.VALID
    later = certificate.valid_until + timedelta(days=1)
    assert certificate.public_status(later) == PublicStatus.EXPIRED


def test_reissue_supersedes_and_keeps_the_old_pdf(world, certificate):
    old_pdf = read_certificate_pdf(certificate)
    correct_candidate_name(world.admin, world.candidate, "María José Núñez Ávalos")
    successor = reissue_certificate(world.admin, certificate, "Apellido mal escrito")
    db.session.commit()
    assert certificate.status == CertificateStatus.SUPERSEDED
    assert certificate.superseded_by_id == successor.id
    assert successor.holder_name == "María José Núñez Ávalos"
    assert successor.folio != certificate.folio
    assert read_certificate_pdf(certificate) == old_pdf
    assert certificate.holder_name == "María José Núñez Ávila"


def test_a_certificate_from_a_long_name_fits_on_one_page(world, each_design):
    from io import BytesIO

    from pypdf import PdfReader

    world.candidate.user.full_name = (
        "María de los Ángeles Guadalupe Hernández-Montemayor de la Peña y Güemes"
    )
    assert len(world.candidate.user.full_name) > 60
    certificate = issue_certificate(world.admin, world.approved())
    reader = PdfReader(BytesIO(read_certificate_pdf(certificate)))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split()).replace("- ", "-")
    assert "Hernández-Montemayor" in text and "Güemes" in text


def test_no_certificate_without_a_signing_key(world, app):
    from app.certificates.signing import SigningKeyMissing

    app.config["SIGNING_KEY_PATH"].unlink()
    with pytest.raises(SigningKeyMissing):
        issue_certificate(world.admin, world.approved())
    db.session.rollback()
    assert db.session.query(Certificate).count() == 0
