"""The Dutch text of a problem, whatever kind the app has at hand.

The pages list validation problems (:class:`~matcher.scenario.problems.Problem`), table
edit problems (:class:`~matcher.scenario.edit_problems.EditProblem`), messages
(:class:`~matcher.messages.Message`) and texts that are Dutch already; :func:`dutch`
renders each from the message tables, never by translating English.
"""

from __future__ import annotations

from matcher.messages import Message
from matcher.scenario.edit_problems import EditProblem
from matcher.scenario.problems import Problem

__all__ = ["dutch"]


def dutch(item: object) -> str:
    """``item`` in Dutch: a validation problem without its (internal) file name, an edit
    problem with its table and row, a message rendered; a text as it is."""
    if isinstance(item, Problem):
        return item.text("nl", file=False)
    if isinstance(item, EditProblem):
        return item.text("nl")
    if isinstance(item, Message):
        return item.render("nl")
    return str(item)
