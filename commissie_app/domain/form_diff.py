"""The difference between two versions of an assessment form (for the secretary adopting a new one).

Pure module: no Qt, no SQL.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from commissie_app.domain.form_model import Choice, ScaleStep, AnswerCondition, GroupCondition, Question, Form
from commissie_app.i18n import _


def _attribute_labels() -> dict[str, str]:
    """The compared attributes of a question, in order, with their Dutch names (a function: ``_`` follows the
    language chosen at start-up)."""
    return {
        "label": _("vraagtekst"),
        "type": _("type"),
        "choices": _("keuzes"),
        "required": _("verplicht"),
        "help": _("toelichting"),
        "scale": _("schaal"),
        "show_if": _("voorwaarde"),
        "criterion": _("criterium"),
        "max_length": _("maximale lengte"),
        "section": _("onderdeel"),
    }


@dataclass(frozen=True)
class FieldChange:
    attribute: str  # one of _attribute_labels()
    old: Any
    new: Any

    @property
    def attribute_label(self) -> str:
        return _attribute_labels()[self.attribute]


@dataclass(frozen=True)
class QuestionChange:
    key: str
    label: str
    changes: tuple[FieldChange, ...]

    def attributes(self) -> tuple[str, ...]:
        return tuple(c.attribute for c in self.changes)


@dataclass(frozen=True)
class FormDiff:
    old_version: int
    new_version: int
    added: tuple[Question, ...]
    removed: tuple[Question, ...]
    changed: tuple[QuestionChange, ...]
    rules_added: tuple[str, ...] = ()
    rules_removed: tuple[str, ...] = ()
    rules_changed: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.rules_added or self.rules_removed
                    or self.rules_changed)

    def lines(self) -> list[str]:
        """A Dutch summary, one line per change, for the screen or the minutes."""
        out = [_("Nieuwe vraag: {label} ({key})").format(label=q.label, key=q.key) for q in self.added]
        out += [_("Vervallen vraag: {label} ({key})").format(label=q.label, key=q.key) for q in self.removed]
        for c in self.changed:
            parts = []
            for f in c.changes:
                parts.append(_("{attr}: {old} → {new}").format(
                    attr=f.attribute_label, old=_show(f.old), new=_show(f.new)))
            out.append(_("Gewijzigde vraag {key}: {parts}").format(key=c.key, parts="; ".join(parts)))
        out += [_("Nieuwe adviesregel: {id}").format(id=r) for r in self.rules_added]
        out += [_("Vervallen adviesregel: {id}").format(id=r) for r in self.rules_removed]
        out += [_("Gewijzigde adviesregel: {id}").format(id=r) for r in self.rules_changed]
        return out


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, tuple) and value and isinstance(value[0], (Choice, ScaleStep)):
        return ", ".join(f"{c.value}={c.label}" if isinstance(c, ScaleStep) else c.value for c in value)
    if value is None or value == () or value == "":
        return "-"
    if isinstance(value, (AnswerCondition, GroupCondition)):
        return _("gewijzigd")
    return str(value)


def diff_forms(old: Form, new: Form) -> FormDiff:
    """Questions added, removed and changed (label, type, choices, required, ...) from ``old`` to ``new``."""
    old_q, new_q = old.question_map, new.question_map
    added = tuple(q for q in new.questions if q.key not in old_q)
    removed = tuple(q for q in old.questions if q.key not in new_q)
    changed = []
    for q in new.questions:
        before = old_q.get(q.key)
        if before is None:
            continue
        changes = []
        for attr in _attribute_labels():
            if attr == "section":
                a, b = old.section_of(q.key).title, new.section_of(q.key).title
            else:
                a, b = getattr(before, attr), getattr(q, attr)
            if a != b:
                changes.append(FieldChange(attr, a, b))
        if changes:
            changed.append(QuestionChange(q.key, q.label, tuple(changes)))
    old_r = {r.id: r for r in old.rules}
    new_r = {r.id: r for r in new.rules}
    return FormDiff(
        old_version=old.version,
        new_version=new.version,
        added=added,
        removed=removed,
        changed=tuple(changed),
        rules_added=tuple(r for r in new_r if r not in old_r),
        rules_removed=tuple(r for r in old_r if r not in new_r),
        rules_changed=tuple(r for r in new_r if r in old_r and new_r[r] != old_r[r]),
    )
