"""Reading scenario files (YAML or JSON) into a validated
:class:`~matcher.scenario.domain.Scenario`.

YAML is read with PyYAML's safe loader minus the YAML 1.1 base-60 rule, so an unquoted
``09:00`` stays the text ``"09:00"`` (a plain YAML 1.1 parser would read the number 540).
Duplicate keys in a mapping are reported instead of silently keeping the last one, in
JSON as in YAML. Malformed documents give a :class:`~matcher.scenario.problems.ScenarioError` with
line and column, never a traceback.

Hostile input is refused before it can cost much time or memory: a file larger than
:data:`MAX_FILE_BYTES`, nesting deeper than :data:`MAX_DEPTH`, and YAML whose aliases
expand to more than :data:`MAX_VALUES` values (an "alias bomb") or refer to themselves.
An unquoted YAML date that does not exist (``2026-02-30``) stays text, so the validator
reports it at its field; a mapping key that is a list or mapping is refused at its line.
A UTF-8 byte-order mark at the start is accepted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from matcher.messages import Message
from matcher.scenario.domain import Scenario
from matcher.scenario.problems import Problem, ScenarioError, show
from matcher.scenario.validate import validate_document

__all__ = [
    "ScenarioError",
    "load_document",
    "load_scenario",
    "parse_bytes",
    "parse_scenario",
    "parse_text",
]


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class _ScenarioYamlLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML loader that never reads ``HH:MM`` as a base-60 number."""


# Drop the implicit int/float resolvers and re-add them without the sexagesimal forms.
_ScenarioYamlLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ScenarioYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0[0-7_]+
        |[-+]?(?:0|[1-9][0-9_]*)
        |[-+]?0x[0-9a-fA-F_]+)$""",
        re.X,
    ),
    list("-+0123456789"),
)
_ScenarioYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)


class UnhashableKeyError(yaml.constructor.ConstructorError):
    """A key of a YAML mapping is a list or a mapping; ``kind`` is its ``type_*`` code."""

    kind: str = "type_mapping"


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A key appears twice in a YAML mapping; ``key`` is the key as shown in problems."""

    key: str = ""


MAX_FILE_BYTES = 32 * 1024 * 1024
"""Largest scenario file read (a generated week of 1 000 requests is under 0.4 MB)."""
MAX_DEPTH = 100
"""Deepest nesting of lists and mappings accepted (a scenario needs 5 levels)."""
MAX_VALUES = 2_000_000
"""Most values (scalars, lists, mappings) a YAML document may hold, aliases expanded."""
_MAX_INT_DIGITS = 4000  # Python refuses to convert longer numbers (sys.get_int_max_str_digits)


class HugeNumber(int):
    """A whole number too long to convert (more than 4000 digits); the validator refuses it."""

    digits: int

    def __new__(cls, digits: int, negative: bool = False) -> HugeNumber:
        value = int.__new__(cls, -(10**_MAX_INT_DIGITS) if negative else 10**_MAX_INT_DIGITS)
        value.digits = digits
        return value

    def __repr__(self) -> str:
        return f"a number of {self.digits} digits"

    __str__ = __repr__


def _parse_int_text(text: str) -> int:
    digits = len(text.lstrip("+-").replace("_", ""))
    if digits > _MAX_INT_DIGITS:
        return HugeNumber(digits, text.startswith("-"))
    return int(text)


def _construct_mapping_no_duplicates(
    loader: _ScenarioYamlLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, Hashable):
            bad = UnhashableKeyError(
                "while reading a mapping",
                node.start_mark,
                f"a key is {'a list' if isinstance(key, list) else 'a mapping'}",
                key_node.start_mark,
            )
            bad.kind = "type_list" if isinstance(key, list) else "type_mapping"
            raise bad
        if key in seen:
            error = DuplicateKeyError(
                "while reading a mapping",
                node.start_mark,
                f"the key {show(key)} appears twice",
                key_node.start_mark,
            )
            error.key = show(key)
            raise error
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


