"""Accreditation as the national system has it: a cédula in force, and certificates of EC0076
and of the standard, checked at scheduling, at result entry and at sign-off; every change
audited; certificates recorded from Avala (by folio) or from elsewhere (with a stored copy)."""

from datetime import timedelta

import pytest
import time_machine

from app.accounts import accreditations
from app.accounts.models import Credential
from app.accounts.roles import Role
from app.assessments import services
from app.audit.models import AuditEvent
from app.certificates.services import issue_certificate
from app.dates import today
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.storage import current_storage, open_checked
from tests import factories
from tests.services.test_scheduling import refusal


def events(action: str) -> list[AuditEvent]:
    return list(db.session.query(AuditEvent).filter_by(action=action))


def new_evaluator(world):
    return factories.make_user(world.centre, Role.EVALUATOR)


def test_an_evaluator_without_the_evaluator_standard_is_not_booked(world):
    evaluator = new_evaluator(world)
    factories.hold_certificate(evaluator, "EC9999")  # anything but EC0076
    factories.hold_certificate(evaluator, world.standard.code)
    accreditations.accredit_evaluator(
        actor=world.admin,
        evaluator=evaluator,
        standard=world.standard,
        number="CED-1",
        valid_from=today() - timedelta(days=1),
        valid_until=today() + timedelta(days=90),
    )
    reasons = refusal(world, evaluator=evaluator)["evaluator"]
    assert reasons == [reasons[0]] and "EC0076" in reasons[0]


def test_an_evaluator_whose_certificate_of_the_standard_expired_is_not_booked(world):
    evaluator = new_evaluator(world)
    factories.hold_certificate(
        evaluator, world.standard.code, valid_until=today() - timedelta(days=1)
    )
    factories.accredit(evaluator, world.standard)
    reasons = refusal(world, evaluator=evaluator)["evaluator"]
    assert f"certificado de {world.standard.code} vigente" in reasons[0]


def test_a_withdrawn_accreditation_refuses_booking_results_and_sign_off(world):
    assessment = world.schedule()
    cedula = db.session.query(accreditations.Accreditation).filter_by(
        evaluator_id=world.evaluator.id
    )[0]
    accreditations.withdraw_accreditation(world.admin, cedula, "Cédula cancelada")
    with pytest.raises(ValidationFailed) as caught:
        services.record_item_results(
            world.evaluator,
            assessment,
            {item.id: (True, "") for item in world.standard.instrument.items},
        )
    assert "no está acreditado" in str(caught.value)
    with pytest.raises(ValidationFailed):
        services.sign_off_judgement(world.evaluator, assessment, "x" * 40)
    assert "no está acreditado" in refusal(world, candidate=world.other_candidate)["evaluator"][0]
    [event] = events("accreditation.withdrawn")
    assert event.actor_id == world.admin.id and event.details["reason"] == "Cédula cancelada"


def test_an_accreditation_lapsing_after_the_booking_stops_the_sign_off(world):
    assessment = world.schedule()
    services.record_item_results(
        world.evaluator,
        assessment,
        {item.id: (True, "Observado") for item in world.standard.instrument.items},
    )
    with (
        time_machine.travel(today() + timedelta(days=400), tick=True),
        pytest.raises(ValidationFailed) as caught,
    ):
        services.sign_off_judgement(world.evaluator, assessment, "x" * 40)
    assert "no está acreditado" in str(caught.value)


def test_changing_the_validity_is_audited_with_the_old_values(world):
    cedula = db.session.query(accreditations.Accreditation).filter_by(
        evaluator_id=world.evaluator.id
    )[0]
    old_until = cedula.valid_until
    accreditations.change_accreditation(
        world.admin,
        cedula,
        number="CED-9",
        valid_from=cedula.valid_from,
        valid_until=today() + timedelta(days=10),
    )
    [event] = events("accreditation.changed")
    assert event.details["before"]["valid_until"] == old_until.isoformat()
    assert event.details["after"]["number"] == "CED-9"
    assert len(events("accreditation.granted")) == 1


def test_a_period_ending_before_it_starts_changes_nothing(world):
    cedula = db.session.query(accreditations.Accreditation).filter_by(
        evaluator_id=world.evaluator.id
    )[0]
    before = (cedula.valid_from, cedula.valid_until)
    with pytest.raises(ValidationFailed) as caught:
        accreditations.change_accreditation(
            world.admin,
            cedula,
            number="CED-9",
            valid_from=today(),
            valid_until=today() - timedelta(days=1),
        )
    assert "valid_until" in caught.value.reasons
    assert (cedula.valid_from, cedula.valid_until) == before
    assert events("accreditation.changed") == []


def test_another_centres_administrator_cannot_accredit_or_withdraw(world):
    other_centre = factories.make_centre("CONALEP Plantel Tlalnepantla")
    outsider = factories.make_user(other_centre, Role.ADMIN)
    with pytest.raises(PermissionDenied):
        factories.accredit(world.evaluator, world.standard, actor=outsider, days_before=10)
    cedula = db.session.query(accreditations.Accreditation).first()
    with pytest.raises(PermissionDenied):
        accreditations.withdraw_accreditation(outsider, cedula, "No")


def test_an_external_certificate_keeps_its_copy_in_the_store(world):
    credential = db.session.query(Credential).filter_by(evaluator_id=world.evaluator.id)[0]
    db.session.commit()
    with open_checked(current_storage(), credential.file_key, credential.file_sha256) as f:
        assert f.read() == factories.CERTIFICATE_COPY
    assert credential.file_key.startswith("accreditations/credentials/")


def test_a_file_that_is_not_a_certificate_copy_is_refused(world):
    evaluator = new_evaluator(world)
    for junk in (b"MZ\x90\x00not a pdf", b"%PDF-1.4 cut short", b""):
        with pytest.raises(ValidationFailed) as caught:
            accreditations.record_external_credential(
                world.admin,
                evaluator,
                standard_code="EC0076",
                folio="D-1",
                valid_until=None,
                file=junk,
            )
        assert "file" in caught.value.reasons
    assert db.session.query(Credential).filter_by(evaluator_id=evaluator.id).count() == 0


def test_a_certificate_issued_in_avala_is_found_by_its_folio_and_must_name_the_evaluator(
    world,
):
    certificate = issue_certificate(world.admin, world.approved())
    holder = new_evaluator(world)
    with pytest.raises(ValidationFailed) as caught:
        accreditations.record_issued_credential(
            world.admin, holder, standard_code=world.standard.code, folio=certificate.folio
        )
    assert "otra persona" in str(caught.value.reasons["folio"][0])
    holder.full_name = certificate.holder_name.upper()  # the same person, typed in capitals
    with pytest.raises(ValidationFailed) as caught:
        accreditations.record_issued_credential(
            world.admin, holder, standard_code="EC0076", folio=certificate.folio
        )
    assert world.standard.full_code in str(caught.value.reasons["folio"][0])
    credential = accreditations.record_issued_credential(
        world.admin, holder, standard_code=world.standard.full_code, folio=certificate.folio
    )
    assert credential.certificate_id == certificate.id
    assert credential.valid_until == certificate.valid_until
    assert credential.standard_code == world.standard.code
    [event] = [e for e in events("credential.recorded") if e.details["issued_here"]]
    assert event.details["folio"] == certificate.folio
