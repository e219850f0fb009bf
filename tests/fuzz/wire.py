"""How a drawn request goes on the wire: the body encodings, right and wrong, and the headers.

The bodies are built here byte by byte rather than by the test client, so that they can carry
what a real client can send and the test client would refuse to encode: invalid UTF-8, lone
surrogates (as the bytes a careless encoder writes for them), broken multipart, wrong types.
"""

import dataclasses
import json
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

from tests.fuzz.strategies import Upload, hostile_text

# Percent-encoded, as in a URL: servers refuse raw bytes above 0x7f in the request line.
INVALID_UTF8_ESCAPED = [b"%FF", b"%C3%28", b"%ED%A0%80", b"%C0%AF", b"%F4%90%80%80", b"%",
                        b"%G1", b"&&==&", b"%00"]  # fmt: skip
# A body may carry any byte.
INVALID_UTF8 = [*INVALID_UTF8_ESCAPED, b"\xff\xfe", b"\xc3", b"\xed\xa0\x80"]
WRONG_CONTENT_TYPES = [
    "text/plain",
    "application/xml",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=not-the-one",
    "application/x-www-form-urlencoded; charset=utf-16",
    "image/png",
    "garbage/;;;==",
    None,
]
ODD_HEADER_VALUES = ["*", "en;q=abc", "xx-YY", ",,,", "es-MX;q=2", "a" * 5000, "\t",
                     "http://evil.example/", "//evil.example", "/\\evil.example",
                     "javascript:alert(1)"]  # fmt: skip
BOUNDARY = "avala-fuzz-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
URLENCODED = "application/x-www-form-urlencoded"


def as_bytes(value) -> bytes:
    """UTF-8, writing a lone surrogate as the three bytes a careless encoder would."""
    if isinstance(value, Upload):
        return value.data
    return str(value).encode("utf-8", "surrogatepass")


def pairs(fields: dict) -> list[tuple[str, object]]:
    """(name, value) for each value; a list sends the name several times, None leaves it out."""
    out = []
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            if one is not None:
                out.append((name, one))
    return out


# Above this size a value that needs escaping is escaped byte by byte in C: quote_from_bytes
# loops in Python, and a long non-ASCII field took longer to encode than the app to answer.
QUOTE_IN_PYTHON_UP_TO = 1000
UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"


def percent_encoded(data: bytes) -> str:
    """`data` percent-encoded as quote_from_bytes(data, safe="") does; a long value with bytes
    to escape has every byte escaped, which decodes to the same bytes."""
    if len(data) <= QUOTE_IN_PYTHON_UP_TO or not data.rstrip(UNRESERVED):
        return quote_from_bytes(data, safe="")
    return "%" + data.hex("%").upper()


def urlencoded(fields: dict, junk: bytes = b"") -> bytes:
    encoded = [
        f"{percent_encoded(as_bytes(name))}={percent_encoded(as_bytes(value))}".encode()
        for name, value in pairs(fields)
    ]
    if junk and encoded:
        encoded[-1] += junk
    elif junk:
        encoded.append(b"x=" + junk)
    return b"&".join(encoded)


def multipart(fields: dict) -> bytes:
    parts = []
    for name, value in pairs(fields):
        disposition = b'form-data; name="' + as_bytes(name) + b'"'
        headers = b""
        if isinstance(value, Upload):
            disposition += b'; filename="' + as_bytes(value.filename) + b'"'
            headers = b"\r\nContent-Type: " + value.content_type.encode()
        parts.append(
            b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: " + disposition + headers
            + b"\r\n\r\n" + as_bytes(value) + b"\r\n"
        )  # fmt: skip
    return b"".join(parts) + b"--" + BOUNDARY.encode() + b"--\r\n"


def as_json(fields: dict) -> bytes:
    def plain(value):
        return value.filename if isinstance(value, Upload) else str(value)

    return json.dumps(fields, default=plain).encode("utf-8", "surrogatepass")


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(), inner, max_size=3)
    ),
    max_leaves=6,
)


@dataclass(frozen=True)
class FuzzRequest:
    """One request of the fuzzer, shown in a failure report by what matters to reproduce it."""

    route: str
    role: str
    path: str
    fields: dict
    encoding: str
    query: str = ""
    headers: dict = field(default_factory=dict)
    content_type: str | None = None
    body: bytes = field(default=b"", repr=False)

    def _repr_pretty_(self, printer, cycle) -> None:
        """How Hypothesis prints it in a failure report: everything but the encoded body."""
        printer.text(type(self).__name__)
        shown = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.repr}
        printer.pretty(shown)

    @property
    def method(self) -> str:
        return self.route.split()[0]

    def send(self, client):
        return client.open(
            self.path,
            method=self.method,
            data=self.body,
            content_type=self.content_type,
            headers=self.headers,
            environ_overrides={"QUERY_STRING": self.query},
        )


# gunicorn's default limit_request_field_size: a longer header never reaches the app.
MAX_HEADER_BYTES = 8190


def _latin1(value: str) -> str:
    """What a WSGI server hands over for a header: latin-1 text, never a line break, no longer
    than the server lets through."""
    raw = value.encode("utf-8", "surrogatepass").replace(b"\r", b"").replace(b"\n", b"")
    return raw[:MAX_HEADER_BYTES].decode("latin-1")


@cache
def header_values() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(ODD_HEADER_VALUES), hostile_text()).map(_latin1)


@st.composite
def headers(draw) -> dict:
    chosen = {}
    if draw(st.booleans()):
        chosen["Accept-Language"] = draw(st.one_of(st.just("en"), header_values()))
    if draw(st.booleans()):
        chosen["Referer"] = draw(header_values())
    return chosen


@st.composite
def body(draw, fields: dict, has_files: bool) -> tuple[str, bytes, str | None]:
    """(encoding, body, content type): mostly right, sometimes broken or mislabelled."""
    right = "multipart" if has_files else "urlencoded"
    encoding = draw(
        st.sampled_from([right] * 4 + ["multipart", "invalid-utf8", "json", "mislabelled"])
    )
    if encoding == "multipart":
        return encoding, multipart(fields), MULTIPART
    if encoding == "invalid-utf8":
        junk = draw(st.sampled_from(INVALID_UTF8))
        return encoding, urlencoded(fields, junk), URLENCODED
    if encoding == "json":  # and values of any JSON type, not only strings
        typed = draw(st.dictionaries(st.sampled_from([*fields, "x"]), JSON_VALUES, max_size=3))
        return encoding, as_json({**fields, **typed}), "application/json"
    if encoding == "mislabelled":
        return encoding, urlencoded(fields), draw(st.sampled_from(WRONG_CONTENT_TYPES))
    return encoding, urlencoded(fields), URLENCODED


@st.composite
def query(draw, fields: dict) -> tuple[str, str]:
    """(encoding, QUERY_STRING): what a server passes on is ASCII, percent-encoded."""
    if draw(st.integers(0, 3)) == 0:
        junk = draw(st.sampled_from(INVALID_UTF8_ESCAPED))
        return "invalid-utf8", urlencoded(fields, junk).decode("ascii")
    return "urlencoded", urlencoded(fields).decode("ascii")
