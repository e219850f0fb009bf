"""The reports as people get them: the page with its charts and tables, the filters, the
exports read back (CSV with csv, XLSX with openpyxl), and who may open them."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from tests import factories
from tests.report_world import build_report_world

Q1 = {"date_from": "2026-01-01", "date_to": "2026-03-31"}


@pytest.fixture(scope="module")
def w(module_app):
    return build_report_world()


@pytest.fixture
def as_user(module_app, w):
    def log_in(user=None, locale="en"):
        client = module_app.test_client()
        client.post("/language", data={"locale": locale})
        email = (user or w.admin_a).email
        response = client.post("/login", data={"email": email, "password": factories.PASSWORD})
        assert response.status_code == 302
        return client

    return log_in


# A script element without a src: what the Content-Security-Policy refuses to run.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)")


def test_the_page_shows_the_centres_numbers_with_charts_and_their_tables(as_user):
    page = as_user().get("/reports/", query_string={**Q1, "grouping": "standard"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "CONALEP Plantel Azcapotzalco" in html
    # EC0217.01: scheduled 5, judged 4, competent 3, 75 %, 2 certificates, 0 / 1, 7 days
    row = re.search(r"EC0217\.01 [^<]*</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", row) == ["5", "4", "3", "75.0 %", "2", "0", "1", "7.0"]
    # Each chart is an SVG with its title and description, and a table of the same numbers.
    assert html.count('<svg viewBox="0 0') == 2
    assert html.count("<title id=") == 2 and html.count("<desc id=") == 2
    assert '<caption id="chart-1-caption">Pass rate over time</caption>' in html
    assert '<th scope="row">2026-01</th><td>2</td><td>1</td><td>50.0 %</td>' in html
    assert "<polyline points=" in html and 'class="chart-bar"' in html
    # Drawn without inline styles or scripts, which the Content-Security-Policy forbids.
    assert "style=" not in html and not INLINE_SCRIPT.search(html)
    assert "style-src 'self'" in page.headers["Content-Security-Policy"]


def test_another_centres_numbers_never_appear(as_user, w):
    query = {**Q1, "grouping": "evaluator"}
    html = as_user().get("/reports/", query_string=query).get_data(as_text=True)
    assert "Laura Méndez Ochoa" in html
    assert "Tomás Reyes Cano" not in html and "Tlalnepantla" not in html
    # Asking for the other centre's evaluator filters to nothing, it does not show them.
    html = (
        as_user()
        .get("/reports/", query_string={**Q1, "evaluator": w.evaluator_3.id})
        .get_data(as_text=True)
    )
    assert "Tomás Reyes Cano" not in html
    html = as_user(w.admin_b).get("/reports/", query_string=Q1).get_data(as_text=True)
    assert "CONALEP Plantel Tlalnepantla" in html and "Azcapotzalco" not in html


@pytest.mark.parametrize(
    "url", ["/reports/", "/reports/evaluators", "/reports/export/csv", "/reports/export/xlsx"]
)
def test_staff_other_than_the_administrator_get_403(as_user, w, url):
    assert as_user(w.evaluator_1).get(url).status_code == 403
    assert as_user(w.reviewer_a).get(url).status_code == 403


def test_a_bad_filter_is_explained_and_nothing_is_counted(as_user):
    page = as_user().get(
        "/reports/", query_string={"date_from": "2026-03-01", "date_to": "2026-01-01"}
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "The end date must not be before the start date." in html
    assert "<svg" not in html
    spanish = as_user(locale="es_MX").get("/reports/", query_string={"grouping": "nonsense"})
    assert spanish.status_code == 422 and "Opción inválida." in spanish.get_data(as_text=True)


def test_unknown_export_format_is_404(as_user):
    assert as_user().get("/reports/export/pdf").status_code == 404


def test_csv_export_has_the_filters_applied_and_names_in_the_users_language(as_user, w):
    response = as_user(locale="es_MX").get(
        "/reports/export/csv", query_string={**Q1, "grouping": "evaluator"}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Evaluador", "Evaluaciones programadas", "Juicios de competencia"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Laura Méndez Ochoa"][1:5] == ["4", "4", "3", "75.0"]
    # The evaluator named "=Ernesto…" stays text: the cell is neutralised, not a formula.
    assert "'=Ernesto Díaz Vela" in by_name
    assert not any(row[0].startswith(("=", "+", "-", "@")) for row in rows)


def test_xlsx_export_reads_back_with_every_table_and_the_filters(as_user, w):
    response = as_user().get(
        "/reports/export/xlsx", query_string={**Q1, "standard": w.standard_1.id}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    assert workbook.sheetnames == [
        "Filters",
        "Summary",
        "Pass rate over time",
        "Pass rate by standard",
    ]
    filters = {row[0]: row[1] for row in workbook["Filters"].iter_rows(values_only=True)}
    assert filters["From"] == "2026-01-01" and filters["To"] == "2026-03-31"
    assert filters["Standard"].startswith("EC0217.01")
    summary = list(workbook["Summary"].iter_rows(values_only=True))
    assert summary[0][:3] == ("Month", "Assessments scheduled", "Judgements")
    assert [row[:5] for row in summary[1:]] == [
        ("2026-01", 2, 2, 1, 50),
        ("2026-02", 1, 1, 1, 100),
        ("2026-03", 2, 1, 1, 100),
    ]


def test_evaluator_statistics_page_and_export(as_user, w):
    page = as_user().get("/reports/evaluators", query_string={"date_from": "2026-01-01"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    row = re.search(r"=Ernesto Díaz Vela</th>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", row)
    assert cells == ["2", "1 (50.0 %)", "—", "100.0 %", "75.0 %", "+25.0 points"]
    workbook = load_workbook(
        io.BytesIO(
            as_user()
            .get("/reports/evaluators/export/xlsx", query_string={"date_from": "2026-01-01"})
            .get_data()
        ),
        read_only=True,
    )
    rows = list(workbook["Evaluators"].iter_rows(values_only=True))
    assert rows[0][0] == "Evaluator"
    laura = next(r for r in rows if r[0] == "Laura Méndez Ochoa")
    assert laura[2:] == (4, 0, 0, None, 4, 75, 80, -5)


def test_the_menu_links_to_reports_for_the_administrator_only(as_user, w):
    assert 'href="/reports/"' in as_user().get("/assessments/").get_data(as_text=True)
    html = as_user(w.evaluator_1).get("/assessments/").get_data(as_text=True)
    assert 'href="/reports/"' not in html


@pytest.mark.parametrize("url", ["/reports/", "/reports/evaluators"])
def test_the_pages_speak_spanish(as_user, url):
    page = as_user(locale="es_MX").get(url, query_string=Q1)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Mostrar el informe" in html and "Porcentaje de Competente" in html


def test_the_body_administrator_reads_every_centre_or_the_one_chosen(as_user, w, module_app):
    from app.extensions import db

    body_admin = factories.make_body_admin("Rocío Vargas Luna")
    db.session.commit()
    client = as_user(body_admin)
    every = client.get("/reports/evaluators", query_string=Q1).get_data(as_text=True)
    assert "Laura Méndez Ochoa" in every and "Tomás Reyes Cano" in every
    assert 'name="centre"' in every  # the choice of a centre, which centre staff never get
    one = client.get("/reports/evaluators", query_string={**Q1, "centre": w.centre_b.id})
    html = one.get_data(as_text=True)
    assert one.status_code == 200
    assert "Tomás Reyes Cano" in html and "Laura Méndez Ochoa" not in html
    staff = as_user().get("/reports/evaluators", query_string={**Q1, "centre": w.centre_b.id})
    assert "Tomás Reyes Cano" not in staff.get_data(as_text=True)  # ignored for centre staff
    assert 'name="centre"' not in staff.get_data(as_text=True)
