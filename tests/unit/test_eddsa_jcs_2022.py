"""Our eddsa-jcs-2022 proofs against the W3C specification's own test vectors (vectors/)."""

import json
from pathlib import Path

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.certificates import badges, signing

VECTORS = Path(__file__).parent / "vectors" / "eddsa-jcs-2022"
# Multicodec prefix of an Ed25519 private key (ed25519-priv, 0x1300, as a varint).
ED25519_PRIVATE = b"\x80\x26"


def vector(name: str):
    text = (VECTORS / name).read_text()
    return json.loads(text) if name.endswith(".json") else text.strip()


def spec_key_pair():
    pair = vector("keyPair.json")
    decoded = base58.b58decode(pair["privateKeyMultibase"].removeprefix("z"))
    assert decoded.startswith(ED25519_PRIVATE)
    return (
        Ed25519PrivateKey.from_private_bytes(decoded[2:]),
        signing.public_key_from_multibase(pair["publicKeyMultibase"]),
    )


def test_signing_the_specs_document_gives_the_specs_proof_byte_for_byte():
    private_key, public_key = spec_key_pair()
    expected = vector("signedJCS.json")
    proof = expected["proof"]
    signed = badges.add_proof(
        vector("unsigned.json"), private_key, proof["verificationMethod"], proof["created"]
    )
    assert signed["proof"] == [proof]  # a set of one proof: the spec's, @context included
    assert {k: v for k, v in signed.items() if k != "proof"} == vector("unsigned.json")


def test_hash_data_is_the_specs():
    expected = vector("signedJCS.json")
    options = {k: v for k, v in expected["proof"].items() if k != "proofValue"}
    document = {k: v for k, v in expected.items() if k != "proof"}
    assert badges._hash_data(options, document).hex() == vector("combinedHashJCS.txt")


def test_the_specs_signed_credential_verifies_and_any_change_fails():
    _, public_key = spec_key_pair()
    signed = vector("signedJCS.json")
    assert badges.verify_credential(signed, public_key)
    assert badges.verify_credential({**signed, "proof": [signed["proof"]]}, public_key)
    assert not badges.verify_credential({**signed, "name": "Other Credential"}, public_key)
    assert not badges.verify_credential(
        {k: v for k, v in signed.items() if k != "proof"}, public_key
    )
    # The proof's @context must be the start of the document's.
    other_context = {**signed, "@context": ["https://www.w3.org/ns/credentials/v2"]}
    assert not badges.verify_credential(other_context, public_key)
    without_context = {k: v for k, v in signed["proof"].items() if k != "@context"}
    assert not badges.verify_credential({**signed, "proof": without_context}, public_key)
