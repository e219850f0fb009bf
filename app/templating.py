"""Helpers available in every template."""

from datetime import datetime
from urllib.parse import urlencode

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, format_time, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from app.accounts.services import may_manage
from app.auth import may_open
from app.extensions import language_in_address
from app.forms import ActionForm
from app.labels import LabelledEnum

# The main menu: each link is shown to whoever its route lets in (app.auth.may_open).
NAVIGATION = [
    ("accounts.centres", _l("Centres")),
    ("assessments.index", _l("Assessments")),
    ("diagnostics.index", _l("Diagnostics")),
    ("appeals.index", _l("Appeals")),
    ("standards.index", _l("Standards")),
    ("accounts.candidates", _l("Candidates")),
    ("accounts.staff", _l("Staff")),
    ("accounts.evaluators", _l("Evaluators")),
    ("accounts.centre_settings", _l("Centre")),
    ("assessments.mine", _l("My assessments")),
    ("certificates.index", _l("Certificates")),
    ("reports.index", _l("Reports")),
    ("accounts.privacy", _l("My privacy")),
]


def label(value) -> str:
    """The label people read for a stored value: enums carry their own (app/labels.py)."""
    return value.label if isinstance(value, LabelledEnum) else str(value)


def gettext_for_render(translations):
    """The templates' `_()` bound to this request's translations.

    Flask-Babel's own looks the translations up through the app context on every call, which
    cost a page like the verification page a sixth of its render. This behaves as Jinja's
    "newstyle" gettext does: escaped unless marked safe, always %-formatted.
    """

    @pass_context
    def gettext(context, message: str, **variables) -> str:
        text = translations.ugettext(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return gettext


def language_tag(locale_code: str) -> str:
    """The HTML/BCP 47 tag of one of config LANGUAGES: es_MX -> es-MX."""
    return locale_code.replace("_", "-")


def keep_language_in_address(endpoint: str, values: dict) -> None:
    """Links of a page opened with ?lang=… keep it, so a visitor's choice of language lasts
    from page to page without a cookie. Static files do not vary by language; a signed-in
    user's choice lives in the session."""
    if endpoint == "static" or "lang" in values or current_user.is_authenticated:
        return
    chosen = language_in_address()
    if chosen:
        values["lang"] = chosen


def language_url(code: str) -> str:
    """This page in another language, for a visitor (no session): the same address with
    ?lang=<code>. A page answering a POST (the PDF check) links to the home page instead."""
    if request.method != "GET" or request.endpoint is None:
        return url_for("accounts.home", lang=code)
    args = request.args.copy()
    args["lang"] = code
    return f"{request.path}?{urlencode(list(args.items(multi=True)))}"


def register(app: Flask) -> None:
    app.url_defaults(keep_language_in_address)
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["date"] = lambda value, style="medium": (
        format_date(value, style) if value else ""
    )
    app.jinja_env.filters["datetime"] = lambda value, style="medium": (
        format_datetime(value, style) if value else ""
    )
    app.jinja_env.filters["time"] = lambda value, style="short": (
        format_time(value, style) if value else ""
    )
    # E-mail contexts carry moments as ISO strings (they travel through the task queue).
    app.jinja_env.filters["from_iso"] = datetime.fromisoformat

    app.jinja_env.globals.update(
        may_open=may_open, may_manage=may_manage, navigation=NAVIGATION, language_url=language_url
    )

    @app.context_processor
    def globals_for_templates():
        locale = str(get_locale())
        return {
            "gettext": gettext_for_render(get_translations()),
            # Only signed-in pages have POST buttons (log out, actions); visitors need no token.
            # The button needs only its token: reading the request's body here would fail again
            # on the error page of a body that could not be read (e.g. 413, too large).
            "action_form": ActionForm(formdata=None) if current_user.is_authenticated else None,
            "other_languages": [
                (code, language_tag(code), name)
                for code, name in app.config["LANGUAGES"].items()
                if code != locale
            ],
            "html_lang": language_tag(locale),
            "address_lang": language_in_address(),
        }
