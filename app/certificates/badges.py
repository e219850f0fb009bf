"""Open Badges 3.0: the certificate as a W3C Verifiable Credential the holder can carry.

Secured with a Data Integrity proof, cryptosuite eddsa-jcs-2022, signed by the body's key,
following the W3C Data Integrity EdDSA Cryptosuites v1.0 (section 3.3) to the letter, so that
any verifier accepts it: tests/interop/ checks it with Digital Bazaar's implementation, and
against 1EdTech's JSON schema for OB 3.0 credentials.

The credential is written in Spanish, the language of the certificate it stands for.
"""

import hashlib
from datetime import UTC, datetime, time

import rfc8785

from app.certificates import signing
from app.certificates.models import Certificate

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
CRYPTOSUITE = "eddsa-jcs-2022"
# The two verdicts of the national system, from low to high; only the second is certified.
JUDGEMENTS = ("Todavía no competente", "Competente")


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


def catalogue_url(base_url: str, standard_code: str) -> str:
    """The standard's page in the public catalogue."""
    return f"{base_url}/catalogo/{standard_code}"


# Characters that would make a title a link, an image, emphasis, code or HTML in Markdown.
_MARKDOWN_SPECIALS = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>!#|"})


def _criteria_narrative(certificate: Certificate) -> str:
    """Markdown: how the certificate is earned, and the standard's elements, in order.

    The elements are those of the exact standard version assessed, frozen once published.
    """
    elements = certificate.assessment.standard.elements
    lines = [
        f"Juicio de competencia **{JUDGEMENTS[1]}** en el Estándar de Competencia "
        f"{certificate.standard_code}, emitido por un evaluador acreditado y aprobado por "
        "verificación interna, en cada uno de sus elementos:",
        "",
        *(
            f"{element.position}. {element.title.translate(_MARKDOWN_SPECIALS)}"
            for element in elements
        ),
    ]
    return "\n".join(lines)


def _achievement(certificate: Certificate, base_url: str) -> dict:
    page = catalogue_url(base_url, certificate.standard_code)
    return {
        "id": page,
        "type": ["Achievement"],
        "achievementType": "Certification",
        "humanCode": certificate.standard_code,
        "name": certificate.standard_title,
        "description": f"Estándar de Competencia {certificate.standard_code}, "
        f"nivel {certificate.standard_level}.",
        "inLanguage": "es-MX",
        "criteria": {"narrative": _criteria_narrative(certificate)},
        "alignment": [
            {
                "type": ["Alignment"],
                "targetCode": certificate.standard_code,
                "targetName": certificate.standard_title,
                "targetUrl": page,
                "targetType": "ceasn:Competency",
            }
        ],
        "resultDescription": [
            {
                "id": f"{page}#juicio-de-competencia",
                "type": ["ResultDescription"],
                "name": "Juicio de competencia",
                "resultType": "PerformanceLevel",
                "allowedValue": list(JUDGEMENTS),
                "requiredValue": JUDGEMENTS[1],
            }
        ],
    }


def unsigned_credential(certificate: Certificate, base_url: str) -> dict:
    achievement = _achievement(certificate, base_url)
    credential = {
        "@context": CONTEXT,
        "id": f"{base_url}/v/{certificate.public_id}#credential",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Certificado de competencia laboral {certificate.standard_code}",
        "issuer": {
            "id": issuer_id(base_url),
            "type": ["Profile"],
            "name": certificate.body_name,
            "url": base_url,
        },
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
            "achievement": achievement,
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": achievement["resultDescription"][0]["id"],
                    "value": JUDGEMENTS[1],
                    "status": "Completed",
                }
            ],
        },
        "credentialSchema": [{"id": CREDENTIAL_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if certificate.valid_until:
        end = datetime.combine(certificate.valid_until, time(23, 59, 59), tzinfo=UTC)
        credential["validUntil"] = _timestamp(end)
    return credential


def _hash_data(proof_config: dict, document: dict) -> bytes:
    """eddsa-jcs-2022 Transformation and Hashing (3.3.3, 3.3.4): the SHA-256 of the JCS
    (RFC 8785) proof configuration, followed by the SHA-256 of the JCS document."""
    return (
        hashlib.sha256(rfc8785.dumps(proof_config)).digest()
        + hashlib.sha256(rfc8785.dumps(document)).digest()
    )


def add_proof(document: dict, key, verification_method: str, created: str) -> dict:
    """`document` secured with an eddsa-jcs-2022 DataIntegrityProof (Create Proof, 3.3.1).

    The proof carries the document's @context (step 2) and is published as signed, with it;
    `proof` is a set, an array as 1EdTech's schema requires.
    """
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    if "@context" in document:
        proof["@context"] = document["@context"]
    proof_value = signing.sign_bytes_multibase(key, _hash_data(proof, document))
    return {**document, "proof": [{**proof, "proofValue": proof_value}]}


def signed_credential(certificate: Certificate, base_url: str, key) -> dict:
    """The holder's credential, signed with the body's key."""
    return add_proof(
        unsigned_credential(certificate, base_url),
        key,
        verification_method_id(base_url, signing.key_id(key.public_key())),
        created=_timestamp(certificate.issued_at),
    )


def _verify_proof(document: dict, proof: dict, public_key) -> bool:
    """Verify Proof (3.3.2) of one proof over `document` (the credential without `proof`)."""
    if not isinstance(proof, dict) or not isinstance(proof.get("proofValue"), str):
        return False
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in options:
        # Step 4: the document's @context must start with the proof's, which then replaces it.
        proof_context = _as_list(options["@context"])
        document_context = _as_list(document.get("@context"))
        if document_context[: len(proof_context)] != proof_context:
            return False
        document = {**document, "@context": options["@context"]}
    return signing.verify_bytes_multibase(
        public_key, _hash_data(options, document), proof["proofValue"]
    )


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def verify_credential(credential: dict, public_key) -> bool:
    """Check a credential's eddsa-jcs-2022 proofs as a verifier would, from the JSON alone:
    true when it has at least one proof and every one verifies with `public_key`."""
    proofs = _as_list(credential.get("proof", []))
    document = {k: v for k, v in credential.items() if k != "proof"}
    return bool(proofs) and all(_verify_proof(document, proof, public_key) for proof in proofs)
