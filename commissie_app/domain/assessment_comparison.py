"""All assessments of one application side by side, as values: one row per question, one column per assessor.

Built here (no Qt, no SQL) so that the comparison in the window (``ui/assessment_compare.py``) and the printed
comparison (``documents/assessment_comparison_pdf.py``) show the same rows, the same texts and the same
disagreements. A cell says whether it is answered; an unanswered question is shown compactly as "—", a question
that does not apply (hidden by an earlier answer, or not in that form version) as "n.v.t."; a question that
applies to no one is left out.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from commissie_app.domain.form_advice import display_answer, is_answered, visible_questions
from commissie_app.domain.form_model import Form, QuestionType
from commissie_app.i18n import _

UNANSWERED_MARK = "—"
NOT_APPLICABLE_MARK = "n.v.t."


class CellState(str, enum.Enum):
    ANSWERED = "answered"
    UNANSWERED = "unanswered"
    NOT_SHOWN = "not_shown"  # hidden by an earlier answer of this assessor
    NOT_IN_VERSION = "not_in_version"  # the assessor's form version does not have this question

    @property
    def explanation(self) -> str:
        """What a compact mark means (the tool tip in the window, the legend on paper)."""
        return {
            CellState.ANSWERED: "",
            CellState.UNANSWERED: _("niet beantwoord"),
            CellState.NOT_SHOWN: _("niet van toepassing: volgt uit een eerder antwoord"),
            CellState.NOT_IN_VERSION: _("niet van toepassing: staat niet in deze formulierversie"),
        }[self]


@dataclass(frozen=True)
class Cell:
    text: str
    state: CellState

    @property
    def answered(self) -> bool:
        return self.state is CellState.ANSWERED


@dataclass(frozen=True)
class Assessor:
    """One column: whose assessment, with which form version, draft or final, and its advice and reason."""

    name: str
    form_version: int
    final: bool
    advice: str | None  # the advice label, None while there is none
    reason: str
    consolidated: bool = False

    @property
    def state_text(self) -> str:
        return _("definitief") if self.final else _("concept")

    @property
    def state_and_version(self) -> str:
        """'definitief, versie 2'"""
        return _("{state}, versie {version}").format(state=self.state_text, version=self.form_version)

    @property
    def advice_text(self) -> str:
        return self.advice or _("nog geen advies")


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[Cell, ...]
    differs: bool  # the assessors who answered did not all answer the same


@dataclass(frozen=True)
class Comparison:
    application: str  # "Organisatie (KvK 12345678), aanvraag van 1 november 2026"
    assessors: tuple[Assessor, ...]
    rows: tuple[Row, ...]
    hidden: int = 0  # assessments of others this user may not see (the commission's rules)
    organisation: str = ""

    @property
    def disagreements(self) -> list[str]:
        return [r.key for r in self.rows if r.differs]

    @property
    def advice_differs(self) -> bool:
        return len({a.advice_text for a in self.assessors}) > 1


@dataclass(frozen=True)
class Entry:
    """What the comparison needs of one stored assessment."""

    assessor: Assessor
    form: Form
    answers: Mapping[str, Any]


def _cell(form: Form, answers: Mapping[str, Any], key: str, visible: set[str],
          attachment_names: Mapping[str, str]) -> Cell:
    q = form.question_map.get(key)
    if q is None:
        return Cell(NOT_APPLICABLE_MARK, CellState.NOT_IN_VERSION)
    if key not in visible:
        return Cell(NOT_APPLICABLE_MARK, CellState.NOT_SHOWN)
    value = answers.get(key)
    if not is_answered(value):
        return Cell(UNANSWERED_MARK, CellState.UNANSWERED)
    if q.type is QuestionType.EVIDENCE:
        return Cell(attachment_names.get(str(value), _("(bijlage verwijderd)")), CellState.ANSWERED)
    return Cell(display_answer(q, value), CellState.ANSWERED)


def compare(application: str, entries: Sequence[Entry], attachment_names: Mapping[str, str] | None = None,
            hidden: int = 0, organisation: str = "") -> Comparison:
    """The comparison of ``entries``: the questions of every form version in use, in form order (the first
    version that has a question gives its label), without those that apply to none of the assessors."""
    names = attachment_names or {}
    keys: list[str] = []
    labels: dict[str, str] = {}
    for e in entries:
        for q in e.form.questions:
            if q.key not in labels:
                keys.append(q.key)
                labels[q.key] = q.label
    visible = [{q.key for q in visible_questions(e.form, e.answers)} for e in entries]
    rows = []
    for key in keys:
        cells = tuple(_cell(e.form, e.answers, key, shown, names) for e, shown in zip(entries, visible))
        if all(c.state in (CellState.NOT_SHOWN, CellState.NOT_IN_VERSION) for c in cells):
            continue  # a question that applies to no one (e.g. the evidence of a criterion nobody claims)
        answered = {c.text for c in cells if c.answered}
        rows.append(Row(key, labels[key], cells, len(answered) > 1))
    return Comparison(application, tuple(e.assessor for e in entries), tuple(rows), hidden, organisation)
