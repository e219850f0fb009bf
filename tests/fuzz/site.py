"""The app under fuzzing: one world built once per module, a logged-in session per role, and the
database's fingerprint, with a snapshot restored whenever a request changed the data.

Requests run without an outer app context, each in its own as in production, so a request's
session is removed (and anything it left uncommitted rolled back) when it ends.
"""

import hashlib
import io
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import select, text

from app.accounts.invitations import issue_token
from app.accounts.models import Accreditation, Credential, TokenPurpose
from app.accounts.roles import Role
from app.accounts.services import create_user
from app.api.models import TokenScope
from app.api.services import create_token
from app.certificates.batches import create_batch
from app.certificates.designs import list_designs
from app.certificates.services import issue_certificate, read_certificate_pdf
from app.extensions import db
from tests import factories
from tests.fuzz.renewals import build_renewals

ANON = "anonymous"


def png_bytes(size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 93, 75)).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass(frozen=True)
class Scenario:
    """Plain values the plans draw valid input from; no ORM object outlives the world's build."""

    emails: dict
    published_standard_id: int
    draft_standard_id: int
    draft_element_ids: tuple
    draft_criterion_ids: tuple
    item_ids: tuple
    certified_assessment_id: int
    judged_assessment_id: int  # awaiting review
    scheduled_assessment_id: int  # results may be recorded
    booked_assessment_id: int  # not started, the evaluator's declaration not made yet
    candidate_ids: tuple
    evaluator_ids: tuple
    public_id: str
    folio: str
    curp: str
    key_id: str
    batch_id: int
    designs: tuple
    token_id: int
    issued_pdf: bytes = field(repr=False)
    centre_ids: tuple = ()
    managed_user_ids: tuple = ()  # the evaluator, a candidate's user, the centre administrator
    tokens: tuple = ()  # an invitation and a password reset waiting to be used
    accreditation_id: int = 0  # the evaluator's cédula for the published standard
    credential_ids: tuple = ()  # the certificates the evaluator holds (EC0076, the standard)
    published_element_ids: tuple = ()  # the elements an assessment plan lists
    diagnostic_id: int = 0  # opened for the candidate, not answered yet
    diagnostic_item_ids: tuple = ()  # the questions it asks
    appeal_id: int = 0  # open, with one file
    appeal_file_ids: tuple = ()
    appealed_assessment_id: int = 0
    appealable_assessment_id: int = 0  # the candidate's approved judgement, not appealed yet
    not_yet_assessment_id: int = 0  # reviewed "Todavía no competente": may be re-assessed
    evidence_id: int = 0  # attached to the scheduled assessment's first item
    recertification_id: int = 0  # the certificate holder's request, not scheduled yet
    sealed_results: str = ""  # a bulk verification's answer, signed for its CSV download

    @property
    def assessment_ids(self) -> tuple[int, ...]:
        return (
            self.certified_assessment_id,
            self.judged_assessment_id,
            self.scheduled_assessment_id,
            self.booked_assessment_id,
        )

    def valid_path_values(self, name: str) -> list:
        """Ids of real objects, so that a request reaches its view and not only a 404."""
        return {
            "standard_id": [self.draft_standard_id, self.published_standard_id],
            "assessment_id": [
                *self.assessment_ids,
                self.appealed_assessment_id,
                self.appealable_assessment_id,
                self.not_yet_assessment_id,
            ],
            "diagnostic_id": [self.diagnostic_id],
            "appeal_id": [self.appeal_id],
            "file_id": list(self.appeal_file_ids),
            "evidence_id": [self.evidence_id],
            "request_id": [self.recertification_id],
            "public_id": [self.public_id],
            "batch_id": [self.batch_id],
            "key_id": [self.key_id],
            "centre_id": list(self.centre_ids),
            "user_id": list(self.managed_user_ids),
            "token": list(self.tokens),
            "token_id": [self.token_id],
            "accreditation_id": [self.accreditation_id],
            "credential_id": list(self.credential_ids),
            "filename": ["css/app.css", "favicon.svg"],
            "element_id": list(self.draft_element_ids),
            "criterion_id": list(self.draft_criterion_ids),
            "item_id": list(self.item_ids),
            "line_id": [*self.draft_criterion_ids, *self.item_ids],
            "kind": ["elements", "criteria", "items"],
            "file_format": ["json", "csv", "case"],
            "fmt": ["csv", "xlsx"],
        }.get(name, [])


