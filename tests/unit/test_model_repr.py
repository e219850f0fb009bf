"""Rows print as something a maintainer can read in a log, without personal data."""

from app.accounts.models import Candidate, User
from app.certificates.models import Certificate
from app.standards.models import Standard


def test_a_row_prints_its_class_id_and_identifying_columns():
    standard = Standard(id=7, code="EC0217", version="01", status="published")
    assert repr(standard) == "<Standard id=7 code='EC0217' version='01' status='published'>"
    assert repr(Certificate(id=3, folio="CONALEP-EC0217.01-2026-000001", status="valid")) == (
        "<Certificate id=3 folio='CONALEP-EC0217.01-2026-000001' status='valid'>"
    )


def test_names_curps_and_emails_never_appear_in_a_repr():
    user = User(id=1, email="maria@example.com", full_name="María Núñez", role="candidate")
    candidate = Candidate(id=2, curp="BOXW310820HNERXN09", user=user)
    printed = repr(user) + repr(candidate)
    assert "maria@example.com" not in printed and "María" not in printed
    assert "BOXW310820HNERXN09" not in printed
