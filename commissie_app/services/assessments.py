"""Assessment forms in the database and the assessments made with them.

An adopted form version is stored as its exact file text; an assessment always refers to the
version it was made with and is always shown with that version (parsed from the stored text,
never from today's file). Answers are validated here, in the service, not only in the UI.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from sqlalchemy import select

from commissie_app.db.models import Application, Assessment, AssessmentForm, Attachment
from commissie_app.domain.assessing import assessment_refusal
from commissie_app.domain.permissions import Action
from commissie_app.domain.errors import DomainError, NotFoundError, StaleEditError
from commissie_app.domain.form_advice import Advice, advise, answers_to_json, clean_answers
from commissie_app.domain.form_diff import diff_forms
from commissie_app.domain.form_loader import canonical_text, load_form, parse_form, shipped_form_paths
from commissie_app.domain.form_model import AdviceOutcome, Form
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.uow import UnitOfWork

MEMBER = "member"
CONSOLIDATED = "consolidated"
COMMISSION_ASSESSOR = "commissie"
DRAFT = "draft"
FINAL = "final"


@dataclass(frozen=True)
class FormRow:
    id: uuid.UUID
    form_key: str
    version: int
    title: str
    adopted_on: dt.date
    content_hash: str
    adopted_by: str


@dataclass(frozen=True)
class AssessmentView:
    """One assessment with the form version it was made with."""

    id: uuid.UUID
    application_id: uuid.UUID
    form_row_id: uuid.UUID
    form: Form
    kind: str
    assessor: str
    answers: dict[str, Any]
    state: str
    advice: AdviceOutcome | None
    advice_reason: str
    version: int
    updated_at: dt.datetime | None = None
    newer_form_id: uuid.UUID | None = field(default=None)  # set when a later version of the form exists
    refusal: str = ""  # why it can no longer be changed although a draft: its application is decided (issue 13)

    @property
    def is_final(self) -> bool:
        return self.state == FINAL

    @property
    def editable(self) -> bool:
        """A draft of an application that is still open (the permission to edit it is checked apart)."""
        return not self.is_final and not self.refusal


def _form_of(row: AssessmentForm) -> Form:
    return parse_form(row.source, f"{row.form_key} versie {row.form_version}")


def _row(f: AssessmentForm) -> FormRow:
    return FormRow(f.id, f.form_key, f.form_version, f.title, f.adopted_on, f.content_hash, f.adopted_by)


# --- forms ------------------------------------------------------------------------------------


def adopt_form(ctx: ServiceContext, path_or_text: str | Path) -> uuid.UUID:
    """Store a form version exactly as written. Adopting the same content again returns the existing id;
    the same form id and version with other content is refused."""
    require(ctx, Action.ADOPT_FORMS)
    return _adopt(ctx, path_or_text)


def _adopt(ctx: ServiceContext, path_or_text: Path | str) -> uuid.UUID:
    if isinstance(path_or_text, Path) or ("\n" not in str(path_or_text) and Path(str(path_or_text)).suffix == ".toml"):
        form = load_form(path_or_text)
    else:
        form = parse_form(str(path_or_text))
    source = canonical_text(form.source_text) if form.source_text else None
    if source is None:  # pragma: no cover - parse_form always keeps the text
        raise AssertionError("form without source text")
    with UnitOfWork(ctx) as uow:
        existing = uow.session.scalars(
            select(AssessmentForm).where(AssessmentForm.form_key == form.form_id,
                                         AssessmentForm.form_version == form.version)
        ).first()
        if existing is not None:
            if existing.content_hash == form.content_hash:
                return existing.id
            raise DomainError(_(
                "Formulier {form} versie {version} is al vastgesteld met een andere inhoud. Een vastgesteld "
                "formulier wordt nooit gewijzigd: geef het gewijzigde formulier een nieuw versienummer."
            ).format(form=form.form_id, version=form.version))
        row = AssessmentForm(
            form_key=form.form_id, form_version=form.version, title=form.title, adopted_on=form.adopted_on,
            source=source, content_hash=form.content_hash, adopted_by=ctx.actor.name,
        )
        uow.action = "adopt"
        uow.session.add(row)
        uow.commit()
        return row.id


def list_forms(ctx: ServiceContext) -> list[FormRow]:
    with UnitOfWork(ctx) as uow:
        rows = uow.session.scalars(
            select(AssessmentForm).order_by(AssessmentForm.form_key, AssessmentForm.form_version)
        ).all()
        return [_row(r) for r in rows]


def get_form(ctx: ServiceContext, form_row_id: uuid.UUID) -> Form:
    with UnitOfWork(ctx) as uow:
        row = uow.session.get(AssessmentForm, form_row_id)
        if row is None:
            raise NotFoundError(_("Dit formulier bestaat niet (meer)."))
        return _form_of(row)


def current_form(ctx: ServiceContext, form_key: str) -> FormRow | None:
    """The highest adopted version of a form, None when none is adopted."""
    with UnitOfWork(ctx) as uow:
        row = uow.session.scalars(
            select(AssessmentForm).where(AssessmentForm.form_key == form_key)
            .order_by(AssessmentForm.form_version.desc())
        ).first()
        return _row(row) if row else None


def ensure_shipped_forms(ctx: ServiceContext) -> None:
    """Adopt the forms shipped with the application when they are not in the database yet."""
    known = {(r.form_key, r.version) for r in list_forms(ctx)}
    for path in shipped_form_paths():
        form = load_form(path)
        if (form.form_id, form.version) not in known:
            _adopt(ctx, path)  # what the installed app brings with it, whoever starts it first


def default_form_key() -> str:
    paths = shipped_form_paths()
    return load_form(paths[-1]).form_id if paths else "kip-erkenning"


def form_diff(ctx: ServiceContext, old_id: uuid.UUID, new_id: uuid.UUID) -> list[str]:
    """Readable differences (Dutch lines) between two adopted form versions."""
    return list(diff_forms(get_form(ctx, old_id), get_form(ctx, new_id)).lines())


# --- assessments ------------------------------------------------------------------------------


def _view(session, a: Assessment) -> AssessmentView:
    form_row = a.form
    newer = session.scalars(
        select(AssessmentForm.id).where(AssessmentForm.form_key == form_row.form_key,
                                        AssessmentForm.form_version > form_row.form_version)
        .order_by(AssessmentForm.form_version.desc())
    ).first()
    return AssessmentView(
        id=a.id, application_id=a.application_id, form_row_id=form_row.id, form=_form_of(form_row),
        kind=a.kind, assessor=a.assessor, answers=dict(a.answers or {}), state=a.state,
        advice=a.advice, advice_reason=a.advice_reason or "",
        version=a.version, updated_at=a.updated_at, newer_form_id=newer,
        refusal=assessment_refusal(a.application.status),
    )


def _refuse_when_decided(app: Application) -> None:
    refusal = assessment_refusal(app.status)
    if refusal:
        raise DomainError(refusal)


def _own(session, application_id: uuid.UUID, kind: str, owner: uuid.UUID | None) -> Assessment | None:
    """The consolidated assessment of an application, or the member assessment of user ``owner``."""
    mine = Assessment.kind == CONSOLIDATED if kind == CONSOLIDATED else Assessment.assessor_user_id == owner
    return session.scalars(
        select(Assessment).where(Assessment.application_id == application_id, Assessment.kind == kind, mine)
    ).first()


def get_assessment(ctx: ServiceContext, assessment_id: uuid.UUID) -> AssessmentView:
    with UnitOfWork(ctx) as uow:
        a = uow.session.get(Assessment, assessment_id)
        if a is None:
            raise NotFoundError(_("Deze beoordeling bestaat niet (meer)."))
        return _view(uow.session, a)


def get_or_create_assessment(ctx: ServiceContext, application_id: uuid.UUID, kind: str = MEMBER,
                             form_key: str | None = None) -> AssessmentView:
    """The actor's own assessment (or the commission's consolidated one) of an application;
    a new one uses the current version of the form. A decided or withdrawn application gets no new
    assessment (issue 13); an existing one is returned to be read."""
    if kind not in (MEMBER, CONSOLIDATED):
        raise ValueError(kind)
    if kind == CONSOLIDATED:
        assessor, owner = COMMISSION_ASSESSOR, None
    else:
        assessor, owner = ctx.actor.name, ctx.actor.user_id
    ensure_shipped_forms(ctx)
    with UnitOfWork(ctx) as uow:
        app = uow.session.get(Application, application_id)
        if app is None:
            raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
        a = _own(uow.session, application_id, kind, owner)
        if a is not None:
            return _view(uow.session, a)
        require(ctx, Action.WRITE_CONSOLIDATED if kind == CONSOLIDATED else Action.WRITE_ASSESSMENT)
        if owner is None and kind == MEMBER:
            raise DomainError(_("Meld u eerst aan met uw naam: een beoordeling is altijd van een gebruiker."))
        _refuse_when_decided(app)
        key = form_key or default_form_key()
        form_row = uow.session.scalars(
            select(AssessmentForm).where(AssessmentForm.form_key == key)
            .order_by(AssessmentForm.form_version.desc())
        ).first()
        if form_row is None:
            raise NotFoundError(_("Er is geen beoordelingsformulier ‘{key}’ vastgesteld.").format(key=key))
        a = Assessment(application_id=application_id, form_id=form_row.id, kind=kind, assessor=assessor,
                       assessor_user_id=owner, answers={}, state=DRAFT, advice=None, advice_reason="")
        uow.session.add(a)
        uow.commit()
        return _view(uow.session, a)


def own_assessment_state(ctx: ServiceContext, application_id: uuid.UUID, kind: str = MEMBER) -> str | None:
    """DRAFT or FINAL for the actor's own (or the consolidated) assessment of an application, None when there is
    none; nothing is made, and the form is not read (the editor asks this whenever it shows an application)."""
    owner = None if kind == CONSOLIDATED else ctx.actor.user_id
    if kind == MEMBER and owner is None:
        return None
    with UnitOfWork(ctx) as uow:
        a = _own(uow.session, application_id, kind, owner)
        return a.state if a is not None else None


def _attachment_ids(session, application_id: uuid.UUID) -> set[str]:
    return {str(i) for i in session.scalars(select(Attachment.id).where(Attachment.application_id == application_id))}


def attachment_choices(ctx: ServiceContext, application_id: uuid.UUID) -> list[tuple[str, str]]:
    """(id, label) of the attachments an evidence answer may point at."""
    with UnitOfWork(ctx) as uow:
        rows = uow.session.execute(
            select(Attachment.id, Attachment.filename, Attachment.criterion)
            .where(Attachment.application_id == application_id).order_by(Attachment.filename)
        ).all()
        return [(str(i), f"{name} ({crit.short_label})" if crit else name) for i, name, crit in rows]


_NO_OWNER = uuid.UUID(int=0)  # an assessment from before owners were users: nobody's own


def _check_may_edit(ctx: ServiceContext, a: Assessment) -> None:
    if a.kind == CONSOLIDATED:
        require(ctx, Action.WRITE_CONSOLIDATED)
    else:  # a member's assessment is theirs alone, whatever their role (the owner is a user, not a name)
        require(ctx, Action.WRITE_ASSESSMENT, owner_user_id=a.assessor_user_id or _NO_OWNER)


def save_answers(ctx: ServiceContext, assessment_id: uuid.UUID, answers: Mapping[str, Any],
                 expected_version: int, final: bool = False) -> AssessmentView:
    """Store answers (a draft may be incomplete; ``final`` requires a complete, valid form) with the
    advice that follows from them. Raises ValidationError per question, StaleEditError."""
    rules = ctx.rules  # before the unit of work: a first use may adopt the shipped rules
    with UnitOfWork(ctx) as uow:
        a = uow.session.get(Assessment, assessment_id)
        if a is None:
            raise NotFoundError(_("Deze beoordeling bestaat niet (meer)."))
        if a.version != expected_version:
            raise StaleEditError("assessment")
        _check_may_edit(ctx, a)
        if a.state == FINAL:
            raise DomainError(_("Deze beoordeling is definitief en kan niet meer worden gewijzigd."))
        _refuse_when_decided(a.application)
        form = _form_of(a.form)
        clean = clean_answers(form, answers, complete=final,
                              attachment_ids=_attachment_ids(uow.session, a.application_id))
        advice: Advice = advise(form, clean, ctx.today(), rules)
        if final:
            uow.action = "finalise"
        a.answers = answers_to_json(form, clean)
        a.advice = advice.outcome
        a.advice_reason = advice.reason
        if final:
            a.state = FINAL
        uow.commit()
        return _view(uow.session, a)


def move_to_form(ctx: ServiceContext, assessment_id: uuid.UUID, new_form_id: uuid.UUID,
                 expected_version: int | None = None) -> tuple[AssessmentView, list[str]]:
    """Move a draft to another version of its form, keeping the answers whose questions still exist
    (and are still valid there). Returns the view and the keys of the dropped answers."""
    rules = ctx.rules
    with UnitOfWork(ctx) as uow:
        a = uow.session.get(Assessment, assessment_id)
        new_row = uow.session.get(AssessmentForm, new_form_id)
        if a is None or new_row is None:
            raise NotFoundError(_("Deze beoordeling of dit formulier bestaat niet (meer)."))
        if expected_version is not None and a.version != expected_version:
            raise StaleEditError("assessment")
        _check_may_edit(ctx, a)
        if a.state == FINAL:
            raise DomainError(_("Een definitieve beoordeling blijft bij de formulierversie waarmee zij is gemaakt."))
        _refuse_when_decided(a.application)
        if new_row.form_key != a.form.form_key:
            raise DomainError(_("Een beoordeling kan alleen naar een andere versie van hetzelfde formulier."))
        new_form = _form_of(new_row)
        kept, dropped = _carry_over(new_form, dict(a.answers or {}), _attachment_ids(uow.session, a.application_id))
        advice = advise(new_form, kept, ctx.today(), rules)
        uow.action = "move_form"
        a.form_id = new_row.id
        a.form = new_row
        a.answers = answers_to_json(new_form, kept)
        a.advice = advice.outcome
        a.advice_reason = advice.reason
        uow.commit()
        return _view(uow.session, a), dropped


def _carry_over(form: Form, answers: dict[str, Any], attachment_ids: set[str]) -> tuple[dict[str, Any], list[str]]:
    """Answers valid on ``form`` and the keys that are not (unknown, invalid or now hidden)."""
    candidate = {k: v for k, v in answers.items() if k in form.question_map}
    from commissie_app.domain.form_advice import validate_answers

    errors = validate_answers(form, candidate, complete=False, attachment_ids=attachment_ids)
    candidate = {k: v for k, v in candidate.items() if k not in errors}
    kept = clean_answers(form, candidate, complete=False, attachment_ids=attachment_ids)
    dropped = [k for k in answers if k not in kept]
    return kept, dropped


def preview_move(ctx: ServiceContext, assessment_id: uuid.UUID, new_form_id: uuid.UUID) -> list[str]:
    """The keys of the answers that moving to ``new_form_id`` would drop (nothing is changed)."""
    with UnitOfWork(ctx) as uow:
        a = uow.session.get(Assessment, assessment_id)
        new_row = uow.session.get(AssessmentForm, new_form_id)
        if a is None or new_row is None:
            raise NotFoundError(_("Deze beoordeling of dit formulier bestaat niet (meer)."))
        return _carry_over(_form_of(new_row), dict(a.answers or {}), _attachment_ids(uow.session, a.application_id))[1]


def assessments_for(ctx: ServiceContext, application_id: uuid.UUID) -> list[AssessmentView]:
    """All assessments of an application (members by name, the consolidated one last), each with its form."""
    with UnitOfWork(ctx) as uow:
        rows = uow.session.scalars(
            select(Assessment).where(Assessment.application_id == application_id)
        ).all()
        views = [_view(uow.session, a) for a in rows]
    views.sort(key=lambda v: (v.kind == CONSOLIDATED, v.assessor.lower()))
    return views
