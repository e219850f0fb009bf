"""The employers' bulk verification (/verify/lote): a CSV or XLSX of folios with holder data in,
a table and a CSV out, each row answered by the single folio lookup's rules; bad files are
refused whole with their row numbers; every row counts against the client's allowance.

One world for the module (issuing renders PDFs): a valid certificate, another holder's valid
certificate, and a revoked one.
"""

import csv
import io
import re
from dataclasses import dataclass

import pytest
from openpyxl import Workbook

from app import create_app
from app.certificates.lifecycle import change_certificate_status
from app.certificates.services import issue_certificate
from app.extensions import db
from config import TestingConfig
from tests import factories
from tests.conftest import workers_sharing_redis


@dataclass
class Site:
    valid: object
    other: object
    revoked: object
    valid_curp: str
    unknown: str


@pytest.fixture(scope="module")
def site(module_app):
    world = factories.make_world()
    third = factories.make_candidate(world.admin, "Ana Lucía Quintero Zárate", listed=False)
    valid = issue_certificate(world.admin, world.approved(world.candidate, hours_from_now=1))
    other = issue_certificate(world.admin, world.approved(world.other_candidate, 4))
    revoked = issue_certificate(world.admin, world.approved(third, 7))
    change_certificate_status(
        world.admin, revoked, "revoked", "Motivo interno", "holder_request", "Aviso 12/2026"
    )
    db.session.commit()
    unknown = valid.folio[:-6] + "999999"
    return Site(valid, other, revoked, world.candidate.curp, unknown)


@pytest.fixture
def visitor(module_app):
    return module_app.test_client()


def csv_file(rows, header=("folio", "curp", "primer_apellido")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def xlsx_file(rows, header=("Folio", "CURP", "First surname")) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name="folios.csv", **query):
    return client.post(
        "/verify/lote",
        query_string=query,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def mixed_rows(site):
    return [
        (site.valid.folio, site.valid_curp, ""),  # valid, by CURP
        (site.revoked.folio.lower(), "", "Quintero"),  # revoked, by first surname
        (site.unknown, "", "Hernández"),  # unknown folio
        (site.other.folio, "", "Pérez"),  # someone else's certificate
    ]


def result_rows(response) -> list[str]:
    html = response.get_data(as_text=True)
    return [re.sub(r"\s+", " ", row) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]]


def test_a_csv_of_mixed_rows_is_answered_row_by_row(site, visitor):
    response = upload(visitor, csv_file(mixed_rows(site)))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    rows = result_rows(response)
    assert len(rows) == 4
    assert "Vigente" in rows[0] and f"/v/{site.valid.public_id}" in rows[0]
    assert "Revocado" in rows[1] and f"/v/{site.revoked.public_id}" in rows[1]
    assert "Ningún certificado coincide" in rows[2] and "Ningún certificado coincide" in rows[3]
    assert "2 de 4 filas" in response.get_data(as_text=True)


def test_an_unknown_folio_and_a_folio_of_someone_else_answer_alike(site, visitor):
    response = upload(visitor, csv_file(mixed_rows(site)))
    unknown, not_theirs = result_rows(response)[2:]
    assert unknown.replace(site.unknown, "F").replace(">4<", ">N<") == (
        not_theirs.replace(site.other.folio, "F").replace(">5<", ">N<")
    )
    html = response.get_data(as_text=True)
    assert site.other.public_id not in html and site.other.holder_name not in html
    assert site.other.standard_title not in html.split("Ningún certificado coincide")[-1]


def test_an_xlsx_with_english_headers_gives_the_same_answers(site, visitor):
    response = upload(visitor, xlsx_file(mixed_rows(site)), name="folios.xlsx", lang="en")
    rows = result_rows(response)
    assert response.status_code == 200
    assert "Valid" in rows[0] and "Revoked" in rows[1]
    assert all("No certificate matches" in row for row in rows[2:])


def test_the_results_download_as_a_csv_in_the_readers_language(site, visitor):
    page = upload(visitor, csv_file(mixed_rows(site))).get_data(as_text=True)
    sealed = re.search(r'name="results" value="([^"]+)"', page).group(1)
    response = visitor.post("/verify/lote/csv", data={"results": sealed})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "Set-Cookie" not in response.headers
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0] == [
        "fila",
        "folio",
        "resultado",
        "estado",
        "vigente_hasta",
        "estandar",
        "enlace",
    ]
    assert table[1][:3] == ["2", site.valid.folio, "coincide"]
    assert table[1][6] == f"http://localhost/v/{site.valid.public_id}"
    assert table[2][3] == "Revocado"
    assert table[3][2:] == ["sin coincidencia", "", "", "", ""] == table[4][2:]
    english = visitor.post("/verify/lote/csv?lang=en", data={"results": sealed})
    assert (
        english.get_data(as_text=True)
        .lstrip("\ufeff")
        .startswith("row,folio,result,status,valid_until,standard,link")
    )


