"""The log "Ontwikkelingen Impact Ondernemen" (issue 15): what the commission follows around impact
entrepreneurship (seed 004), shown at the standard agenda item of that name and summarised in the annual report.

The secretary and the chair record, change and delete entries (``Action.RECORD_ADVICE``); everyone reads.
A change names the version it was loaded at and is refused when someone else saved in between.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from commissie_app.db.models import Development
from commissie_app.domain.advice import DevelopmentData, validate_development
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.stale_edits import checked_row
from commissie_app.services.uow import UnitOfWork


@dataclass(frozen=True)
class DevelopmentInfo:
    id: uuid.UUID
    version: int
    happened_on: dt.date
    topic: str
    source_link: str
    note: str
    recorded_by: str

    @property
    def data(self) -> DevelopmentData:
        return DevelopmentData(self.happened_on, self.topic, self.source_link, self.note)


def _info(d: Development) -> DevelopmentInfo:
    return DevelopmentInfo(d.id, d.version, d.happened_on, d.topic, d.source_link, d.note, d.recorded_by)


def list_developments(ctx: ServiceContext, *, since: dt.date | None = None,
                      until: dt.date | None = None) -> list[DevelopmentInfo]:
    """The entries (those dated after ``since`` and up to ``until`` when given), newest first."""
    with UnitOfWork(ctx) as uow:
        q = select(Development).order_by(Development.happened_on.desc(), Development.created_at.desc())
        if since is not None:
            q = q.where(Development.happened_on > since)
        if until is not None:
            q = q.where(Development.happened_on <= until)
        return [_info(d) for d in uow.session.scalars(q)]


def add_development(ctx: ServiceContext, data: DevelopmentData) -> uuid.UUID:
    require(ctx, Action.RECORD_ADVICE)
    data = validate_development(data, ctx.today())
    with UnitOfWork(ctx) as uow:
        row = Development(happened_on=data.happened_on, topic=data.topic, source_link=data.source_link,
                          note=data.note, recorded_by=ctx.actor.name)
        uow.session.add(row)
        uow.commit()
        return row.id


def _row(uow: UnitOfWork, development_id: uuid.UUID, expected_version: int) -> Development:
    return checked_row(uow.session, Development, development_id, expected_version, "development",
                       _("Deze ontwikkeling bestaat niet (meer); misschien heeft iemand haar verwijderd."))


def update_development(ctx: ServiceContext, development_id: uuid.UUID, data: DevelopmentData, *,
                       expected_version: int) -> None:
    require(ctx, Action.RECORD_ADVICE)
    data = validate_development(data, ctx.today())
    with UnitOfWork(ctx) as uow:
        row = _row(uow, development_id, expected_version)
        row.happened_on, row.topic, row.source_link, row.note = (data.happened_on, data.topic, data.source_link,
                                                                 data.note)
        uow.commit()


def delete_development(ctx: ServiceContext, development_id: uuid.UUID, *, expected_version: int) -> None:
    """Remove an entry (the audit log keeps what it said)."""
    require(ctx, Action.RECORD_ADVICE)
    with UnitOfWork(ctx) as uow:
        uow.session.delete(_row(uow, development_id, expected_version))
        uow.commit()
