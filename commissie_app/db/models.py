"""SQLAlchemy 2.x typed models. Alembic owns the schema (see migrations/)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column, relationship

from commissie_app.domain.addressing import FormOfAddress
from commissie_app.domain.codes import Criterion, LegalForm, Municipality, Role, Status
from commissie_app.domain.commission import Seat
from commissie_app.domain.correspondence import LetterKind
from commissie_app.domain.form_model import AdviceOutcome
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.precheck import PrecheckOutcome
from commissie_app.domain.recognition import Purpose, RecognitionEvent, RecognitionKind
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UTC(TypeDecorator):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


#: Codes kept as plain strings (the services' constants): assessments.MEMBER/CONSOLIDATED, DRAFT/FINAL.
ASSESSMENT_KINDS = ("member", "consolidated")
ASSESSMENT_STATES = ("draft", "final")
#: How a decision letter was sent.
SEND_WAYS = ("post", "email")


def code(values, name: str, length: int = 20) -> Enum:
    """The type of a column holding one of a fixed set of codes: a domain enum (the ORM gives its members)
    or a tuple of plain strings. The database refuses any other value: a CHECK constraint named
    ``ck_<table>_<name>`` (migration ``enum_check_constraints`` adds them to existing databases, same values)."""
    kinds = (values,) if isinstance(values, type) else tuple(values)
    return Enum(*kinds, name=name, native_enum=False, create_constraint=True, length=length, validate_strings=True,
                values_callable=lambda enum: [member.value for member in enum])


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    __tablename__ = "users"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    role: Mapped[Role] = mapped_column(code(Role, "role"), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    # the commission member this user is (a lid or the chair holds a seat); None for a secretary or observer
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("members.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # the public key of the member's laptop (domain/review_crypto.PublicKey.text()), registered by the
    # secretary: review packages are encrypted to it and return packages must be signed by it
    review_key: Mapped[str] = mapped_column(Text, nullable=False, default="")

    __mapper_args__ = {"version_id_col": version}


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow, onupdate=utcnow)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kvk: Mapped[str] = mapped_column(String(8), nullable=False, unique=True)
    legal_form: Mapped[LegalForm] = mapped_column(code(LegalForm, "legal_form"), nullable=False)
    municipality: Mapped[Municipality] = mapped_column(code(Municipality, "municipality"), nullable=False, index=True)
    street: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    postcode: Mapped[str] = mapped_column(String(7), nullable=False, default="")
    place: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    contact_person: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    website: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    mission: Mapped[str] = mapped_column(Text, nullable=False, default="")
    impact_domains: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    # how letters address the contact person: "Geachte mevrouw Van Dijk," (migration contact_salutation, 0017)
    contact_salutation: Mapped[FormOfAddress] = mapped_column(
        code(FormOfAddress, "contact_salutation"), nullable=False, default=FormOfAddress.NEUTRAL,
        server_default=FormOfAddress.NEUTRAL.value)

    applications: Mapped[list[Application]] = relationship(back_populates="organisation")

    __mapper_args__ = {"version_id_col": version}


class Application(Base):
    __tablename__ = "applications"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow, onupdate=utcnow)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), nullable=False, index=True)
    received_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[Status] = mapped_column(code(Status, "status"), nullable=False, index=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    info_requested: Mapped[str] = mapped_column(Text, nullable=False, default="")
    info_due_on: Mapped[dt.date | None] = mapped_column(Date)
    # why it was made: a first application, or a follow-up of the recognition of an earlier one (issue 12)
    purpose: Mapped[Purpose] = mapped_column(code(Purpose, "purpose"), nullable=False, default=Purpose.NEW,
                                             server_default=Purpose.NEW.value)
    follow_up_of: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("applications.id"), index=True)

    organisation: Mapped[Organisation] = relationship(back_populates="applications")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Evidence.criterion"
    )
    status_changes: Mapped[list[StatusChange]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="StatusChange.at"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Attachment.added_at"
    )

    __table_args__ = (UniqueConstraint("organisation_id", "received_on", name="uq_applications_org_received"),)
    __mapper_args__ = {"version_id_col": version}


class Evidence(Base):
    __tablename__ = "evidence"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    criterion: Mapped[Criterion] = mapped_column(code(Criterion, "criterion"), nullable=False)
    reference: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    valid_until: Mapped[dt.date | None] = mapped_column(Date)

    application: Mapped[Application] = relationship(back_populates="evidence")
    __table_args__ = (UniqueConstraint("application_id", "criterion", name="uq_evidence_app_criterion"),)


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    criterion: Mapped[Criterion | None] = mapped_column(code(Criterion, "criterion"))
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    added_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    added_by: Mapped[str] = mapped_column(String(200), nullable=False)

    application: Mapped[Application] = relationship(back_populates="attachments")


class StatusChange(Base):
    __tablename__ = "status_changes"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_status: Mapped[Status | None] = mapped_column(code(Status, "from_status"))
    to_status: Mapped[Status] = mapped_column(code(Status, "to_status"), nullable=False)
    at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    on_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    by: Mapped[str] = mapped_column(String(200), nullable=False)
    remark: Mapped[str] = mapped_column(Text, nullable=False, default="")

    application: Mapped[Application] = relationship(back_populates="status_changes")


class AuditEvent(Base):
    __tablename__ = "audit_events"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(50), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(50), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    old_values: Mapped[dict | None] = mapped_column(JSON)
    new_values: Mapped[dict | None] = mapped_column(JSON)
    # The hash chain (db/audit_chain.py): the event's place in the chain, the previous event's hash
    # and this event's own SHA-256, set when the event is written.
    seq: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class AuditChainHead(Base):
    """One row (id 1): the last event of the audit chain. Every writer locks it before it appends."""

    __tablename__ = "audit_chain_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class Setting(Base):
    """Commission-wide settings (kenmerk pattern, letterhead, ...), shared by all machines."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict | list | str | int | None] = mapped_column(JSON)


