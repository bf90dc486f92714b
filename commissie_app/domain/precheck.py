"""The vooraf-check (pre-application check, issue 15): what the adopted assessment form and rules would advise
an organisation that thinks of applying, and what it should bring.

Nothing here is a copy of the form or the rules. The check asks the questions of the adopted form that its
advice rules depend on (the sections those rules read, the question types an applicant can answer: yes/no,
a choice, a date), shows them under the form's own conditions, takes the region from the form's questions
(``region_established`` and the municipalities of its choice question), the evidence to bring from the form's
evidence questions (label and help per criterion) plus the rules' ``[evidence]`` notes, and the outcome from the
form's own advice rules (``form_advice.advise``) with the adopted rules' periods. An applicant is assumed to
bring the evidence of each criterion they say they meet: the checklist lists it.

Pure module: no Qt, no SQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commissie_app.domain.codes import Criterion, LabelledEnum, LegalForm, Municipality
from commissie_app.domain.form_advice import (
    add_months,
    is_answered,
    normalise_answer,
    resolve_months,
    settled_advice,
    visible_questions,
)
from commissie_app.domain.form_model import AdviceOutcome, Form, GroupCondition, Question, QuestionType
from commissie_app.domain.rules import Rules, evidence_note
from commissie_app.domain.voting import default_conditional_deadline
from commissie_app.i18n import _, ngettext

#: Question types an applicant answers in the check; the others (texts, scores, impact domains) are the
#: assessor's judgement and are left to the assessment.
ASKED_TYPES = (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE, QuestionType.DATE)

#: The answer the check gives an evidence question the applicant will bring (the form's rules ask only
#: whether it is answered).
EVIDENCE_TO_BRING = "(mee te brengen)"


class PrecheckOutcome(LabelledEnum):
    """What the check advises; stored as its code."""

    GRANTED = "granted"
    CONDITIONAL = "conditional"
    REJECTED = "rejected"
    UNDECIDED = "undecided"
    INCOMPLETE = "incomplete"

    @classmethod
    def _labels(cls):
        return {
            cls.GRANTED: "toegekend",
            cls.CONDITIONAL: "voorwaardelijk toegekend",
            cls.REJECTED: "afgewezen",
            cls.UNDECIDED: "nog niet te beoordelen",
            cls.INCOMPLETE: "nog niet alle vragen beantwoord",
        }

    @property
    def may_apply(self) -> bool:
        """An application makes sense (the outcome would recognise, or needs the commission's look)."""
        return self in (PrecheckOutcome.GRANTED, PrecheckOutcome.CONDITIONAL, PrecheckOutcome.UNDECIDED)


_FROM_ADVICE = {
    AdviceOutcome.GRANT: PrecheckOutcome.GRANTED,
    AdviceOutcome.CONDITIONAL_GRANT: PrecheckOutcome.CONDITIONAL,
    AdviceOutcome.REJECT: PrecheckOutcome.REJECTED,
    AdviceOutcome.DEFER: PrecheckOutcome.UNDECIDED,
}


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence to bring: for a criterion, as the form and the rules describe it."""

    criterion: Criterion
    label: str
    help: str = ""
    note: str = ""  # the rules' [evidence] text

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(t for t in (self.help, self.note) if t)


@dataclass(frozen=True)
class PrecheckResult:
    outcome: PrecheckOutcome
    reason: str
    deadline: dt.date | None  # conditional: until when the recognition would run
    criteria: tuple[Criterion, ...]  # the criteria the answers say are met
    evidence: tuple[EvidenceItem, ...]
    missing: tuple[str, ...]  # labels of required questions not answered yet
    rule_id: str = ""
    startup_until: dt.date | None = None  # the last day to apply as a startup (founding date + startup period)


def _advice_keys(form: Form) -> set[str]:
    keys: set[str] = set()
    for rule in form.rules:
        if rule.when is not None:
            keys.update(rule.when.question_keys())
        if rule.deadline is not None:
            keys.add(rule.deadline.question)
    return keys


def precheck_questions(form: Form) -> tuple[Question, ...]:
    """The questions of the check, in form order: those an applicant can answer, in the sections the form's
    advice rules read, and any other question a rule reads (else the advice could never settle)."""
    keys = _advice_keys(form)
    sections = [s for s in form.sections if any(q.key in keys for q in s.questions)]
    return tuple(q for s in sections for q in s.questions
                 if q.type in ASKED_TYPES or (q.key in keys and q.type is not QuestionType.EVIDENCE))


def precheck_form(form: Form) -> Form:
    """The form with only the check's questions (its sections, conditions and advice rules kept), to show them."""
    keys = {q.key for q in precheck_questions(form)}
    sections = (dataclasses.replace(s, questions=tuple(q for q in s.questions if q.key in keys)) for s in form.sections)
    return dataclasses.replace(form, sections=tuple(s for s in sections if s.questions), description="")


def municipality_question(form: Form) -> Question | None:
    """The form's question that names the municipality (a choice with the region's municipalities)."""
    names = {m.value for m in Municipality}
    return next((q for q in precheck_questions(form)
                 if q.type is QuestionType.SINGLE_CHOICE and names & set(q.choice_values)), None)


def region_municipalities(form: Form) -> tuple[str, ...]:
    """The municipalities of the region as the form defines them."""
    q = municipality_question(form)
    return tuple(c.label for c in q.choices) if q else ()


def _asked_answers(form: Form, answers: Mapping[str, Any]) -> dict[str, Any]:
    asked = {q.key for q in precheck_questions(form)}
    return {k: v for k, v in answers.items() if k in asked and is_answered(v)}


def visible_precheck_questions(form: Form, answers: Mapping[str, Any]) -> tuple[Question, ...]:
    asked = {q.key for q in precheck_questions(form)}
    return tuple(q for q in visible_questions(form, _asked_answers(form, answers)) if q.key in asked)


def _valid(q: Question, value: Any) -> bool:
    try:
        normalise_answer(q, value)
    except ValueError:
        return False
    return True


def clean_precheck_answers(form: Form, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers of the visible check questions, normalised (dates as ``jjjj-mm-dd``), invalid ones dropped."""
    out: dict[str, Any] = {}
    for q in visible_precheck_questions(form, answers):
        value = answers.get(q.key)
        if is_answered(value) and _valid(q, value):
            value = normalise_answer(q, value)
            out[q.key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def check(form: Form, answers: Mapping[str, Any], today: dt.date, rules: Rules) -> PrecheckResult:
    """What the form's advice rules say for these answers, the applicant bringing the evidence named."""
    given = clean_precheck_answers(form, answers)
    shown = visible_precheck_questions(form, given)
    missing = tuple(q.label for q in shown if q.required and q.key not in given)
    with_evidence = dict(given)
    evidence_qs = [q for q in visible_questions(form, given)
                   if q.type is QuestionType.EVIDENCE and q.criterion is not None]
    for q in evidence_qs:
        with_evidence[q.key] = EVIDENCE_TO_BRING
    criteria = tuple(c for c in Criterion if any(q.criterion is c for q in evidence_qs))
    evidence = tuple(EvidenceItem(q.criterion, q.label, q.help, evidence_note(rules, q.criterion.value))
                     for q in evidence_qs)
    startup_until = _startup_until(form, given, rules)
    advice = settled_advice(form, with_evidence, today, rules) if with_evidence else None
    if advice is None:  # a rule still depends on a question not answered yet
        return PrecheckResult(PrecheckOutcome.INCOMPLETE, ngettext(
            "Beantwoord nog 1 vraag: {first}", "Beantwoord nog {n} vragen, te beginnen met: {first}",
            len(missing)).format(n=len(missing), first=missing[0] if missing else ""), None, criteria, evidence, missing, "", startup_until)
    outcome = _FROM_ADVICE[advice.outcome]
    deadline = None
    if outcome is PrecheckOutcome.CONDITIONAL:
        deadline = advice.deadline or default_conditional_deadline(today, rules)
    return PrecheckResult(outcome, advice.reason, deadline, criteria, evidence, missing, advice.rule_id,
                          startup_until)


def founding_question(form: Form) -> str | None:
    """The date question the form's advice rules compare with a period (``within_months``): the founding date."""
    for rule in form.rules:
        for cond in _conditions(rule.when):
            if cond.op == "within_months":
                return cond.question
    return None


def _founding(form: Form, given: Mapping[str, Any]) -> tuple[dt.date | None, Any]:
    key = founding_question(form)
    if key is None or key not in given:
        return None, None
    rule = next(c for r in form.rules for c in _conditions(r.when) if c.op == "within_months")
    return dt.date.fromisoformat(given[key]), rule.value


def founded_on(form: Form, answers: Mapping[str, Any]) -> dt.date | None:
    """The founding date the answers give (None when the form asks none or it is not answered)."""
    return _founding(form, clean_precheck_answers(form, answers))[0]


def municipality_answer(form: Form, answers: Mapping[str, Any]) -> str:
    """The municipality the answers name ("" when none)."""
    q = municipality_question(form)
    value = clean_precheck_answers(form, answers).get(q.key) if q else None
    return q.choice_label(value) if q and value else ""


def _startup_until(form: Form, given: Mapping[str, Any], rules: Rules) -> dt.date | None:
    """The last day an organisation counts as a startup: its founding date plus the period the form's rules
    allow (the day before)."""
    founded, months = _founding(form, given)
    if founded is None:
        return None
    return add_months(founded, resolve_months(months, rules)) - dt.timedelta(days=1)


def _conditions(cond):
    if cond is None:
        return
    if isinstance(cond, GroupCondition):
        for c in cond.conditions:
            yield from _conditions(c)
    else:
        yield cond


@dataclass(frozen=True)
class PrecheckSummary:
    """One check as the checklist and the e-mail show it (values only)."""

    organisation_name: str
    contact_person: str
    email: str
    legal_form: LegalForm | None
    municipality: str
    checked_on: dt.date
    checked_by: str
    result: PrecheckResult
    form_title: str
    rules_version: int
