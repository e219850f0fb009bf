"""The standard builder through the test client: every line can be changed, moved and deleted
while the standard is a draft; with JavaScript each form answers with the builder fragment
(no page reload), without it with a redirect; publishing asks for confirmation first."""

from sqlalchemy import func, select

from app.extensions import db
from app.standards import services
from app.standards.models import Criterion, InstrumentItem, Standard, StandardStatus
from tests import factories

FETCH = {"X-Requested-With": "fetch"}


def new_draft(client, code="EC0217", version="") -> Standard:
    response = client.post(
        "/standards/new",
        data={
            "code": code,
            "version": version,
            "title": "Impartición de cursos de formación del capital humano",
            "title_en": "Delivery of training courses",
            "level": "3",
            "sector": "Educación",
            "validity_years": "3",
            "threshold_percent": "90",
            "approved_on": "2026-01-15",
            "dof_published_on": "2026-02-01",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Standard).order_by(Standard.id.desc()).limit(1))


def add_criterion(client, standard, element_id, text, kind="performance", headers=FETCH):
    return client.post(
        f"/standards/{standard.id}/criteria",
        data={
            "criterion-element": element_id,
            "criterion-kind": kind,
            "criterion-text": text,
            "criterion-with_item": "y",
        },
        headers=headers,
    )


def test_unsuffixed_code_is_accepted_and_recorded_with_its_official_dates(world, client, login):
    login(world.body_admin)
    standard = new_draft(client, code="EC0217", version="")
    assert (standard.code, standard.version, standard.full_code) == ("EC0217", "", "EC0217")
    assert standard.title_en == "Delivery of training courses"
    assert str(standard.approved_on) == "2026-01-15"
    assert str(standard.dof_published_on) == "2026-02-01"
    versioned = new_draft(client, code="ec0217.01")
    assert versioned.full_code == "EC0217.01"


def test_a_code_typed_twice_differently_is_refused_and_nothing_is_created(world, client, login):
    login(world.body_admin)
    before = db.session.scalar(select(func.count()).select_from(Standard))
    response = client.post(
        "/standards/new",
        data={"code": "EC0217.01", "version": "02", "title": "X", "level": "3", "sector": "S",
              "threshold_percent": "90"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "EC0217.01" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Standard)) == before


def test_the_whole_instrument_is_built_without_a_page_reload_or_retyping(world, client, login):
    """EC0217-like: 2 elements, 6 criteria; every answer is the builder fragment."""
    login(world.body_admin)
    standard = new_draft(client)
    for title in ("Preparar la sesión", "Conducir la sesión"):
        response = client.post(
            f"/standards/{standard.id}/elements", data={"element-title": title}, headers=FETCH
        )
        assert response.status_code == 200
        assert 'id="standard-builder"' in response.get_data(as_text=True)
        assert "<html" not in response.get_data(as_text=True)
    db.session.expire_all()
    first, second = standard.elements
    for n in range(3):
        assert (
            add_criterion(client, standard, first.id, f"Prepara el material {n}").status_code == 200
        )
        response = add_criterion(client, standard, second.id, f"Conduce la sesión {n}", "product")
        assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Conduce la sesión 2" in page
    # The next criterion is typed at once: the form keeps the element and kind just chosen.
    assert f'<option selected value="{second.id}">' in page
    db.session.expire_all()
    items = standard.instrument.items
    assert [item.text for item in items] == [c.text for c in sorted(
        standard.criteria, key=lambda c: min(i.position for i in items if i.criterion_id == c.id)
    )]  # fmt: skip
    assert len(items) == 6 and all(item.weight == 1 for item in items)

    item = items[0]
    response = client.post(
        f"/standards/{standard.id}/items/{item.id}",
        data={f"item-{item.id}-text": item.text, f"item-{item.id}-weight": "3",
              f"item-{item.id}-is_critical": "y"},
        headers=FETCH,
    )  # fmt: skip
    assert response.status_code == 200
    client.post(f"/standards/{standard.id}/items/{item.id}/split", headers=FETCH)
    db.session.expire_all()
    assert [(i.weight, i.is_critical) for i in standard.instrument.items[:2]] == [
        (3, True),
        (3, True),
    ]
    assert standard.instrument.items[1].criterion_id == item.criterion_id

    response = client.get(f"/standards/{standard.id}/publish")
    assert response.status_code == 200
    db.session.expire_all()
    assert standard.status == StandardStatus.DRAFT  # the confirmation page changes nothing
    response = client.post(f"/standards/{standard.id}/publish", follow_redirects=True)
    assert "Ya no se puede modificar" in response.get_data(as_text=True)
    db.session.expire_all()
    assert standard.status == StandardStatus.PUBLISHED


def test_without_javascript_each_form_redirects_to_the_page(world, client, login):
    login(world.body_admin)
    standard = new_draft(client)
    response = client.post(f"/standards/{standard.id}/elements", data={"element-title": "Uno"})
    assert response.status_code == 302
    assert response.location.endswith(f"/standards/{standard.id}")


