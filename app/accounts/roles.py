"""The roles people hold. A leaf module: it imports nothing of the app, so every layer may."""

from flask_babel import lazy_gettext as _l

from app.labels import LabelledEnum


class Role(LabelledEnum):
    # The certifying body's own staff: centres, the catalogue and national reports; no centre.
    BODY_ADMIN = "body_admin", _l("Body administrator")
    ADMIN = "admin", _l("Centre administrator")
    EVALUATOR = "evaluator", _l("Evaluator")
    REVIEWER = "reviewer", _l("Quality reviewer")
    CANDIDATE = "candidate", _l("Candidate")


# Who invites whom: the body administrator invites centre administrators; they invite the rest.
INVITED_BY = {
    Role.ADMIN: Role.BODY_ADMIN,
    Role.EVALUATOR: Role.ADMIN,
    Role.REVIEWER: Role.ADMIN,
    Role.CANDIDATE: Role.ADMIN,
}
