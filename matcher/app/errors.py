"""Unexpected errors in the app: logged with a reference, shown as a short Dutch message.

No user ever sees a traceback. :func:`guarded` wraps a page or an action: an exception
that escapes it is logged under a fresh reference (:func:`log_unexpected`) and the user
gets :func:`user_message` instead, which names that reference so the log entry can be
found. Streamlit's own control flow (``st.rerun``, ``st.stop``) derives from
``BaseException`` and passes through untouched.

The log line holds the exception's type and the code locations of its traceback (file,
line, function), never the exception's text or any value: an error about a location can
carry its address in its text, and a confidential address never goes into a log.
"""

from __future__ import annotations

import logging
import secrets
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, ParamSpec, TypeVar

__all__ = ["guarded", "guarded_callback", "log_unexpected", "user_message"]

LOGGER = logging.getLogger("consultplanner.app")

P = ParamSpec("P")
R = TypeVar("R")


def user_message(ref: str) -> str:
    """The Dutch message shown instead of an unexpected error."""
    return (
        f"Er ging iets mis (melding {ref}). Probeer het opnieuw; blijft het misgaan, geef dan "
        "dit meldingsnummer door aan de beheerder."
    )


def _frames(exc: BaseException) -> list[str]:
    """``Type at file:line in function`` for the exception and its causes, no values."""
    out: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        where = [
            f"{frame.filename}:{frame.lineno} in {frame.name}"
            for frame in traceback.extract_tb(current.__traceback__)
        ]
        out.append(f"{type(current).__module__}.{type(current).__qualname__}")
        out.extend(f"  at {w}" for w in where)
        current = current.__cause__ or current.__context__
        if current is not None:
            out.append("caused by / while handling:")
    return out


def log_unexpected(exc: BaseException, action: str = "") -> str:
    """Log ``exc`` (type and code locations only) under a new reference; return it."""
    ref = secrets.token_hex(4)
    doing = f" during {action}" if action else ""
    LOGGER.error("unexpected error %s%s: %s", ref, doing, "\n".join(_frames(exc)))
    return ref


def _st_error(message: str) -> Any:
    import streamlit as st

    return st.error(message, icon=":material/error:")


@contextmanager
def guarded(action: str = "", show: Callable[[str], Any] | None = None) -> Iterator[None]:
    """Run the block; an unexpected exception is logged and shown as :func:`user_message`.

    Parameters
    ----------
    action
        What was being done, for the log (``"pagina Export"``, ``"importeren"``).
    show
        How to show the message (default ``st.error``).
    """
    try:
        yield
    except Exception as exc:  # the point: nothing escapes to the user
        ref = log_unexpected(exc, action)
        (show or _st_error)(user_message(ref))


def guarded_callback(action: str) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """Decorate a widget callback (``on_click``) so that it runs inside :func:`guarded`."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R | None]:
        @wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
            with guarded(action):
                return fn(*args, **kwargs)
            return None

        return run

    return decorate
