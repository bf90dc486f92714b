"""What a unit of work changed, told to whoever shows the records (as Anki's ``OpChanges``).

A committed unit of work publishes one ``Changes`` value: which records (entity type and id) it
created, updated and deleted. A view that wants to know what an action changed records it::

    with recording() as seen:
        meetings.record_decision(ctx, ...)
    refresh(seen.changes.ids("application"))

Recording is per thread (a ``ContextVar``): a background worker's commits are not seen by the UI
thread's recorder, and the other way round.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Iterator

Key = tuple[str, Any]  # (entity type, id)


@dataclass(frozen=True)
class Changes:
    """The records one or more units of work created, updated and deleted (entity type, id)."""

    created: frozenset[Key] = frozenset()
    updated: frozenset[Key] = frozenset()
    deleted: frozenset[Key] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def __or__(self, other: "Changes") -> "Changes":
        created, deleted = self.created | other.created, self.deleted | other.deleted
        return Changes(created, (self.updated | other.updated) - created - deleted, deleted)

    def ids(self, entity_type: str) -> set:
        """Every id of this entity type that was created, updated or deleted."""
        return {i for kind, i in self.created | self.updated | self.deleted if kind == entity_type}

    def touches(self, entity_type: str) -> bool:
        return bool(self.ids(entity_type))


@dataclass
class Recorder:
    changes: Changes = field(default_factory=Changes)


_recorders: ContextVar[tuple[Recorder, ...]] = ContextVar("commissie_change_recorders", default=())


@contextmanager
def recording() -> Iterator[Recorder]:
    """Collect the changes of every unit of work committed in this thread inside the block."""
    recorder = Recorder()
    token = _recorders.set(_recorders.get() + (recorder,))
    try:
        yield recorder
    finally:
        _recorders.reset(token)


def publish(changes: Changes) -> None:
    """Called by the outermost unit of work after its commit."""
    for recorder in _recorders.get():
        recorder.changes = recorder.changes | changes
