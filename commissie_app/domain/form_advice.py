"""Answers on an assessment form: visibility, validation and the declared decision advice.

Answers are a plain ``dict`` from question key to value, as stored (JSON) or as a widget
produces them:

* yes_no_unknown / single_choice: the choice value (``"ja"``, ``"nee"``, ``"onbekend"``)
* multiple_choice: a list of choice values
* scale: an int
* date: a ``datetime.date`` or text (``dd-mm-jjjj`` or ``jjjj-mm-dd``)
* short_text / long_text: text
* evidence: the id (text) of an attachment of the application

``None``, empty text and empty lists count as "not answered". Answers of questions that are
hidden by their conditions are ignored everywhere. Pure module: no Qt, no SQL.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from commissie_app.domain.errors import ValidationError
from commissie_app.domain.form_model import (
    NAMED_PERIODS,
    PLACEHOLDER_RE,
    AdviceOutcome,
    AnswerCondition,
    Condition,
    Form,
    GroupCondition,
    Question,
    QuestionType,
)
from commissie_app.domain.rules import Rules
from commissie_app.domain.validation import format_date_nl, parse_date
from commissie_app.i18n import _


@dataclass(frozen=True)
class Advice:
    outcome: AdviceOutcome
    reason: str
    deadline: dt.date | None
    rule_id: str


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the last day of a shorter month."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def resolve_months(months: int | str, rules: Rules) -> int:
    if isinstance(months, str):
        return int(getattr(rules, NAMED_PERIODS[months]))
    return months


def is_answered(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, set, frozenset)):
        return bool(value)
    return True


def normalise_answer(q: Question, value: Any) -> Any:
    """The canonical value of an answered question; raises ValueError with a Dutch message."""
    t = q.type
    if t in (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE):
        if isinstance(value, str):
            v = value.strip()
            if t is QuestionType.YES_NO_UNKNOWN:
                v = v.lower()
            if v in q.choice_values:
                return v
        raise ValueError(_("Kies een van: {labels}.").format(labels=", ".join(c.label for c in q.choices)))
    if t is QuestionType.MULTIPLE_CHOICE:
        if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in value):
            picked = {v.strip() for v in value}
            unknown = sorted(picked - set(q.choice_values))
            if not unknown:
                return tuple(c for c in q.choice_values if c in picked)
            raise ValueError(_("Onbekende keuze: {values}. Kies uit: {labels}.").format(
                values=", ".join(unknown), labels=", ".join(c.label for c in q.choices)))
        raise ValueError(_("Kies een of meer van: {labels}.").format(labels=", ".join(c.label for c in q.choices)))
    if t is QuestionType.SCALE:
        lo, hi = q.scale[0].value, q.scale[-1].value
        n = None
        if isinstance(value, int) and not isinstance(value, bool):
            n = value
        elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
            n = int(value.strip())
        if n is None or not lo <= n <= hi:
            raise ValueError(_("Kies een score van {lo} tot en met {hi}.").format(lo=lo, hi=hi))
        return n
    if t is QuestionType.DATE:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return parse_date(value)
            except ValueError:
                pass
        raise ValueError(_("Vul een geldige datum in, bijvoorbeeld 23-11-2026."))
    if t in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
        if not isinstance(value, str):
            raise ValueError(_("Vul hier tekst in."))
        v = value.strip()
        if t is QuestionType.SHORT_TEXT and "\n" in v:
            raise ValueError(_("Een kort antwoord past op één regel."))
        if q.max_length is not None and len(v) > q.max_length:
            raise ValueError(_("Gebruik hoogstens {n} tekens (nu {m}).").format(n=q.max_length, m=len(v)))
        return v
    if t is QuestionType.EVIDENCE:
        if isinstance(value, str):
            return value.strip()
        raise ValueError(_("Kies een bijlage van de aanvraag als bewijsstuk."))
    raise AssertionError(t)  # pragma: no cover - every type is handled above


def _visible(form: Form, answers: Mapping[str, Any]) -> tuple[list[Question], dict[str, Any]]:
    """Visible questions in form order, and the valid answers of the visible ones (normalised)."""
    visible: list[Question] = []
    values: dict[str, Any] = {}
    for section in form.sections:
        if section.show_if is not None and not evaluate(section.show_if, values):
            continue
        for q in section.questions:
            if q.show_if is not None and not evaluate(q.show_if, values):
                continue
            visible.append(q)
            raw = answers.get(q.key)
            if is_answered(raw):
                try:
                    values[q.key] = normalise_answer(q, raw)
                except ValueError:
                    pass  # an invalid answer counts as not answered for conditions and advice
    return visible, values


def visible_questions(form: Form, answers: Mapping[str, Any]) -> tuple[Question, ...]:
    """The questions to show given the answers so far (conditions only look at earlier questions)."""
    return tuple(_visible(form, answers)[0])


def evaluate(cond: Condition, values: Mapping[str, Any], today: dt.date | None = None,
             rules: Rules | None = None) -> bool:
    """Whether ``cond`` holds for normalised answers ``values`` (unanswered keys are absent)."""
    if isinstance(cond, GroupCondition):
        results = (evaluate(c, values, today, rules) for c in cond.conditions)
        if cond.kind == "all_of":
            return all(results)
        if cond.kind == "any_of":
            return any(results)
        return not any(results)
    assert isinstance(cond, AnswerCondition)
    op, want = cond.op, cond.value
    if op == "answered":
        return (cond.question in values) is want
    if cond.question not in values:
        return False
    have = values[cond.question]
    if op == "equals":
        return have == want
    if op == "not_equals":
        return have != want
    if op == "one_of":
        return have in want
    if op == "contains":
        return want in have
    if op == "at_least":
        return have >= want
    if op == "at_most":
        return have <= want
    if today is None or rules is None:
        raise ValueError("date comparisons need today and rules")
    limit = add_months(have, resolve_months(want, rules))
    if op == "within_months":
        return have <= today < limit
    if op == "older_than_months":
        return limit <= today
    raise AssertionError(op)  # pragma: no cover


def validate_answers(form: Form, answers: Mapping[str, Any], *, complete: bool = True,
                     attachment_ids: Collection[str] | None = None) -> dict[str, str]:
    """Problems per question key (Dutch). With ``complete=False`` (a draft) unanswered required
    questions are not reported. ``attachment_ids`` (if given) are the attachments an evidence
    answer may point at."""
    errors: dict[str, str] = {}
    for key in answers:
        if key not in form.question_map:
            errors[key] = _("Dit formulier kent geen vraag ‘{key}’.").format(key=key)
    visible, _values = _visible(form, answers)
    for q in visible:
        raw = answers.get(q.key)
        if not is_answered(raw):
            if complete and q.required:
                errors[q.key] = _("Beantwoord deze vraag; zij is verplicht: {label}").format(label=q.label)
            continue
        try:
            value = normalise_answer(q, raw)
        except ValueError as e:
            errors[q.key] = str(e)
            continue
        if q.type is QuestionType.EVIDENCE and attachment_ids is not None and value not in attachment_ids:
            errors[q.key] = _("Het gekozen bewijsstuk is geen bijlage (meer) van deze aanvraag; kies een andere.")
    return errors


def clean_answers(form: Form, answers: Mapping[str, Any], *, complete: bool = True,
                  attachment_ids: Collection[str] | None = None) -> dict[str, Any]:
    """Normalised answers of the visible, answered questions, in form order.

    Raises ValidationError (per question key) when ``validate_answers`` finds problems; answers
    of hidden questions are dropped, so they are never stored."""
    errors = validate_answers(form, answers, complete=complete, attachment_ids=attachment_ids)
    if errors:
        raise ValidationError(errors)
    return dict(_visible(form, answers)[1])


def answers_to_json(form: Form, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Clean answers in a JSON-friendly shape (dates as ``jjjj-mm-dd``, choices as lists)."""
    out: dict[str, Any] = {}
    for key, value in answers.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


