"""Requests no browser of ours would send, found by the fuzzer (tests/fuzz): each is answered
with a friendly 4xx page that changes nothing, never with a server error."""

from sqlalchemy import func, select

from app.accounts.models import Candidate
from app.extensions import db
from tests import factories


def candidates() -> int:
    return db.session.scalar(select(func.count()).select_from(Candidate))


def multipart(fields: dict[str, str], boundary: str = "b0undary") -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    return ("".join(parts) + f"--{boundary}--\r\n").encode()


def test_a_form_too_large_to_read_gets_the_413_page_when_logged_in(world, client, login):
    login(world.admin)
    before = candidates()
    # Three times Flask's limit for a form held in memory (MAX_FORM_MEMORY_SIZE, 500 kB): the
    # rest of the body is too large again for anything that tries to read the form a second time.
    response = client.post(
        "/candidates/",
        data=multipart({"full_name": "a" * 1_500_000, "curp": factories.valid_curp(77)}),
        content_type="multipart/form-data; boundary=b0undary",
    )
    assert response.status_code == 413
    assert "El archivo es demasiado grande" in response.get_data(as_text=True)
    assert candidates() == before


def test_a_json_body_is_refused_by_the_login_page_without_an_error(client, world):
    response = client.post("/login", json={"email": 5, "password": True})
    assert response.status_code == 415
    assert "no se acepta" in response.get_data(as_text=True)


def test_a_json_body_to_a_form_is_refused_and_changes_nothing(world, client, login):
    login(world.admin)
    before = candidates()
    response = client.post(
        "/candidates/",
        json={"full_name": None, "curp": factories.valid_curp(78), "email": 1, "password": []},
    )
    assert response.status_code == 415
    assert candidates() == before
