"""Reading the logic of a form file: ``show_if`` conditions and advice rules (with their deadline
and the placeholders of their texts), checked against the questions read before them.

Pure module: no Qt, no SQL.
"""

from __future__ import annotations

import difflib
from typing import Any

from commissie_app.domain.form_model import (
    DATE_OPERATORS,
    GROUP_KINDS,
    NAMED_PERIODS,
    OPERATORS,
    PLACEHOLDER_RE,
    RULE_ID_RE,
    AdviceOutcome,
    AdviceRule,
    AnswerCondition,
    Condition,
    Deadline,
    GroupCondition,
    Question,
    QuestionType,
)
from commissie_app.domain.form_reader import TableReader, join_location
from commissie_app.i18n import _


class LogicReader(TableReader):
    """Reads conditions and advice rules; ``self.keys`` holds the questions read so far."""

    # -- conditions

    def condition(self, raw: Any, loc: str, *, before: int | None, relative_dates: bool,
                  own_key: str | None) -> Condition | None:
        if not isinstance(raw, dict):
            self.problem(loc, _("een voorwaarde is een tabel, bijvoorbeeld { question = \"crit_pso30\", "
                                "equals = \"ja\" }"))
            return None
        kinds = [k for k in GROUP_KINDS if k in raw]
        if kinds:
            if len(raw) != 1:
                self.problem(loc, _("‘{kind}’ staat alleen in een eigen tabel; combineer het niet met {others}").format(
                    kind=kinds[0], others=", ".join(f"‘{k}’" for k in raw if k != kinds[0])))
                return None
            kind = kinds[0]
            items = raw[kind]
            where = join_location(loc, kind)
            if not isinstance(items, list) or not items:
                self.problem(where, _("moet een niet-lege lijst van voorwaarden zijn"))
                return None
            subs = [self.condition(item, join_location(where, i), before=before, relative_dates=relative_dates,
                                   own_key=own_key) for i, item in enumerate(items, start=1)]
            if any(s is None for s in subs):
                return None
            return GroupCondition(kind, tuple(subs))

        self.check_keys(raw, loc, ("question",) + tuple(OPERATORS), ("question",))
        ops = [k for k in OPERATORS if k in raw]
        if len(ops) != 1:
            if not ops:
                self.problem(loc, _("geef precies één vergelijking: {ops}").format(ops=", ".join(OPERATORS)))
            else:
                self.problem(loc, _("geef precies één vergelijking per tabel, niet {ops}; gebruik all_of om te "
                                    "combineren").format(ops=" en ".join(ops)))
            return None
        op = ops[0]
        key = raw.get("question")
        if key is None:
            return None
        qloc = join_location(loc, "question")
        if not isinstance(key, str):
            self.problem(qloc, _("moet de sleutel van een vraag zijn (tekst)"))
            return None
        if key == own_key:
            self.problem(qloc, _("een vraag kan niet van haar eigen antwoord afhangen"))
            return None
        if key not in self.keys:
            hint = difflib.get_close_matches(key, list(self.keys), n=1)
            extra = _(" (bedoelt u ‘{hint}’?)").format(hint=hint[0]) if hint else ""
            self.problem(qloc, _("de vraag ‘{key}’ bestaat niet in dit formulier{extra}").format(key=key, extra=extra))
            return None
        index, question, qdef = self.keys[key]
        if before is not None and index >= before:
            self.problem(qloc, _("de vraag ‘{key}’ staat pas later in het formulier ({where}); een voorwaarde mag "
                                 "alleen naar eerdere vragen verwijzen").format(key=key, where=qdef))
            return None
        if question is None:
            return None  # the question itself is broken; that problem is already listed
        return self.operand(question, op, raw[op], join_location(loc, op), relative_dates)

    def operand(self, q: Question, op: str, value: Any, where: str, relative_dates: bool) -> Condition | None:
        if q.type not in OPERATORS[op]:
            self.problem(where, _("‘{op}’ kan niet bij vraag ‘{key}’ van type ‘{type}’; wel bij: {types}").format(
                op=op, key=q.key, type=q.type.value, types=", ".join(t.value for t in OPERATORS[op])))
            return None
        if op == "answered":
            if not isinstance(value, bool):
                self.problem(where, _("moet true of false zijn"))
                return None
            return AnswerCondition(q.key, op, value)
        if op in DATE_OPERATORS:
            if not relative_dates:
                self.problem(where, _("een vergelijking met de datum van vandaag kan alleen in een adviesregel, "
                                      "niet in show_if"))
                return None
            months = self.months(value, where)
            return None if months is None else AnswerCondition(q.key, op, months)
        if q.type is QuestionType.SCALE:
            lo, hi = q.scale[0].value, q.scale[-1].value
            n = self.integer(value, where, lo, hi)
            return None if n is None else AnswerCondition(q.key, op, n)
        if op == "one_of":
            if not isinstance(value, list) or not value:
                self.problem(where, _("moet een niet-lege lijst van keuzes zijn"))
                return None
            checked = [self.choice_value(q, v, join_location(where, i)) for i, v in enumerate(value, start=1)]
            if any(c is None for c in checked):
                return None
            return AnswerCondition(q.key, op, tuple(checked))
        checked = self.choice_value(q, value, where)
        return None if checked is None else AnswerCondition(q.key, op, checked)

    def choice_value(self, q: Question, value: Any, where: str) -> str | None:
        if not isinstance(value, str) or value not in q.choice_values:
            self.problem(where, _("‘{value}’ is geen keuze van vraag ‘{key}’; mogelijk: {values}").format(
                value=value, key=q.key, values=", ".join(q.choice_values)))
            return None
        return value

    def months(self, value: Any, where: str) -> int | str | None:
        if isinstance(value, str):
            if value in NAMED_PERIODS:
                return value
            self.problem(where, _("onbekende termijn ‘{value}’; gebruik een aantal maanden of: {names}").format(
                value=value, names=", ".join(NAMED_PERIODS)))
            return None
        return self.integer(value, where, 1, 1200)

    # -- advice rules

    def advice(self, table: Any) -> list[AdviceRule]:
        loc = "advice"
        if table is None:
            return []
        if not isinstance(table, dict):
            self.problem(loc, _("moet een tabel zijn ([advice] met [[advice.rules]])"))
            return []
        self.check_keys(table, loc, ("rules",), ("rules",))
        rules: list[AdviceRule] = []
        ids: dict[str, str] = {}
        raw_rules = self.table_list(table, "rules", loc)
        fallback_at: str | None = None
        for rloc, rtable in raw_rules:
            self.check_keys(rtable, rloc, ("id", "outcome", "reason", "when", "otherwise", "deadline"),
                            ("id", "outcome", "reason"))
            if fallback_at is not None:
                self.problem(rloc, _("deze regel wordt nooit bereikt: {other} geldt altijd (otherwise = true)").format(
                    other=fallback_at))
            rule_id = self.text(rtable, "id", rloc, pattern=RULE_ID_RE,
                                pattern_hint=_("gebruik kleine letters, cijfers, ‘-’ en ‘_’"))
            if rule_id is not None:
                if rule_id in ids:
                    self.problem(join_location(rloc, "id"), _("de regel ‘{id}’ komt al voor bij {other}").format(
                        id=rule_id, other=ids[rule_id]))
                ids[rule_id] = rloc
            outcome = None
            if "outcome" in rtable:
                try:
                    outcome = AdviceOutcome.from_word(rtable["outcome"])
                except (ValueError, TypeError):
                    self.problem(join_location(rloc, "outcome"), _("onbekende uitkomst ‘{value}’; kies uit: {words}").format(
                        value=rtable["outcome"], words=", ".join(AdviceOutcome.words().values())))
            when = None
            has_when, has_otherwise = "when" in rtable, "otherwise" in rtable
            if has_when == has_otherwise:
                self.problem(rloc, _("geef precies één van ‘when’ (een voorwaarde) of ‘otherwise = true’"))
            elif has_otherwise:
                if rtable["otherwise"] is not True:
                    self.problem(join_location(rloc, "otherwise"), _("mag alleen true zijn; laat het anders weg"))
                fallback_at = rloc
            else:
                when = self.condition(rtable["when"], join_location(rloc, "when"), before=None, relative_dates=True,
                                      own_key=None)
            deadline = None
            if "deadline" in rtable:
                deadline = self.deadline(rtable["deadline"], join_location(rloc, "deadline"))
            reason = self.text(rtable, "reason", rloc)
            if reason is not None:
                self.placeholders(reason, join_location(rloc, "reason"), has_deadline="deadline" in rtable)
            if rule_id and outcome and reason is not None and (when is not None or has_otherwise):
                rules.append(AdviceRule(rule_id, outcome, reason, when, deadline))
        if raw_rules and fallback_at is None:
            self.problem("advice.rules", _("de laatste regel moet ‘otherwise = true’ hebben, zodat er altijd een "
                                           "advies is"))
        return rules

    def deadline(self, raw: Any, loc: str) -> Deadline | None:
        if not isinstance(raw, dict):
            self.problem(loc, _("moet een tabel zijn: { question = \"...\", add_months = \"grace_period\" }"))
            return None
        self.check_keys(raw, loc, ("question", "add_months"), ("question", "add_months"))
        key = raw.get("question")
        months = self.months(raw["add_months"], join_location(loc, "add_months")) if "add_months" in raw else None
        if key is None:
            return None
        entry = self.keys.get(key) if isinstance(key, str) else None
        if entry is None:
            self.problem(join_location(loc, "question"), _("de vraag ‘{key}’ bestaat niet in dit formulier").format(key=key))
            return None
        q = entry[1]
        if q is not None and q.type is not QuestionType.DATE:
            self.problem(join_location(loc, "question"), _("de vraag ‘{key}’ is geen datumvraag").format(key=key))
            return None
        return None if months is None or q is None else Deadline(key, months)

    def placeholders(self, template: str, where: str, has_deadline: bool) -> None:
        allowed = {*NAMED_PERIODS, "today"} | set(self.keys)
        if has_deadline:
            allowed.add("deadline")
        for name in PLACEHOLDER_RE.findall(template):
            if name not in allowed:
                if name == "deadline":
                    msg = _("‘{deadline}’ kan alleen in een regel met ‘deadline’")
                else:
                    msg = _("onbekende plaatshouder ‘{{{name}}}’; mogelijk: {{deadline}}, {{grace_period}}, "
                            "{{startup_period}}, {{conditional_period}}, {{today}} of de sleutel van een vraag").format(name=name)
                self.problem(where, msg)
        if "{" in PLACEHOLDER_RE.sub("", template) or "}" in PLACEHOLDER_RE.sub("", template):
            self.problem(where, _("losse accolade ‘{’ of ‘}’ in de tekst; plaatshouders schrijft u als {naam}"))
