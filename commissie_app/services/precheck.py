"""The vooraf-check (issue 15): a guided check before applying, recorded as advice given, turned into an application.

The check runs on the assessment form and the rules adopted in the database (``domain/precheck.py`` says how);
a record keeps the answers, the outcome, and which form version and rule set version gave it, so the checklist
of an old check is the one the applicant got, whatever is adopted later.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Mapping

from pathvalidate import sanitize_filename
from sqlalchemy import select

from commissie_app.db.models import Application, AssessmentForm, Organisation, PrecheckRecord, RuleSet
from commissie_app.documents import precheck_checklist
from commissie_app.domain.codes import LegalForm, Municipality
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.domain.form_loader import parse_form
from commissie_app.domain.form_model import Form, Question
from commissie_app.domain.permissions import Action
from commissie_app.domain.precheck import (
    PrecheckResult,
    PrecheckSummary,
    check,
    clean_precheck_answers,
    founded_on,
    municipality_answer,
    precheck_questions,
    region_municipalities,
)
from commissie_app.domain.rules import Rules, rules_from_values
from commissie_app.domain.validation import (
    ApplicationData,
    EvidenceData,
    OrganisationData,
    check_email,
    check_text,
    format_date_nl,
)
from commissie_app.i18n import _
from commissie_app.services import applications, assessments
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.letter_settings import get_letter_settings
from commissie_app.services.rules import rules_in_force
from commissie_app.services.uow import UnitOfWork


@dataclass(frozen=True)
class PrecheckSetup:
    """What a check is asked and judged with: the adopted form and rules in force today."""

    form_id: uuid.UUID
    form: Form
    rules: Rules
    rules_version: int
    today: dt.date

    @property
    def questions(self) -> tuple[Question, ...]:
        return precheck_questions(self.form)

    @property
    def municipalities(self) -> tuple[str, ...]:
        return region_municipalities(self.form)

    def check(self, answers: Mapping[str, Any]) -> PrecheckResult:
        return check(self.form, answers, self.today, self.rules)


@dataclass(frozen=True)
class PrecheckInput:
    """What the person doing the check enters besides the form's questions."""

    organisation_name: str
    answers: Mapping[str, Any]
    organisation_id: uuid.UUID | None = None
    legal_form: LegalForm | None = None
    contact_person: str = ""
    email: str = ""


@dataclass(frozen=True)
class PrecheckView:
    id: uuid.UUID
    summary: PrecheckSummary
    answers: dict[str, Any]
    organisation_id: uuid.UUID | None
    application_id: uuid.UUID | None
    form_id: uuid.UUID


@dataclass(frozen=True)
class OrganisationChoice:
    id: uuid.UUID
    name: str
    kvk: str


def setup(ctx: ServiceContext) -> PrecheckSetup:
    """The form version and the rules in force: the highest adopted version of the commission's form."""
    key = assessments.default_form_key()
    row = assessments.current_form(ctx, key)
    if row is None:
        assessments.ensure_shipped_forms(ctx)
        row = assessments.current_form(ctx, key)
    if row is None:  # pragma: no cover - the app ships its form
        raise DomainError(_("Er is nog geen beoordelingsformulier vastgesteld; de vooraf-check kan niet worden gedaan."))
    adopted = rules_in_force(ctx)
    rules = ctx.given_rules or adopted.rules
    return PrecheckSetup(row.id, assessments.get_form(ctx, row.id), rules, adopted.version, ctx.today())


def organisations(ctx: ServiceContext) -> list[OrganisationChoice]:
    """The organisations the database knows, by name (to check for one that applied before)."""
    with UnitOfWork(ctx) as uow:
        rows = uow.session.execute(select(Organisation.id, Organisation.name, Organisation.kvk)
                                   .order_by(Organisation.name)).all()
        return [OrganisationChoice(*r) for r in rows]


def _checked(data: PrecheckInput) -> PrecheckInput:
    errors: dict[str, str] = {}
    name = " ".join(data.organisation_name.split())
    if not name:
        errors["name"] = _("Vul de naam van de organisatie in (ook een voorlopige naam is goed).")
    for key, value in (("name", name), ("contact_person", data.contact_person.strip()), ("email", data.email.strip())):
        problem = check_text(key, value)
        if problem:
            errors[key] = problem
    problem = check_email(data.email.strip()) if data.email.strip() else None
    if problem:
        errors["email"] = problem
    if errors:
        raise ValidationError(errors)
    return PrecheckInput(name, data.answers, data.organisation_id, data.legal_form, data.contact_person.strip(),
                         data.email.strip())


def record_precheck(ctx: ServiceContext, data: PrecheckInput, used: PrecheckSetup | None = None) -> uuid.UUID:
    """Record a check as advice given, with the outcome the adopted form and rules give for its answers."""
    require(ctx, Action.RECORD_PRECHECK)
    data = _checked(data)
    used = used or setup(ctx)
    answers = clean_precheck_answers(used.form, data.answers)
    result = used.check(answers)
    with UnitOfWork(ctx) as uow:
        if data.organisation_id is not None and uow.session.get(Organisation, data.organisation_id) is None:
            raise NotFoundError(_("Deze organisatie bestaat niet (meer)."))
        row = PrecheckRecord(
            id=uuid.uuid4(), checked_on=used.today, checked_by=ctx.actor.name, organisation_id=data.organisation_id,
            organisation_name=data.organisation_name, legal_form=data.legal_form, contact_person=data.contact_person,
            email=data.email, answers=answers, outcome=result.outcome, reason=result.reason, deadline=result.deadline,
            criteria=[c.value for c in result.criteria], form_id=used.form_id, rule_set_version=used.rules_version,
        )
        uow.session.add(row)
        uow.commit()
        return row.id