class AssessmentForm(Base):
    """An adopted version of the commission's assessment form: the exact file text, never changed once used."""

    __tablename__ = "assessment_forms"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    form_key: Mapped[str] = mapped_column(String(100), nullable=False)
    form_version: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    adopted_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    adopted_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    adopted_by: Mapped[str] = mapped_column(String(200), nullable=False)

    __table_args__ = (UniqueConstraint("form_key", "form_version", name="uq_assessment_forms_key_version"),)


class RuleSet(Base):
    """An adopted set of the commission's rules (quorum, kenmerk pattern, ...): the latest version is in force
    on every machine; the file text it was adopted from is kept as written."""

    __tablename__ = "rule_sets"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    rules: Mapped[dict] = mapped_column(JSON, nullable=False)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    source_name: Mapped[str] = mapped_column(String(500), nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    adopted_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    adopted_by: Mapped[str] = mapped_column(String(200), nullable=False)


class Assessment(Base):
    """One member's (or the commission's consolidated) assessment of an application on one form version."""

    __tablename__ = "assessments"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow, onupdate=utcnow)
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    form_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment_forms.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(code(ASSESSMENT_KINDS, "kind"), nullable=False)
    assessor: Mapped[str] = mapped_column(String(200), nullable=False)
    # who owns a member's assessment (the name above is what is shown); None for the consolidated one
    assessor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    answers: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    state: Mapped[str] = mapped_column(code(ASSESSMENT_STATES, "state"), nullable=False, default="draft")
    advice: Mapped[AdviceOutcome | None] = mapped_column(code(AdviceOutcome, "advice", 40))
    advice_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")

    form: Mapped[AssessmentForm] = relationship()
    # the record the audit shows it in: a changed assessment is a change of its application (services/audit.py)
    application: Mapped[Application] = relationship()

    __table_args__ = (
        UniqueConstraint("application_id", "kind", "assessor", name="uq_assessments_app_kind_assessor"),
    )
    __mapper_args__ = {"version_id_col": version}


class Member(Base):
    """A person who holds (or held) a seat of the commission."""

    __tablename__ = "members"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    organisation: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)


