"""What every browser test measures on every page it visits, and the small helpers they share.

`Checks` watches one browser context: any request that leaves the app, any stylesheet, script,
image or font that fails to load, Content-Security-Policy refusals and script errors.
`check_page(page)` runs axe-core on the page in front of it, checks that every form control
has a label and that the page fits a 360 px wide phone without horizontal scrolling; the shared
steps (steps.py) call it on every page they land on, the tests on every page they open.
"""

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "vendor" / "axe.min.js"
SCREENSHOTS = HERE / "screenshots"

# The flags that make Debian's Chromium start quickly and quietly in a container.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NARROWEST_PHONE = 360

BLOCKING_IMPACTS = ("serious", "critical")


def find_chromium() -> str | None:
    """AVALA_CHROMIUM, else /usr/bin/chromium, else the first Chromium-like browser on PATH."""
    explicit = os.environ.get("AVALA_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return next(filter(None, map(shutil.which, CHROMIUM_CANDIDATES)), None)


def skip_or_fail(reason: str):
    """No browser: a local run skips with the reason, a CI run (CI=true) fails with it."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


@dataclass
class LiveServer:
    app: Flask
    url: str

    @contextmanager
    def data(self) -> Iterator[None]:
        """An app context to create records through the services; commits when it ends."""
        with self.app.app_context():
            yield
            db.session.commit()
            db.session.remove()


# --- what one context saw -----------------------------------------------------------------------


@dataclass
class Checks:
    base_url: str
    outside_requests: list[str] = field(default_factory=list)
    broken_resources: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def add_axe(self, context) -> None:
        """Give every document of the context axe-core (it only defines `window.axe`) before
        the page's own scripts run, measured or not.

        Playwright's init scripts are outside the app's Content-Security-Policy (script-src
        'self'), which rightly refuses an inline <script> added to a page. This way it costs a
        few milliseconds a page; loading it into each page when it is measured (from a context
        route, or with evaluate) cost ~110 ms a page, and a run measures 102 pages.
        """
        context.add_init_script(path=AXE_JS)

    def watch(self, context) -> None:
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        context.on("console", self._on_console)
        context.on(
            "weberror", lambda error: self.console_errors.append(f"script error: {error.error}")
        )

    def _on_request(self, request) -> None:
        url = request.url
        if not (
            url.startswith(self.base_url + "/")
            or url == self.base_url
            or url.startswith(("data:", "blob:"))
        ):
            self.outside_requests.append(url)

    def _on_response(self, response) -> None:
        if (
            response.request.resource_type in ("stylesheet", "script", "image", "font")
            and response.status >= 400
        ):
            self.broken_resources.append(f"{response.status} {response.url}")

    def _on_console(self, message) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused" in text):
            self.console_errors.append(text)

    def assert_clean(self) -> None:
        problems = []
        if self.outside_requests:
            problems.append("requests outside the app:\n  " + "\n  ".join(self.outside_requests))
        if self.broken_resources:
            problems.append(
                "resources that failed to load:\n  " + "\n  ".join(self.broken_resources)
            )
        if self.console_errors:
            problems.append("console errors:\n  " + "\n  ".join(self.console_errors))
        assert not problems, "\n".join(problems)


def check_page(page, screenshot: str | None = None) -> None:
    """Everything measured on every page: axe, labels, the 360 px fit; then, when a name is
    given, a screenshot of the whole page under that name."""
    page.wait_for_load_state("load")
    where = f"{screenshot or 'the page'} ({page.url})"
    assert_no_serious_axe_violations(page, where)
    assert_every_control_is_labelled(page, where)
    assert_fits_width(page, where, NARROWEST_PHONE)
    if screenshot:
        save_screenshot(page, screenshot)


def save_screenshot(page, name: str) -> None:
    """Screenshots are for people to look at (no test reads them), so they cost time only when
    asked for: AVALA_SCREENSHOTS=1, as `make browser-test` sets."""
    if not os.environ.get("AVALA_SCREENSHOTS"):
        return
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{slug(name)}.png", full_page=True)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- the measurements ---------------------------------------------------------------------------


@cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8") + "\n;undefined"  # nothing to send back


def run_axe(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # a context without Checks.add_axe
        page.evaluate(axe_source())
    return page.evaluate("""async () => {
        const results = await axe.run(document, {resultTypes: ['violations']});
        return results.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
        }));
    }""")


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page, where: str) -> None:
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe found serious problems on {where}:\n{describe_violations(blocking)}"


def assert_every_control_is_labelled(page, where: str) -> None:
    unlabelled = page.evaluate("""() => [...document.querySelectorAll(
            'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                      && !el.getAttribute('aria-labelledby'))
        .map(el => el.outerHTML.slice(0, 120))""")
    assert not unlabelled, f"controls without a label on {where}: {unlabelled}"


def assert_fits_width(page, where: str, width: int) -> None:
    """No horizontal scrolling at `width` CSS pixels; the viewport is put back afterwards."""
    original = page.viewport_size
    page.set_viewport_size({"width": width, "height": original["height"]})
    try:
        overflow = page.evaluate("""() => {
            const root = document.documentElement;
            if (root.scrollWidth <= root.clientWidth) return null;
            const wide = [...document.body.querySelectorAll('*')]
                .filter(el => Math.max(el.getBoundingClientRect().right,
                                       el.getBoundingClientRect().left + el.scrollWidth)
                              > root.clientWidth + 1)
                .filter(el => !el.closest('.table-wrap'))
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                           + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
                           + ' right=' + Math.round(el.getBoundingClientRect().right));
            return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide};
        }""")
    finally:
        page.set_viewport_size(original)
    assert overflow is None, f"{where} scrolls sideways at {width} px: {overflow}"


def assert_focus_is_visible(page) -> None:
    style = page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el);
        return {id: el.id, tag: el.tagName, outlineStyle: s.outlineStyle,
                outlineWidth: s.outlineWidth};
    }""")
    assert style["outlineStyle"] != "none" and style["outlineWidth"] not in ("0px", ""), (
        f"no visible focus outline on the focused element: {style}"
    )
