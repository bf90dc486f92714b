"""The permission check every changing service makes first (the table is ``domain/permissions.py``).

A refusal is a ``PermissionDeniedError`` (Dutch, naming the action and the role) and is written to
the audit log in a transaction of its own, so it stays recorded although the refused work is not.
"""

from __future__ import annotations

import logging
import uuid

from commissie_app.domain import permissions
from commissie_app.domain.errors import DomainError
from commissie_app.domain.permissions import Action, PermissionDeniedError
from commissie_app.i18n import _
from commissie_app.services.context import NOBODY, ServiceContext

log = logging.getLogger(__name__)


def require(ctx: ServiceContext, action: Action, *, owner_user_id: uuid.UUID | None = None,
            owner_member_id: uuid.UUID | None = None) -> None:
    """Refuse (and audit the refusal) unless the acting user may take ``action``; with an owner given,
    the record must be the actor's own where the table says "own only" for the actor's role."""
    actor = ctx.actor
    own = None
    if owner_user_id is not None:
        own = owner_user_id == actor.user_id
    elif owner_member_id is not None:
        own = owner_member_id == actor.member_id
    try:
        if actor == NOBODY:
            raise NotSignedInError(action)
        permissions.check(actor.role, action, own=own)
    except PermissionDeniedError as err:
        _audit_refusal(ctx, err)
        raise


class NotSignedInError(PermissionDeniedError):
    """Nobody has said who is acting (the CLI without ``--als`` and without a configured user)."""

    def __init__(self, action: Action):
        DomainError.__init__(self, _(
            "U bent niet aangemeld, dus u mag niet {action}. Geef met --als NAAM aan wie u bent (of start de "
            "app en kies uw naam; de naam wordt dan onthouden).").format(action=action.label))
        self.action = action
        self.role = NOBODY.role
        self.own_only = False


def may(ctx: ServiceContext, action: Action) -> bool:
    """Whether the acting user's role may take ``action`` at all (for the UI to hide or disable)."""
    return permissions.allowed(ctx.actor.role, action)


def _audit_refusal(ctx: ServiceContext, err: PermissionDeniedError) -> None:
    from commissie_app.services.uow import record_lasting_event

    try:  # kept although the refused work (and an outer unit of work around it) is rolled back
        record_lasting_event(ctx, "refused", "permission", err.action.value,
                             {"role": err.role, "action": err.action, "own_only": err.own_only})
    except Exception:  # the refusal itself must reach the user even when the log cannot be written
        log.exception("could not record a refused %s by %s", err.action.value, ctx.actor.name)
