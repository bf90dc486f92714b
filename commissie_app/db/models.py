"""SQLAlchemy 2.x typed models. Alembic owns the schema (see migrations/)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
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


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    __tablename__ = "users"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTC, nullable=False, default=utcnow, onupdate=utcnow)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kvk: Mapped[str] = mapped_column(String(8), nullable=False, unique=True)
    legal_form: Mapped[str] = mapped_column(String(20), nullable=False)
    municipality: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
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
    status: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    info_requested: Mapped[str] = mapped_column(Text, nullable=False, default="")
    info_due_on: Mapped[dt.date | None] = mapped_column(Date)

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
    criterion: Mapped[str] = mapped_column(String(20), nullable=False)
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
    criterion: Mapped[str | None] = mapped_column(String(20))
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
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
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
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # member | consolidated
    assessor: Mapped[str] = mapped_column(String(200), nullable=False)
    answers: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="draft")  # draft | final
    advice: Mapped[str | None] = mapped_column(String(40))
    advice_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")

    form: Mapped[AssessmentForm] = relationship()

    __table_args__ = (
        UniqueConstraint("application_id", "kind", "assessor", name="uq_assessments_app_kind_assessor"),
    )
    __mapper_args__ = {"version_id_col": version}
