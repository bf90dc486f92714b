"""Builders for the import tests of return packages (issue 11): a meeting with applications on its agenda,
members with laptop keys registered, a review package per member made by the export, and return files sealed
as a laptop does.

Returns are built with the format and crypto of ``domain/review_format.py`` and ``domain/review_crypto.py``
(signed by the laptop's key, encrypted to the commission's key), so the import sees exactly what a laptop
sends.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from commissie_app.db.models import Base
from commissie_app.domain.codes import Role
from commissie_app.domain.review_crypto import KeyPair, seal
from commissie_app.domain.review_format import (
    FINAL,
    KIND_RETURN,
    Manifest,
    PackageMember,
    ReturnContent,
    ReturnedAssessment,
    ReturnedDeclaration,
    ReturnedNote,
    return_entries,
)
from commissie_app.services import assessments, commission, meeting_agenda, meeting_planning
from commissie_app.services.context import ServiceContext
from commissie_app.services.review_keys import commission_identity, register_member_key
from tests.conftest import make_ctx
from tests.test_assessments_service import COMPLETE_GRANT as COMPLETE
from tests.test_meetings_service import complete_app

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone.utc)
MEETING_DAY = dt.datetime(2026, 12, 1, 14, 0)

DRAFT_ANSWERS = {"region_established": "ja", "region_municipality": "Haarlem"}


@dataclass
class Member:
    name: str
    ctx: ServiceContext  # acting as this member (their own assessments on the server)
    user_id: uuid.UUID
    member_id: uuid.UUID
    laptop: KeyPair


@dataclass
class Scenario:
    ctx: ServiceContext  # the secretary
    meeting_id: uuid.UUID
    apps: list[uuid.UUID]
    members: list[Member]
    form_id: uuid.UUID
    tmp: Path
    packages: dict = field(default_factory=dict)  # user id -> package id

    @property
    def commission_public(self):
        return commission_identity(self.ctx).public_key

    @property
    def database_id(self) -> uuid.UUID:
        return commission_identity(self.ctx).database_id


def scenario(db, tmp: Path, *, n_apps: int = 2, n_members: int = 2) -> Scenario:
    ctx = make_ctx(db)
    assessments.ensure_shipped_forms(ctx)
    ctx.rules, commission_identity(ctx)  # adopted and made on first use, as in a database in use
    form_id = assessments.current_form(ctx, assessments.default_form_key()).id
    members = []
    for i in range(n_members):
        name = f"Lid {'ABCDE'[i]}"
        member_id = commission.add_member(ctx, name)
        member_ctx = make_ctx(db, name, Role.MEMBER, member_id=member_id)
        laptop = KeyPair.generate()
        register_member_key(ctx, member_ctx.actor.user_id, laptop.public().text())
        members.append(Member(name, member_ctx, member_ctx.actor.user_id, member_id, laptop))
    apps = [complete_app(ctx, kvk=f"{i + 1:08d}") for i in range(n_apps)]
    meeting_id = meeting_planning.plan_meeting(ctx, MEETING_DAY, place="Stadhuis Haarlem")
    meeting_agenda.add_application_items(ctx, meeting_id, apps)
    s = Scenario(ctx, meeting_id, apps, members, form_id, tmp)
    for m in members:
        s.packages[m.user_id] = add_package(s, [m])
    return s


def add_package(s: Scenario, members: list[Member]) -> uuid.UUID:
    """A review package made by the secretary's export (the file is written, then not needed to import)."""
    from commissie_app.services.review_export import export_package

    out = s.tmp / f"pakket-{uuid.uuid4().hex[:6]}.kippakket"
    return export_package(s.ctx, s.meeting_id, [m.user_id for m in members], out).package_id


def assessment(s: Scenario, app: int = 0, answers=None, *, state="draft", base: int | None = None,
               form_id=None) -> ReturnedAssessment:
    return ReturnedAssessment(s.apps[app], form_id or s.form_id, base, dict(DRAFT_ANSWERS if answers is None else answers),
                              state, NOW + dt.timedelta(hours=1))


def note(s: Scenario, app: int = 0, text: str = "Vragen over de jaarrekening.", base: int | None = None) -> ReturnedNote:
    return ReturnedNote(s.apps[app], text, base, NOW + dt.timedelta(hours=1))


def declaration(item_id: uuid.UUID, reason: str = "Mijn zus werkt daar.") -> ReturnedDeclaration:
    return ReturnedDeclaration(item_id, reason, NOW + dt.timedelta(hours=2))


def make_return(s: Scenario, member: Member, *, assessments=(), declarations=(), notes=(), sequence: int = 1,
                signer: KeyPair | None | str = "laptop", package_id=None, database_id=None, meeting_id=None,
                user_id=None, return_id=None, name: str | None = None, recipients=None) -> Path:
    """A return file as the member's laptop writes it; the keyword arguments make it wrong on purpose."""
    user_id = user_id or member.user_id
    manifest = Manifest(KIND_RETURN, package_id or s.packages[member.user_id], database_id or s.database_id,
                        meeting_id or s.meeting_id, "vergadering van 1 december 2026", NOW, s.ctx.actor.name,
                        dt.date(2026, 12, 31), (PackageMember(user_id, member.member_id, member.name),),
                        s.commission_public.text())
    content = ReturnContent(return_id or uuid.uuid4(), sequence, NOW + dt.timedelta(hours=3), user_id,
                            tuple(assessments), tuple(declarations), tuple(notes))
    blob = seal(return_entries(manifest, content), signer=member.laptop if signer == "laptop" else signer,
                recipients=recipients or [s.commission_public])
    path = s.tmp / (name or f"{member.name.replace(' ', '_')}-{sequence}-{uuid.uuid4().hex[:6]}.kipretour")
    path.write_bytes(blob)
    return path


def row_counts(db) -> dict[str, int]:
    """Rows of every table: what an import that writes nothing must leave as it was."""
    with db.session() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def agenda_item_of(s: Scenario, app: int = 0) -> uuid.UUID:
    from commissie_app.services.meeting_detail import get_meeting

    return next(i.id for i in get_meeting(s.ctx, s.meeting_id).items if i.application_id == s.apps[app])


def server_assessment(s: Scenario, member: Member, app: int = 0, answers=None, final: bool = False):
    """The member's own assessment made on the server (the shared database)."""
    view = assessments.get_or_create_assessment(member.ctx, s.apps[app])
    if answers is not None or final:
        view = assessments.save_answers(member.ctx, view.id, answers if answers is not None else COMPLETE,
                                        view.version, final=final)
    return view


__all__ = ["COMPLETE", "DRAFT_ANSWERS", "FINAL", "Member", "Scenario", "add_package", "agenda_item_of", "assessment",
           "declaration", "make_return", "note", "row_counts", "scenario", "server_assessment"]
