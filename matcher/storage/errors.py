"""The errors of the storage API: every one means that nothing was written."""

from __future__ import annotations


class StorageError(Exception):
    """A storage operation cannot be done; nothing was written."""


class NotFoundError(StorageError, LookupError):
    """A round, plan or an entity (or an entity's reference) does not exist in the round."""


class RoundExistsError(StorageError):
    """A round with that name exists and ``replace`` was not asked for."""
