"""The commission's members and their terms on the five seats."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from commissie_app.db.models import Member, Term
from commissie_app.domain import commission as rules
from commissie_app.domain.commission import Seat
from commissie_app.domain.errors import NotFoundError, ValidationError
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.domain.permissions import Action
from commissie_app.services.context import ServiceContext
from commissie_app.services.uow import UnitOfWork


@dataclass(frozen=True)
class MemberInfo:
    id: uuid.UUID
    name: str
    email: str
    organisation: str


def domain_terms(session) -> list[rules.Term]:
    rows = session.execute(select(Term, Member.name).join(Member, Term.member_id == Member.id)).all()
    return [rules.Term(t.member_id, name, t.seat, t.starts_on, t.ends_on) for t, name in rows]


def add_member(ctx: ServiceContext, name: str, email: str = "", organisation: str = "") -> uuid.UUID:
    require(ctx, Action.MANAGE_COMMISSION)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Vul de naam van het lid in.")})
    with UnitOfWork(ctx) as uow:
        m = Member(name=name, email=email.strip(), organisation=organisation.strip())
        uow.session.add(m)
        uow.commit()
        return m.id


def list_members(ctx: ServiceContext) -> list[MemberInfo]:
    with UnitOfWork(ctx) as uow:
        return [MemberInfo(m.id, m.name, m.email, m.organisation)
                for m in uow.session.scalars(select(Member).order_by(Member.name))]


def appoint(ctx: ServiceContext, member_id: uuid.UUID, seat: Seat, starts_on: dt.date,
            ends_on: dt.date | None = None, note: str = "") -> uuid.UUID:
    """Give a member a seat for a term; refused when terms would overlap."""
    require(ctx, Action.MANAGE_COMMISSION)
    with UnitOfWork(ctx) as uow:
        member = uow.session.get(Member, member_id)
        if member is None:
            raise NotFoundError(_("Dit lid bestaat niet (meer)."))
        proposed = rules.Term(member_id, member.name, seat, starts_on, ends_on)
        rules.check_terms([*domain_terms(uow.session), proposed])
        term = Term(member_id=member_id, seat=seat, starts_on=starts_on, ends_on=ends_on, note=note)
        uow.session.add(term)
        uow.commit()
        return term.id


def end_term(ctx: ServiceContext, term_id: uuid.UUID, ends_on: dt.date) -> None:
    require(ctx, Action.MANAGE_COMMISSION)
    with UnitOfWork(ctx) as uow:
        term = uow.session.get(Term, term_id)
        if term is None:
            raise NotFoundError(_("Deze zittingsperiode bestaat niet (meer)."))
        term.ends_on = ends_on
        rules.check_terms(domain_terms(uow.session))
        uow.commit()


def terms(ctx: ServiceContext) -> list[rules.Term]:
    with UnitOfWork(ctx) as uow:
        return sorted(domain_terms(uow.session), key=lambda t: (list(Seat).index(t.seat), t.start))


def term_rows(ctx: ServiceContext) -> list[tuple[uuid.UUID, rules.Term]]:
    """Every term with its id (for ending one), in seat order and then by start."""
    with UnitOfWork(ctx) as uow:
        rows = uow.session.execute(select(Term, Member.name).join(Member, Term.member_id == Member.id)).all()
        out = [(t.id, rules.Term(t.member_id, name, t.seat, t.starts_on, t.ends_on)) for t, name in rows]
    return sorted(out, key=lambda r: (list(Seat).index(r[1].seat), r[1].start))


def composition_warnings(ctx: ServiceContext) -> list[str]:
    return rules.composition_warnings(terms(ctx), ctx.today())
