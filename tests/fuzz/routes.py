"""The app's routes as the fuzzer sees them, and the strategy that draws a request for one."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote_from_bytes

from hypothesis import find, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter, PathConverter

from tests.fuzz import wire
from tests.fuzz.plans import Plan
from tests.fuzz.site import ANON, Scenario
from tests.fuzz.strategies import (
    NUMBER_EDGES,
    TEXT_EDGES,
    Upload,
    hostile_number,
    hostile_text,
)

PLACEHOLDER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
STRAY_NAMES = ["csrf_token", "id", "role", "centre_id", "is_active_account", "next", "a[]"]
MAX_PATH_PARAMETER = 1000  # servers refuse request lines of a few kB before the app sees them


@dataclass(frozen=True)
class Route:
    method: str
    rule: str
    parameters: tuple[tuple[str, str], ...]  # (name, "int" | "path" | "string")
    allowed_roles: tuple[str, ...]  # empty: the route checks no role

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.rule

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def _kind(converter) -> str:
    if isinstance(converter, IntegerConverter):
        return "int"
    return "path" if isinstance(converter, PathConverter) else "string"


def routes_of(app) -> list[Route]:
    """Every (method, rule) of the url_map, with the roles its view lets in."""
    routes = []
    for rule in app.url_map.iter_rules():
        allowed = getattr(app.view_functions[rule.endpoint], "allowed_roles", frozenset())
        parameters = tuple((name, _kind(c)) for name, c in rule._converters.items())
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            roles = tuple(sorted(role.value for role in allowed))
            routes.append(Route(method, rule.rule, parameters, roles))
    return sorted(routes, key=str)


def _senders(route: Route, plan: Plan) -> list[str]:
    roles = plan.roles if plan.roles is not None else route.allowed_roles
    return [str(getattr(role, "value", role)) for role in roles] or [ANON]


def _path_values(kind: str, valid: list) -> st.SearchStrategy[str]:
    hostile = hostile_number() if kind == "int" else hostile_text()
    hostile = hostile.map(lambda value: value[:MAX_PATH_PARAMETER])
    if not valid:
        return hostile
    real = st.sampled_from([str(v) for v in valid])
    return st.sampled_from([True, True, False]).flatmap(lambda ok: real if ok else hostile)


def _fill(route: Route, values: dict) -> str:
    """The rule with each placeholder replaced by its value, percent-encoded."""
    kinds = dict(route.parameters)
    encoded = {
        name: quote_from_bytes(wire.as_bytes(value), safe="/" if kinds[name] == "path" else "")
        for name, value in values.items()
    }
    return PLACEHOLDER.sub(lambda match: encoded[match.group(1)], route.rule)


@st.composite
def _path(draw, route: Route, scenario: Scenario) -> str:
    values = {
        name: draw(_path_values(kind, scenario.valid_path_values(name)), label=name)
        for name, kind in route.parameters
    }
    return _fill(route, values)


def _maybe_hostile(field) -> st.SearchStrategy:
    """Hostile most often; else left out, or sent twice (the first value wins in a form)."""
    return st.sampled_from(["hostile", "hostile", "missing", "twice"]).flatmap(
        lambda how: {
            "hostile": field.hostile,
            "missing": st.none(),
            "twice": st.lists(st.one_of(field.hostile, field.valid), min_size=2, max_size=3),
        }[how]
    )


def _hostile_names(names: list[str]) -> st.SearchStrategy[set[str]]:
    """Often one field only, so that the rest of the form passes and the request goes deep."""
    return st.one_of(
        st.sampled_from(names).map(lambda name: {name}), st.sets(st.sampled_from(names))
    )


@st.composite
def _fields(draw, fields: dict) -> dict:
    """Valid values, a few of them turned hostile, and a stray parameter or two."""
    values = {name: draw(field.valid, label=name) for name, field in fields.items()}
    if fields:
        for name in sorted(draw(_hostile_names(sorted(fields)), label="hostile")):
            values[name] = draw(_maybe_hostile(fields[name]), label=f"hostile {name}")
    strays = draw(
        st.dictionaries(
            st.one_of(st.sampled_from(STRAY_NAMES), hostile_text()), hostile_text(), max_size=2
        ),
        label="stray",
    )
    return {**strays, **values}


def _has_files(fields: dict) -> bool:
    return any(isinstance(value, Upload) for value in fields.values())


_built_fields: dict[tuple[int, int], tuple[Plan, Scenario, dict]] = {}


def _fields_of(plan: Plan, scenario: Scenario) -> dict:
    """The plan's fields, built once per plan and scenario: Hypothesis checks a strategy when it
    is first drawn from, and building them afresh for every example doubled the time drawing."""
    key = (id(plan), id(scenario))
    built = _built_fields.get(key)
    if built is None or built[0] is not plan or built[1] is not scenario:
        built = _built_fields[key] = (plan, scenario, plan.fields_for(scenario))
    return built[2]


@st.composite
def requests_for(draw, route: Route, plan: Plan, scenario: Scenario) -> wire.FuzzRequest:
    role = draw(st.sampled_from(_senders(route, plan)), label="role")
    path = draw(_path(route, scenario))
    fields = draw(_fields(_fields_of(plan, scenario)))
    headers = draw(wire.headers())
    if route.method == "GET":
        encoding, query = draw(wire.query(fields))
        return wire.FuzzRequest(str(route), role, path, fields, encoding, query, headers)
    encoding, body, content_type = draw(wire.body(fields, _has_files(fields)))
    return wire.FuzzRequest(
        str(route), role, path, fields, encoding, "", headers, content_type, body
    )


def _simplest(strategy: st.SearchStrategy):
    """The simplest value of a strategy, the same on every run (Hypothesis shrinks to it)."""
    return find(strategy, lambda _: True, settings=settings(database=None))


def _well_formed(route: Route, role: str, path: str, fields: dict) -> wire.FuzzRequest:
    if route.method == "GET":
        query = wire.urlencoded(fields).decode("ascii")
        return wire.FuzzRequest(str(route), role, path, fields, "urlencoded", query)
    if _has_files(fields):
        body, content_type = wire.multipart(fields), wire.MULTIPART
        return wire.FuzzRequest(
            str(route), role, path, fields, "multipart", "", {}, content_type, body
        )
    body, content_type = wire.urlencoded(fields), wire.URLENCODED
    return wire.FuzzRequest(
        str(route), role, path, fields, "urlencoded", "", {}, content_type, body
    )


def edge_requests(
    route: Route, plan: Plan, scenario: Scenario
) -> Iterator[tuple[str, object, wire.FuzzRequest]]:
    """(where, edge value, request): one well-formed request per path parameter or field and
    edge value of its kind, everything else real or at its simplest valid value, sent by the
    route's first allowed role."""
    fields = plan.fields_for(scenario)
    simplest = {name: _simplest(field.valid) for name, field in fields.items()}
    target = plan.target(scenario) if plan.target else {}
    real = {
        name: target.get(name, (scenario.valid_path_values(name) or ["1"])[0])
        for name, _kind in route.parameters
    }
    role = _senders(route, plan)[0]
    for name, kind in route.parameters:
        for edge in NUMBER_EDGES if kind == "int" else TEXT_EDGES:
            path = _fill(route, {**real, name: edge[:MAX_PATH_PARAMETER]})
            yield f"path {name}", edge, _well_formed(route, role, path, simplest)
    if plan.reads_input:
        for name, field in fields.items():
            for edge in field.edges:
                request = _well_formed(route, role, _fill(route, real), {**simplest, name: edge})
                yield name, edge, request
