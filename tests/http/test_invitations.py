"""People are invited by e-mail and choose their own password through a single-use link; links
can be resent and withdrawn, expire, and say clearly why they no longer work. The mail goes
through a real SMTP server on loopback and the tests follow the links in it."""

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update

from app.accounts.models import AccountToken, Candidate, Centre, User
from app.db_types import utcnow
from app.extensions import db
from tests import factories
from tests.concurrency import race

STRONG = "tlacuache-en-la-azotea"


def path_of(link: str) -> str:
    return urlsplit(link).path


def invitation_link(mailbox, email: str) -> str:
    received = mailbox.last_to(email)
    (link,) = received.links
    assert f'href="{link}"' in received.html
    return path_of(link)


def register_candidate(client, email="ana.ruiz@example.com", language="es_MX"):
    return client.post(
        "/candidates/",
        data={
            "full_name": "Ana Ruiz Téllez",
            "curp": factories.valid_curp(5),
            "email": email,
            "language": language,
        },
    )


def choose_password(client, path: str, password: str, confirm: str | None = None):
    return client.post(path, data={"password": password, "confirm": confirm or password})


def test_a_registered_candidate_is_invited_and_chooses_their_own_password(
    world, client, login, mailbox
):
    login(world.admin)
    assert register_candidate(client).status_code == 302
    assert "Invitado" in client.get("/candidates/").get_data(as_text=True)
    received = mailbox.last_to("ana.ruiz@example.com")
    assert received.subject == "Tu invitación a Avala"
    assert "Candidato" in received.text and world.admin.full_name in received.text
    path = invitation_link(mailbox, "ana.ruiz@example.com")
    client.post("/logout")
    assert client.get(path).status_code == 200
    assert choose_password(client, path, STRONG).status_code == 302
    response = client.post("/login", data={"email": "ana.ruiz@example.com", "password": STRONG})
    assert response.status_code == 302
    client.post("/logout")
    used = client.get(path)
    assert used.status_code == 410 and "ya se usó" in used.get_data(as_text=True)


def test_a_guessable_password_is_refused_beside_its_field_and_the_link_still_works(
    world, client, login, mailbox
):
    login(world.admin)
    register_candidate(client)
    path = invitation_link(mailbox, "ana.ruiz@example.com")
    client.post("/logout")
    response = choose_password(client, path, "1234567890")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and "contraseñas más comunes" in html
    assert choose_password(client, path, STRONG, "otra-cosa").status_code == 422
    user = db.session.scalar(select(User).where(User.email == "ana.ruiz@example.com"))
    assert user.password_hash is None
    assert choose_password(client, path, STRONG).status_code == 302


def test_the_invitation_speaks_the_language_chosen_for_the_person(world, client, login, mailbox):
    login(world.admin)
    client.post("/language", data={"locale": "en"})
    register_candidate(client, language="en")
    received = mailbox.last_to("ana.ruiz@example.com")
    assert received.subject == "Your invitation to Avala"
    client.post("/logout")
    client.post("/language", data={"locale": "en"})
    response = choose_password(
        client, invitation_link(mailbox, "ana.ruiz@example.com"), "aaaaaaaaaa"
    )
    assert "easy to guess" in response.get_data(as_text=True)


def test_a_bad_registration_sends_nothing_and_stores_nothing(world, client, login, mailbox):
    login(world.admin)
    response = client.post(
        "/candidates/",
        data={"full_name": "Ana", "curp": "NOT-A-CURP", "email": "ana@example.com"},
    )
    assert response.status_code == 422
    assert mailbox.messages == []
    assert db.session.query(Candidate).count() == 2
    assert db.session.query(AccountToken).count() == 0


def test_only_a_hash_of_the_token_is_stored(world, client, login, mailbox):
    login(world.admin)
    register_candidate(client)
    token = invitation_link(mailbox, "ana.ruiz@example.com").rsplit("/", 1)[1]
    row = db.session.scalar(select(AccountToken))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            assert token not in repr(connection.execute(select(table)).all()), table.name


def test_resending_withdraws_the_old_link_and_the_new_one_works(world, client, login, mailbox):
    login(world.admin)
    register_candidate(client)
    first = invitation_link(mailbox, "ana.ruiz@example.com")
    user = db.session.scalar(select(User).where(User.email == "ana.ruiz@example.com"))
    assert client.post(f"/people/{user.id}/resend").status_code == 302
    second = invitation_link(mailbox, "ana.ruiz@example.com")
    assert first != second
    client.post("/logout")
    withdrawn = client.get(first)
    assert withdrawn.status_code == 410 and "se retiró" in withdrawn.get_data(as_text=True)
    assert choose_password(client, second, STRONG).status_code == 302


