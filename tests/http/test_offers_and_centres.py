"""Through the test client: the catalogue is the body administrator's, drafts are invisible
to centre staff, a centre administrator chooses the standards the centre offers, and the body
administrator corrects, deactivates and reactivates a centre."""

from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import Centre
from app.accounts.roles import Role
from app.audit.models import AuditEvent
from app.dates import today
from app.extensions import db
from app.standards import offers
from app.standards.models import Standard
from tests import factories


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_centre_staff_read_published_standards_without_buttons_and_never_see_drafts(
    world, client, login
):
    draft = factories.make_standard(world.body_admin, publish=False, code="EC0555")
    db.session.commit()
    for person in (world.admin, world.evaluator, world.reviewer):
        login(person)
        listing = text_of(client.get("/standards/"))
        assert world.standard.full_code in listing and "EC0555" not in listing
        assert "/standards/new" not in listing and "/standards/import" not in listing
        page = client.get(f"/standards/{world.standard.id}")
        assert page.status_code == 200
        shown = text_of(page)
        assert "/new-version" not in shown and "/cancel" not in shown
        assert client.get(f"/standards/{draft.id}").status_code == 404
        assert client.get(f"/standards/{draft.id}/export.json").status_code == 404
    login(world.admin)
    assert client.post("/standards/new", data={"code": "EC0001"}).status_code == 403
    assert client.post(f"/standards/{world.standard.id}/cancel").status_code == 403
    login(world.body_admin)
    listing = text_of(client.get("/standards/"))
    assert "EC0555" in listing and "/standards/new" in listing
    assert "/new-version" in text_of(client.get(f"/standards/{world.standard.id}"))


def test_a_centre_administrator_offers_and_withdraws_standards_on_their_page(world, client, login):
    other = factories.make_standard(world.body_admin, code="EC0301")
    booked = world.book(hours_from_now=5)
    db.session.commit()
    login(world.admin)
    page = text_of(client.get("/standards/offered"))
    assert "Estándares que ofrece el centro" in page
    assert world.standard.full_code in page and f'value="{other.id}"' in page

    assert client.post("/standards/offered", data={"standard": other.id}).status_code == 302
    assert offers.is_offered(world.centre.id, other.id)
    response = client.post(f"/standards/offered/{world.standard.id}/withdraw")
    assert response.status_code == 302
    db.session.expire_all()
    assert not offers.is_offered(world.centre.id, world.standard.id)
    assert booked.standard_id == world.standard.id  # the assessment keeps its standard
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == world.admin.id)
    ).all()
    assert "standard.offered" in actions and "standard.offer_withdrawn" in actions


def test_bad_offers_are_explained_and_change_nothing(world, client, login):
    draft = factories.make_standard(world.body_admin, publish=False, code="EC0555")
    db.session.commit()
    count = select(func.count()).select_from(offers.OfferedStandard)
    before = db.session.scalar(count)
    login(world.admin)
    for value in (str(draft.id), str(world.standard.id), "999999", "abc", ""):
        response = client.post("/standards/offered", data={"standard": value})
        assert response.status_code == 422, value
        assert 'class="field-error"' in text_of(response)
    assert client.post("/standards/offered/999999/withdraw").status_code == 404
    assert db.session.scalar(count) == before


def test_a_second_centre_cannot_see_or_withdraw_the_first_centres_offers(world, client, login):
    second = factories.make_centre("CONALEP Plantel Tlalnepantla")
    outsider = factories.make_user(second, Role.ADMIN, "Otra Administradora")
    db.session.commit()
    login(outsider)
    page = text_of(client.get("/standards/offered"))
    assert f"/standards/offered/{world.standard.id}/withdraw" not in page
    assert client.post(f"/standards/offered/{world.standard.id}/withdraw").status_code == 404
    assert offers.is_offered(world.centre.id, world.standard.id)


def test_the_schedule_and_accreditation_forms_list_and_accept_only_offered_standards(
    world, client, login
):
    other = factories.make_standard(world.body_admin, code="EC0301")
    db.session.commit()
    login(world.admin)
    for url in ("/assessments/new", "/evaluators/"):
        form = text_of(client.get(url))
        assert world.standard.full_code in form and other.full_code not in form
    day = today() + timedelta(days=2)
    response = client.post(
        "/assessments/new",
        data={
            "candidate": world.candidate.id,
            "standard": other.id,
            "evaluator": world.evaluator.id,
            "starts_at": f"{day.isoformat()}T10:00",
            "ends_at": f"{day.isoformat()}T12:00",
            "location": "Aula 1",
        },
    )
    assert response.status_code == 422
    response = client.post(
        "/evaluators/",
        data={
            "evaluator": world.evaluator.id,
            "standard": other.id,
            "number": "CED-9",
            "valid_from": today().isoformat(),
            "valid_until": (today() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 422


def test_the_body_administrator_corrects_a_centre_and_bad_input_changes_nothing(
    world, client, login
):
    second = factories.make_centre("CONALEP Plantel Tlalnepantla")
    db.session.commit()
    login(world.body_admin)
    url = f"/centres/{world.centre.id}/edit"
    assert "Guardar" in text_of(client.get(url))
    fields = {"code": " conalep-azc ", "name": "CONALEP  Azcapotzalco", "city": "CDMX"}
    assert client.post(url, data=fields).status_code == 302
    db.session.expire_all()
    centre = db.session.get(Centre, world.centre.id)
    assert (centre.code, centre.name, centre.city) == (
        "CONALEP-AZC",
        "CONALEP Azcapotzalco",
        "CDMX",
    )
    (event,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "centre.updated")
    ).all()
    assert event.details["changes"]["code"]["to"] == "CONALEP-AZC"
    for bad in ({**fields, "code": second.code.lower()}, {**fields, "name": "  "}):
        response = client.post(url, data=bad)
        assert response.status_code == 422
        assert 'class="field-error"' in text_of(response)
    db.session.expire_all()
    assert db.session.get(Centre, world.centre.id).code == "CONALEP-AZC"


def test_a_deactivated_centres_staff_cannot_log_in_until_it_is_reactivated(world, client, login):
    login(world.evaluator)
    assert client.get("/assessments/").status_code == 200
    staff_client = client
    body = staff_client.application.test_client()
    body.post("/login", data={"email": world.body_admin.email, "password": factories.PASSWORD})
    assert body.post(f"/centres/{world.centre.id}/deactivate").status_code == 302
    # The evaluator's open session ends at their next request; logging in again is refused.
    assert staff_client.get("/assessments/").status_code == 302
    refused = staff_client.post(
        "/login", data={"email": world.admin.email, "password": factories.PASSWORD}
    )
    assert refused.status_code != 302
    # The centre's candidates are people of the whole body: they still log in.
    login(world.candidate.user)
    assert "Desactivado" in text_of(body.get("/centres/"))
    assert body.post(f"/centres/{world.centre.id}/reactivate").status_code == 302
    login(world.admin)
    actions = set(db.session.scalars(select(AuditEvent.action)).all())
    assert {"centre.deactivated", "centre.reactivated"} <= actions
    assert db.session.scalar(select(func.count()).select_from(Standard)) >= 1
