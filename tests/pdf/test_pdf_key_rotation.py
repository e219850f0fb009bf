"""After a key rotation, new PDFs chain to the new published key and earlier ones still to the
old. Its own module: it rotates the key of a fresh app (the other PDF signature tests share
one app for the whole module)."""

from cryptography.hazmat.primitives import serialization

from app.certificates import keys
from app.certificates.services import issue_certificate, read_certificate_pdf
from app.extensions import db
from tests.pdf_tools import embedded_certificates, raw_key, validate_signature


def test_after_a_key_rotation_new_pdfs_chain_to_the_new_key_and_old_ones_to_the_old(
    app, world, client
):
    before = issue_certificate(world.admin, world.approved())
    db.session.commit()
    old_id, new_id, staged = keys.rotate_key()  # what `flask certificates rotate-key` does
    db.session.commit()
    keys.finish_rotation(staged)
    after = issue_certificate(world.admin, world.approved(candidate=world.other_candidate))
    db.session.commit()
    assert (before.key_id, after.key_id) == (old_id, new_id)

    for certificate in (before, after):
        pdf = read_certificate_pdf(certificate)
        published = client.get(f"/.well-known/avala/keys/{certificate.key_id}.pem")
        public_key = serialization.load_pem_public_key(published.data)
        body = embedded_certificates(pdf)["body"]
        assert raw_key(body.public_key()) == raw_key(public_key)
        assert body.serial_number == int(certificate.key_id, 16)
        assert validate_signature(pdf, trust_root=body).bottom_line
