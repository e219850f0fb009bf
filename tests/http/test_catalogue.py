"""The public catalogue: anyone searches published standards and opens one at a stable address,
with no login and no cookie; drafts never show; lookups share the public rate limit."""

import pytest
from sqlalchemy import select

from app import create_app
from app.dates import today
from app.extensions import db
from app.standards import services
from app.standards.models import Standard
from config import TestingConfig
from tests import factories


@pytest.fixture
def catalogue(world):
    """EC0217.01 superseded by EC0217.02, an unsuffixed EC0301, a cancelled one and a draft."""
    admin = world.body_admin
    old = factories.make_standard(admin, code="EC0217")
    old.title, old.title_en = "Impartición de cursos presenciales", "Delivery of courses"
    services.refresh_search_text(old)
    new = services.new_version(admin, old)
    title = "Impartición de cursos de formación presenciales"
    services.update_standard(admin, new, services.Header("EC0217", "02", title, 3, "Educación", 3))
    services.publish_standard(admin, new, today(), supersede=True)
    design = factories.make_standard(admin, code="EC0301")
    design.version, design.level, design.sector = "", 4, "Tecnologías de la información"
    design.title = "Diseño de evaluación"
    services.refresh_search_text(design)
    cancelled = factories.make_standard(admin, code="EC0999")
    services.cancel_standard(admin, cancelled, today())
    factories.make_standard(admin, code="EC0555", publish=False)
    db.session.commit()
    return {"old": old, "new": new, "design": design}


def codes(response) -> list[str]:
    page = response.get_data(as_text=True)
    return [c for c in ("EC0217.01", "EC0217.02", "EC0301", "EC0999", "EC0555") if c in page]


def test_anyone_searches_by_code_words_sector_and_level_without_a_cookie(catalogue, client):
    response = client.get("/catalogo/?q=ec0217")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert codes(response) == ["EC0217.02"]  # superseded and cancelled versions are not listed
    assert codes(client.get("/catalogo/?q=diseno+evaluacion")) == ["EC0301"]  # no accents typed
    assert codes(client.get("/catalogo/?q=cursos&level=4")) == []
    assert codes(client.get("/catalogo/?level=4")) == ["EC0301"]
    sector = "Tecnologías de la información"
    assert codes(client.get("/catalogo/", query_string={"sector": sector})) == ["EC0301"]
    assert codes(client.get("/catalogo/?q=%25")) == []  # a LIKE wildcard is a plain character
    assert client.get("/catalogo/?level=9").status_code == 422


def test_a_standard_has_stable_public_addresses(catalogue, client):
    latest = client.get("/catalogo/EC0217")
    page = latest.get_data(as_text=True)
    assert latest.status_code == 200 and "Set-Cookie" not in latest.headers
    assert "EC0217.02 · Impartición de cursos de formación presenciales" in page
    assert "Criterio 1" in page and "3 años" in page  # criteria and certificate validity
    old = client.get("/catalogo/EC0217.01").get_data(as_text=True)
    assert "fue sustituida" in old and "Delivery of courses" in old
    assert client.get("/catalogo/EC0217/01").status_code == 200
    assert client.get("/catalogo/EC0301").status_code == 200
    assert "cancelado" in client.get("/catalogo/EC0999").get_data(as_text=True)
    for missing in (
        "/catalogo/EC0555",
        "/catalogo/EC0217.07",
        "/catalogo/no-such",
        "/catalogo/EC0217/x",
    ):
        assert client.get(missing).status_code == 404, missing


def test_the_catalogue_shares_the_public_lookup_allowance(database_url, tmp_path):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": tmp_path,
            "RATELIMIT_ENABLED": True,
            "PUBLIC_LOOKUP_RATE_LIMIT": "3 per minute",
        },
    )
    client = app.test_client()
    statuses = [client.get(url).status_code for url in ("/catalogo/", "/catalogo/EC1", "/v/x")]
    assert statuses == [200, 404, 404]
    assert client.get("/catalogo/?q=ec").status_code == 429


def test_the_search_is_one_query_that_never_loads_drafts(catalogue, app):
    from app.catalogue.queries import search_published

    found = search_published("FORMACIÓN presenciales")
    assert [s.full_code for s in found.standards] == ["EC0217.02"]
    assert db.session.scalar(select(Standard).where(Standard.code == "EC0555")).status == "draft"


def test_results_come_a_page_at_a_time(world, client):
    for n in range(30):
        factories.make_standard(world.admin, code=f"EC{5000 + n}")
    db.session.commit()
    first = client.get("/catalogo/?q=EC5").get_data(as_text=True)
    assert "EC5000.01" in first and "EC5029.01" not in first
    assert 'rel="next"' in first and "page=2" in first
    second = client.get("/catalogo/?q=EC5&page=2").get_data(as_text=True)
    assert "EC5029.01" in second and 'rel="prev"' in second and 'rel="next"' not in second
