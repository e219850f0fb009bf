"""Reads of diagnostics, scoped to who asks."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.accounts.roles import Role
from app.diagnostics.models import Diagnostic
from app.diagnostics.services import ensure_may_see
from app.errors import NotFound
from app.extensions import db


def get_diagnostic(actor: User, diagnostic_id: int) -> Diagnostic:
    diagnostic = db.session.get(Diagnostic, diagnostic_id)
    if diagnostic is None:
        raise NotFound()
    ensure_may_see(actor, diagnostic)
    return diagnostic


def list_diagnostics_for(actor: User) -> list[Diagnostic]:
    """The candidate's own diagnostics, or those of the staff member's centre; newest first."""
    query = select(Diagnostic).options(
        selectinload(Diagnostic.standard), selectinload(Diagnostic.candidate)
    )
    if actor.role == Role.CANDIDATE:
        query = query.where(Diagnostic.candidate_id == actor.candidate.id)
    else:
        query = query.where(Diagnostic.centre_id == actor.centre_id)
    return list(db.session.scalars(query.order_by(Diagnostic.created_at.desc(), Diagnostic.id)))
