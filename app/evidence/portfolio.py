"""An assessment's portfolio as one ZIP for the centre: every stored evidence file under a
generated name, and `indice.pdf` listing every item, its result and its evidence with SHA-256.

Built in a spooled temporary file (memory up to ZIP_IN_MEMORY, local disk beyond), each file
copied in chunks after its hash is checked, so no portfolio is ever held whole in memory.
"""

import shutil
import tempfile
import zipfile
from typing import BinaryIO

from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _

from app.accounts.models import User
from app.assessments.models import Assessment
from app.audit.services import record_alarm
from app.certificates.rendering import render_document
from app.db_types import utcnow
from app.evidence import rules
from app.evidence.models import EvidenceFile
from app.evidence.queries import evidence_by_item
from app.storage import (
    CHUNK_SIZE,
    StoredObjectAltered,
    StoredObjectMissing,
    current_storage,
    open_checked,
)

ZIP_IN_MEMORY = 8 * 1024 * 1024
INDEX_NAME = "indice.pdf"


def zip_name(item_position: int, number: int, evidence: EvidenceFile) -> str:
    """The file's name inside the ZIP: made by the app, never the user's."""
    return f"reactivo-{item_position:02d}/evidencia-{number:02d}-{evidence.id}.{evidence.extension}"


def portfolio_zip(actor: User, assessment: Assessment) -> BinaryIO:
    """The ZIP as a stream at its start; the caller closes it. A stored file that is missing or
    fails its check is left out, raises an alarm in the trail, and is marked so in the index."""
    output = tempfile.SpooledTemporaryFile(max_size=ZIP_IN_MEMORY)  # noqa: SIM115 - returned
    try:
        grouped = evidence_by_item(assessment)
        placed: dict[int, str] = {}
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in assessment.standard.instrument.items:
                for number, evidence in enumerate(grouped.get(item.id, []), start=1):
                    if evidence.is_purged:
                        continue
                    name = zip_name(item.position, number, evidence)
                    if _copy_checked(actor, archive, evidence, name):
                        placed[evidence.id] = name
            archive.writestr(INDEX_NAME, index_pdf(assessment, grouped, placed))
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


def _copy_checked(actor, archive: zipfile.ZipFile, evidence: EvidenceFile, name: str) -> bool:
    try:
        stored = open_checked(current_storage(), evidence.storage_key, evidence.sha256)
    except (StoredObjectMissing, StoredObjectAltered) as error:
        problem = "missing" if isinstance(error, StoredObjectMissing) else "altered"
        record_alarm(actor, "evidence.file_damaged", evidence, problem=problem, during="zip")
        return False
    with stored, archive.open(name, "w", force_zip64=True) as entry:
        shutil.copyfileobj(stored, entry, CHUNK_SIZE)
    return True


def index_pdf(assessment: Assessment, grouped: dict, placed: dict[int, str]) -> bytes:
    """The index in the language of the person downloading it."""
    context = _index_context(assessment, grouped, placed)
    return render_document("evidence-index.html", context)


def _index_context(assessment: Assessment, grouped: dict, placed: dict[int, str]) -> dict:
    items = []
    for item in assessment.standard.instrument.items:
        result = assessment.result_for(item.id)
        items.append(
            {
                "position": item.position,
                "text": item.text,
                "critical": item.is_critical,
                "not_met": result is not None and not result.is_met,
                "result": _result_label(result),
                "evidence": [_evidence_row(e, placed) for e in grouped.get(item.id, [])],
            }
        )
    judgement = str(assessment.judgement.label) if assessment.judgement else _("Not yet judged")
    return {
        "lang": str(get_locale() or "es"),
        "title": _("Evidence portfolio"),
        "facts": [
            (_("Candidate"), assessment.candidate.full_name),
            (_("Standard"), f"{assessment.standard.full_code} {assessment.standard.title}"),
            (_("Centre"), assessment.centre.name),
            (_("Evaluator"), assessment.evaluator.full_name),
            (_("Judgement"), judgement),
            (_("Generated"), format_datetime(utcnow(), "short")),
        ],
        "labels": {
            "critical": _("critical"),
            "result": _("Result"),
            "file": _("File in this ZIP"),
            "name": _("Original name"),
            "type": _("Type"),
            "size": _("Size"),
            "no_evidence": _("No evidence attached."),
        },
        "items": items,
    }


def _result_label(result) -> str:
    if result is None:
        return _("No result")
    return _("Met") if result.is_met else _("Not met")


def _evidence_row(evidence: EvidenceFile, placed: dict[int, str]) -> dict:
    if evidence.is_purged:
        when = format_datetime(evidence.purged_at, "short")
        where = _("Removed on %(date)s (retention period)", date=when)
    else:
        where = placed.get(evidence.id) or _("Not included: the stored file is damaged")
    return {
        "in_zip": where,
        "name": evidence.original_name,
        "type": evidence.extension.upper(),
        "size": rules.size_label(evidence.size_bytes),
        "sha256": evidence.sha256,
    }
