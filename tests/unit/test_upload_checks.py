"""The upload checks on their own: limits, formats, re-encoding; no app, no database."""

import io

import pytest
from PIL import PngImagePlugin

from app.errors import ValidationFailed
from app.uploads import check_image, read_limited
from tests.image_tools import blank_png, image_bytes, opened

LIMIT = 1024 * 1024


def refusal(data: bytes, **limits) -> str:
    with pytest.raises(ValidationFailed) as caught:
        check_image(data, field="picture", **{"max_bytes": LIMIT, **limits})
    assert list(caught.value.reasons) == ["picture"]
    return str(caught.value.reasons["picture"][0])


def test_read_limited_stops_reading_just_past_the_limit():
    stream = io.BytesIO(b"x" * 10 * LIMIT)
    with pytest.raises(ValidationFailed) as caught:
        read_limited(stream, LIMIT, field="evidence")
    assert stream.tell() == LIMIT + 1
    assert str(caught.value.reasons["evidence"][0]) == "The file must be at most 1 MB."


def test_read_limited_gives_back_a_file_within_the_limit():
    assert read_limited(io.BytesIO(b"x" * LIMIT), LIMIT, field="evidence") == b"x" * LIMIT


def test_pillows_own_bomb_warning_is_a_refusal_too():
    # 100 megapixels: above Pillow's warning threshold, below its error threshold.
    assert refusal(blank_png(10000, 10000)).startswith("The image has too many pixels")


def test_the_pixel_limit_is_the_callers():
    assert refusal(image_bytes((101, 100)), max_pixels=100 * 100).startswith("The image has too")
    assert check_image(image_bytes((100, 100)), field="p", max_bytes=LIMIT, max_pixels=10000)


def test_only_the_formats_asked_for_pass():
    jpeg = image_bytes((50, 50), "JPEG")
    message = refusal(jpeg, formats={"PNG": "image/png"})
    assert message == "The file must be an image in one of these formats: PNG."


def test_a_small_image_keeps_its_size_and_loses_its_text_chunks():
    comments = PngImagePlugin.PngInfo()
    comments.add_text("Comment", "GPS 19.43,-99.13")
    checked = check_image(image_bytes((300, 200), pnginfo=comments), field="p", max_bytes=LIMIT)
    assert (checked.width, checked.height, checked.mimetype) == (300, 200, "image/png")
    with opened(checked.data) as kept:
        assert "Comment" not in kept.info


def test_a_transparent_palette_logo_stays_transparent():
    checked = check_image(
        image_bytes((2000, 1000), mode="P", color=0, transparency=0), field="p", max_bytes=LIMIT
    )
    with opened(checked.data) as kept:
        assert kept.mode == "RGBA" and kept.size == (1000, 500)
        assert kept.getpixel((0, 0))[3] == 0
