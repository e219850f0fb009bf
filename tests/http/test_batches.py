"""Batch issuance through the task queue: progress, partial failure, idempotent re-run, ZIP."""

import io
import zipfile

from sqlalchemy import func, select

from app.certificates.models import BatchItemStatus, Certificate, IssuanceBatch
from app.extensions import db


def start(client, assessments):
    return client.post(
        "/certificates/batches", data={"assessment": [str(a.id) for a in assessments]}
    )


def test_batch_issues_every_selected_judgement(world, client, login):
    approved = [world.approved(), world.approved(world.other_candidate, hours_from_now=3)]
    db.session.commit()
    login(world.admin)
    response = start(client, approved)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert 'value="2" max="2"' in page  # the progress bar is full
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2


def test_one_failure_does_not_stop_the_others_and_rerun_never_issues_twice(world, client, login):
    good = world.approved()
    not_reviewed = world.judge(world.schedule(world.other_candidate, hours_from_now=3))
    db.session.commit()
    login(world.admin)
    start(client, [good, not_reviewed])
    batch = db.session.scalar(select(IssuanceBatch))
    statuses = {item.assessment_id: item for item in batch.items}
    assert statuses[good.id].status == BatchItemStatus.ISSUED
    failed = statuses[not_reviewed.id]
    assert failed.status == BatchItemStatus.FAILED
    assert "verificador" in failed.error  # the reason, in the user's language
    page = client.get(f"/certificates/batches/{batch.id}").get_data(as_text=True)
    assert failed.error in page

    from app.assessments.services import approve_judgement

    approve_judgement(world.reviewer, not_reviewed)
    db.session.commit()
    client.post(f"/certificates/batches/{batch.id}/run")
    client.post(f"/certificates/batches/{batch.id}/run")
    db.session.expire_all()
    assert {item.status for item in batch.items} == {BatchItemStatus.ISSUED}
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2


def test_batch_zip_holds_the_issued_pdfs_named_by_folio(world, client, login):
    approved = [world.approved(), world.approved(world.other_candidate, hours_from_now=3)]
    db.session.commit()
    login(world.admin)
    start(client, approved)
    batch = db.session.scalar(select(IssuanceBatch))
    response = client.get(f"/certificates/batches/{batch.id}/zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    folios = sorted(c.folio for c in db.session.scalars(select(Certificate)))
    assert sorted(name.removesuffix(".pdf") for name in archive.namelist()) == folios
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())


def test_a_batch_of_another_centre_is_not_found(world, client, login):
    from app.accounts.roles import Role
    from tests import factories

    world.approved()
    db.session.commit()
    login(world.admin)
    start(client, [world.approved(world.other_candidate, hours_from_now=3)])
    batch = db.session.scalar(select(IssuanceBatch))
    outsider = factories.make_user(factories.make_centre("Otro"), Role.ADMIN)
    db.session.commit()
    login(outsider)
    assert client.get(f"/certificates/batches/{batch.id}").status_code == 404
    assert client.get(f"/certificates/batches/{batch.id}/zip").status_code == 404


class StatementCounter:
    """Counts the SQL statements sent to the database while it is active."""

    def __init__(self):
        self.count = 0

    def __call__(self, *args):
        self.count += 1

    def __enter__(self):
        from sqlalchemy import event

        event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(db.engine, "before_cursor_execute", self)


def _batch_of(world, size: int):
    from app.certificates.batches import create_batch

    candidates = [world.candidate, world.other_candidate]
    approved = [world.approved(candidates[n % 2], hours_from_now=1 + 3 * n) for n in range(size)]
    batch = create_batch(world.admin, [a.id for a in approved])
    db.session.commit()
    return batch.id


def test_the_batch_page_and_its_progress_cost_the_same_queries_for_2_or_6_items(
    world, client, login
):
    small, large = _batch_of(world, 2), _batch_of(world, 6)
    login(world.admin)
    statements = {}
    for batch_id in (small, large):
        for path in (
            f"/certificates/batches/{batch_id}",
            f"/certificates/batches/{batch_id}/progress",
        ):
            db.session.expire_all()  # nothing cached from the request before
            with StatementCounter() as counter:
                assert client.get(path).status_code == 200
            statements[path.replace(str(batch_id), "{id}"), batch_id] = counter.count
    page, progress = "/certificates/batches/{id}", "/certificates/batches/{id}/progress"
    assert statements[page, small] == statements[page, large]
    assert statements[progress, small] == statements[progress, large] <= 3
    assert client.get(f"/certificates/batches/{large}/progress").json == {
        "counts": {"pending": 6, "issued": 0, "failed": 0},
        "finished": False,
    }


def test_the_batch_page_loads_its_script_once_and_not_in_the_title(world, client, login):
    batch_id = _batch_of(world, 1)
    login(world.admin)
    page = client.get(f"/certificates/batches/{batch_id}").get_data(as_text=True)
    title = page[page.index("<title>") : page.index("</title>")]
    assert "<script" not in title and "script" not in title
    assert page.count("js/batch-progress.js") == 1


def test_a_digit_that_is_not_a_number_is_no_judgement_to_certify(world, client, login):
    # "²".isdigit() is True but int("²") fails: such a value is ignored like any other non-id.
    login(world.admin)
    response = client.post("/certificates/batches", data={"assessment": ["²", "x"]})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(IssuanceBatch)) == 0
    assert "Elija al menos" in client.get(response.location).get_data(as_text=True)
