"""The fuzz world's appeals, diagnostics, evidence, recertification and bulk verification:
each object built through its service, so the routes that show or change it reach their views."""

import io

from app.appeals import services as appeals
from app.assessments import services as assessments
from app.certificates.recertification import request_recertification
from app.dates import today
from app.diagnostics import questionnaire
from app.diagnostics import services as diagnostics
from app.evidence.services import add_evidence
from app.verification import bulk
from app.verification.bulk_files import read_folio_file
from tests.evidence_files import photo

APPEAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def folio_csv(folio: str, curp: str) -> bytes:
    return f"folio,curp\n{folio},{curp}\n".encode()


def build_renewals(world, certificate, scheduled) -> dict:
    """Scenario values: a diagnostic waiting for its answers, an appealed judgement with a file,
    one still appealable, a reviewed "Todavía no competente" judgement (a re-assessment's basis),
    an evidence file, a recertification request and a sealed bulk verification answer. The new
    sessions start hours apart from the world's others, so none overlaps another."""
    candidate = world.candidate.user
    appealed = world.approved(world.candidate, hours_from_now=30)
    files = [appeals.Upload("acta.pdf", APPEAL_PDF)]
    appeal = appeals.file_appeal(candidate, appealed, "El reactivo 3 sí se cumplió.", files)
    appealable = world.approved(world.candidate, hours_from_now=36)
    not_yet = world.judge(world.schedule(world.other_candidate, hours_from_now=42), unmet=(1,))
    assessments.approve_judgement(world.reviewer, not_yet)
    diagnostic = diagnostics.start_diagnostic(world.admin, world.candidate, world.standard)
    item = world.standard.instrument.items[0]
    evidence = add_evidence(world.evaluator, scheduled, item.id, io.BytesIO(photo()), "foto.jpg")
    renewal = request_recertification(candidate, certificate)
    rows = read_folio_file(
        folio_csv(certificate.folio, world.candidate.curp), max_rows=10, max_bytes=10_000
    )
    return {
        "diagnostic_id": diagnostic.id,
        "diagnostic_item_ids": tuple(
            i.id for i in questionnaire.items_asked(world.standard.instrument.items)
        ),
        "appeal_id": appeal.id,
        "appeal_file_ids": tuple(f.id for f in appeal.files),
        "appealed_assessment_id": appealed.id,
        "appealable_assessment_id": appealable.id,
        "not_yet_assessment_id": not_yet.id,
        "evidence_id": evidence.id,
        "recertification_id": renewal.id,
        "sealed_results": bulk.seal(bulk.verify_rows(rows, today())),
    }
