"""A stored PDF that no longer matches its SHA-256, or is gone: a clear page instead of the
file, an alarm in the audit trail that outlives the failed request, an alert for the
centre's administrator until the certificate is reissued, and batch ZIPs that still hold
every other file."""

import io
import zipfile

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.certificates.models import Certificate, IssuanceBatch
from app.certificates.services import issue_certificate
from app.extensions import db
from tests import storage_tools
from tests.conftest import STORAGES, storage_for

CANNOT_BE_SERVED = "no se puede entregar"
ALERT_HEADING = "Certificados cuyo archivo guardado está dañado"


@pytest.fixture(params=STORAGES)
def storage_settings(request):
    """Every test here runs on the local folder and on the S3-compatible store."""
    return storage_for(request)


def corrupt(app, certificate) -> None:
    storage_tools.corrupt(certificate)


def alarms() -> list[AuditEvent]:
    db.session.rollback()  # only what was committed
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "certificate.file_corrupted")
            .order_by(AuditEvent.id)
        )
    )


def issued(world):
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    return certificate


def test_an_altered_file_is_refused_with_a_clear_page_and_the_alarm_is_kept(
    world, app, client, login
):
    certificate = issued(world)
    corrupt(app, certificate)
    login(world.candidate.user)
    response = client.get(f"/certificates/{certificate.public_id}/pdf")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert CANNOT_BE_SERVED in page and certificate.folio in page
    assert "Se ha avisado al centro" in page and "Intentarlo de nuevo no servirá" in page
    [alarm] = alarms()  # committed although the request was answered with an error
    assert (alarm.object_type, alarm.object_id) == ("certificates", certificate.id)
    assert alarm.actor_id == world.candidate.user_id
    assert alarm.details == {"folio": certificate.folio, "problem": "altered", "during": "download"}


def test_a_missing_file_is_refused_and_reported_the_same_way(world, app, client, login):
    certificate = issued(world)
    storage_tools.remove(certificate)
    login(world.admin)
    response = client.get(f"/certificates/{certificate.public_id}/pdf")
    assert response.status_code == 500
    assert CANNOT_BE_SERVED in response.get_data(as_text=True)
    assert [alarm.details["problem"] for alarm in alarms()] == ["missing"]


def test_every_refused_download_is_in_the_trail(world, app, client, login):
    certificate = issued(world)
    corrupt(app, certificate)
    login(world.candidate.user)
    client.get(f"/certificates/{certificate.public_id}/pdf")
    login(world.admin)
    client.get(f"/certificates/{certificate.public_id}/pdf")
    assert [alarm.actor_id for alarm in alarms()] == [world.candidate.user_id, world.admin.id]


def test_the_public_page_is_not_affected(world, app, client):
    certificate = issued(world)
    corrupt(app, certificate)
    response = client.get(f"/v/{certificate.public_id}")
    assert response.status_code == 200
    assert "Vigente" in response.get_data(as_text=True)


def test_the_administrator_sees_a_damaged_certificate_until_it_is_reissued(
    world, app, client, login
):
    certificate = issued(world)
    login(world.admin)
    assert ALERT_HEADING not in client.get("/certificates/").get_data(as_text=True)
    corrupt(app, certificate)
    login(world.candidate.user)
    client.get(f"/certificates/{certificate.public_id}/pdf")

    login(world.admin)
    page = client.get("/certificates/").get_data(as_text=True)
    alert = page[page.index(ALERT_HEADING) : page.index("</section>", page.index(ALERT_HEADING))]
    assert certificate.folio in alert and "se detectó dañado el" in alert
    login(world.reviewer)  # sees the certificates, but cannot reissue them
    assert ALERT_HEADING not in client.get("/certificates/").get_data(as_text=True)

    login(world.admin)
    response = client.post(
        f"/certificates/{certificate.public_id}/reissue",
        data={"reissue_reason": "El archivo guardado se dañó"},
    )
    assert response.status_code == 302
    assert ALERT_HEADING not in client.get("/certificates/").get_data(as_text=True)


def test_the_batch_zip_leaves_out_a_damaged_file_and_names_it(world, app, client, login):
    approved = [world.approved(), world.approved(world.other_candidate, hours_from_now=3)]
    db.session.commit()
    login(world.admin)
    client.post("/certificates/batches", data={"assessment": [str(a.id) for a in approved]})
    batch = db.session.scalar(select(IssuanceBatch))
    damaged, intact = sorted(db.session.scalars(select(Certificate)), key=lambda c: c.folio)
    corrupt(app, damaged)

    response = client.get(f"/certificates/batches/{batch.id}/zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert set(archive.namelist()) == {f"{intact.folio}.pdf", "FALTANTES.txt"}
    assert archive.read(f"{intact.folio}.pdf") == storage_tools.stored_bytes(intact)
    note = archive.read("FALTANTES.txt").decode()
    assert damaged.folio in note and intact.folio not in note
    assert "reemita" in note
    [alarm] = alarms()
    assert alarm.object_id == damaged.id and alarm.details["during"] == "batch_zip"
