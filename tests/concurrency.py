"""Run the same operation on several threads or processes at the same instant, as many
workers of a real deployment would, each with its own app context, session and connection."""

import threading
from collections.abc import Callable

from sqlalchemy import select

from app.certificates.models import Certificate, FolioVoid
from app.extensions import db

BARRIER_TIMEOUT = 60

# A step loads what it needs, calls go() to wait for the others, then acts; what it returns,
# or the exception it raised, is its outcome. The caller's commit happens after the step.
Step = Callable[[Callable[[], None]], object]


def race(app, *steps: Step) -> list:
    """Run the steps together, one thread each; return their outcomes in order.

    The caller's own session must have committed first. Its identity map is expired afterwards,
    so what it reads next is what the racers committed.
    """
    barrier = threading.Barrier(len(steps), timeout=BARRIER_TIMEOUT)
    outcomes: list = [None] * len(steps)

    def run(index: int, step: Step) -> None:
        with app.app_context():
            try:
                outcomes[index] = step(barrier.wait)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - the outcome the test looks at
                db.session.rollback()
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n, step)) for n, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    return outcomes


def voids_once_every_gap_is_explained() -> dict[int, str]:
    """Assert that issued and voided numbers together run from 1 with no gap; return the voids."""
    issued = {int(f.rsplit("-", 1)[1]) for f in db.session.scalars(select(Certificate.folio))}
    voided = {v.number: v.reason for v in db.session.scalars(select(FolioVoid))}
    assert issued
    assert issued | set(voided) == set(range(1, len(issued) + len(voided) + 1))
    return voided


def issue_in_own_process(overrides: dict, admin_id: int, assessment_id: int, barrier, results):
    """Process target (spawned): a fresh interpreter and app issuing one certificate.

    Puts "issued", or the name of the error that refused it, on `results`.
    """
    from app import create_app
    from app.accounts.models import User
    from app.assessments.models import Assessment
    from app.certificates.services import issue_certificate
    from config import TestingConfig

    app = create_app(TestingConfig, overrides)
    with app.app_context():
        admin = db.session.get(User, admin_id)
        assessment = db.session.get(Assessment, assessment_id)
        barrier.wait(BARRIER_TIMEOUT)
        try:
            issue_certificate(admin, assessment)
            db.session.commit()
            results.put("issued")
        except Exception as error:  # noqa: BLE001 - reported to the test
            db.session.rollback()
            results.put(type(error).__name__)
        finally:
            db.session.remove()
            db.engine.dispose()
