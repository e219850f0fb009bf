"""Uploads: a logo is checked by its content and pixel size before it is decoded, and kept as a
re-encoded copy fit for print; every refusal is an error beside the field, and nothing changes."""

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from tests.image_tools import blank_png, image_bytes, opened

TOO_MANY_PIXELS = "La imagen tiene demasiados píxeles: como máximo 16 megapíxeles"
NOT_AN_IMAGE = "El archivo debe ser una imagen en uno de estos formatos: PNG, JPEG."


def post_logo(client, app, data: bytes, filename: str):
    return client.post(
        "/centre/",
        data={"design": app.config["CERTIFICATE_DESIGN"], "logo": (io.BytesIO(data), filename)},
    )


def logo_error(response) -> str:
    html = response.get_data(as_text=True)
    found = re.search(r'<small id="logo-error" class="field-error"[^>]*>([^<]*)</small>', html)
    assert found, "no error beside the logo field"
    return found.group(1)


def assert_nothing_stored(world):
    db.session.expire_all()
    assert world.centre.logo is None
    assert not db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "centre.branding_changed")
    )


@pytest.mark.parametrize("filename", ["logo.png", "logo.jpg"])
@pytest.mark.parametrize(("width", "height"), [(20000, 20000), (6000, 6000), (16001, 1000)])
def test_a_logo_with_too_many_pixels_is_refused_beside_the_field(
    world, app, client, login, width, height, filename
):
    hostile = blank_png(width, height)
    assert len(hostile) < 64 * 1024  # small on the wire, huge once decoded
    login(world.admin)
    response = post_logo(client, app, hostile, filename)
    assert response.status_code == 422
    assert logo_error(response).startswith(TOO_MANY_PIXELS)
    assert_nothing_stored(world)


def test_a_large_logo_is_kept_reduced_to_1000_pixels_on_its_long_side(world, app, client, login):
    login(world.admin)
    response = post_logo(client, app, image_bytes((3000, 1500)), "logo.png")
    assert response.status_code == 302
    db.session.expire_all()
    assert world.centre.logo_mimetype == "image/png"
    with opened(world.centre.logo) as kept:
        assert (kept.format, kept.size) == ("PNG", (1000, 500))
    served = client.get("/centre/logo")
    assert served.mimetype == "image/png" and served.data == world.centre.logo


def test_a_jpeg_logo_stays_a_jpeg_upright_and_without_its_metadata(world, app, client, login):
    exif = Image.Exif()
    exif[0x010F] = "Cámara del plantel"  # Make
    exif[0x0112] = 6  # Orientation: the camera was turned; the picture stands 1000 wide
    photo = image_bytes((1200, 1000), "JPEG", exif=exif.tobytes())
    login(world.admin)
    assert post_logo(client, app, photo, "foto.jpeg").status_code == 302
    db.session.expire_all()
    assert world.centre.logo_mimetype == "image/jpeg"
    with opened(world.centre.logo) as kept:
        assert kept.format == "JPEG"
        assert kept.size == (833, 1000)
        assert dict(kept.getexif()) == {}


def test_the_content_decides_the_type_not_the_name(world, app, client, login):
    login(world.admin)
    assert post_logo(client, app, image_bytes((200, 100)), "logo.jpg").status_code == 302
    db.session.expire_all()
    assert world.centre.logo_mimetype == "image/png"


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"Este no es un logo, es texto.\n", "logo.png"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "logo.png"),
        (image_bytes((20, 20), "GIF", mode="P"), "logo.png"),
    ],
    ids=["text", "svg", "gif"],
)
def test_a_file_that_is_not_a_png_or_jpeg_is_refused_by_its_content(
    world, app, client, login, content, filename
):
    login(world.admin)
    response = post_logo(client, app, content, filename)
    assert response.status_code == 422
    assert logo_error(response) == NOT_AN_IMAGE
    assert_nothing_stored(world)


def test_a_logo_over_512_kb_is_refused(world, app, client, login):
    login(world.admin)
    response = post_logo(client, app, b"\x89PNG\r\n\x1a\n" + b"\0" * 600 * 1024, "logo.png")
    assert response.status_code == 422
    assert logo_error(response) == "El archivo debe pesar como máximo 512 KB."
    assert_nothing_stored(world)


def test_a_cut_off_logo_is_refused_as_damaged(world, app, client, login):
    noisy = Image.effect_noise((300, 200), 64)
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")
    login(world.admin)
    response = post_logo(client, app, buffer.getvalue()[: len(buffer.getvalue()) // 2], "a.png")
    assert response.status_code == 422
    assert "dañado" in logo_error(response)
    assert_nothing_stored(world)


def test_the_refusal_is_in_the_users_language(world, app, client, login):
    login(world.admin)
    client.post("/language", data={"locale": "en"})
    response = post_logo(client, app, blank_png(20000, 20000), "logo.png")
    assert logo_error(response) == (
        "The image has too many pixels: at most 16 megapixels (for example 4000 × 4000)."
    )
