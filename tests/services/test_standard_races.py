"""Only once, decided by the database: two imports (or two drafts) of the same code at the same
instant create it once; the other is refused whole."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.errors import ValidationFailed
from app.extensions import db
from app.standards import importing, interchange
from app.standards.models import Element, Standard
from tests.concurrency import race


def test_two_imports_of_the_same_code_at_once_create_it_once(app, world):
    document = interchange.to_json([world.standard])
    document["standards"][0]["code"] = "EC4242"
    admin_id = world.body_admin.id
    db.session.commit()

    def step(go):
        admin = db.session.get(User, admin_id)
        go()
        return importing.import_standards(admin, document)

    outcomes = race(app, step, step)

    refused = [o for o in outcomes if isinstance(o, (IntegrityError, ValidationFailed))]
    assert len(refused) == 1, outcomes
    (created,) = db.session.scalars(select(Standard).where(Standard.code == "EC4242")).all()
    elements = select(func.count()).select_from(Element).where(Element.standard_id == created.id)
    assert db.session.scalar(elements) == len(world.standard.elements)
    # Nothing of the refused import is left behind: no element without a standard.
    orphans = (
        select(func.count())
        .select_from(Element)
        .where(Element.standard_id.not_in(select(Standard.id)))
    )
    assert db.session.scalar(orphans) == 0