def test_altered_results_are_not_downloaded(site, visitor):
    page = upload(visitor, csv_file(mixed_rows(site))).get_data(as_text=True)
    sealed = re.search(r'name="results" value="([^"]+)"', page).group(1)
    response = visitor.post("/verify/lote/csv", data={"results": sealed[:-2] + "xx"})
    assert response.status_code == 422 and response.mimetype == "text/html"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "folios.csv", "vacío"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "folios.csv", "CSV o un archivo de Excel"),
        (b"PK\x03\x04not really a zip", "folios.xlsx", "CSV o un archivo de Excel"),
        (b"numero,nombre\nX,Y\n", "folios.csv", "La fila 1 debe nombrar las columnas"),
        (b"folio,curp\n", "folios.csv", "no tiene filas"),
        (b"folio,curp\nA-1,CURP\n,CURP2\nB-2,\n", "folios.csv", "Fila 3: falta el folio"),
    ],
    ids=["empty", "binary", "broken-xlsx", "columns", "no-rows", "bad-rows"],
)
def test_a_bad_file_gets_a_clear_error_and_nothing_is_looked_up(visitor, data, name, message):
    response = upload(visitor, data, name=name)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert "Resultados" not in html


def test_every_bad_row_is_listed_with_its_number(site, visitor):
    data = csv_file([(site.valid.folio, site.valid_curp, ""), ("", "X", ""), ("F-1", "", "")])
    html = upload(visitor, data).get_data(as_text=True)
    assert "Fila 3: falta el folio" in html
    assert "Fila 4: falta la CURP o el primer apellido" in html
    assert site.valid.public_id not in html


def test_a_file_with_many_bad_rows_lists_the_first_twenty(visitor):
    html = upload(visitor, csv_file([("", "X", "")] * 30)).get_data(as_text=True)
    assert "Fila 21: falta el folio" in html and "Fila 22:" not in html
    assert "… y 10 filas más con problemas." in html


def test_a_file_over_the_row_limit_is_refused(module_app, visitor):
    module_app.config["BULK_VERIFY_MAX_ROWS"] = 3
    try:
        response = upload(visitor, csv_file([(f"F-{n}", "X", "") for n in range(4)]))
    finally:
        module_app.config["BULK_VERIFY_MAX_ROWS"] = 500
    assert response.status_code == 422
    assert "El archivo tiene 4 filas; como máximo 3" in response.get_data(as_text=True)


def test_the_allowance_is_counted_in_rows(database_url, tmp_path):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": tmp_path,
            "RATELIMIT_ENABLED": True,
            "BULK_VERIFY_RATE_LIMIT": "5 per hour",
        },
    )
    client = app.test_client()
    three = csv_file([(f"X-{n}", "", "Pérez") for n in range(3)])
    two = csv_file([(f"Y-{n}", "", "Pérez") for n in range(2)])
    assert upload(client, three).status_code == 200
    refused = upload(client, three)  # 3 more rows would make 6 of 5
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "5 filas por 1 hora" in html and "Demasiadas solicitudes" in html
    assert int(refused.headers["Retry-After"]) >= 1
    assert upload(client, two).status_code == 200  # the refused file cost nothing
    assert upload(client, csv_file([("Z-1", "", "Pérez")])).status_code == 429
    english = upload(client, csv_file([("Z-1", "", "Pérez")]), lang="en")
    assert "allowance of 5 rows per 1 hour" in english.get_data(as_text=True)


def test_the_row_allowance_is_shared_by_every_worker_through_redis(
    database_url, tmp_path, redis_url
):
    """Two app processes (as two gunicorn workers) draw rows from one allowance in Redis."""
    first, second = workers_sharing_redis(
        database_url, tmp_path, redis_url, BULK_VERIFY_RATE_LIMIT="4 per hour"
    )
    three = csv_file([(f"X-{n}", "", "Pérez") for n in range(3)])
    assert upload(first, three).status_code == 200
    assert upload(second, three).status_code == 429
    assert upload(second, csv_file([("Y-1", "", "Pérez")])).status_code == 200
    assert upload(first, csv_file([("Y-2", "", "Pérez")])).status_code == 429
