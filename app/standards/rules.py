"""Pure rules of the catalogue: how codes are written, what the public search matches."""

import re
import unicodedata

# EC0217 (unsuffixed) or EC0217.01 (versioned): a letter, then letters and digits (the form asks
# for letters then digits, as RENEC writes them), and an optional 2-digit version.
CODE = re.compile(r"^([A-Z][A-Z0-9]{1,17})(?:\.(\d{2}))?$")
VERSION = re.compile(r"^(\d{2})?$")


def split_code(code: str, version: str = "") -> tuple[str, str] | None:
    """(code, version) from what a person typed: "EC0217" and "", "ec0217.01", or "EC0217" and
    "01". None when it is not a code, or the version is given twice and differently."""
    match = CODE.match((code or "").strip().upper())
    version = (version or "").strip()
    if match is None or not VERSION.match(version):
        return None
    suffix = match.group(2) or ""
    if suffix and version and suffix != version:
        return None
    return match.group(1), suffix or version


def full_code(code: str, version: str) -> str:
    return f"{code}.{version}" if version else code


def folded(text: str) -> str:
    """Lower case without accents, so "evaluacion" finds "Evaluación"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_text(code: str, version: str, title: str, title_en: str, sector: str) -> str:
    return folded(" ".join(filter(None, [full_code(code, version), title, title_en, sector])))


def search_terms(query: str, limit: int = 8) -> list[str]:
    """The words of a search, folded; at most `limit` of them (each one is a condition)."""
    return [term for term in folded(query).split() if term][:limit]


def next_version(versions: list[str]) -> str:
    """The version after the highest of `versions` ("" counts as 00): 01, 02, ..."""
    numbers = [int(v) for v in versions if v.isdigit()]
    return f"{max(numbers, default=0) + 1:02d}"


def moved(ids: list[int], target: int, offset: int) -> list[int]:
    """`ids` with `target` moved `offset` places (-1 up, +1 down), kept within the list."""
    if target not in ids:
        return ids
    index = ids.index(target)
    new_index = min(max(index + offset, 0), len(ids) - 1)
    reordered = [i for i in ids if i != target]
    reordered.insert(new_index, target)
    return reordered