def _construct_timestamp(loader: _ScenarioYamlLoader, node: yaml.ScalarNode) -> Any:
    """A YAML date/time, or its text when no such date exists (``2026-02-30``)."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


def _construct_int(loader: _ScenarioYamlLoader, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node))
    if len(text) > _MAX_INT_DIGITS:
        return _parse_int_text(text)
    return loader.construct_yaml_int(node)


_ScenarioYamlLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping_no_duplicates,
)
_ScenarioYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_ScenarioYamlLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _yaml_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = _where(mark) if mark is not None else ""
    allowed = Message("allow_well_formed_yaml")
    if isinstance(exc, UnhashableKeyError):
        kind = Message("key_is_collection", kind=Message(exc.kind))
        return Problem(file, where, kind, Message("allow_scalar_key"))
    if isinstance(exc, DuplicateKeyError):
        return Problem(
            file, where, Message("duplicate_key", key=exc.key), Message("allow_key_once")
        )
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    if context:  # PyYAML's own words (English), passed on as they are
        return Problem(
            file, where, Message("malformed_yaml_in", what=what, context=context), allowed
        )
    return Problem(file, where, Message("malformed_yaml", what=what), allowed)


_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _yaml_shape_problem(text: str, file: str) -> Problem | None:
    """Check nesting depth and alias expansion on the event stream, before building anything.

    The events come from libyaml one at a time (no recursion, nothing kept but a size per
    open collection and per anchor), so a 100 000-deep document or an alias bomb is
    refused in milliseconds. Malformed YAML raises :class:`yaml.YAMLError` here already.
    """
    loader = _ScenarioYamlLoader(text)
    sizes: list[int] = []  # values inside each open list/mapping, aliases expanded
    open_anchors: list[str | None] = []
    anchors: dict[str, int | None] = {}  # None while the anchored collection is still open
    total = 0
    try:
        while (event := loader.get_event()) is not None:
            size = 0
            if isinstance(event, yaml.ScalarEvent):
                size = 1
                if event.anchor is not None:
                    anchors[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                known = anchors.get(event.anchor or "", 0)
                if known is None:
                    return Problem(
                        file,
                        _where(event.start_mark),
                        Message("alias_cycle", alias=show(event.anchor)[1:-1]),
                        Message("allow_alias"),
                    )
                size = known
            elif isinstance(event, _STARTS):
                if len(sizes) >= MAX_DEPTH:
                    return Problem(
                        file,
                        _where(event.start_mark),
                        Message("nested_too_deep", depth=MAX_DEPTH),
                        Message("allow_depth", depth=MAX_DEPTH),
                    )
                sizes.append(1)
                open_anchors.append(event.anchor)
                if event.anchor is not None:
                    anchors[event.anchor] = None
                continue
            elif isinstance(event, _ENDS):
                size = sizes.pop()
                anchor = open_anchors.pop()
                if anchor is not None:
                    anchors[anchor] = size
                if sizes:
                    sizes[-1] += size
                continue
            else:
                continue
            total += size
            if sizes:
                sizes[-1] += size
            if total > MAX_VALUES:
                count = f"{MAX_VALUES:,}".replace(",", " ")
                return Problem(
                    file,
                    _where(event.start_mark),
                    Message("too_many_values", count=count),
                    Message("allow_values", count=count),
                )
    finally:
        loader.dispose()
    return None


class _DuplicateJsonKey(Exception):
    pass


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _DuplicateJsonKey
    return out


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:]', re.S)


def _json_locate(text: str) -> tuple[int, Message, Message] | None:
    """Find the first duplicate key or too-deep nesting in JSON text.

    Returns ``(offset, message, allowed)``, or None. Only called once :func:`json.loads`
    has failed on one of these, so its slower pure-Python scan costs nothing on good files.
    """
    stack: list[set[str] | None] = []
    previous: re.Match[str] | None = None
    for token in _JSON_TOKEN.finditer(text):
        kind = token.group()
        if kind in "{[":
            if len(stack) >= MAX_DEPTH:
                return (
                    token.start(),
                    Message("json_nested_too_deep", depth=MAX_DEPTH),
                    Message("allow_depth", depth=MAX_DEPTH),
                )
            stack.append(set() if kind == "{" else None)
        elif kind in "}]":
            if stack:
                stack.pop()
        elif kind == ":" and previous is not None and previous.group().startswith('"'):
            keys = stack[-1] if stack else None
            if keys is not None:
                key = json.loads(previous.group())
                if key in keys:
                    return (
                        previous.start(),
                        Message("duplicate_key", key=show(key)),
                        Message("allow_json_key_once"),
                    )
                keys.add(key)
        previous = token
    return None


def _json_problem(file: str, text: str) -> Problem:
    found = _json_locate(text)
    if found is None:
        return Problem(file, "", Message("malformed_json"), Message("allow_well_formed_json"))
    offset, message, allowed = found
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Problem(file, f"line {line}, column {column}", message, allowed)


def load_document(path: Path | str) -> Any:
    """Read a YAML or JSON file into plain Python data.

    Raises
    ------
    ScenarioError
        When the file is missing, unreadable, too large or malformed (with line and column).
    """
    p = Path(path)
    file = str(p)
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(
            [Problem(file, "", Message("file_not_found"), Message("allow_existing_file"))]
        ) from None
    except IsADirectoryError:
        raise ScenarioError(
            [Problem(file, "", Message("is_a_folder"), Message("allow_scenario_file"))]
        ) from None
    except OSError as exc:  # the system's reason (English) is passed on as it is
        raise ScenarioError(
            [
                Problem(
                    file,
                    "",
                    Message("cannot_read", reason=exc.strerror or ""),
                    Message("allow_readable_file"),
                )
            ]
        ) from None
    return parse_bytes(data, file, is_json=p.suffix.lower() == ".json")


def parse_bytes(data: bytes, file: str = "<scenario>", *, is_json: bool = False) -> Any:
    """Decode (UTF-8, with or without a byte-order mark) and parse a scenario file's bytes.

    Raises
    ------
    ScenarioError
        When the file is too large, not UTF-8, or malformed.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                Problem(
                    file,
                    "",
                    Message("file_too_large", mb=MAX_FILE_BYTES // (1024 * 1024)),
                    Message("allow_file_size", mb=MAX_FILE_BYTES // (1024 * 1024)),
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [Problem(file, f"byte {exc.start}", Message("not_utf8"), Message("allow_utf8_file"))]
        ) from None
    return parse_text(text, file, is_json=is_json)


def parse_text(text: str, file: str = "<scenario>", *, is_json: bool = False) -> Any:
    """Parse scenario text (JSON when ``is_json``, else YAML, which also reads JSON)."""
    text = text.removeprefix("\ufeff")
    if is_json:
        try:
            return json.loads(text, object_pairs_hook=_json_pairs, parse_int=_parse_int_text)
        except json.JSONDecodeError as exc:
            raise ScenarioError(
                [
                    Problem(  # the JSON parser's words (English) are passed on as they are
                        file,
                        f"line {exc.lineno}, column {exc.colno}",
                        Message("malformed_json_because", what=exc.msg),
                        Message("allow_well_formed_json"),
                    )
                ]
            ) from None
        except (_DuplicateJsonKey, RecursionError):
            raise ScenarioError([_json_problem(file, text)]) from None
    try:
        shape = _yaml_shape_problem(text, file)
        if shape is not None:
            raise ScenarioError([shape])
        return yaml.load(text, Loader=_ScenarioYamlLoader)
    except yaml.YAMLError as exc:
        raise ScenarioError([_yaml_problem(file, exc)]) from None
    except RecursionError:  # not expected below MAX_DEPTH; never a traceback all the same
        raise ScenarioError(
            [
                Problem(
                    file,
                    "",
                    Message("nested_too_deeply"),
                    Message("allow_depth", depth=MAX_DEPTH),
                )
            ]
        ) from None


def parse_scenario(doc: Any, source: Path | str = "<scenario>") -> Scenario:
    """Validate a parsed document and build the :class:`Scenario`.

    Parameters
    ----------
    doc
        The parsed YAML/JSON document.
    source
        The file it came from; names the file in problems and anchors ``travel.matrix``.

    Raises
    ------
    ScenarioError
        Listing every problem found, each with file, field path, bad value and what is allowed.
    """
    return validate_document(doc, source)


def load_scenario(path: Path | str) -> Scenario:
    """Load and validate a scenario file (YAML or JSON, FORMAT.md version 1).

    Raises
    ------
    ScenarioError
        Listing every problem found; nothing is returned or written when there is any.
    """
    return parse_scenario(load_document(path), Path(path))
