"""The holder's Open Badges 3.0 credential, as others see it.

Checked with an implementation that is not ours (Digital Bazaar's @digitalbazaar/vc with the
eddsa-jcs-2022 cryptosuite, run in Node: see conftest.py and verify.mjs), and against 1EdTech's
JSON schema for OB 3.0 AchievementCredentials (schema/, vendored: see schema/README.md).
"""

import copy
import json
from dataclasses import dataclass, replace

import pytest
from jsonschema import Draft201909Validator

from app.certificates import badges, signing
from app.certificates.models import Certificate
from app.certificates.services import issue_certificate
from app.dates import today
from app.extensions import db
from app.standards import services as standards
from app.standards.models import CriterionKind, Standard
from tests import factories
from tests.published_schemas import OPEN_BADGES_3, load_schema


def _standard_with_two_elements(centre_admin):
    """Built by the body administrator, offered by the centre of `centre_admin`."""
    admin = factories.body_admin()
    standard = factories.make_standard(admin, publish=False)
    element = standards.add_element(admin, standard, "Evaluar el [aprendizaje](x)")
    criterion = standards.add_criterion(
        admin, element, CriterionKind.PRODUCT, "El instrumento de evaluación aplicado"
    )
    standards.add_item(admin, standard, criterion, "Presenta el instrumento", 1, False)
    standards.publish_standard(admin, standard, today())
    factories.offer(centre_admin, standard)
    return standard


@dataclass
class Issued:
    certificate: Certificate
    standard: Standard
    credential: dict
    controller: dict
    holder_page: str


@pytest.fixture(scope="module")
def issued(module_app):
    """One certificate of a standard with two elements, its credential and the issuer's
    controller document, as the app serves them to the holder and to anyone."""
    world = factories.make_world()
    world = replace(world, standard=_standard_with_two_elements(world.admin))
    factories.accredit(world.evaluator, world.standard)
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    client = module_app.test_client()
    response = client.post(
        "/login", data={"email": world.candidate.user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302, "login failed"
    response = client.get(f"/certificates/{certificate.public_id}/badge.json")
    assert response.status_code == 200
    return Issued(
        certificate=certificate,
        standard=world.standard,
        credential=json.loads(response.data),
        controller=client.get("/.well-known/avala/issuer.json").get_json(),
        holder_page=client.get(f"/certificates/{certificate.public_id}").get_data(as_text=True),
    )


def _documents(issued) -> dict[str, dict]:
    """What a verifier may fetch from us: the controller document at the issuer's URL."""
    return {issued.controller["id"]: issued.controller}


def _altered(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    return value + "x" if not value.startswith("z") else "z" + value[1:][::-1]


def _every_alteration(credential: dict):
    """(what, credential) for each signed leaf altered in turn, the signature altered, a field
    added, and the proof's @context dropped (the fault of the first version)."""

    def leaves(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from leaves(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from leaves(value, (*path, index))
        else:
            yield path

    for path in leaves(credential, ()):
        altered = copy.deepcopy(credential)
        parent = altered
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = _altered(parent[path[-1]])
        yield "/".join(map(str, path)), altered
    added = copy.deepcopy(credential)
    added["credentialSubject"]["achievement"]["creditsAvailable"] = 10
    yield "an added field", added
    without_context = copy.deepcopy(credential)
    del without_context["proof"][0]["@context"]
    yield "proof/0/@context removed", without_context


def _public_key(issued):
    method = issued.controller["verificationMethod"][0]
    return signing.public_key_from_multibase(method["publicKeyMultibase"])


def test_digital_bazaar_verifies_our_credential_and_refuses_every_alteration(issued, node_verifier):
    alterations = list(_every_alteration(issued.credential))
    assert any(what == "proof/0/proofValue" for what, _ in alterations)
    results = node_verifier(
        [issued.credential, *(altered for _, altered in alterations)], _documents(issued)
    )
    assert results[0] == {"verified": True, "error": ""}
    verdicts = {what: result for (what, _), result in zip(alterations, results[1:], strict=True)}
    assert [what for what, result in verdicts.items() if result["verified"]] == []
    signature = verdicts["proof/0/proofValue"]
    assert "Invalid signature" in signature["error"]


def test_our_verifier_agrees_with_digital_bazaar(issued):
    public_key = _public_key(issued)
    assert badges.verify_credential(issued.credential, public_key)
    accepted = [
        what
        for what, altered in _every_alteration(issued.credential)
        if badges.verify_credential(altered, public_key)
    ]
    assert accepted == []


def test_credential_meets_1edtech_schema_for_ob_3_credentials(issued):
    schema = load_schema(OPEN_BADGES_3)
    validator = Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(issued.credential)] == []
    # The schema catches what the first version got wrong: a proof that is not an array.
    single_proof = {**issued.credential, "proof": issued.credential["proof"][0]}
    assert not validator.is_valid(single_proof)


def test_credential_carries_the_standard_its_elements_and_the_result(issued):
    certificate, credential = issued.certificate, issued.credential
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    catalogue_page = f"http://localhost/catalogo/{certificate.standard_code}"
    assert achievement["humanCode"] == certificate.standard_code
    assert achievement["name"] == certificate.standard_title
    assert [(a["targetCode"], a["targetUrl"]) for a in achievement["alignment"]] == [
        (certificate.standard_code, catalogue_page)
    ]
    narrative = achievement["criteria"]["narrative"]
    titles = [element.title for element in issued.standard.elements]
    assert titles == ["Conducir la sesión", "Evaluar el [aprendizaje](x)"]
    # Each element, in order, as plain text: a title never becomes a Markdown link.
    assert narrative.index(f"1. {titles[0]}") < narrative.index(
        "2. Evaluar el \\[aprendizaje\\](x)"
    )
    [description] = achievement["resultDescription"]
    [result] = subject["result"]
    assert result["resultDescription"] == description["id"]
    assert result["value"] == "Competente" == description["requiredValue"]
    assert result["value"] in description["allowedValue"]
    assert credential["issuer"]["id"] == issued.controller["id"]


def test_holder_page_links_to_the_credential(issued):
    assert f"/certificates/{issued.certificate.public_id}/badge.json" in issued.holder_page


def test_digital_bazaar_still_verifies_it_after_a_key_rotation(module_app, issued, node_verifier):
    """A wallet holding a credential signed before a rotation: the retired key stays listed
    in the controller document as an assertion method. (Last: it changes the module's key.)"""
    result = module_app.test_cli_runner().invoke(args=["certificates", "rotate-key", "--yes"])
    assert result.exit_code == 0, result.output
    controller = module_app.test_client().get("/.well-known/avala/issuer.json").get_json()
    assert controller["assertionMethod"][0] != issued.credential["proof"][0]["verificationMethod"]
    assert node_verifier([issued.credential], {controller["id"]: controller}) == [
        {"verified": True, "error": ""}
    ]
    without_old_key = {
        **controller,
        "assertionMethod": controller["assertionMethod"][:1],
        "verificationMethod": controller["verificationMethod"][:1],
    }
    [refused] = node_verifier([issued.credential], {controller["id"]: without_old_key})
    assert not refused["verified"]
