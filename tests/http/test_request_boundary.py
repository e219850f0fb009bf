"""One request, one transaction: a request that succeeds commits once, any other writes nothing,
and every domain error ends on a friendly page or beside its form field."""

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.certificates.models import Certificate
from app.certificates.services import issue_certificate
from app.extensions import db
from app.standards.models import Element


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_refused_form_writes_nothing_even_what_an_earlier_service_flushed(world, client, login):
    # The correction of the name is flushed first; the missing reason then refuses the reissue.
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    events_before = count(AuditEvent)
    login(world.admin)
    response = client.post(
        f"/certificates/{certificate.public_id}/reissue",
        data={"holder_name": "Nombre Corregido", "reissue_reason": "  "},
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert world.candidate.full_name == "María José Núñez Ávila"
    assert count(AuditEvent) == events_before
    assert count(Certificate) == 1


def test_a_successful_request_commits_what_it_did(world, client, login):
    standard = world.standard
    standard.status = "draft"
    db.session.commit()
    login(world.body_admin)
    response = client.post(
        f"/standards/{standard.id}/elements", data={"element-title": "Evaluar el curso"}
    )
    assert response.status_code == 302
    db.session.remove()  # nothing cached: read what the database holds
    assert db.session.scalar(select(Element.title).where(Element.title == "Evaluar el curso"))


def test_a_missing_signing_key_is_a_friendly_page_on_every_route_that_signs(
    world, client, login, app
):
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    app.config["SIGNING_KEY_PATH"].unlink()
    login(world.admin)

    badge = client.get(f"/certificates/{certificate.public_id}/badge.json")
    assert badge.status_code == 503
    assert "llave de firma" in badge.get_data(as_text=True)

    reissue = client.post(
        f"/certificates/{certificate.public_id}/reissue",
        data={"reissue_reason": "Corrección del nombre"},
    )
    assert reissue.status_code == 503
    assert "llave de firma" in reissue.get_data(as_text=True)
    db.session.expire_all()
    assert count(Certificate) == 1 and certificate.status == "valid"


def test_a_write_refused_by_a_unique_index_is_a_conflict_page_not_a_500(world, app, client, login):
    """As when a parallel request wrote the same row first: the database refuses, the user is
    told to reload, and nothing of the request is kept."""
    from app.standards.models import Instrument, Standard

    taken = world.standard

    def insert_a_duplicate():
        db.session.add(Element(standard=taken, position=99, title="Nuevo"))
        db.session.add(
            Standard(
                code=taken.code,
                version=taken.version,
                title="Otro",
                level=3,
                sector="x",
                instrument=Instrument(),
            )
        )
        db.session.flush()
        return "never reached"

    app.add_url_rule("/test/duplicate", "duplicate", insert_a_duplicate, methods=["POST"])
    login(world.admin)
    response = client.post("/test/duplicate")
    assert response.status_code == 409
    assert "al mismo tiempo" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.scalar(select(Element).where(Element.title == "Nuevo"))


@pytest.mark.parametrize(
    "path", ["/assessments/999999", "/standards/999999", "/certificates/batches/999999"]
)
def test_an_unknown_record_is_a_404_page(world, client, login, path):
    login(world.admin)
    response = client.get(path)
    assert response.status_code == 404
    assert "Página no encontrada" in response.get_data(as_text=True)
