"""Applications for recognition: register, edit, follow through the workflow."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from commissie_app.db.models import Application, Evidence, Organisation, StatusChange
from commissie_app.domain import workflow
from commissie_app.domain.codes import Criterion, DecisionType, ImpactDomain, Status, outcome_label
from commissie_app.domain.dates import format_date_nl
from commissie_app.domain.recognition import Purpose
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.domain.validation import (
    ApplicationData,
    EvidenceData,
    OrganisationData,
    check_text,
    validate_application,
    validate_organisation,
)
from commissie_app.i18n import _
from commissie_app.services.application_rows import ApplicationRow, list_rows  # noqa: F401  (the list's own module)
from commissie_app.services import recognitions
from commissie_app.services.access import require
from commissie_app.domain.permissions import Action
from commissie_app.services.context import ServiceContext
from commissie_app.services.audit import changed_values
from commissie_app.services.stale_edits import stale_error
from commissie_app.services.uow import UnitOfWork, in_unit_of_work


@dataclass(frozen=True)
class AttachmentInfo:
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    criterion: Criterion | None
    added_at: dt.datetime
    added_by: str


@dataclass(frozen=True)
class StatusChangeInfo:
    from_status: Status | None
    to_status: Status
    on_date: dt.date
    at: dt.datetime
    by: str
    remark: str


@dataclass(frozen=True)
class ApplicationDetail:
    id: uuid.UUID
    version: int
    organisation_id: uuid.UUID
    organisation_version: int
    organisation: OrganisationData
    application: ApplicationData
    status: Status
    info_requested: str
    info_due_on: dt.date | None
    attachments: tuple[AttachmentInfo, ...]
    history: tuple[StatusChangeInfo, ...]
    purpose: Purpose = Purpose.NEW
    follow_up_of: uuid.UUID | None = None  # the application whose recognition this one follows up
    outcome: DecisionType | None = None  # the latest decision on it (the editor shows it instead of 'besloten')
    follow_up_of_received_on: dt.date | None = None  # when the application it follows up was received

    @property
    def status_text(self) -> str:
        """The status, or the decision's outcome ('toegekend', 'ingetrokken', ...) instead of 'besloten'."""
        return outcome_label(self.status, self.outcome)

    @property
    def follow_up_text(self) -> str:
        """'' for a new application; else what it follows up, e.g. 'Vervolgaanvraag (verlenging) op de erkenning
        uit de aanvraag van 1 november 2026'."""
        if self.follow_up_of is None:
            return ""
        origin = format_date_nl(self.follow_up_of_received_on) if self.follow_up_of_received_on else "?"
        return _("Vervolgaanvraag ({purpose}) op de erkenning uit de aanvraag van {date}").format(
            purpose=self.purpose.label, date=origin)


def _org_to_data(org: Organisation) -> OrganisationData:
    return OrganisationData(
        name=org.name,
        kvk=org.kvk,
        legal_form=org.legal_form,
        municipality=org.municipality,
        street=org.street,
        postcode=org.postcode,
        place=org.place,
        contact_person=org.contact_person,
        contact_salutation=org.contact_salutation,
        email=org.email,
        phone=org.phone,
        website=org.website,
        founded_on=org.founded_on,
        mission=org.mission,
        impact_domains=tuple(ImpactDomain(d) for d in org.impact_domains or ()),
    )


organisation_data = _org_to_data  # public: the vooraf-check fills a new application with a known organisation


def _org_columns(data: OrganisationData) -> dict:
    d = data.as_dict()
    d["impact_domains"] = [x.value for x in data.impact_domains]
    return d


def _app_to_data(app: Application) -> ApplicationData:
    return ApplicationData(
        received_on=app.received_on,
        evidence=tuple(
            EvidenceData(e.criterion, e.reference, e.valid_until)
            for e in sorted(app.evidence, key=lambda e: list(Criterion).index(e.criterion))
        ),
        notes=app.notes,
    )


def _evidence_snapshot(evidence) -> list[str]:
    return [f"{e.criterion.value}|{e.reference}|{e.valid_until or ''}" for e in evidence]


def _load_app(uow: UnitOfWork, app_id: uuid.UUID) -> Application:
    app = uow.session.get(Application, app_id)
    if app is None:
        raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
    return app


def find_organisation_by_kvk(session, kvk: str) -> Organisation | None:
    return session.scalars(select(Organisation).where(Organisation.kvk == kvk)).first()