def build_scenario(app) -> Scenario:
    """A centre with staff and candidates; a published and a draft standard; assessments
    certified, judged and scheduled; an issued certificate, a batch and a logo."""
    world = factories.make_world()
    certified = world.approved()
    certificate = issue_certificate(world.admin, certified)
    batch = create_batch(world.admin, [certified.id])
    judged = world.judge(world.schedule(world.other_candidate, hours_from_now=6))
    scheduled = world.schedule(world.other_candidate, hours_from_now=12)
    booked = world.book(world.other_candidate, hours_from_now=24)
    draft = factories.make_standard(world.admin, publish=False)
    world.centre.logo, world.centre.logo_mimetype = png_bytes(), "image/png"
    body_admin = factories.make_body_admin()
    invited = create_user(
        centre=world.centre,
        email="invitado@example.com",
        full_name="Persona Invitada",
        role=Role.EVALUATOR,
        password=None,
    )
    tokens = (
        issue_token(invited, TokenPurpose.INVITATION, world.admin, timedelta(days=7)),
        issue_token(world.reviewer, TokenPurpose.PASSWORD_RESET, None, timedelta(hours=2)),
    )
    token, _secret = create_token(world.admin, "Control escolar", TokenScope.READ)
    renewals = build_renewals(world, certificate, scheduled)
    db.session.commit()
    return Scenario(
        emails={
            Role.BODY_ADMIN: body_admin.email,
            Role.ADMIN: world.admin.email,
            Role.EVALUATOR: world.evaluator.email,
            Role.REVIEWER: world.reviewer.email,
            Role.CANDIDATE: world.candidate.user.email,
        },
        published_standard_id=world.standard.id,
        draft_standard_id=draft.id,
        draft_element_ids=tuple(e.id for e in draft.elements),
        draft_criterion_ids=tuple(c.id for c in draft.criteria),
        item_ids=tuple(item.id for item in world.standard.instrument.items),
        published_element_ids=tuple(e.id for e in world.standard.elements),
        certified_assessment_id=certified.id,
        judged_assessment_id=judged.id,
        scheduled_assessment_id=scheduled.id,
        booked_assessment_id=booked.id,
        candidate_ids=(world.candidate.id, world.other_candidate.id),
        evaluator_ids=(world.evaluator.id,),
        public_id=certificate.public_id,
        folio=certificate.folio,
        curp=world.candidate.curp,
        key_id=certificate.key_id,
        batch_id=batch.id,
        designs=tuple(list_designs(app.config["CERTIFICATE_DESIGNS_DIR"])),
        token_id=token.id,
        issued_pdf=read_certificate_pdf(certificate),
        centre_ids=(world.centre.id,),
        managed_user_ids=(world.evaluator.id, world.candidate.user.id, world.admin.id),
        tokens=tokens,
        accreditation_id=db.session.scalar(
            select(Accreditation.id).where(Accreditation.evaluator_id == world.evaluator.id)
        ),
        credential_ids=tuple(
            db.session.scalars(
                select(Credential.id).where(Credential.evaluator_id == world.evaluator.id)
            )
        ),
        **renewals,
    )


def fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and digest of every table: equal fingerprints, equal data."""
    prints = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest = hashlib.sha256(repr(rows).encode("utf-8", "surrogatepass")).hexdigest()
            prints[table.name] = (len(rows), digest[:16])
    return prints


class SqliteSnapshot:
    """A copy of the database file, copied back over it (no connection is open meanwhile)."""

    def __init__(self, database: Path):
        self.database, self.copy = database, database.with_suffix(".snapshot")
        self._watcher = None
        db.engine.dispose()
        shutil.copyfile(self.database, self.copy)

    def write_mark(self) -> int:
        """SQLite's data_version, seen from a connection of our own: it changes when any other
        connection commits a write, and only then."""
        if self._watcher is None:
            self._watcher = sqlite3.connect(self.database)
        return self._watcher.execute("PRAGMA data_version").fetchone()[0]

    def restore(self, _changed: set[str] | None = None) -> None:
        """The whole file is copied back, whatever changed."""
        if self._watcher is not None:  # the last connection to close empties the WAL file
            self._watcher.close()
            self._watcher = None
        db.engine.dispose()
        shutil.copyfile(self.copy, self.database)


class PostgresSnapshot:
    """Every row of every table, put back into the tables a request changed.

    The rows are deleted and inserted again with triggers off (session_replication_role =
    replica, as pg_restore does): neither the foreign keys nor the audit trail's append-only
    trigger stand in the way, and only the changed tables are touched (truncating all of them
    after each change was most of the PostgreSQL fuzz pass's time). Identities continue from
    the snapshot's highest id.
    """

    def __init__(self):
        with db.engine.connect() as connection:
            self.rows = {
                table: [dict(row) for row in connection.execute(select(table)).mappings()]
                for table in db.metadata.sorted_tables
            }

    def write_mark(self) -> str:
        """The first transaction id not yet assigned: a transaction gets one when it first
        writes (or locks a row), so an unchanged mark means that nothing was written."""
        with db.engine.connect() as connection:
            return connection.scalar(text("SELECT pg_snapshot_xmax(pg_current_snapshot())::text"))

    def restore(self, changed: set[str] | None = None) -> None:
        tables = [t for t in self.rows if changed is None or t.name in changed]
        with db.engine.begin() as connection:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            for table in reversed(tables):
                connection.execute(table.delete())
            for table in tables:
                if self.rows[table]:
                    connection.execute(table.insert(), self.rows[table])
                if "id" in table.columns:
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE(MAX(id), 0) + 1, false) FROM {table.name}"
                        )
                    )


class Site:
    def __init__(self, app, scenario: Scenario, cookies: dict, snapshot):
        self.app, self.scenario, self.cookies, self.snapshot = app, scenario, cookies, snapshot
        # What the database holds before every request: any change is restored at once.
        self.baseline = self.fingerprint()

    def client(self, role: str):
        """A fresh client (no cookies, no flashed messages) holding `role`'s session."""
        client = self.app.test_client()
        if role != ANON:
            client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.cookies[role])
        return client

    def fingerprint(self) -> dict:
        with self.app.app_context():
            return fingerprint()

    def write_mark(self):
        with self.app.app_context():
            return self.snapshot.write_mark()

    def fingerprint_since(self, mark, before: dict) -> dict:
        """The fingerprint, read again only if something may have been written since `mark`
        (reading every table after each request was a sixth of the fuzz suite's time)."""
        if self.write_mark() == mark:
            return before
        return self.fingerprint()

    def restore(self, after: dict | None = None) -> None:
        """Undo every change since the snapshot; `after`, the fingerprint that showed the
        change, tells which tables to put back (all of them when not given)."""
        with self.app.app_context():
            db.session.remove()
            changed = None
            if after is not None:
                changed = {name for name in after if after[name] != self.baseline[name]}
            self.snapshot.restore(changed)


def log_in_everyone(app, emails: dict) -> dict:
    """The session cookie of each role, taken from a real login."""
    cookies = {}
    for role, email in emails.items():
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": factories.PASSWORD})
        assert response.status_code == 302, f"{role} could not log in"
        cookies[role] = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    return cookies