def _rules_version(session, version: int) -> Rules:
    row = session.scalars(select(RuleSet).where(RuleSet.version == version)).first()
    if row is None:  # pragma: no cover - rule sets are never deleted (trigger)
        raise NotFoundError(_("Regelset versie {v} bestaat niet.").format(v=version))
    return rules_from_values(row.rules, _("vastgestelde regels versie {v}").format(v=version))


def get_precheck(ctx: ServiceContext, precheck_id: uuid.UUID) -> PrecheckView:
    """A recorded check with its checklist as it was given: the form version and rule set it was made with."""
    with UnitOfWork(ctx) as uow:
        row = uow.session.get(PrecheckRecord, precheck_id)
        if row is None:
            raise NotFoundError(_("Deze vooraf-check bestaat niet (meer)."))
        form_row = uow.session.get(AssessmentForm, row.form_id)
        form = parse_form(form_row.source, f"{form_row.form_key} versie {form_row.form_version}")
        rules = _rules_version(uow.session, row.rule_set_version)
        result = check(form, row.answers, row.checked_on, rules)
        summary = PrecheckSummary(
            row.organisation_name, row.contact_person, row.email, row.legal_form,
            municipality_answer(form, row.answers), row.checked_on, row.checked_by, result, form.display_name,
            row.rule_set_version)
        return PrecheckView(row.id, summary, dict(row.answers), row.organisation_id, row.application_id, row.form_id)


def list_prechecks(ctx: ServiceContext, organisation_id: uuid.UUID | None = None) -> list[PrecheckView]:
    """The checks recorded (newest first), of one organisation when given."""
    query = select(PrecheckRecord.id).order_by(PrecheckRecord.checked_on.desc(), PrecheckRecord.created_at.desc())
    if organisation_id is not None:
        query = query.where(PrecheckRecord.organisation_id == organisation_id)
    with UnitOfWork(ctx) as uow:
        return [get_precheck(ctx, pid) for pid in uow.session.scalars(query).all()]


def application_draft(ctx: ServiceContext, precheck_id: uuid.UUID) -> tuple[OrganisationData, ApplicationData]:
    """The application a check leads to, filled in from its answers: the organisation (a known one as the database
    has it, else the name, legal form, municipality, contact and founding date given), received today, with an
    evidence row for each criterion that fits (reference and validity date still to be filled in)."""
    view = get_precheck(ctx, precheck_id)
    s = view.summary
    with UnitOfWork(ctx) as uow:
        form = parse_form(uow.session.get(AssessmentForm, view.form_id).source)
        known = uow.session.get(Organisation, view.organisation_id) if view.organisation_id else None
        org = applications.organisation_data(known) if known is not None else None
    municipality = next((m for m in Municipality if m.value == s.municipality), None)
    if org is None:
        org = OrganisationData(name=s.organisation_name, kvk="", legal_form=s.legal_form,  # type: ignore[arg-type]
                               municipality=municipality, contact_person=s.contact_person, email=s.email,  # type: ignore[arg-type]
                               founded_on=founded_on(form, view.answers))
    note = _("Vooraf-check van {date} ({by}): {outcome}.").format(
        date=format_date_nl(s.checked_on), by=s.checked_by, outcome=s.result.outcome.label)
    app = ApplicationData(received_on=ctx.today(), evidence=tuple(EvidenceData(c) for c in s.result.criteria),
                          notes=note)
    return org, app


def create_application(ctx: ServiceContext, precheck_id: uuid.UUID, org: OrganisationData,
                       app: ApplicationData) -> uuid.UUID:
    """Register the application made from a check (as completed by the secretary) and link the check to it, in one
    transaction; a check leads to one application."""
    require(ctx, Action.REGISTER_APPLICATION)
    with UnitOfWork(ctx) as uow:
        row = uow.session.get(PrecheckRecord, precheck_id)
        if row is None:
            raise NotFoundError(_("Deze vooraf-check bestaat niet (meer)."))
        if row.application_id is not None:
            raise DomainError(_("Van deze vooraf-check is al een aanvraag gemaakt."))
        app_id = applications.register_application(ctx, org, app)
        row.application_id = app_id
        row.organisation_id = uow.session.get(Application, app_id).organisation_id
        uow.commit()
        return app_id


# --- the applicant's checklist and e-mail --------------------------------------------------------------------


def checklist_file_name(view: PrecheckView, suffix: str = ".pdf") -> str:
    """A plain file name: ``vooraf-check <organisation> <date>.pdf`` without characters a system refuses."""
    name = f"vooraf-check {view.summary.organisation_name} {view.summary.checked_on.isoformat()}"
    return sanitize_filename(" ".join(name.split()), platform="universal", replacement_text="_")[:120] + suffix


def checklist_pdf(ctx: ServiceContext, precheck_id: uuid.UUID) -> bytes:
    """The checklist of a recorded check, on the commission's letterhead."""
    return precheck_checklist.render_checklist(get_precheck(ctx, precheck_id).summary, get_letter_settings(ctx))


def email_text(ctx: ServiceContext, precheck_id: uuid.UUID) -> tuple[str, str]:
    """Subject and text of the e-mail to the applicant."""
    summary = get_precheck(ctx, precheck_id).summary
    return precheck_checklist.email_subject(summary), precheck_checklist.email_text(summary, get_letter_settings(ctx))


def eml_draft(ctx: ServiceContext, precheck_id: uuid.UUID) -> bytes:
    """The e-mail as an .eml draft with the checklist PDF attached."""
    view = get_precheck(ctx, precheck_id)
    settings = get_letter_settings(ctx)
    pdf = precheck_checklist.render_checklist(view.summary, settings)
    return precheck_checklist.eml_draft(view.summary, settings, pdf, checklist_file_name(view))
