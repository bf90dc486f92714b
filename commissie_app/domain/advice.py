"""Advice to the Coördinatieteam and the log of developments in impact entrepreneurship (issue 15), pure.

Seed 004: the commission "volgt de ontwikkeling op het gebied van Impact Ondernemen" and "adviseert gevraagd
en ongevraagd het Coördinatieteam". An advice goes through four steps, derived from what is recorded (never
stored as a status of its own): in preparation, adopted in a meeting, sent, answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commissie_app.domain.codes import LabelledEnum
from commissie_app.domain.validation import check_control, format_date_nl
from commissie_app.domain.errors import ValidationError
from commissie_app.i18n import _

# The standard agenda items (domain/meetings.STANDARD_ITEMS_BEFORE) that show the register and the log.
ADVICE_ITEM = "Advies aan het Coördinatieteam"
DEVELOPMENTS_ITEM = "Ontwikkelingen Impact Ondernemen"
ADDRESSEE = "Coördinatieteam Impact Ondernemen"

#: column sizes of db/models.py (Advice, Development); the services refuse longer text in Dutch
MAX_LENGTH = {"subject": 300, "asked_by": 200, "text": 20000, "response": 20000, "topic": 300,
              "source_link": 500, "note": 10000}
_MULTILINE = frozenset({"text", "response", "note"})


class AdviceStatus(LabelledEnum):
    DRAFT = "draft"
    ADOPTED = "adopted"
    SENT = "sent"
    ANSWERED = "answered"

    @classmethod
    def _labels(cls):
        return {cls.DRAFT: "in voorbereiding", cls.ADOPTED: "vastgesteld", cls.SENT: "verzonden, wacht op reactie",
                cls.ANSWERED: "beantwoord"}

    @property
    def is_open(self) -> bool:
        """Still on the commission's list: not yet answered by the Coördinatieteam."""
        return self is not AdviceStatus.ANSWERED


def advice_status(adopted_on: dt.date | None, sent_on: dt.date | None, response_on: dt.date | None) -> AdviceStatus:
    if response_on is not None:
        return AdviceStatus.ANSWERED
    if sent_on is not None:
        return AdviceStatus.SENT
    if adopted_on is not None:
        return AdviceStatus.ADOPTED
    return AdviceStatus.DRAFT


def occasion_text(asked: bool, asked_by: str, asked_on: dt.date | None, unasked: str | None = None) -> str:
    """'gevraagd door Jan Jansen op 3 maart 2026', or ``unasked`` ('ongevraagd')."""
    if not asked:
        return unasked or _("ongevraagd")
    return _("gevraagd door {who} op {day}").format(who=asked_by, day=format_date_nl(asked_on))


def adopted_text(adopted_on: dt.date | None, item_number: int | None, prefix: str = "") -> str:
    """'vergadering van 12 maart 2026, agendapunt 5' ('' when not adopted); ``prefix`` goes before it."""
    if adopted_on is None:
        return ""
    text = prefix + _("vergadering van {day}").format(day=format_date_nl(adopted_on))
    if item_number is not None:
        text += ", " + _("agendapunt {n}").format(n=item_number)
    return text


@dataclass(frozen=True)
class AdviceData:
    """What the secretary types for an advice: the question (asked) or the occasion (unasked) and the text."""

    subject: str
    asked: bool
    text: str = ""
    asked_by: str = ""
    asked_on: dt.date | None = None


@dataclass(frozen=True)
class DevelopmentData:
    """One entry of "Ontwikkelingen Impact Ondernemen"."""

    happened_on: dt.date
    topic: str
    source_link: str = ""
    note: str = ""


def _text_errors(values: dict[str, str]) -> dict[str, str]:
    """Control characters (newline and tab only in the multi-line fields) and length, per field."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        problem = check_control("notes" if name in _MULTILINE else name, value)
        if problem is None and len(value) > MAX_LENGTH[name]:
            problem = _("Dit veld is {length} tekens lang; er passen hoogstens {limit} tekens in.").format(
                length=len(value), limit=MAX_LENGTH[name])
        if problem:
            errors[name] = problem
    return errors


def validate_advice(data: AdviceData, today: dt.date) -> AdviceData:
    """The advice with its text trimmed; ValidationError (Dutch) naming every problem."""
    data = AdviceData(subject=data.subject.strip(), asked=bool(data.asked), text=data.text.strip(),
                      asked_by=data.asked_by.strip() if data.asked else "",
                      asked_on=data.asked_on if data.asked else None)
    errors = _text_errors({"subject": data.subject, "asked_by": data.asked_by, "text": data.text})
    if not data.subject:
        errors["subject"] = _("Vul het onderwerp van het advies in.")
    if data.asked and not data.asked_by:
        errors.setdefault("asked_by", _("Vul in wie om het advies heeft gevraagd."))
    if data.asked and data.asked_on is None:
        errors["asked_on"] = _("Vul in wanneer om het advies is gevraagd.")
    elif data.asked_on is not None and data.asked_on > today:
        errors["asked_on"] = _("De datum van de vraag ligt in de toekomst.")
    if errors:
        raise ValidationError(errors)
    return data


def validate_development(data: DevelopmentData, today: dt.date) -> DevelopmentData:
    data = DevelopmentData(happened_on=data.happened_on, topic=data.topic.strip(),
                           source_link=data.source_link.strip(), note=data.note.strip())
    errors = _text_errors({"topic": data.topic, "source_link": data.source_link, "note": data.note})
    if not data.topic:
        errors["topic"] = _("Vul het onderwerp van de ontwikkeling in.")
    if data.happened_on is None:
        errors["happened_on"] = _("Vul de datum van de ontwikkeling in.")
    elif data.happened_on > today:
        errors["happened_on"] = _("De datum ligt in de toekomst; leg een ontwikkeling vast als die er is.")
    if data.source_link and not data.source_link.lower().startswith(("http://", "https://")):
        errors.setdefault("source_link", _("Een bronlink begint met http:// of https://."))
    if errors:
        raise ValidationError(errors)
    return data


def check_sent(adopted_on: dt.date | None, sent_on: dt.date, today: dt.date) -> None:
    """An advice goes out only after the commission adopted it, not before that day and not in the future."""
    if adopted_on is None:
        raise ValidationError({"sent_on": _(
            "Dit advies is nog niet in een vergadering vastgesteld. Stel het eerst vast bij het agendapunt "
            "‘{item}’; daarna kan het worden verzonden.").format(item=ADVICE_ITEM)})
    if sent_on < adopted_on:
        raise ValidationError({"sent_on": _("Het advies kan niet zijn verzonden vóór het is vastgesteld.")})
    if sent_on > today:
        raise ValidationError({"sent_on": _("De verzenddatum ligt in de toekomst.")})


def check_response(sent_on: dt.date | None, response: str, response_on: dt.date, today: dt.date) -> str:
    """The response text trimmed; refused before the advice was sent, before the sending date or empty."""
    response = response.strip()
    errors = _text_errors({"response": response})
    if sent_on is None:
        errors["response_on"] = _("Dit advies is nog niet verzonden; er kan nog geen reactie zijn.")
    elif response_on < sent_on:
        errors["response_on"] = _("De reactie kan niet eerder zijn dan de verzending van het advies.")
    elif response_on > today:
        errors["response_on"] = _("De datum van de reactie ligt in de toekomst.")
    if not response:
        errors.setdefault("response", _("Vul de reactie van het Coördinatieteam in."))
    if errors:
        raise ValidationError(errors)
    return response
