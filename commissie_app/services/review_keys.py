"""The commission's side of the review-package keys: this database's id and key pair, and the members'
registered laptop keys (docs/offline-review-design.md).

The commission's key pair lives in the database (``review_identity``), not on one machine, so that every
secretary's machine on a shared database can sign packages and read returns. Whoever can read that table
can read every return package; they could also read the assessments themselves, which is what a return
holds. The secret part is never written to the audit log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from commissie_app.db.models import ReviewIdentity, User
from commissie_app.domain.errors import NotFoundError, StaleEditError
from commissie_app.domain.permissions import Action
from commissie_app.domain.review_crypto import KeyPair, PublicKey
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.uow import UnitOfWork


@dataclass(frozen=True)
class CommissionIdentity:
    database_id: uuid.UUID
    keys: KeyPair

    @property
    def public_key(self) -> PublicKey:
        return self.keys.public()


def commission_identity(ctx: ServiceContext) -> CommissionIdentity:
    """This database's id and the commission's key pair, made the first time they are needed (two
    machines doing that at the same moment end up with the one that was stored first)."""
    try:
        return _identity(ctx)
    except IntegrityError:
        return _identity(ctx)


def _identity(ctx: ServiceContext) -> CommissionIdentity:
    with UnitOfWork(ctx) as uow:
        row = uow.session.get(ReviewIdentity, 1)
        if row is None:
            keys = KeyPair.generate()
            row = ReviewIdentity(id=1, database_id=uuid.uuid4(), public_key=keys.public().text(),
                                 secret=keys.to_json(), created_by=ctx.actor.name)
            uow.session.add(row)
            uow.action = "review_identity"
            uow.commit()
        return CommissionIdentity(row.database_id, KeyPair.from_json(row.secret))


def database_id(ctx: ServiceContext) -> uuid.UUID:
    return commission_identity(ctx).database_id


@dataclass(frozen=True)
class MemberKey:
    user_id: uuid.UUID
    name: str
    key: PublicKey | None

    @property
    def fingerprint(self) -> str:
        return self.key.fingerprint() if self.key else ""


def member_key(ctx: ServiceContext, user_id: uuid.UUID) -> MemberKey:
    with UnitOfWork(ctx) as uow:
        user = uow.session.get(User, user_id)
        if user is None:
            raise NotFoundError(_("Deze gebruiker bestaat niet (meer)."))
        return MemberKey(user.id, user.name, PublicKey.parse(user.review_key) if user.review_key else None)


def register_member_key(ctx: ServiceContext, user_id: uuid.UUID, key_text: str, *,
                        expected_version: int | None = None) -> MemberKey:
    """Register (or replace) the public key of a member's laptop. Only the secretary does this, after
    comparing the fingerprint with the member (by phone or in person). An empty text removes the key."""
    require(ctx, Action.REVIEW_PACKAGES)
    key = PublicKey.parse(key_text) if key_text.strip() else None
    with UnitOfWork(ctx) as uow:
        user = uow.session.get(User, user_id)
        if user is None:
            raise NotFoundError(_("Deze gebruiker bestaat niet (meer)."))
        if expected_version is not None and user.version != expected_version:
            raise StaleEditError("user")
        text = key.text() if key else ""
        if user.review_key != text:
            uow.action = "review_key"
            user.review_key = text
            uow.commit()
        return MemberKey(user.id, user.name, key)
