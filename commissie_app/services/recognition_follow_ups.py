"""Follow-up applications of a recognition (issue 12): a conversion (the owed evidence arrived), a renewal
(before the end date) or a reassessment, linked to the recognition's original application
(``applications.follow_up_of``); assessed, put on an agenda and decided like any other application."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from commissie_app.db.models import Application, DecisionRecord, Evidence, Recognition, StatusChange
from commissie_app.domain.codes import Status
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.permissions import Action
from commissie_app.domain.recognition import Purpose, RecognitionKind
from commissie_app.domain.validation import EvidenceData
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.recognition_register import load_recognition
from commissie_app.services.uow import UnitOfWork


def start_follow_up(ctx: ServiceContext, recognition_id: uuid.UUID, purpose: Purpose,
                    received_on: dt.date | None = None, notes: str = "",
                    evidence: tuple[EvidenceData, ...] | None = None) -> uuid.UUID:
    """A follow-up application of a recognition (status 'ontvangen'), linked to it; its evidence is
    ``evidence`` or, by default, the last application's, to be brought up to date. Assessed, put on an agenda
    and decided like any other."""
    require(ctx, Action.REGISTER_APPLICATION)
    if not purpose.is_follow_up:
        raise DomainError(_("Een vervolgaanvraag is een omzetting, verlenging of herbeoordeling."))
    received_on = received_on or ctx.today()
    if received_on > ctx.today():
        raise ValidationError({"received_on": _("De datum van ontvangst kan niet in de toekomst liggen.")})
    with UnitOfWork(ctx) as uow:
        rec = load_recognition(uow, recognition_id)
        _check_can_follow_up(uow, rec, purpose)
        app = _new_follow_up(uow, rec, purpose, received_on, notes, evidence)
        uow.commit()
        return app.id


def _check_can_follow_up(uow: UnitOfWork, rec: Recognition, purpose: Purpose) -> None:
    if rec.withdrawn_on is not None:
        raise DomainError(_("Deze erkenning is ingetrokken; een nieuwe erkenning begint met een nieuwe aanvraag."))
    if purpose is Purpose.CONVERSION and rec.kind is not RecognitionKind.CONDITIONAL:
        raise DomainError(_("Alleen een voorwaardelijke erkenning kan worden omgezet naar een volledige."))
    busy = uow.session.scalars(select(Application.id).where(
        Application.follow_up_of == rec.origin_application_id,
        Application.status.not_in((Status.DECIDED, Status.WITHDRAWN)))).first()
    if busy is not None:
        raise DomainError(_("Voor deze erkenning loopt al een vervolgaanvraag; rond die eerst af."))


def _new_follow_up(uow: UnitOfWork, rec: Recognition, purpose: Purpose, received_on: dt.date,
                   notes: str, evidence: tuple[EvidenceData, ...] | None) -> Application:
    if evidence is None:
        last = uow.session.get(Application, _latest_application_id(uow, rec))
        evidence = tuple(EvidenceData(e.criterion, e.reference, e.valid_until) for e in last.evidence)
    if uow.session.scalars(select(Application.id).where(Application.organisation_id == rec.organisation_id,
                                                        Application.received_on == received_on)).first():
        raise DomainError(_("Deze organisatie heeft al een aanvraag die op deze datum is ontvangen."))
    app = Application(
        id=uuid.uuid4(), organisation_id=rec.organisation_id, received_on=received_on, status=Status.RECEIVED,
        purpose=purpose, follow_up_of=rec.origin_application_id, notes=notes.strip(),
        evidence=[Evidence(criterion=e.criterion, reference=e.reference, valid_until=e.valid_until)
                  for e in evidence])
    app.status_changes.append(StatusChange(
        from_status=None, to_status=Status.RECEIVED, on_date=received_on, by=uow.ctx.actor.name,
        remark=_("Vervolgaanvraag ({purpose})").format(purpose=purpose.label)))
    uow.session.add(app)
    return app


def _latest_application_id(uow: UnitOfWork, rec: Recognition) -> uuid.UUID:
    """The application of the decision that last set the recognition."""
    return uow.session.get(DecisionRecord, rec.decision_id).application_id
