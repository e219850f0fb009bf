"""Pure rules of the public lookups: when typed holder data matches the holder on paper."""

import hmac
import unicodedata


def fold(text: str) -> str:
    """Text compared as people mean it: no case, no accents, single spaces (Núñez = nunez)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def first_surname(full_name: str) -> str:
    """The first surname of a name written as Mexican names are: given names, then the first
    and the second surname ("María José Núñez Ávila" → "Núñez"); with two words, the second."""
    words = full_name.split()
    if len(words) >= 3:
        return words[-2]
    return words[-1] if words else ""


def holder_data_matches(given: str, holder_name: str, curp: str) -> bool:
    """Whether `given` is something only whoever holds the paper (or the person) knows: the
    holder's CURP, first surname, or whole name as printed. Compared folded, in constant time
    for each candidate, and always all three, so the answer takes the same work either way."""
    typed = fold(given)
    compact = typed.replace(" ", "").replace("-", "")  # a CURP typed in groups
    pairs = (
        (compact, fold(curp)),
        (typed, fold(first_surname(holder_name))),
        (typed, fold(holder_name)),
    )
    matches = [hmac.compare_digest(a.encode(), b.encode()) for a, b in pairs]
    return bool(typed) and any(matches)
