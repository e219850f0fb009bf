"""Bad input never reaches a 500: out-of-range ids are a 404, out-of-range dates and control
characters are field errors in the user's language, and nothing is stored."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Accreditation, Candidate
from app.assessments.models import Assessment
from app.certificates.models import IssuanceBatch
from app.dates import today
from app.extensions import db
from app.standards.models import Criterion
from tests import factories

HUGE = "99999999999999999999"  # beyond 64 bits
JUST_BEYOND_INTEGER = str(2**31)  # beyond PostgreSQL's INTEGER, within SQLite's


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def field_error(html: str, field_id: str) -> str:
    found = re.search(
        rf'<small id="{field_id}-error" class="field-error"[^>]*>([^<]*)</small>', html
    )
    assert found, f"no error beside {field_id}"
    return found.group(1)


@pytest.mark.parametrize(
    "path",
    [
        f"/assessments/{HUGE}",
        f"/assessments/{JUST_BEYOND_INTEGER}",
        f"/assessments/{'9' * 5000}",
        f"/standards/{HUGE}",
        f"/certificates/batches/{HUGE}",
        f"/certificates/batches/{HUGE}/progress",
        f"/certificates/batches/{JUST_BEYOND_INTEGER}/zip",
        "/assessments/2147483647",  # the largest id is looked up, and is not there
        "/v/abc%00def",
        "/certificates/abc%00def",
        "/certificates/abc%01def/pdf",
        "/api/v1/certificates/abc%00",
        "/.well-known/avala/keys/abc%00.pem",
    ],
)
def test_an_id_or_text_the_database_cannot_look_up_in_a_url_is_a_404(world, client, login, path):
    login(world.admin)
    response = client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [f"/assessments/{HUGE}/results", f"/standards/{HUGE}/elements", f"/assessments/{HUGE}/certify"],
)
def test_a_post_to_an_out_of_range_id_is_a_404(world, client, login, path):
    login(world.admin)
    assert client.post(path).status_code == 404


def schedule_data(world, **changes) -> dict:
    day = today() + timedelta(days=2)
    return {
        "candidate": world.candidate.id,
        "standard": world.standard.id,
        "evaluator": world.evaluator.id,
        "starts_at": f"{day.isoformat()}T10:00",
        "ends_at": f"{day.isoformat()}T12:00",
        "location": "Aula 1",
        **changes,
    }


@pytest.mark.parametrize("field", ["candidate", "standard", "evaluator"])
def test_an_out_of_range_choice_in_the_schedule_form_is_a_field_error(world, client, login, field):
    login(world.admin)
    response = client.post("/assessments/new", data=schedule_data(world, **{field: HUGE}))
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), field)
    assert count(Assessment) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ends_at", "9999-12-31T23:59"),
        ("starts_at", "0001-01-01T00:00"),
        ("ends_at", "2101-01-01T10:00"),
    ],
)
def test_a_date_out_of_range_in_the_schedule_form_is_a_field_error(
    world, client, login, field, value
):
    login(world.admin)
    response = client.post("/assessments/new", data=schedule_data(world, **{field: value}))
    assert response.status_code == 422
    assert (
        field_error(response.get_data(as_text=True), field)
        == "Ingrese una fecha entre 1900 y 2100."
    )
    assert count(Assessment) == 0


@pytest.mark.parametrize(
    ("valid_from", "valid_until"), [("2020-01-01", "9999-12-31"), ("1899-12-31", "2020-01-01")]
)
def test_an_accreditation_date_out_of_range_is_a_field_error(
    world, client, login, valid_from, valid_until
):
    before = count(Accreditation)
    login(world.admin)
    response = client.post(
        "/evaluators/",
        data={
            "evaluator": world.evaluator.id,
            "standard": world.standard.id,
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
    )
    assert response.status_code == 422
    field = "valid_until" if valid_until.startswith("9999") else "valid_from"
    assert "1900" in field_error(response.get_data(as_text=True), field)
    assert count(Accreditation) == before


@pytest.mark.parametrize("value", [HUGE, JUST_BEYOND_INTEGER, "²", "-1x"])
def test_a_batch_with_an_id_out_of_range_is_refused_with_a_message(world, client, login, value):
    world.approved()
    db.session.commit()
    login(world.admin)
    response = client.post(
        "/certificates/batches", data={"assessment": [value]}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Elija al menos un juicio de competencia" in response.get_data(as_text=True)
    assert count(IssuanceBatch) == 0


def candidate_data(name: str) -> dict:
    return {
        "full_name": name,
        "curp": factories.valid_curp(71),
        "password": "una-clave-larga",
        "email": "ana.ruiz@example.com",
    }


@pytest.mark.parametrize(
    "name", ["Ana\x00Ruiz", "Ana\x07Ruiz", "Ana\tRuiz", "Ana\nRuiz", "Ana\x85Ruiz"]
)
def test_a_control_character_in_a_name_is_a_field_error_and_nothing_is_stored(
    world, client, login, name
):
    login(world.admin)
    response = client.post("/candidates/", data=candidate_data(name))
    assert response.status_code == 422
    message = field_error(response.get_data(as_text=True), "full_name")
    assert message == "Quite los caracteres de control invisibles de este texto."
    assert count(Candidate) == 2


def test_the_control_character_error_is_in_the_users_language(world, client, login):
    login(world.admin)
    client.post("/language", data={"locale": "en"})
    response = client.post("/candidates/", data=candidate_data("Ana\x00Ruiz"))
    message = field_error(response.get_data(as_text=True), "full_name")
    assert message == "Remove the invisible control characters from this text."


def draft_standard(world):
    world.standard.status = "draft"
    db.session.commit()
    return world.standard


def test_a_text_area_keeps_line_breaks_and_tabs(world, client, login):
    standard = draft_standard(world)
    login(world.body_admin)
    text = "Prepara el material:\r\n\t- guía\n\t- lista"
    response = client.post(
        f"/standards/{standard.id}/criteria",
        data={
            "criterion-element": standard.elements[0].id,
            "criterion-kind": "product",
            "criterion-text": text,
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Criterion).where(Criterion.text.contains("guía")))


def test_a_text_area_refuses_a_nul(world, client, login):
    standard = draft_standard(world)
    before = count(Criterion)
    login(world.body_admin)
    response = client.post(
        f"/standards/{standard.id}/criteria",
        data={
            "criterion-element": standard.elements[0].id,
            "criterion-kind": "product",
            "criterion-text": "Prepara\x00 el material",
        },
    )
    assert response.status_code == 422
    assert "caracteres de control" in response.get_data(as_text=True)
    assert count(Criterion) == before


def test_a_public_lookup_with_a_nul_is_a_field_error(client):
    response = client.get("/verify", query_string={"folio": "CONALEP\x00"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "folio")


@pytest.mark.parametrize("digits", ["9" * 400, "-" + "9" * 400])
def test_a_number_of_hundreds_of_digits_is_a_field_error_not_a_500(client, digits):
    """WTForms' range check turns the number into a float, which such a number overflows."""
    response = client.get("/catalogo/", query_string={"page": digits})
    assert response.status_code in (200, 422)
    assert "Internal" not in response.get_data(as_text=True)
