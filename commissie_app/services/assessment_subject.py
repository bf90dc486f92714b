"""What an assessment window shows beside the form (issue 13): whose application it is, whether it may
still be assessed, and its data, evidence and attachments.

The data comes in the package format of the offline review, as the meeting dossier has it
(``meeting_dossier.application_overview``), so that the review window's panels show it here too. Its own
module: ``review_export`` imports ``assessments``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from commissie_app.db.models import Application
from commissie_app.domain.assessing import assessment_refusal
from commissie_app.domain.codes import Status
from commissie_app.domain.dates import format_date_nl
from commissie_app.domain.errors import NotFoundError
from commissie_app.i18n import _
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_dossier import application_overview
from commissie_app.services.uow import UnitOfWork


@dataclass(frozen=True)
class AssessmentSubject:
    application_id: uuid.UUID
    organisation: str
    kvk: str
    received_on: dt.date
    status: Status
    refusal: str  # why no assessment of it may be started or changed; "" when one may
    overview: dict  # organisation, evidence and attachments, as the offline review window shows them

    @property
    def reference(self) -> str:
        """How the application is named beside its organisation: 'KvK 12345678 · aanvraag van 1 november 2026'."""
        return _("KvK {kvk} · aanvraag van {day}").format(kvk=self.kvk, day=format_date_nl(self.received_on))


def assessment_subject(ctx: ServiceContext, application_id: uuid.UUID) -> AssessmentSubject:
    with UnitOfWork(ctx) as uow:
        app = uow.session.get(Application, application_id)
        if app is None:
            raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
        return AssessmentSubject(
            application_id=app.id, organisation=app.organisation.name, kvk=app.organisation.kvk,
            received_on=app.received_on, status=app.status, refusal=assessment_refusal(app.status),
            overview=application_overview(uow.session, app),
        )
