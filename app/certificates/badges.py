"""Open Badges 3.0: the certificate as a W3C Verifiable Credential the holder can carry.

Secured with a Data Integrity proof, cryptosuite eddsa-jcs-2022, signed by the body's key.
"""

import hashlib
from datetime import UTC, datetime, time

from app.certificates import signing
from app.certificates.models import Certificate
from app.certificates.rules import canonical_json

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def issuer_id(base_url: str) -> str:
    return f"{base_url}/.well-known/avala/issuer.json"


def verification_method_id(base_url: str, key_id: str) -> str:
    return f"{issuer_id(base_url)}#{key_id}"


def issuer_document(base_url: str, body_name: str, public_keys: dict) -> dict:
    """The issuer's profile and its keys as Multikeys, published at a well-known URL.

    `public_keys` maps key ids to keys, the current one first. Retired keys stay listed as
    assertion methods: rotating a key does not withdraw what it signed before.
    """
    methods = [verification_method_id(base_url, kid) for kid in public_keys]
    return {
        "@context": ["https://www.w3.org/ns/cid/v1", CONTEXT[1]],
        "id": issuer_id(base_url),
        "type": ["Profile"],
        "name": body_name,
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": issuer_id(base_url),
                "publicKeyMultibase": signing.public_key_multibase(public_key),
            }
            for method, public_key in zip(methods, public_keys.values(), strict=True)
        ],
        "assertionMethod": methods,
    }


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def unsigned_credential(certificate: Certificate, base_url: str) -> dict:
    credential = {
        "@context": CONTEXT,
        "id": f"{base_url}/v/{certificate.public_id}#credential",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Certificado de competencia laboral {certificate.standard_code}",
        "issuer": {"id": issuer_id(base_url), "type": ["Profile"], "name": certificate.body_name},
        "validFrom": _timestamp(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": {
                "id": f"{base_url}/standards/{certificate.standard_code}",
                "type": ["Achievement"],
                "achievementType": "Certification",
                "humanCode": certificate.standard_code,
                "name": certificate.standard_title,
                "description": f"Estándar de Competencia {certificate.standard_code}, "
                f"nivel {certificate.standard_level}.",
                "criteria": {
                    "narrative": "Juicio de competencia: Competente, emitido por un "
                    "evaluador acreditado y aprobado por verificación "
                    "interna."
                },
            },
        },
    }
    if certificate.valid_until:
        end = datetime.combine(certificate.valid_until, time(23, 59, 59), tzinfo=UTC)
        credential["validUntil"] = _timestamp(end)
    return credential


def _hash_data(proof_config: dict, document: dict) -> bytes:
    return (
        hashlib.sha256(canonical_json(proof_config).encode()).digest()
        + hashlib.sha256(canonical_json(document).encode()).digest()
    )


def signed_credential(certificate: Certificate, base_url: str, key) -> dict:
    """The credential with an eddsa-jcs-2022 DataIntegrityProof."""
    document = unsigned_credential(certificate, base_url)
    proof_config = {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": _timestamp(certificate.issued_at),
        "verificationMethod": verification_method_id(base_url, signing.key_id(key.public_key())),
        "proofPurpose": "assertionMethod",
    }
    proof_value = signing.sign_bytes_multibase(key, _hash_data(proof_config, document))
    proof = {k: v for k, v in proof_config.items() if k != "@context"}
    return {**document, "proof": {**proof, "proofValue": proof_value}}


def verify_credential(credential: dict, public_key) -> bool:
    """Check an eddsa-jcs-2022 proof as a verifier would, from the JSON alone."""
    document = {k: v for k, v in credential.items() if k != "proof"}
    proof = dict(credential["proof"])
    proof_value = proof.pop("proofValue")
    proof_config = {"@context": document["@context"], **proof}
    return signing.verify_bytes_multibase(
        public_key, _hash_data(proof_config, document), proof_value
    )
