"""The centre administrator's page for API tokens: create (the secret shown once), revoke."""

from flask import abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.roles import Role
from app.api import queries, services
from app.api.blueprint import pages
from app.api.forms import TokenForm
from app.auth import public, require_role
from app.forms import ActionForm, explained_on, status_of


def _page(form, secret=None, status=200):
    return render_template(
        "api/tokens.html",
        form=form,
        secret=secret,
        tokens=queries.list_tokens(current_user.centre_id),
        revoke_form=ActionForm(),
    ), status


@pages.get("/centre/api-tokens")
@require_role(Role.ADMIN)
def tokens():
    return _page(TokenForm())


@pages.post("/centre/api-tokens")
@require_role(Role.ADMIN)
def create_token():
    form = TokenForm()
    if form.validate_on_submit():
        with explained_on(form):
            _token, secret = services.create_token(current_user, form.name.data, form.scope.data)
            # Shown in this answer only (never stored, never in a redirect or the session).
            return _page(TokenForm(formdata=None), secret=secret, status=201)
    return _page(form, status=status_of(form))


@pages.post("/centre/api-tokens/<int:token_id>/revoke")
@require_role(Role.ADMIN)
def revoke_token(token_id: int):
    token = queries.get_token(current_user.centre_id, token_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.revoke_token(current_user, token)
    flash(_("Token “%(name)s” revoked.", name=token.name), "success")
    return redirect(url_for("api_pages.tokens"))


@pages.get("/api/v1/openapi.json")
@public
def openapi():
    """The API's OpenAPI 3.1 document."""
    return jsonify(openapi_document())


@pages.get("/api/v1/docs")
@public
def docs():
    """The OpenAPI document as a page: rendered on the server, so it needs no script and works
    under the Content-Security-Policy (a JavaScript viewer would need inline code or a CDN)."""
    document = openapi_document()
    return render_template("api/docs.html", spec=document, schemas=document_schemas(document))


def openapi_document() -> dict:
    return current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def document_schemas(document: dict) -> dict:
    return document.get("components", {}).get("schemas", {})
