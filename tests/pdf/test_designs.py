"""Designs: issued PDFs never change, a centre picks its design and logo, fonts are embedded."""

import io
import shutil

import pytest
from PIL import Image
from pypdf import PdfReader

from app.accounts.services import update_centre_branding
from app.certificates import designs as design_folders
from app.certificates import rendering
from app.certificates.services import issue_certificate, read_certificate_pdf
from app.errors import ValidationFailed
from app.extensions import db


@pytest.fixture
def designs(app, tmp_path):
    """A copy of the designs folder that the test may change, as a designer would."""
    root = tmp_path / "designs"
    shutil.copytree(design_folders.DESIGNS_DIR, root)
    app.config["CERTIFICATE_DESIGNS_DIR"] = root
    return root


def png_logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_issued_bytes_never_change_after_a_design_or_holder_change(world, designs, app):
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    original = read_certificate_pdf(certificate)
    first_design = app.config["CERTIFICATE_DESIGN"]

    new_design = designs / "prueba-morada-v1"
    shutil.copytree(designs / first_design, new_design)
    css = new_design / "certificate.css"
    css.write_text(css.read_text().replace("#0b5d4b", "#7a1f5c"))
    update_centre_branding(
        world.admin,
        design="prueba-morada-v1",
        available_designs=design_folders.list_designs(designs),
        logo=png_logo(),
    )
    world.candidate.user.full_name = "Nombre Corregido"
    db.session.commit()

    assert read_certificate_pdf(certificate) == original
    assert certificate.design == first_design
    newer = issue_certificate(world.admin, world.approved(world.other_candidate))
    assert newer.design == "prueba-morada-v1"
    assert read_certificate_pdf(newer) != original


def test_a_bad_logo_is_refused_and_nothing_changes(world):
    with pytest.raises(ValidationFailed) as caught:
        update_centre_branding(
            world.admin,
            design="clasico-v1",
            available_designs=["clasico-v1"],
            logo=b"<svg onload=alert(1)>",
        )
    assert "logo" in caught.value.reasons
    db.session.rollback()
    assert world.centre.logo is None and world.centre.certificate_design is None


def test_an_unknown_design_is_refused(world):
    with pytest.raises(ValidationFailed):
        update_centre_branding(
            world.admin, design="../../etc", available_designs=["clasico-v1"], logo=None
        )


def test_fonts_are_embedded_and_cover_spanish(world, each_design):
    world.candidate.user.full_name = "Ñandú Güemes Ávila ¿Íñigo? ¡Úrsula!"
    pdf = read_certificate_pdf(issue_certificate(world.admin, world.approved()))
    reader = PdfReader(io.BytesIO(pdf))
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
    text = reader.pages[0].extract_text()
    assert "Ñandú Güemes Ávila ¿Íñigo? ¡Úrsula!" in text


def test_the_design_cannot_load_files_outside_its_folder(tmp_path):
    fetcher = rendering.DesignOnlyFetcher(design_folders.design_dir("clasico-v1"))
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.com/tracker.png")


def test_design_names_cannot_escape_the_designs_folder():
    with pytest.raises(design_folders.UnknownDesign):
        design_folders.design_dir("../app")
