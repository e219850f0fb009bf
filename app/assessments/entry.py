"""How the result-entry form is laid out: items grouped by element, then by evidence type
(the kind of the criterion each item maps to), in the instrument's order. Pure logic."""

from dataclasses import dataclass

from app.standards.models import CriterionKind, Element, InstrumentItem

# The order of the evidence types on the form: observed first, then products, then questions.
KIND_ORDER = list(CriterionKind)


@dataclass(frozen=True)
class EvidenceGroup:
    kind: CriterionKind
    items: tuple[InstrumentItem, ...]


@dataclass(frozen=True)
class ElementGroup:
    element: Element
    groups: tuple[EvidenceGroup, ...]

    @property
    def item_count(self) -> int:
        return sum(len(group.items) for group in self.groups)


def group_items(items: list[InstrumentItem]) -> list[ElementGroup]:
    """The items by element (in the standard's order), then by evidence type."""
    by_element: dict[int, list[InstrumentItem]] = {}
    elements: dict[int, Element] = {}
    for item in items:
        element = item.criterion.element
        elements[element.id] = element
        by_element.setdefault(element.id, []).append(item)
    ordered = sorted(elements.values(), key=lambda element: element.position)
    return [
        ElementGroup(
            element,
            tuple(
                EvidenceGroup(kind, tuple(i for i in by_element[element.id] if i.kind == kind))
                for kind in KIND_ORDER
                if any(i.kind == kind for i in by_element[element.id])
            ),
        )
        for element in ordered
    ]
