"""Reading scenario files (YAML or JSON) into a validated :class:`~matcher.domain.Scenario`.

YAML is read with PyYAML's safe loader minus the YAML 1.1 base-60 rule, so an unquoted
``09:00`` stays the text ``"09:00"`` (a plain YAML 1.1 parser would read the number 540).
Duplicate keys in a mapping are reported instead of silently keeping the last one.
Malformed documents give a :class:`~matcher.problems.ScenarioError` with line and column,
never a traceback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from matcher.domain import Scenario
from matcher.problems import Problem, ScenarioError
from matcher.validate import validate_document

__all__ = ["ScenarioError", "load_document", "load_scenario", "parse_scenario"]


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


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass


def _construct_mapping_no_duplicates(
    loader: _ScenarioYamlLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    seen: dict[Any, Any] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise DuplicateKeyError(
                "while reading a mapping",
                node.start_mark,
                f"the key {key!r} appears twice",
                key_node.start_mark,
            )
        seen[key] = True
    return loader.construct_mapping(node, deep=deep)


_ScenarioYamlLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping_no_duplicates,
)


def _yaml_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"malformed YAML: {what}" + (f" ({context})" if context else "")
    return Problem(file, where, message, "a well-formed YAML or JSON document")


def load_document(path: Path | str) -> Any:
    """Read a YAML or JSON file into plain Python data.

    Raises
    ------
    ScenarioError
        When the file is missing, unreadable or malformed (with line and column).
    """
    p = Path(path)
    file = str(p)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(file, "", "file not found", "an existing file")]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [Problem(file, f"byte {exc.start}", "not UTF-8 text", "a UTF-8 encoded file")]
        ) from None
    except OSError as exc:
        raise ScenarioError([Problem(file, "", f"cannot read: {exc.strerror}")]) from None
    return parse_text(text, file, is_json=p.suffix.lower() == ".json")


def parse_text(text: str, file: str = "<scenario>", *, is_json: bool = False) -> Any:
    """Parse scenario text (JSON when ``is_json``, else YAML, which also reads JSON)."""
    if is_json:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScenarioError(
                [
                    Problem(
                        file,
                        f"line {exc.lineno}, column {exc.colno}",
                        f"malformed JSON: {exc.msg}",
                        "a well-formed JSON document",
                    )
                ]
            ) from None
    try:
        return yaml.load(text, Loader=_ScenarioYamlLoader)
    except yaml.YAMLError as exc:
        raise ScenarioError([_yaml_problem(file, exc)]) from None


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
