"""A double click (two POSTs at the same instant) does the thing once and tells the second
click why, in the user's language: never a second record, never a 500."""

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.certificates.models import Certificate
from app.extensions import db
from tests import factories
from tests.concurrency import race


def logged_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302, "login failed"
    return client


def posting(client, url: str, data: dict | None = None):
    def step(go):
        go()
        return client.post(url, data=data or {})

    return step


def test_a_double_click_on_issue_makes_one_certificate_and_says_it_exists(app, world):
    assessment = world.approved()
    db.session.commit()
    clients = [logged_in(app, world.admin) for _ in range(2)]
    url = f"/assessments/{assessment.id}/certify"
    responses = race(app, *[posting(client, url) for client in clients])
    assert [response.status_code for response in responses] == [302, 302], responses
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    pages = [
        c.get(r.location).get_data(as_text=True) for c, r in zip(clients, responses, strict=True)
    ]
    assert sum("ya tiene un certificado" in page for page in pages) == 1


def test_a_double_click_on_approve_records_one_review_and_says_so(app, world):
    assessment = world.judge(world.schedule())
    db.session.commit()
    clients = [logged_in(app, world.reviewer) for _ in range(2)]
    url = f"/assessments/{assessment.id}/review"
    responses = race(app, *[posting(c, url, {"decision": "approve"}) for c in clients])
    assert sorted(response.status_code for response in responses) == [302, 409], responses
    refused = next(response for response in responses if response.status_code == 409)
    page = refused.get_data(as_text=True)  # before or after the winner's commit, one conflict
    assert "se revisó hace un momento" in page or "ya se revisó" in page
    assert db.session.get(type(assessment), assessment.id).reviewer_id == world.reviewer.id
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "judgement.approved"))
    assert len(list(events)) == 1
