"""The request boundary: a request that succeeds commits once; any other writes nothing.

Views never commit. Services add() and flush(); the boundary commits when the view returned a
response below 400 and rolls back otherwise, and every error handler rolls back before it
renders (Indico's RH.process is the model). CLI commands and jobs commit by themselves.
"""

from collections.abc import Callable

from flask import Flask, g

from app.extensions import db


class TransactionalFlask(Flask):
    def dispatch_request(self):
        response = self.make_response(super().dispatch_request())
        if response.status_code < 400:
            commit_request()
        else:
            rollback_request()
        return response


def after_commit(action: Callable[[], object]) -> None:
    """Run `action` once the request's transaction has committed, e.g. queue a task that
    reads what the request wrote; nothing runs if the request rolls back."""
    g.setdefault("after_commit", []).append(action)


def commit_request() -> None:
    if _session_in_use():
        db.session.commit()
    for action in g.pop("after_commit", []):
        action()


def rollback_request() -> None:
    if _session_in_use():
        db.session.rollback()
    g.pop("after_commit", None)


def _session_in_use() -> bool:
    # A request that never used the session (a kept public page) has nothing to commit, and
    # committing would begin and end an empty transaction.
    return db.session.registry.has() and db.session().in_transaction()