class Term(Base):
    """A member holding a seat from ``starts_on`` to ``ends_on`` (open when None). History is kept."""

    __tablename__ = "terms"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"), nullable=False, index=True)
    seat: Mapped[Seat] = mapped_column(code(Seat, "seat", 40), nullable=False, index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    member: Mapped[Member] = relationship()


class Meeting(Base):
    __tablename__ = "meetings"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow, onupdate=utcnow)
    starts_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=120)
    place: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    video_link: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    status: Mapped[MeetingStatus] = mapped_column(code(MeetingStatus, "status"), nullable=False)
    # chosen from the members (the chair holds a seat on the meeting's date) and the users (the secretary);
    # chair_name and secretary_name are their names as printed in the agenda, minutes and letters (issue 13)
    chair_member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("members.id"), index=True)
    secretary_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    chair_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    secretary_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    minutes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    closed_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # the minutes are adopted (vastgesteld) at a later meeting, under its item "Verslag vorige vergadering"
    # (issue 14): that meeting's date and the meeting; None while the minutes are a draft
    minutes_adopted_on: Mapped[dt.date | None] = mapped_column(Date)
    minutes_adopted_in_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    # SEQUENCE of the .ics invitation: raised only when date, time or place change (issue 14)
    calendar_sequence: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")

    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    attendance: Mapped[list[AttendanceRecord]] = relationship(back_populates="meeting", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[ItemKind] = mapped_column(code(ItemKind, "kind"), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    application_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("applications.id"), index=True)
    minutes: Mapped[str] = mapped_column(Text, nullable=False, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    application: Mapped[Application | None] = relationship(viewonly=True)
    conflicts: Mapped[list[ConflictRecord]] = relationship(back_populates="item", cascade="all, delete-orphan")
    votes: Mapped[list[VoteRecord]] = relationship(back_populates="item", cascade="all, delete-orphan")


class AttendanceRecord(Base):
    __tablename__ = "attendance"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, index=True)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"), nullable=False)
    seat: Mapped[Seat] = mapped_column(code(Seat, "seat", 40), nullable=False)
    state: Mapped[Attendance] = mapped_column(code(Attendance, "state"), nullable=False)
    # per row, so that recording one member's attendance does not collide with another's
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    __table_args__ = (UniqueConstraint("meeting_id", "member_id", name="uq_attendance_meeting_member"),)
    __mapper_args__ = {"version_id_col": version}


class ConflictRecord(Base):
    """A declared conflict of interest (belangenverstrengeling) of a member on one agenda item."""

    __tablename__ = "conflicts"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    agenda_item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), nullable=False, index=True
    )
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    declared_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)

    item: Mapped[AgendaItem] = relationship(back_populates="conflicts")
    __table_args__ = (UniqueConstraint("agenda_item_id", "member_id", name="uq_conflicts_item_member"),)


class VoteRecord(Base):
    __tablename__ = "votes"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    agenda_item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), nullable=False, index=True
    )
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"), nullable=False)
    seat: Mapped[Seat] = mapped_column(code(Seat, "seat", 40), nullable=False)
    choice: Mapped[VoteChoice] = mapped_column(code(VoteChoice, "choice"), nullable=False)
    cast_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    # per row: two members voting at once never collide, two edits of the same vote do
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    item: Mapped[AgendaItem] = relationship(back_populates="votes")
    __table_args__ = (UniqueConstraint("agenda_item_id", "member_id", name="uq_votes_item_member"),)
    __mapper_args__ = {"version_id_col": version}


class DecisionRecord(Base):
    """The commission's decision on an application, with its kenmerk (never reused)."""

    __tablename__ = "decisions"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    agenda_item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agenda_items.id"), nullable=False, unique=True)
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), nullable=False, index=True)
    kenmerk: Mapped[str] = mapped_column(String(50), nullable=False, unique=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    decision_type: Mapped[DecisionType] = mapped_column(code(DecisionType, "decision_type"), nullable=False)
    motivation: Mapped[str] = mapped_column(Text, nullable=False)
    decided_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    badge_valid_from: Mapped[dt.date | None] = mapped_column(Date)
    # Fixed when the decision is recorded, by the rules of that day (forms/rules.toml).
    badge_valid_until: Mapped[dt.date | None] = mapped_column(Date)
    conditional_deadline: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    # what the letter states (migration 0016): a conditional recognition's conditions, the criteria found met
    # (codes; empty when the decision recognises nothing), and for 'aangehouden' what is asked and by when
    conditions: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    criteria_met: Mapped[list] = mapped_column(JSON, nullable=False, default=list, server_default="[]")
    deferral_request: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    answer_by: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("year", "number", name="uq_decisions_year_number"),)
    __mapper_args__ = {"version_id_col": version}


