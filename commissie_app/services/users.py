"""Who uses the app: users are database records with a role; the secretary manages them.

A person signs in by name (the desktop app remembers the name per machine; the CLI takes
``--als NAAM``). The role comes from the database, never from the machine. The first user of a
new database becomes secretary; after that only a secretary adds users or changes roles, and the
last active secretary cannot be removed or demoted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from commissie_app.db.models import Member, User
from commissie_app.domain.codes import Role
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import Actor, ServiceContext
from commissie_app.services.stale_edits import stale_error
from commissie_app.services.uow import UnitOfWork


@dataclass(frozen=True)
class UserInfo:
    id: uuid.UUID
    name: str
    role: Role
    member_id: uuid.UUID | None
    member_name: str
    active: bool
    version: int


class UnknownUserError(DomainError):
    pass


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Vul de naam van de gebruiker in.")})
    if len(name) > 200:
        raise ValidationError({"name": _("De naam is te lang (ten hoogste 200 tekens).")})
    return name


def _actor(user: User) -> Actor:
    return Actor(user.name, user.role, user.id, user.member_id)


def sign_in(ctx: ServiceContext, name: str) -> Actor:
    """Act as the user called ``name`` from now on: sets ``ctx.actor`` and returns it. On a database
    without users, that person becomes its first user, with the role of secretary. An unknown or
    switched-off name is refused (and ``ctx.actor`` stays as it was)."""
    name = _clean_name(name)
    try:
        return _sign_in(ctx, name)
    except IntegrityError:  # two first starts at the same moment: the other one made the first user
        return _sign_in(ctx, name)


def _sign_in(ctx: ServiceContext, name: str) -> Actor:
    with UnitOfWork(ctx) as uow:
        user = uow.session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            if uow.session.scalar(select(func.count()).select_from(User)):
                raise UnknownUserError(_(
                    "Er is geen gebruiker ‘{name}’ in deze database. De secretaris voegt gebruikers toe "
                    "(Bestand › Gebruikers en rollen); kies anders een bestaande naam.").format(name=name))
            user = User(id=uuid.uuid4(), name=name, role=Role.SECRETARY, active=True)
            uow.session.add(user)
            ctx.actor = _actor(user)  # the log says that the first user added themselves
            uow.commit()
        elif not user.active:
            raise UnknownUserError(_("De gebruiker ‘{name}’ is uitgeschakeld. Vraag de secretaris om u weer "
                                     "toegang te geven.").format(name=name))
        ctx.actor = _actor(user)
        return ctx.actor


def list_users(ctx: ServiceContext) -> list[UserInfo]:
    with UnitOfWork(ctx) as uow:
        rows = uow.session.execute(
            select(User, Member.name).outerjoin(Member, User.member_id == Member.id).order_by(User.name)).all()
        return [UserInfo(u.id, u.name, u.role, u.member_id, member or "", u.active, u.version)
                for u, member in rows]


def add_user(ctx: ServiceContext, name: str, role: Role, member_id: uuid.UUID | None = None) -> uuid.UUID:
    require(ctx, Action.MANAGE_USERS)
    name = _clean_name(name)
    with UnitOfWork(ctx) as uow:
        if uow.session.scalars(select(User.id).where(User.name == name)).first() is not None:
            raise ValidationError({"name": _("Er is al een gebruiker ‘{name}’.").format(name=name)})
        _check_member(uow.session, member_id)
        user = User(name=name, role=Role(role), member_id=member_id, active=True)
        uow.session.add(user)
        uow.commit()
        return user.id


def update_user(ctx: ServiceContext, user_id: uuid.UUID, *, role: Role, member_id: uuid.UUID | None,
                active: bool, expected_version: int) -> None:
    """Change a user's role, linked member or active flag. The last active secretary stays one."""
    require(ctx, Action.MANAGE_USERS)
    role = Role(role)
    with UnitOfWork(ctx) as uow:
        user = uow.session.get(User, user_id)
        if user is None:
            raise NotFoundError(_("Deze gebruiker bestaat niet (meer)."))
        if user.version != expected_version:
            raise stale_error(uow.session, "user", [("user", user_id)])
        _check_member(uow.session, member_id)
        stays_secretary = role is Role.SECRETARY and active
        if user.role is Role.SECRETARY and user.active and not stays_secretary:
            others = uow.session.scalar(select(func.count()).select_from(User).where(
                User.role == Role.SECRETARY, User.active.is_(True), User.id != user.id))
            if not others:
                raise DomainError(_("‘{name}’ is de enige actieve secretaris. Maak eerst iemand anders "
                                    "secretaris; anders kan niemand meer gebruikers beheren.").format(name=user.name))
        if (user.role, user.member_id, user.active) == (role, member_id, active):
            return
        user.role, user.member_id, user.active = role, member_id, active
        uow.commit()


def _check_member(session, member_id: uuid.UUID | None) -> None:
    if member_id is not None and session.get(Member, member_id) is None:
        raise NotFoundError(_("Dit lid bestaat niet (meer)."))
