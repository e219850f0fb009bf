"""Two app servers and one worker, as real processes, behind no shared disk.

Server A, server B (gunicorn, two workers each) and a Huey worker each have their own instance
folder; they share only what a real deployment shares: PostgreSQL, Redis (queue and rate
limits) and the S3-compatible object store, plus the same secrets (SECRET_KEY and the signing
key, as a mounted secret would give them). Everything below happens through HTTP, as people
on different servers behind a load balancer would do it; the test reads the database only to
check what was recorded.

Runs in the PostgreSQL pass (`make test` with TEST_DATABASE_URL, so `.ci/run`); under CI=true
a missing Redis or object store fails the test instead of skipping it.
"""

import io
import shutil
import threading
import time
import zipfile
from hashlib import sha256
from urllib.parse import urlsplit

import pytest
import redis
from sqlalchemy import func, select

from app.assessments.models import Assessment, AssessmentStatus
from app.certificates import badges, signing
from app.certificates.models import Certificate, CertificateStatus
from app.extensions import db
from tests import factories
from tests.cluster import processes
from tests.cluster.processes import Visitor
from tests.conftest import redis_test_url
from tests.pdf_tools import qr_codes_in

pytestmark = pytest.mark.postgres_only

LOOKUPS_PER_MINUTE = 12
SECRET_KEY = "cluster-test-" + "0" * 40


@pytest.fixture(scope="module")
def seeded(module_app):
    """A centre whose reviewer has three judgements to review and one approved to certify."""
    world = factories.make_world()
    candidates = [world.candidate, world.other_candidate] + [
        factories.make_candidate(world.admin, name)
        for name in ("Ana Sofía Ruiz Téllez", "Héctor Iván Solís Mora")
    ]
    judged = [
        world.judge(world.schedule(c, hours_from_now=3 * n)) for n, c in enumerate(candidates[:3])
    ]
    approved = world.approved(candidates[3], hours_from_now=12)
    db.session.commit()
    return world, [a.id for a in judged], approved.id


@pytest.fixture(scope="module")
def cluster(module_app, seeded, object_store, tmp_path_factory):
    """Start A, B and the worker; stop every one of them at the end."""
    redis_url = redis_test_url()
    redis.Redis.from_url(redis_url).flushdb()
    root = tmp_path_factory.mktemp("cluster")
    port_a, port_b = processes.free_port(), processes.free_port()
    url_a, url_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    shared = {
        "AVALA_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": module_app.config["SQLALCHEMY_DATABASE_URI"],
        "HUEY_REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url,
        "PUBLIC_LOOKUP_RATE_LIMIT": f"{LOOKUPS_PER_MINUTE} per minute",
        "LOGIN_RATE_LIMIT": "100 per minute",
        "PUBLIC_BASE_URL": url_a,  # the deployment's public address, printed in QR codes
        **object_store,
    }

    def own(name: str) -> dict:
        """Its own instance folder; the signing key arrives as a mounted secret would."""
        instance = root / name
        key = instance / "secrets" / "signing_key.pem"
        key.parent.mkdir(parents=True)
        shutil.copyfile(module_app.config["SIGNING_KEY_PATH"], key)
        return {**shared, "AVALA_INSTANCE_DIR": str(instance), "SIGNING_KEY_PATH": str(key)}

    started = []
    try:
        started.append(processes.app_server("server-a", port_a, own("a"), root))
        started.append(processes.app_server("server-b", port_b, own("b"), root))
        started.append(processes.worker("worker", own("worker"), root))
        yield {"a": url_a, "b": url_b}
    finally:
        for process in started:
            process.stop()
        redis.Redis.from_url(redis_url).flushdb()
    assert all(process.popen.poll() is not None for process in started)


@pytest.fixture(scope="module")
def people(cluster, seeded):
    world = seeded[0]

    def visitor(server: str, user) -> Visitor:
        return Visitor(cluster[server]).log_in(user.email, factories.PASSWORD)

    return {
        "reviewer_on_a": visitor("a", world.reviewer),
        "admin_on_a": visitor("a", world.admin),
        "admin_on_b": visitor("b", world.admin),
    }


def _wait_for_batch(admin: Visitor, batch_path: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        progress = admin.get(f"{batch_path}/progress").json()
        if progress["finished"]:
            return progress
        time.sleep(0.5)
    raise AssertionError(f"the worker did not finish {batch_path}: {progress}")


@pytest.fixture(scope="module")
def issued(people, seeded):
    """Approve three judgements on A, certify them in a batch the worker runs; the batch's page."""
    _world, judged_ids, _approved_id = seeded
    for assessment_id in judged_ids:
        response = people["reviewer_on_a"].post(
            f"/assessments/{assessment_id}/review",
            {"decision": "approve"},
            form_page=f"/assessments/{assessment_id}",
        )
        assert response.status_code == 302, response.text[:2000]
    started = people["admin_on_a"].post(
        "/certificates/batches", {"assessment": judged_ids}, form_page="/certificates/"
    )
    assert started.status_code == 302, started.text[:2000]
    batch_path = urlsplit(started.headers["Location"]).path
    progress = _wait_for_batch(people["admin_on_b"], batch_path)  # followed from B
    db.session.expire_all()
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.assessment_id.in_(judged_ids))
    ).all()
    return batch_path, progress, certificates