def _validated(ctx: ServiceContext, org: OrganisationData, app: ApplicationData) -> tuple[OrganisationData, ApplicationData]:
    """Both parts validated and normalised; every problem of both is reported at once."""
    errors: dict[str, str] = {}
    try:
        org = validate_organisation(org, ctx.today())
    except ValidationError as e:
        errors.update(e.errors)
    try:
        app = validate_application(app, ctx.today())
    except ValidationError as e:
        errors.update(e.errors)
    if errors:
        raise ValidationError(errors)
    return org, app


def register_application(ctx: ServiceContext, org: OrganisationData, app: ApplicationData) -> uuid.UUID:
    """A new application (status 'ontvangen'). An organisation is found by KvK number; its details
    are updated to what was entered. The import writes the same rows in bulk (``services/importing.py``)."""
    require(ctx, Action.REGISTER_APPLICATION)
    org, app = _validated(ctx, org, app)
    with UnitOfWork(ctx) as uow:
        s = uow.session
        organisation = find_organisation_by_kvk(s, org.kvk)
        if organisation is None:
            organisation = Organisation(id=uuid.uuid4(), **_org_columns(org))
            s.add(organisation)
        else:
            _set_columns(organisation, _org_columns(org))
            duplicate = s.scalars(select(Application.id).where(
                Application.organisation_id == organisation.id, Application.received_on == app.received_on)).first()
            if duplicate is not None:
                raise ValidationError(
                    {"received_on": _("Deze organisatie heeft al een aanvraag die op deze datum is ontvangen.")})
        application = Application(
            id=uuid.uuid4(), organisation=organisation, received_on=app.received_on, status=Status.RECEIVED,
            notes=app.notes,
            evidence=[Evidence(criterion=e.criterion, reference=e.reference, valid_until=e.valid_until)
                      for e in app.evidence],
        )
        s.add(application)
        application.status_changes.append(StatusChange(
            from_status=None, to_status=Status.RECEIVED, on_date=app.received_on, by=ctx.actor.name, remark=""))
        uow.commit()
        return application.id


def register_follow_up(ctx: ServiceContext, recognition_id: uuid.UUID, purpose: Purpose,
                       app: ApplicationData) -> uuid.UUID:
    """A follow-up application of a recognition as entered (a conversion with the evidence that was owed, a
    renewal, a reassessment), linked to the recognition's original application; checked like a new one."""
    require(ctx, Action.REGISTER_APPLICATION)
    app = validate_application(app, ctx.today())
    return recognitions.start_follow_up(ctx, recognition_id, purpose, received_on=app.received_on,
                                        notes=app.notes, evidence=app.evidence)


def _set_columns(row, values: dict) -> None:
    """Set only the values that differ (an unchanged row stays clean: no version bump, no audit event)."""
    _old, new = changed_values({k: getattr(row, k) for k in values}, values)
    for k, v in new.items():
        setattr(row, k, v)


def update_application(
    ctx: ServiceContext,
    app_id: uuid.UUID,
    *,
    expected_version: int,
    expected_organisation_version: int,
    org: OrganisationData,
    app: ApplicationData,
) -> None:
    """Save edits of the detail view; refuses a stale edit."""
    require(ctx, Action.REGISTER_APPLICATION)
    org, app = _validated(ctx, org, app)
    with UnitOfWork(ctx) as uow:
        s = uow.session
        application = _load_app(uow, app_id)
        organisation = application.organisation
        if application.version != expected_version or organisation.version != expected_organisation_version:
            raise stale_error(s, "application", [("application", app_id), ("organisation", organisation.id)])
        check_editable(application.status)
        if org.kvk != organisation.kvk:
            other = find_organisation_by_kvk(s, org.kvk)
            if other is not None:
                raise ValidationError({"kvk": _("Er is al een andere organisatie met dit KvK-nummer.")})
        _set_columns(organisation, _org_columns(org))
        old_app = {"received_on": application.received_on, "notes": application.notes,
                   "evidence": sorted(_evidence_snapshot(application.evidence))}
        _set_columns(application, {"received_on": app.received_on, "notes": app.notes})
        by_criterion = {e.criterion: e for e in application.evidence}
        wanted = {e.criterion: e for e in app.evidence}
        for code, ev in list(by_criterion.items()):
            if code not in wanted:
                application.evidence.remove(ev)
        for code, data in wanted.items():
            ev = by_criterion.get(code)
            if ev is None:
                application.evidence.append(Evidence(criterion=code, reference=data.reference, valid_until=data.valid_until))
            else:
                ev.reference, ev.valid_until = data.reference, data.valid_until
        new_app = {"received_on": app.received_on, "notes": app.notes,
                   "evidence": sorted(_evidence_snapshot(application.evidence))}
        if new_app != old_app:
            application.updated_at = dt.datetime.now(dt.timezone.utc)  # bumps the version too
        uow.commit()


