"""The field checks of the scenario validator: types, ranges, ids, dates and times.

:class:`FieldChecker` collects :class:`~matcher.scenario.problems.Problem` objects while
the sections of one document are read (:mod:`matcher.scenario.sections`); each check
returns the parsed value, or ``None`` after adding a problem. Every problem is a message
code with parameters (the bad value already shown safely by
:func:`~matcher.scenario.problems.show`) and a code of what is allowed, rendered in English
for the CLI and in Dutch for the app (:mod:`matcher.messages`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from matcher.messages import Message
from matcher.scenario.domain import DAY_MINUTES
from matcher.scenario.problems import Problem, show

T = TypeVar("T")

MAX_COUNT = 1_000_000
"""Largest whole number accepted for a count such as ``max_visits_per_week``."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")

_TYPE_CODES = {
    dict: "type_mapping",
    list: "type_list",
    str: "type_string",
    int: "type_whole_number",
    float: "type_number",
}


def type_name(value: Any) -> Message:
    """What kind of value ``value`` is, as a message (``a mapping``, ``empty (null)``)."""
    if value is None:
        return Message("type_null")
    if isinstance(value, bool):
        return Message("type_bool")
    if isinstance(value, dt.datetime):
        return Message("type_datetime")
    if isinstance(value, dt.date):
        return Message("type_date")
    code = _TYPE_CODES.get(type(value))
    return Message(code) if code else Message("type_other", name=type(value).__name__)


def shown(value: Any) -> Any:
    """A bad value for a message: :func:`~matcher.scenario.problems.show`, but a number too
    long to write out (the loader's ``HugeNumber``) as a message of its digits."""
    digits = getattr(value, "digits", None)
    if isinstance(value, int) and isinstance(digits, int):
        return Message("value_huge_number", digits=digits)
    return show(value)


def allow(code: str, **params: Any) -> Message:
    """The message of what is allowed (codes ``allow_*``)."""
    return Message(code, **params)