def test_a_withdrawn_invitation_says_so_and_cannot_be_used(world, client, login, mailbox):
    login(world.admin)
    register_candidate(client)
    path = invitation_link(mailbox, "ana.ruiz@example.com")
    user = db.session.scalar(select(User).where(User.email == "ana.ruiz@example.com"))
    assert client.post(f"/people/{user.id}/withdraw").status_code == 302
    assert "Invitación retirada o vencida" in client.get("/candidates/").get_data(as_text=True)
    client.post("/logout")
    assert choose_password(client, path, STRONG).status_code == 410
    db.session.expire_all()
    assert user.password_hash is None


def test_an_expired_link_says_so(world, client, login, mailbox):
    login(world.admin)
    register_candidate(client)
    path = invitation_link(mailbox, "ana.ruiz@example.com")
    db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 410 and "venció" in response.get_data(as_text=True)


def test_an_unknown_link_is_not_found(app, client):
    response = client.get("/invitations/not-a-real-token")
    assert response.status_code == 404 and "no es válido" in response.get_data(as_text=True)
    assert client.get("/password/reset/not-a-real-token").status_code == 404


def test_the_invitation_link_expires_after_the_configured_days(world, client, login, mailbox):
    world_app = client.application
    world_app.config["INVITATION_DAYS"] = 3
    login(world.admin)
    register_candidate(client)
    row = db.session.scalar(select(AccountToken))
    assert timedelta(days=3) - timedelta(minutes=1) < row.expires_at - utcnow() <= timedelta(days=3)
    assert "3 días" in mailbox.last_to("ana.ruiz@example.com").text


def test_the_centre_administrator_invites_staff_who_then_log_in(world, client, login, mailbox):
    login(world.admin)
    response = client.post(
        "/staff/",
        data={
            "full_name": "Rosa Linares",
            "email": "rosa@example.com",
            "role": "reviewer",
            "language": "es_MX",
        },
    )
    assert response.status_code == 302
    assert "Verificador interno" in mailbox.last_to("rosa@example.com").text
    refused = client.post(
        "/staff/",
        data={"full_name": "X", "email": "x@example.com", "role": "admin", "language": "es_MX"},
    )
    assert refused.status_code == 422 and not mailbox.to("x@example.com")
    client.post("/logout")
    assert (
        choose_password(client, invitation_link(mailbox, "rosa@example.com"), STRONG).status_code
        == 302
    )
    assert (
        client.post("/login", data={"email": "rosa@example.com", "password": STRONG}).status_code
        == 302
    )


def test_two_clicks_at_once_on_one_link_set_one_password(app, world, client, login, mailbox):
    login(world.admin)
    register_candidate(client)
    path = invitation_link(mailbox, "ana.ruiz@example.com")
    db.session.commit()
    passwords = [STRONG, "colibri-en-la-ventana-azul"]
    clients = [app.test_client() for _ in passwords]

    def posting(visitor, password):
        def step(go):
            go()
            return choose_password(visitor, path, password)

        return step

    responses = race(app, *[posting(c, p) for c, p in zip(clients, passwords, strict=True)])
    statuses = sorted(response.status_code for response in responses)
    # The loser is refused either way: 409 when both read the link as unused and the database
    # let one use it, 410 when the winner had committed before the loser read it (a loaded
    # machine often runs the two one after the other).
    assert statuses in ([302, 409], [302, 410]), statuses
    winner = passwords[[r.status_code for r in responses].index(302)]
    user = db.session.scalar(select(User).where(User.email == "ana.ruiz@example.com"))
    assert user.check_password(winner)
    assert db.session.scalar(select(AccountToken)).used_at is not None


def test_a_bad_centre_is_explained_and_nothing_is_stored(world, client, login):
    body_admin = factories.make_body_admin()
    db.session.commit()
    login(body_admin)
    assert client.post("/centres/", data={"code": "", "name": "", "city": ""}).status_code == 422
    taken = client.post(
        "/centres/", data={"code": world.centre.code.lower(), "name": "Otro", "city": ""}
    )
    assert taken.status_code == 422
    assert "Ya existe un centro con este código." in taken.get_data(as_text=True)
    opened = client.post(
        "/centres/", data={"code": "conalep-tol", "name": " CONALEP  Toluca ", "city": "Toluca"}
    )
    assert opened.status_code == 302
    assert db.session.scalar(select(Centre).where(Centre.code == "CONALEP-TOL")).name == (
        "CONALEP Toluca"
    )
    assert db.session.query(Centre).count() == 2
