"""The evidence portfolio over HTTP: the evaluator attaches files to items, checked by their
content; bad input is refused with a clear error and stores nothing; only those who may see
the assessment download a file; the centre downloads the portfolio as a ZIP whose index PDF
lists every item, its result and each file's SHA-256."""

import hashlib
import io
import re
import zipfile

import pytest
from sqlalchemy import func, select

from app.accounts.roles import Role
from app.audit.models import AuditEvent
from app.evidence.models import EvidenceFile
from app.extensions import db
from tests import factories
from tests.evidence_files import (
    pdf,
    photo,
    program,
    spreadsheet,
    stored,
    stored_evidence_keys,
    video,
)
from tests.pdf_tools import pdf_text


@pytest.fixture
def under_way(world):
    assessment = world.schedule()
    db.session.commit()
    return assessment


def upload(client, assessment, item, data: bytes, name: str):
    return client.post(
        f"/assessments/{assessment.id}/evidence",
        data={"item": str(item.id), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def evidence_rows() -> list[EvidenceFile]:
    db.session.rollback()  # only what was committed
    return list(db.session.scalars(select(EvidenceFile).order_by(EvidenceFile.id)))


def first_item(world):
    return world.standard.instrument.items[0]


@pytest.mark.parametrize(
    ("data", "name", "mimetype"),
    [
        (photo(), "foto del taller.jpg", "image/jpeg"),
        (pdf(), "lista.pdf", "application/pdf"),
        (
            spreadsheet(),
            "asistencia.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (video(), "práctica.mp4", "video/mp4"),
        (photo(), "IMG_0042", "image/jpeg"),  # a camera's name without an extension
    ],
)
def test_the_evaluator_attaches_evidence_stored_with_its_hash_and_shown_on_the_page(
    world, under_way, client, login, data, name, mimetype
):
    item = first_item(world)
    login(world.evaluator)
    response = upload(client, under_way, item, data, name)
    assert response.status_code == 302
    assert response.location.endswith(f"#evidence-{item.id}")
    [evidence] = evidence_rows()
    assert evidence.item_id == item.id and evidence.mimetype == mimetype
    assert evidence.size_bytes == len(data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.original_name == name
    assert name not in evidence.storage_key  # the user's name is never a path
    assert stored_evidence_keys() == [evidence.storage_key]
    assert stored(evidence.storage_key) == data
    page = client.get(f"/assessments/{under_way.id}").get_data(as_text=True)
    assert "Portafolio de evidencias" in page and "(archivos: 1)" in page
    assert name in page and evidence.sha256 in page and evidence.extension.upper() in page
    assert 'capture="environment"' in page and 'accept="image/*' in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "evidence.added"))
    assert event.details["sha256"] == evidence.sha256 and event.actor_id == world.evaluator.id


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "vacia.jpg", "El archivo está vacío."),
        (program(), "foto.jpg", "Este tipo de archivo no puede ser evidencia"),
        (b"solo texto, sin formato reconocible", "notas.txt", "no puede ser evidencia"),
        (photo(), "informe.pdf", "termina en .pdf pero su contenido es un archivo JPG"),
        (pdf(), "foto.jpeg", "termina en .jpeg pero su contenido es un archivo PDF"),
        (photo(size=(400, 400)) + bytes(3000), "grande.jpg", "como máximo"),
    ],
    ids=["empty", "program", "text", "photo-named-pdf", "pdf-named-jpeg", "too-large"],
)
def test_bad_files_get_a_clear_error_and_nothing_is_stored(
    app, world, under_way, client, login, data, name, message
):
    app.config["EVIDENCE_MAX_BYTES"] = 3000
    login(world.evaluator)
    response = upload(client, under_way, first_item(world), data, name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'class="field-error"' in page
    assert evidence_rows() == [] and stored_evidence_keys() == []


def test_an_upload_without_a_file_or_for_another_instruments_item_is_refused(
    world, under_way, client, login
):
    login(world.evaluator)
    response = client.post(
        f"/assessments/{under_way.id}/evidence", data={"item": str(first_item(world).id)}
    )
    assert response.status_code == 422
    other_standard = factories.make_standard(world.admin, code="EC0301")
    db.session.commit()
    foreign_item = other_standard.instrument.items[0]
    response = upload(client, under_way, foreign_item, photo(), "foto.jpg")
    assert response.status_code == 422
    assert "Elige un reactivo de esta evaluación." in response.get_data(as_text=True)
    assert evidence_rows() == [] and stored_evidence_keys() == []


@pytest.mark.parametrize("item", ["²", "٣", "１", "-1", "99999999999999999999"])
def test_an_item_that_is_not_a_plain_number_is_refused_not_a_server_error(
    world, under_way, client, login, item
):
    """The fuzzer found "²" (a digit to str.isdigit(), not to int()) answered with a 500."""
    login(world.evaluator)
    response = client.post(
        f"/assessments/{under_way.id}/evidence",
        data={"item": item, "file": (io.BytesIO(photo()), "foto.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Elige un reactivo de esta evaluación." in response.get_data(as_text=True)
    assert evidence_rows() == [] and stored_evidence_keys() == []


def test_a_file_name_with_a_path_is_kept_only_as_a_plain_display_name(
    world, under_way, client, login
):
    login(world.evaluator)
    name = "../../instance/..\\signing_key\u202e\x00gpj.jpg"
    assert upload(client, under_way, first_item(world), photo(), name).status_code == 302
    [evidence] = evidence_rows()
    assert "/" not in evidence.original_name and "\\" not in evidence.original_name
    assert "\u202e" not in evidence.original_name and "\x00" not in evidence.original_name
    assert re.fullmatch(r"evidence/\d+/[0-9a-f]{32}\.jpg", evidence.storage_key)
    response = client.get(f"/assessments/{under_way.id}/evidence/{evidence.id}")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="evidencia-{evidence.id}.jpg"')
    assert "/" not in disposition.split("filename*=")[1]


def test_only_the_assigned_evaluator_adds_and_only_before_sign_off(world, under_way, client, login):
    item = first_item(world)
    colleague = factories.make_user(world.centre, Role.EVALUATOR, "Otro Evaluador")
    factories.accredit(colleague, world.standard)
    db.session.commit()
    login(colleague)
    assert upload(client, under_way, item, photo(), "foto.jpg").status_code == 404
    for role_holder in (world.admin, world.reviewer, world.candidate.user):
        login(role_holder)
        assert upload(client, under_way, item, photo(), "foto.jpg").status_code == 403
    login(world.evaluator)
    world.judge(under_way)
    db.session.commit()
    response = upload(client, under_way, item, photo(), "foto.jpg")
    assert response.status_code == 422
    assert "Los resultados quedan bloqueados después de firmar el juicio." in response.get_data(
        as_text=True
    )
    assert evidence_rows() == [] and stored_evidence_keys() == []


def test_the_evaluator_removes_evidence_before_sign_off_but_not_after(
    world, under_way, client, login
):
    item = first_item(world)
    login(world.evaluator)
    upload(client, under_way, item, photo(), "uno.jpg")
    upload(client, under_way, item, pdf(), "dos.pdf")
    first, second = evidence_rows()
    response = client.post(f"/assessments/{under_way.id}/evidence/{first.id}/remove")
    assert response.status_code == 302
    assert [e.id for e in evidence_rows()] == [second.id]
    assert stored_evidence_keys() == [second.storage_key]
    removed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "evidence.removed"))
    assert removed.details["sha256"] == first.sha256 and removed.details["name"] == "uno.jpg"
    world.judge(under_way)
    db.session.commit()
    client.post(f"/assessments/{under_way.id}/evidence/{second.id}/remove")
    assert [e.id for e in evidence_rows()] == [second.id]
    assert stored_evidence_keys() == [second.storage_key]


def test_who_may_download_a_file(world, under_way, client, login):
    login(world.evaluator)
    upload(client, under_way, first_item(world), photo(), "foto.jpg")
    [evidence] = evidence_rows()
    url = f"/assessments/{under_way.id}/evidence/{evidence.id}"
    for allowed in (world.evaluator, world.admin, world.reviewer, world.candidate.user):
        login(allowed)
        response = client.get(url)
        assert response.status_code == 200, allowed.full_name
        assert response.data == photo() and response.mimetype == "image/jpeg"
        assert "no-store" in response.headers["Cache-Control"]
    other_centre = factories.make_centre("CONALEP Plantel Tlalnepantla")
    outsiders = [
        factories.make_user(other_centre, Role.ADMIN, "Administradora Ajena"),
        factories.make_user(other_centre, Role.REVIEWER, "Verificador Ajeno"),
        factories.make_user(world.centre, Role.EVALUATOR, "Evaluador No Asignado"),
        world.other_candidate.user,
    ]
    db.session.commit()
    for outsider in outsiders:
        login(outsider)
        assert client.get(url).status_code == 404, outsider.full_name
        assert client.get(f"/assessments/{under_way.id}/portfolio.zip").status_code in (403, 404)
    client.post("/logout")
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.location
    # An id of another assessment's file under this assessment is not found either.
    login(world.admin)
    assert client.get(f"/assessments/{under_way.id}/evidence/{evidence.id + 1}").status_code == 404


def test_the_centre_downloads_the_portfolio_as_a_zip_with_an_index(world, under_way, client, login):
    items = world.standard.instrument.items
    files = [(items[0], photo(), "foto 1.jpg"), (items[0], pdf(), "acta.pdf")]
    files.append((items[1], spreadsheet(), "asistencia.xlsx"))
    login(world.evaluator)
    for item, data, name in files:
        assert upload(client, under_way, item, data, name).status_code == 302
    world.judge(under_way, unmet={items[1].position})
    db.session.commit()
    login(world.admin)
    response = client.get(f"/assessments/{under_way.id}/portfolio.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert "indice.pdf" in names and len(names) == 4
    rows = {e.sha256: e for e in evidence_rows()}
    index = pdf_text(archive.read("indice.pdf"))
    compact = re.sub(r"\s+", "", index)
    for name in names:
        if name == "indice.pdf":
            continue
        assert re.fullmatch(r"reactivo-\d\d/evidencia-\d\d-\d+\.(jpg|pdf|xlsx)", name)
        digest = hashlib.sha256(archive.read(name)).hexdigest()
        assert digest in rows  # every file is exactly what was uploaded
        assert digest in compact and name in compact  # and the index lists it by hash
    assert "Portafolio de evidencias" in index
    for item in items:
        assert re.sub(r"\s+", "", item.text) in compact
    assert "Resultado: No cumple" in index and "Resultado: Cumple" in index
    assert "Sin evidencia adjunta." in index
    assert under_way.candidate.full_name in index


def test_the_candidate_sees_the_files_but_does_not_get_the_zip(world, under_way, client, login):
    login(world.evaluator)
    upload(client, under_way, first_item(world), photo(), "foto.jpg")
    login(world.candidate.user)
    page = client.get(f"/assessments/{under_way.id}").get_data(as_text=True)
    assert "foto.jpg" in page and "portfolio.zip" not in page and "Adjuntar" not in page
    assert client.get(f"/assessments/{under_way.id}/portfolio.zip").status_code == 403


def test_a_damaged_stored_file_is_not_served_and_raises_an_alarm(world, under_way, client, login):
    from app.storage import current_storage

    login(world.evaluator)
    upload(client, under_way, first_item(world), photo(), "foto.jpg")
    [evidence] = evidence_rows()
    current_storage().put(evidence.storage_key, photo(colour=(0, 0, 0)))
    assert client.get(f"/assessments/{under_way.id}/evidence/{evidence.id}").status_code == 500
    db.session.rollback()
    alarms = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "evidence.file_damaged")
    )
    assert alarms == 1


def test_a_purged_file_stays_listed_with_its_hash_but_is_no_longer_served(
    world, under_way, client, login
):
    from datetime import timedelta

    from app.db_types import utcnow
    from app.evidence.retention import purge_expired_evidence

    login(world.evaluator)
    upload(client, under_way, first_item(world), photo(), "foto.jpg")
    world.judge(under_way)
    under_way.signed_off_at = utcnow() - timedelta(days=2000)
    db.session.commit()
    assert len(purge_expired_evidence()) == 1
    db.session.commit()
    [evidence] = evidence_rows()
    login(world.admin)
    page = client.get(f"/assessments/{under_way.id}").get_data(as_text=True)
    assert "eliminado el" in page and evidence.sha256 in page
    assert client.get(f"/assessments/{under_way.id}/evidence/{evidence.id}").status_code == 404
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/assessments/{under_way.id}/portfolio.zip").data)
    )
    assert archive.namelist() == ["indice.pdf"]
    index = pdf_text(archive.read("indice.pdf"))
    assert "Eliminado el" in index and evidence.sha256 in re.sub(r"\s+", "", index)
