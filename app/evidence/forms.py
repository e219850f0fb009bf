from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

from app.evidence.rules import ACCEPT
from app.forms import BaseForm


class EvidenceForm(BaseForm):
    """One file for one item. `capture` makes a tablet or phone open its rear camera; a
    desktop browser offers a file chooser. The server checks the content, not these hints."""

    item = HiddenField()
    file = FileField(
        _l("Evidence file"),
        validators=[FileRequired(_l("Choose a file or take a photo."))],
        description=_l("A photo, PDF, office document or short video."),
        render_kw={"accept": ACCEPT, "capture": "environment"},
    )

    def item_id(self) -> int | None:
        value = (self.item.data or "").strip()
        # ASCII digits only: str.isdigit() also takes "²" or "٣", which int() refuses or reads.
        return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None