def change_status(
    ctx: ServiceContext,
    app_id: uuid.UUID,
    target: Status,
    *,
    expected_version: int | None = None,
    remark: str = "",
    on_date: dt.date | None = None,
    info_requested: str = "",
    info_due_on: dt.date | None = None,
    manual: bool = True,
) -> None:
    """Move an application to ``target``; ``manual=False`` for the steps the meeting process makes
    (its services call this inside their own unit of work)."""
    if manual or not in_unit_of_work(ctx):  # a meeting's step is checked by the meeting service making it
        require(ctx, Action.CHANGE_STATUS)
    with UnitOfWork(ctx) as uow:
        uow.action = "status"
        application = _load_app(uow, app_id)
        if expected_version is not None and application.version != expected_version:
            raise stale_error(uow.session, "application", [("application", app_id)])
        current = application.status
        workflow.check_transition(current, target, manual=manual)
        on_date = on_date or ctx.today()
        if target is Status.INFO_REQUESTED:
            _check_info_request(info_requested, info_due_on, on_date)
            application.info_requested = info_requested.strip()
            application.info_due_on = info_due_on
            remark = remark or _("Opgevraagd: {what} (uiterlijk {due})").format(
                what=info_requested.strip(), due=info_due_on.strftime("%d-%m-%Y"))
        application.status = target
        application.status_changes.append(StatusChange(
            from_status=current, to_status=target, on_date=on_date, by=ctx.actor.name,
            remark=remark.strip()))
        uow.commit()


def _check_info_request(info_requested: str, info_due_on: dt.date | None, on_date: dt.date) -> None:
    errors = {}
    if not info_requested.strip():
        errors["info_requested"] = _("Beschrijf welke informatie is opgevraagd.")
    elif message := check_text("info_requested", info_requested.strip()):
        errors["info_requested"] = message
    if info_due_on is None:
        errors["info_due_on"] = _("Vul de uiterste datum voor de informatie in.")
    elif info_due_on < on_date:
        errors["info_due_on"] = _("De uiterste datum voor de informatie kan niet in het verleden liggen.")
    if errors:
        raise ValidationError(errors)


def get_application(ctx: ServiceContext, app_id: uuid.UUID) -> ApplicationDetail:
    with UnitOfWork(ctx) as uow:
        app = uow.session.scalars(
            select(Application)
            .where(Application.id == app_id)
            .options(selectinload(Application.evidence), selectinload(Application.attachments),
                     selectinload(Application.status_changes), selectinload(Application.organisation))
        ).first()
        if app is None:
            raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
        return ApplicationDetail(
            id=app.id,
            version=app.version,
            organisation_id=app.organisation.id,
            organisation_version=app.organisation.version,
            organisation=_org_to_data(app.organisation),
            application=_app_to_data(app),
            status=app.status,
            info_requested=app.info_requested,
            info_due_on=app.info_due_on,
            attachments=tuple(
                AttachmentInfo(a.id, a.filename, a.content_type, a.size, a.sha256,
                               a.criterion, a.added_at, a.added_by)
                for a in app.attachments
            ),
            history=tuple(
                StatusChangeInfo(c.from_status, c.to_status, c.on_date,
                                 c.at, c.by, c.remark)
                for c in app.status_changes
            ),
            purpose=app.purpose,
            follow_up_of=app.follow_up_of,
            outcome=_outcome(ctx, app),
            follow_up_of_received_on=uow.session.scalar(select(Application.received_on).where(
                Application.id == app.follow_up_of)) if app.follow_up_of else None,
        )


def _outcome(ctx: ServiceContext, app: Application) -> DecisionType | None:
    """The latest decision on the application as the record stands (the list's own query: corrections count)."""
    if app.status not in (Status.DECIDED, Status.COMPLETE):
        return None
    rows = list_rows(ctx, [app.id])
    return rows[0].outcome if rows else None


def check_editable(status: Status) -> None:
    if not status.is_open:
        raise DomainError(_("Een besloten of ingetrokken aanvraag kan niet meer worden gewijzigd."))
