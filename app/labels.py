"""String enums that carry the label people read next to the value the code stores."""

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A StrEnum whose members are declared as `NAME = "value", _l("Label")`.

    Each label lives beside its value, so two enums may share a value ("superseded" is a status
    of standards and of certificates) without sharing a label. Templates show `member.label`.
    """

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label if label is not None else value
        return member

    @property
    def label_lang(self) -> str | None:
        """The language of the label when it is a term of another language, else None."""
        return None
