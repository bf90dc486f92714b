"""Use cases "compare the assessments of an application" and "print that comparison" (issue 13).

Who sees whose assessment follows the commission's rules, here in the service, not only in the window:

* the secretary, the chair and an observer read every assessment (reading is open to those roles:
  ``domain/permissions.py``);
* a member (lid) sees their own assessment, and other assessments (other members' and the commission's
  consolidated one) only as far as the rule ``[review] share_other_assessments`` allows: when it is on, the
  final ones; when it is off (the default), none. The same rule decides what a member's offline review package
  carries (``services/review_export.py``), so a member sees the same in the app as on the laptop. How many
  are left out is part of the result, so the window and the PDF can say so.

Nothing is written; the PDF is rendered by :mod:`commissie_app.documents.assessment_comparison_pdf` on the
commission's letterhead.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from commissie_app.db.models import Application, Assessment, Attachment, DecisionRecord
from commissie_app.documents.assessment_comparison_pdf import render_comparison_pdf
from commissie_app.domain.assessment_comparison import Assessor, Comparison, Entry, compare
from commissie_app.domain.codes import Role
from commissie_app.domain.errors import NotFoundError
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _
from commissie_app.services import assessments as svc
from commissie_app.services.context import ServiceContext
from commissie_app.services.letter_settings import get_letter_settings
from commissie_app.services.uow import UnitOfWork


def application_heading(ctx: ServiceContext, application_id: uuid.UUID) -> tuple[str, str]:
    """('Organisatie (KvK 12345678), aanvraag van 1 november 2026' with the decision's kenmerk once decided,
    the organisation's name)."""
    with UnitOfWork(ctx) as uow:
        app = uow.session.get(Application, application_id)
        if app is None:
            raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
        kenmerk = uow.session.scalars(
            select(DecisionRecord.kenmerk).where(DecisionRecord.application_id == application_id)
            .order_by(DecisionRecord.decided_on.desc(), DecisionRecord.recorded_at.desc())
        ).first()
        text = _("{name} (KvK {kvk}), aanvraag van {day}").format(
            name=app.organisation.name, kvk=app.organisation.kvk, day=format_date_nl(app.received_on))
        name = app.organisation.name
    return text + (_(", kenmerk {kenmerk}").format(kenmerk=kenmerk) if kenmerk else ""), name


def _owners(ctx: ServiceContext, application_id: uuid.UUID) -> dict[uuid.UUID, uuid.UUID | None]:
    with UnitOfWork(ctx) as uow:
        return dict(uow.session.execute(
            select(Assessment.id, Assessment.assessor_user_id).where(Assessment.application_id == application_id)
        ).all())


def _attachment_names(ctx: ServiceContext, application_id: uuid.UUID) -> dict[str, str]:
    """Attachment id -> 'certificaat.pdf (PSO 30+)', as an evidence answer is shown."""
    with UnitOfWork(ctx) as uow:
        rows = uow.session.execute(select(Attachment.id, Attachment.filename, Attachment.criterion)
                                   .where(Attachment.application_id == application_id)).all()
    return {str(i): f"{name} ({crit.short_label})" if crit else name for i, name, crit in rows}


def may_see(ctx: ServiceContext, view: svc.AssessmentView, owner: uuid.UUID | None, share_final: bool) -> bool:
    """Whether the acting user may see this assessment (the rules in the module's docstring)."""
    if ctx.actor.role is not Role.MEMBER:
        return True
    if view.kind == svc.MEMBER and owner is not None and owner == ctx.actor.user_id:
        return True
    return share_final and view.is_final


def comparison(ctx: ServiceContext, application_id: uuid.UUID) -> Comparison:
    """The assessments of an application this user may see, side by side (members by name, the commission's
    consolidated assessment last)."""
    share_final = ctx.rules.review_share_assessments  # before a unit of work: a first use adopts the rules
    heading, organisation = application_heading(ctx, application_id)
    owners = _owners(ctx, application_id)
    views = svc.assessments_for(ctx, application_id)
    shown = [v for v in views if may_see(ctx, v, owners.get(v.id), share_final)]
    names = _attachment_names(ctx, application_id)
    entries = [Entry(Assessor(name=_("Commissie (geconsolideerd)") if v.kind == svc.CONSOLIDATED else v.assessor,
                              form_version=v.form.version, final=v.is_final,
                              advice=v.advice.label if v.advice else None, reason=v.advice_reason,
                              consolidated=v.kind == svc.CONSOLIDATED),
                     v.form, v.answers) for v in shown]
    return compare(heading, entries, names, hidden=len(views) - len(shown), organisation=organisation)


def comparison_pdf(ctx: ServiceContext, application_id: uuid.UUID) -> bytes:
    """The comparison as PDF on the commission's letterhead, with the same rows as in the window."""
    return render_comparison_pdf(comparison(ctx, application_id), settings=get_letter_settings(ctx),
                                 printed_on=ctx.today(), printed_by=ctx.actor.name)
