"""What importing one return package would do to the database, item by item (docs/offline-review-design.md,
"Merge rules"), and doing it.

``Planner`` compares each returned assessment, declaration and note with what the database holds now and
says what will happen: new, updated, unchanged, the final one stays, skipped, or a conflict (both sides
changed since the package was made) for the secretary to decide. Several returns of one member in one
batch are planned in sequence order, each on top of what the one before would leave. ``write_item`` does
what a planned item says, after checking that the database still holds what the plan saw.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from commissie_app.db.models import (
    AgendaItem,
    Application,
    Assessment,
    AssessmentForm,
    ConflictRecord,
    Meeting,
    MemberNote,
    VoteRecord,
)
from commissie_app.domain import voting
from commissie_app.domain.errors import DomainError, StaleEditError, ValidationError
from commissie_app.domain.form_advice import advise, answers_to_json, clean_answers
from commissie_app.domain.form_model import AdviceOutcome, Form
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.review_crypto import PackageRefused, Refusal
from commissie_app.domain.review_format import FINAL, ReturnedAssessment, ReturnedDeclaration, ReturnedNote
from commissie_app.domain.rules import Rules
from commissie_app.i18n import _
from commissie_app.services.assessments import MEMBER, _attachment_ids, _form_of

ASSESSMENT, DECLARATION, NOTE = "assessment", "declaration", "note"
DATABASE, PACKAGE = "database", "pakket"  # the secretary's choice in a conflict


class Outcome(str, enum.Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FINAL_STAYS = "final_stays"  # the database's is final, the laptop's a draft
    CONFLICT = "conflict"
    ALREADY = "already"  # a declaration already recorded
    SKIPPED = "skipped"  # not written: see the item's detail

    @property
    def label(self) -> str:
        return {
            Outcome.NEW: _("nieuw"), Outcome.UPDATED: _("bijgewerkt"), Outcome.UNCHANGED: _("ongewijzigd"),
            Outcome.FINAL_STAYS: _("al definitief"), Outcome.CONFLICT: _("conflict"),
            Outcome.ALREADY: _("al gemeld"), Outcome.SKIPPED: _("overgeslagen"),
        }[self]

    @property
    def writes(self) -> bool:
        return self in (Outcome.NEW, Outcome.UPDATED)


@dataclass(frozen=True)
class Side:
    """One side of an item: what the database holds, or what the package brings."""

    answers: dict = field(default_factory=dict)
    state: str = ""
    advice: AdviceOutcome | None = None
    advice_reason: str = ""
    text: str = ""  # a note's text, a declaration's reason
    at: dt.datetime | None = None  # updated_at (database) or edited_at (laptop)
    form_id: uuid.UUID | None = None


@dataclass(frozen=True)
class PlanItem:
    kind: str  # ASSESSMENT, DECLARATION, NOTE
    subject_id: uuid.UUID  # the application (assessment, note) or the agenda item (declaration)
    title: str  # the organisation's name, or the agenda item's title
    outcome: Outcome
    key: tuple  # (return id, kind, subject id): what a conflict choice refers to
    package: Side
    database: Side | None = None  # None: nothing in the database
    expected_version: int | None = None  # the database row's version when written (None: no row)
    detail: str = ""  # why it is skipped

    @property
    def kind_label(self) -> str:
        return {ASSESSMENT: _("beoordeling"), DECLARATION: _("belangenverstrengeling"), NOTE: _("notitie")}[self.kind]


def refused_content(detail: str) -> PackageRefused:
    """A return whose content does not fit this database (an unknown form, invalid answers)."""
    err = PackageRefused(Refusal.DAMAGED)
    err.message = _("Het retourpakket past niet bij deze database: {detail} Er is niets ingelezen.").format(
        detail=detail)
    err.args = (err.message,)
    return err


class Planner:
    """Plans the items of the returns of one batch against one session (nothing is written)."""

    def __init__(self, session, rules: Rules, today: dt.date):
        self.session, self.rules, self.today = session, rules, today
        self._forms: dict[uuid.UUID, Form | None] = {}
        # (kind, application id, user id) -> (version, Side) as the earlier returns of this batch leave it
        self._state: dict[tuple, tuple[int, Side] | None] = {}

    # -- reading ---------------------------------------------------------------------------------
    def form(self, form_id: uuid.UUID) -> Form | None:
        if form_id not in self._forms:
            row = self.session.get(AssessmentForm, form_id)
            self._forms[form_id] = _form_of(row) if row is not None else None
        return self._forms[form_id]

    def _application_on_agenda(self, application_id: uuid.UUID, meeting_id: uuid.UUID) -> tuple[str, str]:
        """(title, why it is skipped or "")."""
        app = self.session.get(Application, application_id)
        if app is None:
            return _("(verwijderde aanvraag)"), _("De aanvraag bestaat niet meer.")
        title = app.organisation.name
        on = self.session.scalar(select(AgendaItem.id).where(
            AgendaItem.meeting_id == meeting_id, AgendaItem.application_id == application_id))
        return title, "" if on else _("De aanvraag staat niet meer op de agenda van deze vergadering.")

    def _current(self, kind: str, application_id: uuid.UUID, user_id: uuid.UUID) -> tuple[int, Side] | None:
        key = (kind, application_id, user_id)
        if key not in self._state:
            self._state[key] = self._read(kind, application_id, user_id)
        return self._state[key]

    def _read(self, kind: str, application_id: uuid.UUID, user_id: uuid.UUID) -> tuple[int, Side] | None:
        if kind == ASSESSMENT:
            a = assessment_row(self.session, application_id, user_id)
            return None if a is None else (a.version, Side(dict(a.answers or {}), a.state, a.advice,
                                                           a.advice_reason or "", at=a.updated_at, form_id=a.form_id))
        n = note_row(self.session, application_id, user_id)
        return None if n is None else (n.version, Side(text=n.text, at=n.updated_at))

    # -- planning --------------------------------------------------------------------------------
    def assessment(self, ret: ReturnedAssessment, *, return_id, user_id, meeting_id, base: int | None) -> PlanItem:
        key = (return_id, ASSESSMENT, ret.application_id)
        title, skipped = self._application_on_agenda(ret.application_id, meeting_id)
        form = self.form(ret.form_id)
        if form is None:
            raise refused_content(_("de beoordeling van {title} is gemaakt met een formulier dat in deze database "
                                    "niet is vastgesteld.").format(title=title))
        package = Side(ret.answers, ret.state, at=ret.edited_at, form_id=ret.form_id)
        if skipped:
            return PlanItem(ASSESSMENT, ret.application_id, title, Outcome.SKIPPED, key, package, detail=skipped)
        try:
            clean = clean_answers(form, ret.answers, complete=ret.state == FINAL,
                                  attachment_ids=_attachment_ids(self.session, ret.application_id))
        except ValidationError as err:
            raise refused_content(_("de antwoorden van de beoordeling van {title} kloppen niet: {problems}").format(
                title=title, problems="; ".join(err.errors.values()))) from None
        advice = advise(form, clean, self.today, self.rules)
        package = Side(answers_to_json(form, clean), ret.state, advice.outcome, advice.reason, at=ret.edited_at,
                       form_id=ret.form_id)
        current = self._current(ASSESSMENT, ret.application_id, user_id)
        if current is None:
            outcome, expected, db_side = Outcome.NEW, None, None
        else:
            expected, db_side = current
            same = (db_side.answers, db_side.state, db_side.form_id) == (package.answers, package.state, package.form_id)
            if same:
                outcome = Outcome.UNCHANGED
            elif db_side.state == FINAL and package.state != FINAL:
                outcome = Outcome.FINAL_STAYS
            elif expected == base and db_side.state != FINAL:
                outcome = Outcome.UPDATED
            else:  # the database changed since the package (or holds a final one the laptop changed)
                outcome = Outcome.CONFLICT
        if outcome.writes:
            self._state[(ASSESSMENT, ret.application_id, user_id)] = ((expected or 0) + 1, package)
        return PlanItem(ASSESSMENT, ret.application_id, title, outcome, key, package, db_side, expected)

    def note(self, ret: ReturnedNote, *, return_id, user_id, meeting_id, base: int | None) -> PlanItem:
        key = (return_id, NOTE, ret.application_id)
        title, skipped = self._application_on_agenda(ret.application_id, meeting_id)
        package = Side(text=ret.text, at=ret.edited_at)
        if skipped:
            return PlanItem(NOTE, ret.application_id, title, Outcome.SKIPPED, key, package, detail=skipped)
        current = self._current(NOTE, ret.application_id, user_id)
        if current is None:
            outcome, expected, db_side = (Outcome.NEW if ret.text.strip() else Outcome.UNCHANGED), None, None
        else:
            expected, db_side = current
            if db_side.text == ret.text:
                outcome = Outcome.UNCHANGED
            elif expected == base:
                outcome = Outcome.UPDATED
            else:
                outcome = Outcome.CONFLICT
        if outcome.writes:
            self._state[(NOTE, ret.application_id, user_id)] = ((expected or 0) + 1, package)
        return PlanItem(NOTE, ret.application_id, title, outcome, key, package, db_side, expected)

    def declaration(self, ret: ReturnedDeclaration, *, return_id, member_id, meeting_id) -> PlanItem:
        key = (return_id, DECLARATION, ret.agenda_item_id)
        package = Side(text=ret.reason, at=ret.declared_at)
        item = self.session.get(AgendaItem, ret.agenda_item_id)
        if item is None or item.meeting_id != meeting_id or item.kind is not ItemKind.APPLICATION:
            return PlanItem(DECLARATION, ret.agenda_item_id, _("(agendapunt)"), Outcome.SKIPPED, key, package,
                            detail=_("Het agendapunt staat niet meer op de agenda van deze vergadering."))
        outcome, detail = declaration_outcome(self.session, item, member_id, ret.reason)
        return PlanItem(DECLARATION, item.id, item.title, outcome, key, package, detail=detail)


def declaration_outcome(session, item: AgendaItem, member_id: uuid.UUID | None, reason: str) -> tuple[Outcome, str]:
    if member_id is None:
        return Outcome.SKIPPED, _("De gebruiker is niet (meer) gekoppeld aan een lid van de commissie.")
    if session.get(Meeting, item.meeting_id).status is MeetingStatus.CLOSED:
        return Outcome.SKIPPED, _("De vergadering is gesloten.")
    if session.scalar(select(ConflictRecord.id).where(ConflictRecord.agenda_item_id == item.id,
                                                      ConflictRecord.member_id == member_id)):
        return Outcome.ALREADY, _("Voor dit lid is al belangenverstrengeling gemeld bij dit agendapunt.")
    if session.scalar(select(VoteRecord.id).where(VoteRecord.agenda_item_id == item.id,
                                                  VoteRecord.member_id == member_id)):
        return Outcome.SKIPPED, _("Het lid heeft al gestemd over dit agendapunt.")
    try:
        voting.declare_conflict(member_id, reason)
    except DomainError as err:
        return Outcome.SKIPPED, str(err)
    return Outcome.NEW, ""


def assessment_row(session, application_id: uuid.UUID, user_id: uuid.UUID) -> Assessment | None:
    return session.scalars(select(Assessment).where(
        Assessment.application_id == application_id, Assessment.kind == MEMBER,
        Assessment.assessor_user_id == user_id)).first()


def note_row(session, application_id: uuid.UUID, user_id: uuid.UUID) -> MemberNote | None:
    return session.scalars(select(MemberNote).where(
        MemberNote.application_id == application_id, MemberNote.user_id == user_id)).first()


# --- writing ---------------------------------------------------------------------------------------

def write_item(session, item: PlanItem, *, user_id: uuid.UUID, user_name: str, member_id: uuid.UUID | None,
               expected: int | None, choice: str | None) -> int | None:
    """Do what the item says (for a conflict: what the secretary chose). Raises StaleEditError when the
    database no longer holds what the plan saw. Returns the row's version after writing (None: no write)."""
    if item.kind == DECLARATION:
        return _write_declaration(session, item, member_id)
    row = (assessment_row if item.kind == ASSESSMENT else note_row)(session, item.subject_id, user_id)
    if item.outcome in (Outcome.SKIPPED, Outcome.ALREADY):
        return None
    if (row.version if row is not None else None) != expected:
        raise StaleEditError(item.kind)
    if not (item.outcome.writes or (item.outcome is Outcome.CONFLICT and choice == PACKAGE)):
        return None
    side = item.package
    if item.kind == NOTE:
        if row is None:
            row = MemberNote(application_id=item.subject_id, user_id=user_id)
            session.add(row)
        row.text = side.text
    else:
        if row is None:
            row = Assessment(application_id=item.subject_id, kind=MEMBER, assessor=user_name, assessor_user_id=user_id)
            session.add(row)
        row.form_id, row.answers, row.state = side.form_id, dict(side.answers), side.state
        row.advice, row.advice_reason = side.advice, side.advice_reason
    session.flush()
    return row.version


def _write_declaration(session, item: PlanItem, member_id: uuid.UUID | None) -> None:
    if item.outcome is not Outcome.NEW:
        return None
    agenda_item = session.get(AgendaItem, item.subject_id)
    if agenda_item is not None:  # as declare_conflict: wait for votes being recorded, then read them
        session.get(Meeting, agenda_item.meeting_id, with_for_update=True)
    if agenda_item is None or declaration_outcome(session, agenda_item, member_id, item.package.text)[0] is not Outcome.NEW:
        raise StaleEditError(DECLARATION)
    conflict = voting.declare_conflict(member_id, item.package.text)
    agenda_item.conflicts.append(ConflictRecord(member_id=member_id, reason=conflict.reason,
                                                declared_at=item.package.at))
    session.flush()
    return None


def answers_differ(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """The question keys whose answers differ between two sides (for a short conflict line)."""
    return [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
