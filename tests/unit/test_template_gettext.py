"""The templates' `_()`: translated for the request's language, escaped, %-formatted."""

import pytest


@pytest.fixture
def render(app):
    def render(source: str, language: str, **context) -> str:
        with app.test_request_context(headers={"Accept-Language": language}):
            app.preprocess_request()  # the request hooks choose the language
            return app.jinja_env.from_string(source).render(
                **_context_for_templates(app), **context
            )

    return render


def _context_for_templates(app) -> dict:
    context = {}
    app.update_template_context(context)
    return context


def test_messages_are_in_the_requests_language(render):
    source = "{{ _('Language') }} · {{ _('See the certificate %(folio)s', folio=folio) }}"
    assert render(source, "es-MX", folio="F-1") == "Idioma · Ver el certificado F-1"
    assert render(source, "en", folio="F-1") == "Language · See the certificate F-1"


def test_variables_are_escaped_and_the_message_is_not(render):
    source = "{{ _('See the certificate %(folio)s', folio=folio) }}"
    assert render(source, "es-MX", folio="<b>&") == "Ver el certificado &lt;b&gt;&amp;"


def test_a_message_without_a_translation_is_shown_as_written(render):
    assert render("{{ _('100%% sure') }}", "es-MX") == "100% sure"