def display_answer(q: Question, value: Any) -> str:
    """An answer as the user reads it: choice labels, a Dutch date, a scale step with its label."""
    if not is_answered(value):
        return _("(niet beantwoord)")
    try:
        v = normalise_answer(q, value)
    except ValueError:
        return str(value)
    if q.type in (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE):
        return q.choice_label(v)
    if q.type is QuestionType.MULTIPLE_CHOICE:
        return ", ".join(q.choice_label(c) for c in v)
    if q.type is QuestionType.SCALE:
        return f"{v} ({q.scale_label(v)})"
    if q.type is QuestionType.DATE:
        return format_date_nl(v)
    return str(v)


def advise(form: Form, answers: Mapping[str, Any], today: dt.date, rules: Rules) -> Advice:
    """The advice of the first rule of the form whose condition holds (the last rule always does)."""
    values = _visible(form, answers)[1]
    for rule in form.rules:
        if rule.when is not None and not evaluate(rule.when, values, today, rules):
            continue
        deadline = None
        if rule.deadline is not None and rule.deadline.question in values:
            deadline = add_months(values[rule.deadline.question], resolve_months(rule.deadline.add_months, rules))

        def fill(match) -> str:
            name = match.group(1)
            if name == "deadline":
                return format_date_nl(deadline) if deadline else _("(onbekend)")
            if name in NAMED_PERIODS:
                return str(resolve_months(name, rules))
            if name == "today":
                return format_date_nl(today)
            return display_answer(form.question(name), values.get(name))

        return Advice(rule.outcome, PLACEHOLDER_RE.sub(fill, rule.reason), deadline, rule.id)
    raise AssertionError("a loaded form always ends with an 'otherwise' rule")  # pragma: no cover


