"""Hostile values: what a careless user, a broken client or an attacker may send in any field.

Each form field is described by a `Field`: a strategy of values the form accepts (so that a
request gets past the form and reaches the services and the database) and a strategy of hostile
ones. A request keeps most fields valid and turns a few hostile, so the fuzzer reaches deep.
"""

import struct
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from hypothesis import strategies as st

# A tag that no page of ours contains: a response showing it unescaped reflects markup.
XSS_MARKER = "<avala-xss"

CONTROL_CHARACTERS = [chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))]
# Bidirectional overrides, zero-width and joining characters, combining marks, separators,
# non-characters and the last code point.
INVISIBLE_AND_TRICKY = [
    "\u202e", "\u202d", "\u2066", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
    "e\u0301", "\u0338", "Z\u0351\u0352\u0353\u0354\u0355\u0356", "\u00a0", "\u2028", "\u2029",
    "\ufffd", "\uffff", "\U0010ffff", "\U000e0001", "ǅ", "ß", "İ", "ﬀ",
]  # fmt: skip
EMOJI = ["👩🏽‍🔧", "🇲🇽", "🤷‍♀️", "💩", "🧑🏿‍🤝‍🧑🏻", "\U0001f600" * 3]
LONE_SURROGATES = ["\ud800", "\udfff", "a\udc80b"]  # only raw bodies and URLs can carry them
MARKUP = [
    f"{XSS_MARKER}>",
    f"<script>{XSS_MARKER[1:]}</script>",
    f"\"'>{XSS_MARKER} onerror=alert(1)>",
    f"</textarea></title>{XSS_MARKER}>",
    "{{ 7*7 }}{% raw %}${7*7}",
    "javascript:alert(1)",
    "&lt;&amp;&#0;]]>",
]
SQLISH = ["' OR '1'='1", "'; DROP TABLE users; --", "%", "_", "\\", '" OR 1=1 --', "%00", "\\x00"]
PIECES = [*CONTROL_CHARACTERS, *INVISIBLE_AND_TRICKY, *EMOJI, *LONE_SURROGATES, *MARKUP, *SQLISH]

HUGE_AND_ODD_NUMBERS = [
    "99999999999999999999", "-1", "0", "-0", str(2**63), str(2**63 - 1), str(-(2**63) - 1),
    str(2**31), str(2**64), "1" * 400, "1e309", "1e3", "NaN", "inf", "-inf", "1.5", " 1 ",
    "+1", "0x10", "1_000", "٣", "²", "１", "",
]  # fmt: skip
ODD_DATES = [
    "0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "2026-00-10", "0000-00-00",
    "10000-01-01", "-0001-01-01", "2026-2-3", "31/12/2026", "2026-02-29", "garbage", "",
]  # fmt: skip
ODD_DATETIMES = [
    "0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00", "2026-06-01T25:61",
    "2026-06-01", "2026-06-01T10:00:00Z", "2026-06-01T10:00+05:00", "2026-06-01 10:00",
    "garbage", "",
]  # fmt: skip


def _characters(surrogates: bool):
    return st.characters(exclude_categories=() if surrogates else ("Cs",))


def _compositions(surrogates: bool):
    parts = st.one_of(st.sampled_from(PIECES), st.text(_characters(surrogates), max_size=4))
    return st.lists(parts, min_size=1, max_size=8).map("".join)


def _long_strings():
    """Past the usual limits; the edge sweep sends 100,000 characters to every field once, so
    random draws stop at 20,000 (each 100,000-character draw cost a second to encode and
    decode)."""
    return st.builds(
        lambda piece, times: piece * times,
        st.sampled_from(["a", "é", "\x00", "👩🏽‍🔧", "<", "'", " ", "\u202e"]),
        st.sampled_from([201, 301, 1001, 4001, 20_000]),
    )


# The hostile strategies are built once: every example draws from them, and Hypothesis checks a
# new strategy object again on first use.
@cache
def hostile_text(surrogates: bool = True) -> st.SearchStrategy[str]:
    """Control characters, invisible and bidirectional characters, markup, SQL-ish strings,
    emoji, lone surrogates, very long strings and random Unicode."""
    specials = [p for p in PIECES if surrogates or p not in LONE_SURROGATES]
    return st.one_of(
        st.sampled_from(specials),
        _compositions(surrogates),
        st.text(_characters(surrogates), max_size=30),
        _long_strings(),
    )


