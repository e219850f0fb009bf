"""The public catalogue: search published standards (a GET form) and read one at a stable
address, /catalogo/<code> (the latest published version; EC0217.01 names a version) or
/catalogo/<code>/<version>. Open to anyone, sets no cookie, rate-limited like the other
public lookups (one shared allowance per client)."""

from flask import current_app, render_template, request, url_for

from app.auth import public
from app.catalogue import queries
from app.catalogue.blueprint import blueprint
from app.catalogue.forms import SearchForm
from app.extensions import limiter
from app.standards import rules


def _public_limit() -> str:
    return current_app.config["PUBLIC_LOOKUP_RATE_LIMIT"]


# The same scope as the verification pages: alternating between them gains nothing.
public_lookup_limit = limiter.shared_limit(_public_limit, scope="public-lookup")


@blueprint.get("/")
@public
@public_lookup_limit
def search():
    form = SearchForm(request.args)
    sectors = queries.list_public_sectors()
    form.sector.choices = [("", "—")] + [(s, s) for s in sectors]
    results = None
    if form.validate():
        level = int(form.level.data) if form.level.data else None
        sector = form.sector.data if form.sector.data in sectors else ""
        results = queries.search_published(form.q.data or "", sector, level, form.page.data or 1)
    status = 422 if form.errors else 200

    def page_url(page: int) -> str:
        return url_for("catalogue.search", **{**request.args.to_dict(), "page": page})

    return render_template(
        "catalogue/search.html", form=form, results=results, page_url=page_url
    ), status


def _standard_page(standard):
    if standard is None:
        return render_template("catalogue/not_found.html"), 404
    return render_template(
        "catalogue/show.html",
        standard=standard,
        versions=queries.list_public_versions(standard.code),
    )


@blueprint.get("/<code>")
@public
@public_lookup_limit
def show(code: str):
    parsed = rules.split_code(code)
    if parsed is None:
        return _standard_page(None)
    code, version = parsed
    return _standard_page(queries.find_public(code, version or None))


@blueprint.get("/<code>/<version>")
@public
@public_lookup_limit
def show_version(code: str, version: str):
    parsed = rules.split_code(code, version)
    if parsed is None or not version:
        return _standard_page(None)
    return _standard_page(queries.find_public(*parsed))
