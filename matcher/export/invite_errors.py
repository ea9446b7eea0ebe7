"""The error of making invites."""

from __future__ import annotations


class InviteError(ValueError):
    """The plan cannot be turned into invites (unknown ids, bad time zone, ...)."""
