"""The "Te doen" view's rows (issue 12): what ``recognitions.todo`` lists (badges, certificates and
conditional deadlines ending within the reminder period, overdue information requests) and the decision
letters made but not sent (the latest version of each decision's letter, with its meeting, to open the
letters dialog on)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from commissie_app.db.models import AgendaItem, Application, DecisionLetter, DecisionRecord, Organisation
from commissie_app.i18n import _
from commissie_app.services import recognitions
from commissie_app.services.context import ServiceContext


@dataclass(frozen=True)
class TodoRow:
    kind: str  # badge | certificate | conditional | info_request | letter
    on_date: dt.date
    name: str
    text: str
    recognition_id: uuid.UUID | None = None
    application_id: uuid.UUID | None = None
    meeting_id: uuid.UUID | None = None
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
    """The latest version of each decision's letter, where that one is not sent yet."""
    latest = (select(DecisionLetter.decision_id, func.max(DecisionLetter.letter_version).label("v"))
              .group_by(DecisionLetter.decision_id).subquery())
    stmt = (select(DecisionLetter.id, DecisionLetter.generated_at, DecisionRecord.kenmerk, DecisionRecord.application_id,
                   AgendaItem.meeting_id, Organisation.name)
            .join(latest, (latest.c.decision_id == DecisionLetter.decision_id) & (latest.c.v == DecisionLetter.letter_version))
            .join(DecisionRecord, DecisionRecord.id == DecisionLetter.decision_id)
            .join(AgendaItem, AgendaItem.id == DecisionRecord.agenda_item_id)
            .join(Application, Application.id == DecisionRecord.application_id)
            .join(Organisation, Organisation.id == Application.organisation_id)
            .where(DecisionLetter.sent_on.is_(None)))
    with ctx.db.engine.connect() as conn:
        return [TodoRow("letter", generated_at.date(), name,
                        _("Besluitbrief {kenmerk} gemaakt, nog niet verzonden").format(kenmerk=kenmerk),
                        application_id=app_id, meeting_id=meeting_id, letter_id=letter_id)
                for letter_id, generated_at, kenmerk, app_id, meeting_id, name in conn.execute(stmt)]