def test_a_batch_queued_on_a_is_run_by_the_worker(issued, seeded):
    _batch_path, progress, certificates = issued
    assert progress["counts"].get("issued") == 3, progress
    assert len(certificates) == 3
    statuses = db.session.scalars(select(Assessment.status).where(Assessment.id.in_(seeded[1])))
    assert set(statuses) == {AssessmentStatus.CERTIFIED}


def test_server_b_serves_the_pdfs_and_the_zip_that_the_worker_stored(issued, people):
    batch_path, _progress, certificates = issued
    admin_on_b = people["admin_on_b"]
    for certificate in certificates:
        pdf = admin_on_b.get(f"/certificates/{certificate.public_id}/pdf")
        assert pdf.status_code == 200, pdf.text[:2000]
        assert sha256(pdf.content).hexdigest() == certificate.pdf_sha256
    archive = admin_on_b.get(f"{batch_path}/zip")
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as bundle:
        names = bundle.namelist()
        assert sorted(n for n in names if n.endswith(".pdf")) == sorted(
            f"{c.folio}.pdf" for c in certificates
        )
        assert not [n for n in names if "FALTANTES" in n]


def test_the_qr_code_leads_to_the_page_on_a_and_a_revocation_on_b_shows_there_at_once(
    issued, people, cluster
):
    _batch_path, _progress, certificates = issued
    certificate = certificates[0]
    pdf = people["admin_on_b"].get(f"/certificates/{certificate.public_id}/pdf").content
    (address,) = qr_codes_in(pdf)
    assert address.startswith(cluster["a"] + "/v/")
    employer = Visitor(cluster["a"])
    page = employer.get(urlsplit(address).path)
    assert page.status_code == 200
    assert "VIGENTE" in page.text.upper()
    revoked = people["admin_on_b"].post(
        f"/certificates/{certificate.public_id}/status",
        {
            "status": "revoked",
            "reason": "Identidad suplantada: investigación interna 2026-118.",
            "public_reason": "data_error",
        },
        form_page=f"/certificates/{certificate.public_id}",
    )
    assert revoked.status_code == 302, revoked.text[:2000]
    page = employer.get(urlsplit(address).path)  # the very next request, on the other server
    assert "REVOCADO" in page.text.upper()
    assert "suplantada" not in page.text  # the internal reason stays internal
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).status == CertificateStatus.REVOKED


def test_the_credential_from_a_verifies_with_the_key_published_by_b(issued, people, cluster):
    certificate = issued[2][1]
    credential = (
        people["admin_on_a"].get(f"/certificates/{certificate.public_id}/badge.json").json()
    )
    issuer = Visitor(cluster["b"]).get("/.well-known/avala/issuer.json").json()
    (proof,) = (
        credential["proof"] if isinstance(credential["proof"], list) else [credential["proof"]]
    )
    (method,) = [m for m in issuer["verificationMethod"] if m["id"] == proof["verificationMethod"]]
    public_key = signing.public_key_from_multibase(method["publicKeyMultibase"])
    assert badges.verify_credential(credential, public_key)
    credential["credentialSubject"]["id"] = "urn:uuid:someone-else"
    assert not badges.verify_credential(credential, public_key)


def test_one_client_has_one_allowance_on_both_servers(issued, cluster):
    redis_client = redis.Redis.from_url(redis_test_url())
    for key in redis_client.scan_iter("*LIMITER*"):
        redis_client.delete(key)
    path = f"/v/{issued[2][2].public_id}"
    servers = [Visitor(cluster["a"]), Visitor(cluster["b"])]
    statuses = [servers[n % 2].get(path).status_code for n in range(LOOKUPS_PER_MINUTE + 2)]
    assert statuses[:LOOKUPS_PER_MINUTE] == [200] * LOOKUPS_PER_MINUTE
    assert statuses[LOOKUPS_PER_MINUTE:] == [429, 429]


def test_emitir_sent_to_a_and_b_at_the_same_instant_issues_one_certificate(people, seeded):
    approved_id = seeded[2]
    admins = [people["admin_on_a"], people["admin_on_b"]]
    tokens = [a.csrf_token(f"/assessments/{approved_id}") for a in admins]
    barrier = threading.Barrier(2)
    responses = [None, None]

    def click(n: int) -> None:
        barrier.wait(timeout=30)
        responses[n] = admins[n].send_form(
            f"/assessments/{approved_id}/certify", {"csrf_token": tokens[n]}
        )

    threads = [threading.Thread(target=click, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in responses] == [302, 302], [r.text[:500] for r in responses]
    db.session.expire_all()
    count = select(func.count()).where(Certificate.assessment_id == approved_id)
    assert db.session.scalar(count.select_from(Certificate)) == 1
    pages = [
        a.get(urlsplit(r.headers["Location"]).path).text
        for a, r in zip(admins, responses, strict=True)
    ]
    assert sum("ya tiene un certificado" in page for page in pages) == 1
