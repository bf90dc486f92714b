"""Status steps taken on the meeting's own day (issue 13: opening before the date is refused, a step after
it must be confirmed), for tests whose fixed ``TODAY`` is not the day of the meeting they open."""

from __future__ import annotations

import dataclasses
import uuid

from commissie_app.domain.meetings import MeetingStatus
from commissie_app.services import meeting_closing, meeting_detail
from commissie_app.services.context import ServiceContext


def on_meeting_day(ctx: ServiceContext, meeting_id: uuid.UUID) -> ServiceContext:
    day = meeting_detail.get_meeting(ctx, meeting_id).local_start.date()
    return dataclasses.replace(ctx, today=lambda: day)


def step(ctx: ServiceContext, meeting_id: uuid.UUID, *targets: MeetingStatus) -> None:
    """Take the status steps ``targets`` as ``ctx``'s user, on the meeting's day."""
    on = on_meeting_day(ctx, meeting_id)
    for target in targets:
        meeting_closing.set_status(on, meeting_id, target)
