"""Re-assessments on the agenda (issue 12): when a meeting's agenda is prepared, the recognitions due
(``recognitions.due_for_reassessment``) are proposed like complete applications; choosing one makes its
follow-up application (``recognitions.start_follow_up``), makes it complete (it carries the evidence of the
last application; the commission looks at it in the meeting) and puts it on the agenda, in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from commissie_app.domain.codes import Status
from commissie_app.domain.permissions import Action
from commissie_app.domain.recognition import Purpose
from commissie_app.i18n import _
from commissie_app.services import meeting_agenda, recognitions
from commissie_app.services.access import require
from commissie_app.services.applications import change_status
from commissie_app.services.context import ServiceContext
from commissie_app.services.register_rows import fitting_purpose
from commissie_app.services.uow import UnitOfWork


@dataclass(frozen=True)
class Proposal:
    recognition_id: uuid.UUID
    name: str
    purpose: Purpose  # the follow-up that fits (the user may choose another)
    ends_on: dt.date  # the first of the badge's, certificate's or conditional deadline's end
    status_label: str


def proposals(ctx: ServiceContext, today: dt.date | None = None) -> list[Proposal]:
    """The re-assessments due, each with the follow-up that fits, by the date they end."""
    found = [Proposal(r.id, r.name, fitting_purpose(r.kind, r.valid_until, r.certificate_until, r.conditional_deadline),
                      min(d for d in (r.valid_until, r.certificate_until, r.conditional_deadline) if d),
                      r.status.label)
             for r in recognitions.due_for_reassessment(ctx, today)]
    return sorted(found, key=lambda p: (p.ends_on, p.name))


def schedule_follow_ups(ctx: ServiceContext, meeting_id: uuid.UUID,
                        chosen: list[tuple[uuid.UUID, Purpose]]) -> list[uuid.UUID]:
    """For each (recognition, purpose): its follow-up application, complete, on the meeting's agenda. All or
    nothing; returns the new applications' ids."""
    require(ctx, Action.PLAN_MEETING)
    require(ctx, Action.REGISTER_APPLICATION)
    require(ctx, Action.CHANGE_STATUS)
    with UnitOfWork(ctx) as uow:
        app_ids = []
        for recognition_id, purpose in chosen:
            app_id = recognitions.start_follow_up(ctx, recognition_id, purpose)
            remark = _("{purpose} voorgesteld voor de agenda").format(purpose=purpose.label.capitalize())
            change_status(ctx, app_id, Status.IN_PROGRESS, remark=remark)
            change_status(ctx, app_id, Status.COMPLETE, remark=remark)
            app_ids.append(app_id)
        meeting_agenda.add_application_items(ctx, meeting_id, app_ids)
        uow.commit()
        return app_ids