@cache
def hostile_number() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HUGE_AND_ODD_NUMBERS),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        hostile_text(),
    )


@cache
def hostile_date() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(ODD_DATES), st.dates().map(date.isoformat), hostile_text())


@cache
def hostile_datetime() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ODD_DATETIMES),
        st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
        hostile_text(),
    )


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart body."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"

    def __repr__(self) -> str:
        return f"Upload({self.filename!r}, {len(self.data)} bytes: {self.data[:24]!r})"

    def _repr_pretty_(self, printer, cycle) -> None:  # how Hypothesis prints it in a report
        printer.text(repr(self))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


# The edge values every field of a kind gets in turn (test_routes.py sweeps them all): the few
# that most often break code, where random drawing would find them only now and then.
TEXT_EDGES = ("\x00", "a\x1bb", "\u202eevil", "\ud800", f"{XSS_MARKER}>", "👩🏽‍🔧", "a" * 100_000)
NUMBER_EDGES = ("99999999999999999999", "-1", str(2**63), "1e309", "²", "")
DATE_EDGES = ("0001-01-01", "9999-12-31", "2026-02-30", "10000-01-01", "garbage")
DATETIME_EDGES = ("0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00", "garbage")
FLAG_EDGES = ("\x00", "false")
UPLOAD_EDGES = (
    Upload("", b""),
    Upload("../../x.png", b"\x89PNG\r\n\x1a\n"),
    Upload("bomb.png", png_claiming(20_000, 20_000), "image/png"),
    Upload("big.bin", b"\0" * (16 * 1024 * 1024 + 1)),
)


@dataclass(frozen=True)
class Field:
    """How a field is fuzzed: valid values, hostile ones, and the edge values swept in turn."""

    valid: st.SearchStrategy
    hostile: st.SearchStrategy
    edges: tuple = TEXT_EDGES


def text(valid: st.SearchStrategy[str] | None = None) -> Field:
    if valid is None:
        valid = st.sampled_from(["Texto de prueba", "Ñandú Ávila", "Taller 2"])
    return Field(valid, hostile_text())


def number(low: int, high: int) -> Field:
    return Field(st.integers(low, high).map(str), hostile_number(), NUMBER_EDGES)


def choice(values) -> Field:
    """A select or radio: one of `values`; hostile ones are other numbers and strings."""
    return Field(st.sampled_from([str(v) for v in values]), hostile_number(), NUMBER_EDGES)


def flag() -> Field:
    return Field(st.sampled_from(["y", None]), hostile_text(), FLAG_EDGES)


def dates_around(days_from: int, days_to: int) -> st.SearchStrategy[str]:
    return st.integers(days_from, days_to).map(lambda n: (date.today() + timedelta(n)).isoformat())


def date_field(valid: st.SearchStrategy[str]) -> Field:
    return Field(valid, hostile_date(), DATE_EDGES)


def datetime_field(valid: st.SearchStrategy[str]) -> Field:
    return Field(valid, hostile_datetime(), DATETIME_EDGES)


def file_field(valid: st.SearchStrategy[Upload], hostile: st.SearchStrategy[Upload]) -> Field:
    return Field(valid, st.one_of(hostile, hostile_text()), UPLOAD_EDGES)


def hostile_uploads(extra: list[bytes] = ()) -> st.SearchStrategy[Upload]:
    """Empty, random, truncated, oversized and bomb-shaped files under odd names."""
    contents = st.one_of(
        st.binary(max_size=2048),
        st.sampled_from([b"", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", *extra]),
        st.sampled_from([1024 * 1024, 16 * 1024 * 1024 + 1]).map(lambda size: b"\0" * size),
        st.tuples(st.integers(1, 70_000), st.integers(1, 70_000)).map(lambda wh: png_claiming(*wh)),
    )
    names = st.one_of(
        st.sampled_from(["file.pdf", "logo.png", "", "../../etc/passwd", "a.exe", "x" * 300]),
        hostile_text(surrogates=False),
    )
    return st.builds(Upload, names, contents)