def _holds(cond: Condition, values: Mapping[str, Any], open_keys: set[str], today: dt.date, rules: Rules) -> bool | None:
    """Whether ``cond`` holds for the answers so far: True, False, or None while it depends on a question that
    is still open (three-valued: an ``any_of`` with one true part holds whatever the open questions become)."""
    if isinstance(cond, GroupCondition):
        parts = [_holds(c, values, open_keys, today, rules) for c in cond.conditions]
        if cond.kind == "all_of":
            return False if False in parts else (None if None in parts else True)
        some = True if True in parts else (None if None in parts else False)
        return some if cond.kind == "any_of" or some is None else not some
    assert isinstance(cond, AnswerCondition)
    if cond.question in open_keys:
        return None
    return evaluate(cond, values, today, rules)


def _open_questions(form: Form, answers: Mapping[str, Any], values: Mapping[str, Any]) -> set[str]:
    """The questions whose answer is still to come: required ones shown and not answered, and those hidden until
    such a question is answered. A question shown but not required and left empty counts as answered with
    nothing (a proof of evidence that is missing)."""
    shown = {q.key for q in visible_questions(form, answers)}
    open_keys: set[str] = set()
    for section in form.sections:  # conditions only look at earlier questions: one pass in form order
        for q in section.questions:
            if q.key in shown:
                if q.required and q.key not in values:
                    open_keys.add(q.key)
            elif any(c is not None and open_keys.intersection(c.question_keys()) for c in (section.show_if, q.show_if)):
                open_keys.add(q.key)
    return open_keys


def settled_advice(form: Form, answers: Mapping[str, Any], today: dt.date, rules: Rules) -> Advice | None:
    """The advice of the form's rules once the valid ``answers`` settle it, None before: no answer yet, or a rule
    before the deciding one (or that one itself) still depends on a question whose answer is still to come."""
    if not answers:
        return None
    values = clean_answers(form, answers, complete=False)
    open_keys = _open_questions(form, answers, values)
    for rule in form.rules:
        holds = True if rule.when is None else _holds(rule.when, values, open_keys, today, rules)
        if holds is None:
            return None
        if holds:
            return advise(form, answers, today, rules)
    return None  # pragma: no cover - a loaded form always ends with an 'otherwise' rule