class Recognition(Base):
    """An organisation's recognition (erkenning) for one period: made by a granting decision, changed by later
    decisions (conversion, renewal, withdrawal); its status is derived on read (domain/recognition.py)."""

    __tablename__ = "recognitions"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), nullable=False, index=True)
    origin_application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), nullable=False,
                                                             unique=True)
    # the latest decision that set it
    decision_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("decisions.id"), nullable=False, index=True)
    kind: Mapped[RecognitionKind] = mapped_column(code(RecognitionKind, "kind"), nullable=False)
    criteria: Mapped[list] = mapped_column(JSON, nullable=False, default=list)  # criterion codes found met
    valid_from: Mapped[dt.date] = mapped_column(Date, nullable=False)
    valid_until: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    certificate_until: Mapped[dt.date | None] = mapped_column(Date)
    override_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    conditional_deadline: Mapped[dt.date | None] = mapped_column(Date)
    evidence_owed: Mapped[str] = mapped_column(Text, nullable=False, default="")
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawal_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    events: Mapped[list[RecognitionEventRecord]] = relationship(
        back_populates="recognition", order_by="RecognitionEventRecord.at")

    __mapper_args__ = {"version_id_col": version}


class RecognitionEventRecord(Base):
    """One step in a recognition's history; never changed."""

    __tablename__ = "recognition_events"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    recognition_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("recognitions.id"), nullable=False, index=True)
    event: Mapped[RecognitionEvent] = mapped_column(code(RecognitionEvent, "event"), nullable=False)
    decision_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("decisions.id"), index=True)
    kenmerk: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    on_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    by: Mapped[str] = mapped_column(String(200), nullable=False)

    recognition: Mapped[Recognition] = relationship(back_populates="events")


class Correction(Base):
    """A correction to a closed meeting's record: the original stays, this says what changed and why."""

    __tablename__ = "corrections"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id"), nullable=False, index=True)
    entity_type: Mapped[str] = mapped_column(String(50), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(36), nullable=False)
    field: Mapped[str] = mapped_column(String(50), nullable=False)
    old_value: Mapped[dict | list | str | int | None] = mapped_column(JSON)
    new_value: Mapped[dict | list | str | int | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    by: Mapped[str] = mapped_column(String(200), nullable=False)
    # the order within the meeting (1, 2, ...): later corrections of the same value win, whatever the
    # clocks of the machines that made them say
    seq: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (UniqueConstraint("meeting_id", "seq", name="uq_corrections_meeting_seq"),)


class DecisionLetter(Base):
    """A generated decision letter, archived as generated; immutable once sent."""

    __tablename__ = "decision_letters"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    decision_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("decisions.id"), nullable=False, index=True)
    letter_version: Mapped[int] = mapped_column(Integer, nullable=False)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    template_version: Mapped[str] = mapped_column(String(64), nullable=False)
    generated_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    generated_by: Mapped[str] = mapped_column(String(200), nullable=False)
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    sent_via: Mapped[str | None] = mapped_column(code(SEND_WAYS, "sent_via"))
    # the date printed on the letter (migration contact_salutation, 0017); NULL for versions made before: their generation day
    letter_date: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("decision_id", "letter_version", name="uq_decision_letters_decision_version"),)
    __mapper_args__ = {"version_id_col": version}


class ReviewIdentity(Base):
    """One row (id 1): this database's own random id, which every review package carries, and the
    commission's key pair for review packages (packages are signed with it; returns are encrypted to it).
    The secret part never leaves the database and is never written to the audit log."""

    __tablename__ = "review_identity"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    database_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    public_key: Mapped[str] = mapped_column(Text, nullable=False)
    secret: Mapped[dict] = mapped_column(JSON, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)


class ReviewPackage(Base):
    """A review package made for a meeting (docs/offline-review.md): who it is for, until when it can be
    used, and whether it was revoked (a lost laptop). The file itself is not kept."""

    __tablename__ = "review_packages"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id"), nullable=False, index=True)
    # the users it is for (ids as text) and how it is locked: their keys, or a passphrase
    user_ids: Mapped[list] = mapped_column(JSON, nullable=False)
    passphrase: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    expires_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTC)
    revoked_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    revoke_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")

    __mapper_args__ = {"version_id_col": version}


class ReviewReturn(Base):
    """A return package that was imported: never imported twice, and an older one never after a newer one."""

    __tablename__ = "review_returns"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # the return's own id, made on the laptop
    package_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_packages.id"), nullable=False, index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    made_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False)
    imported_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    __table_args__ = (
        UniqueConstraint("package_id", "user_id", "sequence", name="uq_review_returns_package_user_sequence"),
    )


