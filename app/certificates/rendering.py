"""The only module that imports WeasyPrint or qrcode: certificate context → HTML → PDF bytes.

Designs live in `certificates/<design>/`. A design's fonts and stylesheet are prepared once per
process and reused, because WeasyPrint spends most of a cold render loading them.
"""

import base64
import ctypes.util
import logging
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import qrcode
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from app.certificates.designs import DESIGNS_DIR

log = logging.getLogger(__name__)
# WeasyPrint's shared font configuration is not thread-safe: threads take turns, processes
# (gunicorn and Huey workers) render in parallel.
_render_lock = threading.Lock()


def has_fast_font_subsetting() -> bool:
    """WeasyPrint subsets fonts 6× faster with HarfBuzz's subset library (libharfbuzz-subset0)."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


def make_qr_svg(url: str) -> str:
    """An SVG QR code of `url` with error correction M and the standard quiet zone.

    Each horizontal run of dark modules is one rectangle in a single path. qrcode's own SVG
    factories draw one square per module, about twice as many subpaths, and WeasyPrint parses
    and draws every one of them in Python: on a certificate that was a tenth of the render.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    rectangles = "".join(
        f"M{start} {y}h{length}v1h-{length}z"
        for y, row in enumerate(matrix)
        for start, length in dark_runs(row)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}mm" height="{size}mm" '
        f'viewBox="0 0 {size} {size}"><path d="{rectangles}" fill="#000"/></svg>'
    )


def dark_runs(row: list[bool]) -> list[tuple[int, int]]:
    """(start, length) of each run of consecutive dark modules in one row of a QR code."""
    runs, start = [], None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            runs.append((start, x - start))
            start = None
    return runs


def qr_data_uri(url: str) -> str:
    return image_data_uri(make_qr_svg(url).encode("utf-8"), "image/svg+xml")


class DesignOnlyFetcher(URLFetcher):
    """Lets a design load its own files and data: URIs; no network, no other files."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"file", "data"}, timeout=2)
        self.root = root

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(unquote(urlparse(url).path)).resolve()
            if not path.is_relative_to(self.root):
                log.warning("certificate design tried to load %s", url)
                raise ValueError(f"outside the design folder: {url}")
        return super().fetch(url, headers)


@dataclass
class PreparedDesign:
    name: str
    root: Path
    environment: Environment
    stylesheet: CSS
    font_config: FontConfiguration
    fetcher: DesignOnlyFetcher


@cache
def prepare_design(root: Path) -> PreparedDesign:
    environment = Environment(
        loader=FileSystemLoader(root),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )
    font_config = FontConfiguration()
    fetcher = DesignOnlyFetcher(root)
    stylesheet = CSS(
        filename=str(root / "certificate.css"), font_config=font_config, url_fetcher=fetcher
    )
    return PreparedDesign(root.name, root, environment, stylesheet, font_config, fetcher)


def render_html(root: Path, context: dict) -> str:
    """Fill the design's template with plain values; every value is HTML-escaped."""
    prepared = prepare_design(root)
    template = prepared.environment.get_template("certificate.html")
    return template.render(**context, qr_image=qr_data_uri(context["verification_url"]))


def render_pdf(root: Path, html: str) -> bytes:
    prepared = prepare_design(root)
    document = HTML(string=html, base_url=str(prepared.root) + "/", url_fetcher=prepared.fetcher)
    with _render_lock:
        return document.write_pdf(
            stylesheets=[prepared.stylesheet],
            font_config=prepared.font_config,
            pdf_variant="pdf/ua-1",
            uncompressed_pdf=False,
        )


def render_certificate(root: Path, context: dict) -> bytes:
    """`root` is a design folder from design_dir(); `context` holds plain values only."""
    return render_pdf(root, render_html(root, context))


def image_data_uri(data: bytes, mimetype: str) -> str:
    return f"data:{mimetype};base64,{base64.b64encode(data).decode('ascii')}"


# Documents other than certificates (the cédula de evaluación, a portfolio's evidence index):
# their templates and one stylesheet, document.css, in certificates/documents/. They borrow the
# fonts of the certificate designs beside them, which do not change while a design is in use;
# the fetcher lets them load files from certificates/ and nothing else.
DOCUMENTS_DIR = DESIGNS_DIR / "documents"
DOCUMENT_STYLESHEET = "document.css"


@cache
def prepare_documents() -> PreparedDesign:
    environment = Environment(
        loader=FileSystemLoader(DOCUMENTS_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )
    font_config = FontConfiguration()
    fetcher = DesignOnlyFetcher(DESIGNS_DIR)
    stylesheet = CSS(
        filename=str(DOCUMENTS_DIR / DOCUMENT_STYLESHEET),
        font_config=font_config,
        url_fetcher=fetcher,
    )
    return PreparedDesign(
        DOCUMENTS_DIR.name, DOCUMENTS_DIR, environment, stylesheet, font_config, fetcher
    )


def render_document(template: str, context: dict) -> bytes:
    """A PDF of the document `template` (certificates/documents/), filled with plain values
    only, through the same locked-down fetcher, font handling and lock as the certificates;
    every value is HTML-escaped, so text users typed is printed, never interpreted."""
    prepared = prepare_documents()
    html = prepared.environment.get_template(template).render(**context)
    document = HTML(string=html, base_url=str(prepared.root) + "/", url_fetcher=prepared.fetcher)
    with _render_lock:
        return document.write_pdf(
            stylesheets=[prepared.stylesheet],
            font_config=prepared.font_config,
            pdf_variant="pdf/ua-1",
            uncompressed_pdf=False,
        )
