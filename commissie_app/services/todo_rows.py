"""The "Te doen" view's rows (issue 12): what ``recognitions.todo`` lists (badges, certificates and
conditional deadlines ending within the reminder period, overdue information requests) and the letters
made but not sent (``correspondence.unsent_letters``; a decision letter with its meeting, to open that
meeting's letters dialog on)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from commissie_app.db.models import AgendaItem, DecisionLetter, DecisionRecord
from commissie_app.i18n import _
from commissie_app.services import correspondence, recognitions
from commissie_app.services.context import ServiceContext


@dataclass(frozen=True)
class TodoRow:
    kind: str  # badge | certificate | conditional | info_request | letter
    on_date: dt.date
    name: str
    text: str
    recognition_id: uuid.UUID | None = None
    application_id: uuid.UUID | None = None
    meeting_id: uuid.UUID | None = None  # a decision letter's meeting; None for the other letters
    letter_id: uuid.UUID | None = None


def todo_rows(ctx: ServiceContext, today: dt.date | None = None) -> list[TodoRow]:
    """Everything for the secretary to do, by date (then name)."""
    today = today or ctx.today()
    fixed = dataclasses.replace(ctx, rules=ctx.rules)  # the rules read once for the whole list, not per row
    rows = [TodoRow(i.kind, i.on_date, i.name, i.text, i.recognition_id, i.application_id)
            for i in recognitions.todo(fixed, today)]
    rows += unsent_letters(ctx)
    return sorted(rows, key=lambda r: (r.on_date, r.name.casefold(), r.kind))


def unsent_letters(ctx: ServiceContext) -> list[TodoRow]:
    """The letters made but not sent (``correspondence.unsent_letters``: decision letters and the other
    letters); a decision letter with its meeting, whose letters dialog it opens."""
    unsent = correspondence.unsent_letters(ctx)
    decision_letters = [u.letter_id for u in unsent if u.decision_letter]
    meetings = {}
    if decision_letters:
        stmt = (select(DecisionLetter.id, AgendaItem.meeting_id)
                .join(DecisionRecord, DecisionRecord.id == DecisionLetter.decision_id)
                .join(AgendaItem, AgendaItem.id == DecisionRecord.agenda_item_id)
                .where(DecisionLetter.id.in_(decision_letters)))
        with ctx.db.engine.connect() as conn:
            meetings = dict(conn.execute(stmt).all())
    return [TodoRow("letter", u.generated_at.date(), u.organisation,
                    _("{kind} {kenmerk} gemaakt, nog niet verzonden").format(kind=u.kind.capitalize(),
                                                                           kenmerk=u.kenmerk).replace("  ", " "),
                    meeting_id=meetings.get(u.letter_id), letter_id=u.letter_id)
            for u in unsent]
