"""Assessment forms as data: the in-memory model of a form (sections, questions, conditions, advice rules).

The commission writes its own form (``forms/assessment/*.toml``; the format is described in
``docs/forms.md``); :mod:`commissie_app.domain.form_loader` reads and checks a file into this model,
:mod:`commissie_app.domain.form_advice` evaluates answers on it, :mod:`commissie_app.domain.form_diff`
compares two versions.

Pure module: no Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Union

from commissie_app.domain.codes import Criterion, LabelledEnum
from commissie_app.domain.rules import FORMS_DIR
from commissie_app.i18n import _

ASSESSMENT_FORMS_DIR = FORMS_DIR / "assessment"

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
FORM_ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
RULE_ID_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 10_000


class QuestionType(str, enum.Enum):
    YES_NO_UNKNOWN = "yes_no_unknown"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"
    DATE = "date"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    EVIDENCE = "evidence"


class AdviceOutcome(LabelledEnum):
    """What an advice rule yields. In the form file the Dutch word is written (see ``from_word``)."""

    GRANT = "grant"
    CONDITIONAL_GRANT = "conditional_grant"
    REJECT = "reject"
    DEFER = "defer"

    @classmethod
    def _labels(cls):
        return {
            cls.GRANT: _("toekennen"),
            cls.CONDITIONAL_GRANT: _("voorwaardelijk toekennen"),
            cls.REJECT: _("afwijzen"),
            cls.DEFER: _("aanhouden"),
        }

    @classmethod
    def words(cls) -> dict:
        """The words of form files (the file format's vocabulary: Dutch in every UI language)."""
        return {cls.GRANT: "toekennen", cls.CONDITIONAL_GRANT: "voorwaardelijk toekennen", cls.REJECT: "afwijzen",
                cls.DEFER: "aanhouden"}

    @classmethod
    def from_word(cls, word: str) -> "AdviceOutcome":
        """The exact (untranslated) Dutch word used in form files; raises ValueError."""
        for member, form_word in cls.words().items():
            if word == form_word:
                return member
        raise ValueError(word)


# Values of a yes_no_unknown question (stored value, Dutch label).
YES, NO, UNKNOWN = "ja", "nee", "onbekend"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class ScaleStep:
    value: int
    label: str


YES_NO_UNKNOWN_CHOICES = (Choice(YES, "ja"), Choice(NO, "nee"), Choice(UNKNOWN, "onbekend"))


# ---------------------------------------------------------------- conditions

#: Operators of an answer condition and the question types they apply to.
OPERATORS: dict[str, tuple[QuestionType, ...]] = {
    "equals": (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE, QuestionType.SCALE),
    "not_equals": (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE, QuestionType.SCALE),
    "one_of": (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE),
    "contains": (QuestionType.MULTIPLE_CHOICE,),
    "answered": tuple(QuestionType),
    "at_least": (QuestionType.SCALE,),
    "at_most": (QuestionType.SCALE,),
    "within_months": (QuestionType.DATE,),
    "older_than_months": (QuestionType.DATE,),
}
DATE_OPERATORS = ("within_months", "older_than_months")
GROUP_KINDS = ("all_of", "any_of", "none_of")

#: Periods a form may name instead of a number of months; values come from ``forms/rules.toml``.
#: ``grace_period`` (the name adopted form versions use) is the startup age since issue 12.
NAMED_PERIODS = {"grace_period": "startup_max_age_months", "startup_period": "startup_max_age_months",
                 "conditional_period": "conditional_months"}


@dataclass(frozen=True)
class AnswerCondition:
    """``{question = KEY, <op> = value}``; see ``OPERATORS``."""

    question: str
    op: str
    value: Any

    def question_keys(self) -> Iterator[str]:
        yield self.question


@dataclass(frozen=True)
class GroupCondition:
    """``{all_of = [...]}``, ``{any_of = [...]}`` or ``{none_of = [...]}``."""

    kind: str
    conditions: tuple["Condition", ...]

    def question_keys(self) -> Iterator[str]:
        for c in self.conditions:
            yield from c.question_keys()


Condition = Union[AnswerCondition, GroupCondition]


# ---------------------------------------------------------------- the form


@dataclass(frozen=True)
class Question:
    key: str
    type: QuestionType
    label: str
    help: str = ""
    required: bool = False
    show_if: Condition | None = None
    choices: tuple[Choice, ...] = ()
    scale: tuple[ScaleStep, ...] = ()
    criterion: Criterion | None = None
    max_length: int | None = None
    location: str = field(default="", compare=False)

    def choice_label(self, value: str) -> str:
        for c in self.choices:
            if c.value == value:
                return c.label
        return value

    def scale_label(self, value: int) -> str:
        for s in self.scale:
            if s.value == value:
                return s.label
        return str(value)

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)


@dataclass(frozen=True)
class Section:
    title: str
    questions: tuple[Question, ...]
    help: str = ""
    show_if: Condition | None = None
    location: str = field(default="", compare=False)


@dataclass(frozen=True)
class Deadline:
    """The deadline of an advice: the answer of a date question plus a number of months."""

    question: str
    add_months: int | str  # a number or a name from NAMED_PERIODS


@dataclass(frozen=True)
class AdviceRule:
    id: str
    outcome: AdviceOutcome
    reason: str  # template with {placeholders}
    when: Condition | None = None  # None: ``otherwise = true``
    deadline: Deadline | None = None


@dataclass(frozen=True)
class Form:
    form_id: str
    version: int
    title: str
    adopted_on: dt.date
    sections: tuple[Section, ...]
    rules: tuple[AdviceRule, ...]
    content_hash: str
    description: str = ""
    source_text: str = field(default="", compare=False, repr=False)
    source_name: str = field(default="", compare=False)

    @functools.cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    @functools.cached_property
    def question_map(self) -> dict[str, Question]:
        return {q.key: q for q in self.questions}

    def question(self, key: str) -> Question:
        return self.question_map[key]

    def section_of(self, key: str) -> Section:
        for s in self.sections:
            if any(q.key == key for q in s.questions):
                return s
        raise KeyError(key)

    @property
    def display_name(self) -> str:
        return _("{title} (versie {version})").format(title=self.title, version=self.version)
