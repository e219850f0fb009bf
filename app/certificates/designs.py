"""Which certificate designs exist: folders under certificates/ holding a certificate.html.

Kept apart from rendering.py so that listing designs (the centre's settings page) does not load
WeasyPrint.
"""

from pathlib import Path

from flask_babel import lazy_gettext as _l

from app.errors import ServiceUnavailable

DESIGNS_DIR = Path(__file__).resolve().parents[2] / "certificates"


class UnknownDesign(ServiceUnavailable):
    def __init__(self, design: str):
        super().__init__(
            _l("The certificate design %(name)s is not available on this server.", name=design)
        )
        self.design = design


def design_dir(design: str, designs_root: Path = DESIGNS_DIR) -> Path:
    """The folder of a design by name; names cannot reach outside the designs folder."""
    root = Path(designs_root).resolve()
    path = (root / design).resolve()
    if path.parent != root or not (path / "certificate.html").is_file():
        raise UnknownDesign(design)
    return path


def list_designs(designs_root: Path = DESIGNS_DIR) -> list[str]:
    root = Path(designs_root)
    return sorted(p.name for p in root.iterdir() if (p / "certificate.html").is_file())