def test_a_bad_line_is_explained_in_the_fragment_and_changes_nothing(world, client, login):
    login(world.body_admin)
    standard = factories.make_standard(world.body_admin, publish=False)
    db.session.commit()
    item = standard.instrument.items[0]
    response = client.post(
        f"/standards/{standard.id}/items/{item.id}",
        data={f"item-{item.id}-text": "Otro", f"item-{item.id}-weight": "abc"},
        headers=FETCH,
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="standard-builder"' in page and 'aria-invalid="true"' in page
    db.session.expire_all()
    assert (item.text, item.weight) == ("Reactivo 1", 3)


def test_lines_are_edited_moved_and_deleted_in_a_draft(world, client, login):
    login(world.body_admin)
    standard = factories.make_standard(world.body_admin, publish=False)
    element = services.add_element(world.body_admin, standard, "Evaluar")
    services.add_criterion(
        world.body_admin, element, "knowledge", "Tipos de evaluación", with_item=True
    )
    db.session.commit()
    url = f"/standards/{standard.id}"
    first_element, criterion = standard.elements[0], standard.criteria[0]

    client.post(f"{url}/elements/{first_element.id}", data={
        f"element-{first_element.id}-title": "Conducir la sesión grupal"})  # fmt: skip
    client.post(f"{url}/criteria/{criterion.id}", data={
        f"criterion-{criterion.id}-kind": "attitude",
        f"criterion-{criterion.id}-text": "Amabilidad"})  # fmt: skip
    client.post(f"{url}/elements/{element.id}/move", data={"offset": "-1"})
    db.session.expire_all()
    assert [e.title for e in standard.elements] == ["Evaluar", "Conducir la sesión grupal"]
    assert (criterion.kind, criterion.text) == ("attitude", "Amabilidad")

    items_before = len(standard.instrument.items)
    assert client.post(f"{url}/criteria/{criterion.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Criterion, criterion.id) is None
    assert len(standard.instrument.items) == items_before - 1
    assert [i.position for i in standard.instrument.items] == list(range(1, items_before))
    assert [c.position for c in standard.elements[1].criteria] == [1, 2, 3, 4]

    client.post(f"{url}/elements/{element.id}/delete")
    db.session.expire_all()
    assert [e.position for e in standard.elements] == [1]

    response = client.get(f"{url}/delete")
    assert "¿Eliminar el borrador" in response.get_data(as_text=True)
    assert client.post(f"{url}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Standard, standard.id) is None
    assert db.session.scalar(select(func.count()).select_from(InstrumentItem).where(
        InstrumentItem.instrument_id == standard.instrument.id)) == 0  # fmt: skip


def test_a_published_standard_refuses_every_change_and_keeps_its_lines(world, client, login):
    login(world.body_admin)
    standard = world.standard
    db.session.commit()
    item, element = standard.instrument.items[0], standard.elements[0]
    url = f"/standards/{standard.id}"
    for path, data in [
        (f"{url}/items/{item.id}/delete", {}),
        (f"{url}/elements/{element.id}/move", {"offset": "1"}),
        (f"{url}/items/{item.id}", {f"item-{item.id}-text": "X", f"item-{item.id}-weight": "2"}),
        (f"{url}/delete", {}),
    ]:
        assert client.post(path, data=data, headers=FETCH).status_code == 422, path
    db.session.expire_all()
    assert len(standard.instrument.items) == 5 and item.text == "Reactivo 1"


def test_new_version_supersedes_the_old_on_publication(world, client, login):
    login(world.body_admin)
    old = world.standard
    db.session.commit()
    assert client.get(f"/standards/{old.id}").status_code == 200
    response = client.post(f"/standards/{old.id}/new-version", data={"version": ""})
    assert response.status_code == 302
    copy = db.session.scalar(select(Standard).where(Standard.replaces_id == old.id))
    assert (copy.code, copy.version, copy.status) == (old.code, "02", StandardStatus.DRAFT)
    assert [i.text for i in copy.instrument.items] == [i.text for i in old.instrument.items]
    page = client.get(f"/standards/{copy.id}/publish").get_data(as_text=True)
    assert "Sustituir la versión publicada" in page
    client.post(f"/standards/{copy.id}/publish", data={"supersede": "y"})
    db.session.expire_all()
    assert old.status == StandardStatus.SUPERSEDED and copy.status == StandardStatus.PUBLISHED
    page = client.get(f"/standards/{copy.id}").get_data(as_text=True)
    assert f"{old.code}.01" in page and f"{old.code}.02" in page  # the chain of versions


def test_a_file_is_imported_through_the_upload_form_all_or_nothing(world, client, login):
    import io

    login(world.body_admin)
    exported = client.get(f"/standards/{world.standard.id}/export.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    csv_text = exported.get_data(as_text=True).replace(world.standard.code, "EC7777")
    broken = csv_text.replace(",performance,", ",habit,", 1)
    before = db.session.scalar(select(func.count()).select_from(Standard))

    def upload(text, file_format="csv"):
        data = {"file_format": file_format, "file": (io.BytesIO(text.encode()), "ec.csv")}
        return client.post("/standards/import", data=data, content_type="multipart/form-data")

    refused = upload(broken)
    assert refused.status_code == 422
    assert "fila 2: Tipo de criterio desconocido «habit»" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Standard)) == before
    response = upload(csv_text)
    assert response.status_code == 302
    imported = db.session.scalar(select(Standard).where(Standard.code == "EC7777"))
    assert imported.status == StandardStatus.DRAFT
    assert len(imported.instrument.items) == len(world.standard.instrument.items)
    for file_format in ("json", "case"):
        response = client.get(f"/standards/{imported.id}/export.{file_format}")
        assert response.status_code == 200 and response.get_json()