class FieldChecker:
    """Collects problems while reading one document."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(
        self, path: str, code: str, allowed: Message | str | None = None, **params: Any
    ) -> None:
        """Add the problem ``code`` (with ``params``) at ``path``; ``allowed`` is a message or
        the code of one without parameters."""
        hint = Message(allowed) if isinstance(allowed, str) else allowed
        self.problems.append(Problem(self.file, path, Message(code, **params), hint))

    def wrong_type(self, path: str, value: Any, allowed: Message | str) -> None:
        """``"x" is a string``: the value is not of the kind allowed."""
        self.add(path, "wrong_type", allowed, value=shown(value), kind=type_name(value))

    # Structure -------------------------------------------------------------------
    def mapping(self, value: Any, path: str, keys: dict[str, bool]) -> dict[str, Any] | None:
        """Check a mapping: its type, unknown keys and missing required keys."""
        if not isinstance(value, dict):
            self.wrong_type(path, value, "allow_mapping")
            return None
        known = list(keys)
        for key in value:
            if key not in keys:
                choices = allow("allow_one_of", choices=known)
                self.add(join(path, str(key)), "unknown_key", choices, key=show(key))
        for key, required in keys.items():
            if required and key not in value:
                self.add(join(path, key), "missing_key", allow("allow_value_for", key=repr(key)))
        return value

    def items(self, value: Any, path: str, *, required: bool = False) -> list[Any]:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.wrong_type(path, value, "allow_list")
            return []
        return value

    # Scalars ----------------------------------------------------------------------
    def storable(self, value: str, path: str, *, private: bool = False) -> bool:
        """Whether ``value`` can be stored: no NUL character and no unpaired surrogate."""
        if "\x00" not in value and (value.isascii() or not _SURROGATE.search(value)):
            return True
        if private:
            self.add(path, "private_text_not_storable", "allow_storable_text")
        else:
            self.add(path, "text_not_storable", "allow_storable_text", value=show(value))
        return False

    def ident(self, value: Any, path: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value if self.storable(value, path) else None
        self.add(path, "not_an_id", "allow_non_empty_string", value=show(value))
        return None

    def text(self, value: Any, path: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value if self.storable(value, path) else None
        self.wrong_type(path, value, "allow_non_empty_string")
        return None

    def private_text(self, value: Any, path: str) -> str | None:
        """Like :meth:`text` for a field whose value never appears in a message (an address)."""
        if isinstance(value, str) and value.strip():
            return value if self.storable(value, path, private=True) else None
        self.add(path, "private_wrong_type", "allow_non_empty_string", kind=type_name(value))
        return None

    def email(self, value: Any, path: str) -> str | None:
        text = self.text(value, path)
        if text is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+", text):
            self.add(path, "not_an_email", "allow_email", value=show(text))
            return None
        return text

    def integer(
        self, value: Any, path: str, minimum: int | None = None, maximum: int = MAX_COUNT
    ) -> int | None:
        if minimum is None:
            allowed = allow("allow_whole_number_to", high=maximum)
        else:
            allowed = allow("allow_whole_number_range", low=minimum, high=maximum)
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong_type(path, value, allowed)
            return None
        if minimum is not None and value < minimum:
            self.add(path, "too_small", allowed, value=shown(value))
            return None
        if value > maximum:
            self.add(path, "too_large", allowed, value=shown(value))
            return None
        return value

    def number(
        self, value: Any, path: str, low: float, high: float, *, open_low: bool = False
    ) -> float | None:
        code = "allow_number_open_range" if open_low else "allow_number_range"
        allowed = allow(code, low=_plain(low), high=_plain(high))
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.wrong_type(path, value, allowed)
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.add(path, "not_finite", allowed, value=show(value))
            return None
        if value < low or value > high or (open_low and value == low):
            self.add(path, "out_of_range", allowed, value=shown(value))
            return None
        return float(value)

    def boolean(self, value: Any, path: str) -> bool | None:
        if isinstance(value, bool):
            return value
        self.wrong_type(path, value, "allow_bool")
        return None

    def date(self, value: Any, path: str) -> dt.date | None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    return dt.date.fromisoformat(value)
            except ValueError:
                self.add(path, "not_a_real_date", "allow_date", value=show(value))
                return None
        self.add(path, "not_a_date", "allow_date", value=show(value))
        return None

    def time(self, value: Any, path: str, *, allow_2400: bool = False) -> int | None:
        if isinstance(value, str):
            m = _TIME_RE.match(value.strip())
            if m:
                hours, minutes = int(m.group(1)), int(m.group(2))
                total = hours * 60 + minutes
                if minutes < 60 and (total < DAY_MINUTES or (allow_2400 and total == DAY_MINUTES)):
                    return total
            self.add(path, "not_a_time", "allow_time", value=show(value))
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            self.add(path, "number_not_time", "allow_time", value=str(value))
            return None
        self.wrong_type(path, value, "allow_time")
        return None

    def strings(self, value: Any, path: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.wrong_type(path, value, "allow_strings")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                if self.storable(item, f"{path}[{i}]"):
                    out.append(item)
            else:
                self.add(f"{path}[{i}]", "not_a_tag", "allow_non_empty_string", value=show(item))
        return out


def _plain(number: float) -> str:
    """A range bound as the format writes it (``-90.0``, ``1000.0``), the same in every
    language (it is a value of the file, not a number for people)."""
    return str(number)


def join(path: str, key: str) -> str:
    """The field path of ``key`` inside ``path`` (``requests[3]`` + ``roles``)."""
    return f"{path}.{key}" if path else key


def get(
    m: dict[str, Any],
    key: str,
    path: str,
    parse: Callable[..., T | None],
    *args: Any,
    **kw: Any,
) -> T | None:
    """``parse(m[key], path.key, ...)``, or ``None`` when ``key`` is absent."""
    if key not in m:
        return None
    return parse(m[key], join(path, key), *args, **kw)


def check_unique(checker: FieldChecker, ids: Iterable[tuple[str | None, str]], kind: str) -> None:
    """A problem for each id of ``kind`` (``provider``, ...) used a second time."""
    seen: dict[str, str] = {}
    for ident, path in ids:
        if ident is None:
            continue
        if ident in seen:
            checker.add(
                path,
                f"duplicate_{kind}_id",
                f"allow_{kind}_id_once",
                value=show(ident),
                other=seen[ident],
            )
        else:
            seen[ident] = path


def id_choices(known: Iterable[str]) -> Message:
    """What is allowed for a reference: the ids defined (the first 8, then a count)."""
    ids = sorted(known)
    if not ids:
        return Message("allow_defined_id")
    if len(ids) > 8:
        return Message("allow_one_of_many_ids", ids=ids[:8], count=len(ids))
    return Message("allow_one_of_ids", ids=ids)
