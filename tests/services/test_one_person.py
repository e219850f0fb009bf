"""One person, one record, nationally: a CURP another centre registered enrols that person,
after the name and birth date are checked, and the new centre sees nothing of the other's;
the person's consents are versioned, theirs to change, and audited."""

from datetime import date

import pytest
from stdnum.mx import curp as stdnum_curp

from app.accounts import enrolments
from app.accounts.curp import name_fits_curp
from app.accounts.invitations import invite_candidate
from app.accounts.models import Candidate, Enrolment
from app.accounts.queries import get_centre_member, list_candidates
from app.accounts.roles import Role
from app.accounts.rules import CONSENT_TEXT_VERSION, PRIVACY_NOTICE_VERSION
from app.accounts.services import register_candidate
from app.assessments.queries import list_assessments_for
from app.audit.models import AuditEvent
from app.errors import NotFound, PermissionDenied, ValidationFailed
from app.extensions import db
from app.transactions import commit_request
from tests import factories

NAME = "Juan Pablo Hernández Ruiz"
BORN = date(1990, 3, 14)


def curp_for(initials: str, born: date, sex: str = "H") -> str:
    base = f"{initials}{born:%y%m%d}{sex}DFRRN0"
    return base[:17] + stdnum_curp.calc_check_digit(base[:17] + "0")


CURP = curp_for("HERJ", BORN)


@pytest.fixture
def two_centres(world):
    """The world's centre registered the person; a second centre with its own administrator."""
    first = register_candidate(
        actor=world.admin,
        email="juan.pablo@example.com",
        full_name=NAME,
        curp=CURP,
        is_publicly_listed=True,
        password=factories.PASSWORD,
    )
    other_centre = factories.make_centre("CONALEP Plantel Tlalnepantla")
    other_admin = factories.make_user(other_centre, Role.ADMIN, "Otra Administradora")
    db.session.commit()
    return first, other_admin


def enrol(admin, **changes):
    arguments = dict(
        actor=admin,
        email="otro.correo@example.com",
        full_name=NAME,
        curp=CURP,
        is_publicly_listed=False,
        birth_date=BORN,
    )
    arguments.update(changes)
    return register_candidate(**arguments)


def test_the_name_fits_the_initials_of_the_curp():
    assert name_fits_curp("María José Núñez Ávila", "NUAJ900101MDFXXX01")
    assert name_fits_curp("Ana de la Cruz López", "CULA900101")
    assert name_fits_curp("Pedro Pérez", "PEXP900101")
    assert not name_fits_curp("Pedro Pérez", "PEXJ900101")


def test_a_known_curp_enrols_the_same_person_in_the_second_centre(two_centres, world):
    first, other_admin = two_centres
    again = enrol(other_admin)
    assert again.id == first.id
    assert db.session.query(Candidate).filter_by(curp=CURP).count() == 1
    centres = {e.centre_id for e in db.session.query(Enrolment).filter_by(candidate_id=first.id)}
    assert centres == {world.centre.id, other_admin.centre_id}
    # The person keeps their account, e-mail and consent: the second centre changed none.
    assert first.user.email == "juan.pablo@example.com" and first.is_publicly_listed
    assert first in list_candidates(other_admin.centre_id)
    assert get_centre_member(other_admin.centre_id, Candidate, first.id) is first
    [event] = db.session.query(AuditEvent).filter_by(action="candidate.enrolled")
    assert event.actor_id == other_admin.id


def test_the_second_centre_sees_none_of_the_first_centres_assessments(two_centres, world):
    first, other_admin = two_centres
    world.schedule(candidate=first)
    enrol(other_admin)
    assert list_assessments_for(other_admin) == []


def test_enrolling_needs_the_birth_date_of_the_curp(two_centres):
    _first, other_admin = two_centres
    with pytest.raises(ValidationFailed) as caught:
        enrol(other_admin, birth_date=None)
    assert "fecha de nacimiento" in str(caught.value.reasons["birth_date"][0])
    with pytest.raises(ValidationFailed) as caught:
        enrol(other_admin, birth_date=date(1990, 3, 15))
    assert "no coincide con la CURP" in str(caught.value.reasons["birth_date"][0])
    assert db.session.query(Enrolment).filter_by(centre_id=other_admin.centre_id).count() == 0


def test_enrolling_needs_the_name_of_the_person(two_centres):
    _first, other_admin = two_centres
    with pytest.raises(ValidationFailed) as caught:
        enrol(other_admin, full_name="Pedro Gómez Luna")
    assert "iniciales" in str(caught.value.reasons["full_name"][0])
    with pytest.raises(ValidationFailed) as caught:
        enrol(other_admin, full_name="Juan Hernández Ruiz")  # fits the initials, not the person
    assert "registrado en Avala" in str(caught.value.reasons["full_name"][0])
    # Accents and capitals aside, it is the same name.
    assert enrol(other_admin, full_name="JUAN PABLO HERNANDEZ RUIZ").curp == CURP


def test_the_same_centre_cannot_register_the_person_twice(two_centres, world):
    with pytest.raises(ValidationFailed) as caught:
        enrol(world.admin)
    assert "ya" in str(caught.value.reasons["curp"][0]).lower()


def test_an_enrolled_person_gets_no_new_invitation_but_is_told_which_centre(two_centres, mailbox):
    _first, other_admin = two_centres
    invite_candidate(
        other_admin,
        email="otro.correo@example.com",
        full_name=NAME,
        curp=CURP,
        is_publicly_listed=False,
        language="es_MX",
        birth_date=BORN,
    )
    commit_request()
    assert mailbox.to("otro.correo@example.com") == []
    (notice,) = mailbox.messages
    assert notice.recipients == ["juan.pablo@example.com"]
    assert notice.subject == "Un centro de evaluación te inscribió en Avala"
    assert "CONALEP Plantel Tlalnepantla" in notice.text and "invit" not in notice.text.lower()
    assert notice.links == ["http://localhost/me/privacy"]


def test_a_new_registration_with_a_wrong_birth_date_is_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        enrol(world.admin, curp=curp_for("HERJ", date(1991, 1, 1)))
    assert "birth_date" in caught.value.reasons


def test_consents_are_recorded_with_their_text_version(two_centres):
    first, _ = two_centres
    assert first.consent_text_version == CONSENT_TEXT_VERSION
    assert first.privacy_notice_version is None


def test_the_person_changes_their_consents_and_each_change_is_audited(two_centres):
    first, other_admin = two_centres
    assert enrolments.change_consents(
        first.user, first, is_publicly_listed=False, accepts_privacy_notice=True
    )
    assert not first.is_publicly_listed and first.consent_recorded_at is None
    assert first.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert first.privacy_notice_accepted_at is not None
    [changed] = db.session.query(AuditEvent).filter_by(action="candidate.consent_changed")
    assert (changed.details["before"], changed.details["after"]) == (True, False)
    assert changed.details["text_version"] == CONSENT_TEXT_VERSION
    assert (
        db.session.query(AuditEvent).filter_by(action="candidate.privacy_notice_accepted").count()
    )
    assert not enrolments.change_consents(
        first.user, first, is_publicly_listed=False, accepts_privacy_notice=True
    )
    with pytest.raises(PermissionDenied):
        enrolments.change_consents(
            other_admin, first, is_publicly_listed=True, accepts_privacy_notice=True
        )


def test_a_centre_cannot_reach_a_candidate_it_has_not_enrolled(two_centres):
    first, other_admin = two_centres
    with pytest.raises(NotFound):
        get_centre_member(other_admin.centre_id, Candidate, first.id)
