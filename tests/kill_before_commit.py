"""Issue a certificate, then die by SIGKILL just before the commit: the file is stored, the row
never lands. What an out-of-memory kill or a host failure does at the worst moment.

    python -m tests.kill_before_commit '<settings as JSON>' <admin id> <assessment id>

Used by tests/services/test_storage_sweep.py; not a test module.
"""

import json
import os
import signal
import sys

from sqlalchemy import event

from app import create_app
from app.accounts.models import User
from app.assessments.models import Assessment
from app.certificates.services import issue_certificate
from app.extensions import db
from app.storage import wait_for_files
from config import TestingConfig


def main(settings: str, admin_id: str, assessment_id: str) -> None:
    app = create_app(TestingConfig, json.loads(settings))
    with app.app_context():

        @event.listens_for(db.session(), "before_commit")
        def die(session):
            wait_for_files(session)  # the file is stored; the COMMIT is not sent yet
            print(json.dumps({"public_id": certificate.public_id}), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

        admin = db.session.get(User, int(admin_id))
        certificate = issue_certificate(admin, db.session.get(Assessment, int(assessment_id)))
        db.session.commit()
    sys.exit("still alive after SIGKILL")


if __name__ == "__main__":
    main(*sys.argv[1:])