class MemberNote(Base):
    """A member's own notes on an application (made while reviewing, on the laptop or here)."""

    __tablename__ = "member_notes"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow, onupdate=utcnow)
    application: Mapped[Application] = relationship()  # as Assessment.application

    __table_args__ = (UniqueConstraint("application_id", "user_id", name="uq_member_notes_application_user"),)
    __mapper_args__ = {"version_id_col": version}


class Letter(Base):
    """A letter that is not a decision (domain/correspondence.py): an acknowledgement or information request
    for an application, an expiry reminder for a recognition. Archived as generated, every version kept;
    immutable once sent (the database refuses it too, migration 0012)."""

    __tablename__ = "letters"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[LetterKind] = mapped_column(code(LetterKind, "kind"), nullable=False)
    application_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("applications.id"), index=True)
    recognition_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("recognitions.id"), index=True)
    # what the letter is about: the date received, the information's due date, the badge's end date
    about_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    kenmerk: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    letter_version: Mapped[int] = mapped_column(Integer, nullable=False)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    template_version: Mapped[str] = mapped_column(String(64), nullable=False)
    generated_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    generated_by: Mapped[str] = mapped_column(String(200), nullable=False)
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    sent_via: Mapped[str | None] = mapped_column(code(SEND_WAYS, "sent_via"))
    # the date printed on the letter (migration contact_salutation, 0017); NULL for versions made before: their generation day
    letter_date: Mapped[dt.date | None] = mapped_column(Date)

    __mapper_args__ = {"version_id_col": version}


class PrecheckRecord(Base):
    """A vooraf-check (issue 15): advice given to an organisation or a prospective applicant before applying,
    with the answers, the outcome the adopted form and rules gave, and which versions of them were used."""

    __tablename__ = "prechecks"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    checked_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    checked_by: Mapped[str] = mapped_column(String(200), nullable=False)
    # a known organisation, or the name of a prospective one (kept either way, as it was given)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    organisation_name: Mapped[str] = mapped_column(String(200), nullable=False)
    legal_form: Mapped[LegalForm | None] = mapped_column(code(LegalForm, "legal_form"))
    contact_person: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    email: Mapped[str] = mapped_column(String(254), nullable=False, default="")
    answers: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    outcome: Mapped[PrecheckOutcome] = mapped_column(code(PrecheckOutcome, "outcome"), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    criteria: Mapped[list] = mapped_column(JSON, nullable=False, default=list)  # criterion codes that fit
    form_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment_forms.id"), nullable=False, index=True)
    rule_set_version: Mapped[int] = mapped_column(Integer, nullable=False)
    # the application made from this check, once made
    application_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("applications.id"), index=True)

    __mapper_args__ = {"version_id_col": version}


class Advice(Base):
    """An advice of the commission to the Coördinatieteam, asked or unasked (issue 15). Its status is derived
    (domain/advice.advice_status): adopted in a meeting (meeting and agenda item), sent, answered."""

    __tablename__ = "advice"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow, onupdate=utcnow)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    asked: Mapped[bool] = mapped_column(Boolean, nullable=False)
    asked_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    asked_on: Mapped[dt.date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True)
    adopted_on: Mapped[dt.date | None] = mapped_column(Date)
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    response: Mapped[str] = mapped_column(Text, nullable=False, default="")
    response_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)

    __mapper_args__ = {"version_id_col": version}


class AdviceMemo(Base):
    """A generated advice memo (PDF), every version kept as made; never changed (migration advice_register refuses it)."""

    __tablename__ = "advice_memos"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    advice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("advice.id"), nullable=False, index=True)
    memo_version: Mapped[int] = mapped_column(Integer, nullable=False)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    template_version: Mapped[str] = mapped_column(String(64), nullable=False)
    generated_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    generated_by: Mapped[str] = mapped_column(String(200), nullable=False)
    advice: Mapped[Advice] = relationship()

    __table_args__ = (UniqueConstraint("advice_id", "memo_version", name="uq_advice_memos_advice_version"),)


class Development(Base):
    """An entry of the log "Ontwikkelingen Impact Ondernemen" (issue 15)."""

    __tablename__ = "developments"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow, onupdate=utcnow)
    happened_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    topic: Mapped[str] = mapped_column(String(300), nullable=False)
    source_link: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)

    __mapper_args__ = {"version_id_col": version}
