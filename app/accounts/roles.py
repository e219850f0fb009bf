"""The roles people hold. A leaf module: it imports nothing of the app, so every layer may."""

from flask_babel import lazy_gettext as _l

from app.labels import LabelledEnum


class Role(LabelledEnum):
    ADMIN = "admin", _l("Centre administrator")
    EVALUATOR = "evaluator", _l("Evaluator")
    REVIEWER = "reviewer", _l("Quality reviewer")
    CANDIDATE = "candidate", _l("Candidate")
