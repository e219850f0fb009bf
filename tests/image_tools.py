"""Images for upload tests, hostile ones included, made in the test rather than stored."""

import io
import struct
import zlib

from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def blank_png(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of any size, all black, compressed row by row.

    20000 × 20000 pixels take 48 KB: what a decompression bomb looks like. Written by hand
    because Pillow would first build the whole image in memory.
    """
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the row's bits
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def image_bytes(
    size: tuple[int, int], kind: str = "PNG", mode: str = "RGB", color=None, **options
) -> bytes:
    buffer = io.BytesIO()
    fill = color if color is not None else ("red" if mode == "RGB" else 128)
    Image.new(mode, size, fill).save(buffer, kind, **options)
    return buffer.getvalue()


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))
