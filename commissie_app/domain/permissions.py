"""Who may do what: the commission's roles and the actions each may take.

The table below is the one place that says it. Every service that changes something asks
``services/access.require`` first; the UI only hides or disables what the service would refuse.
Reading is open to every role (an observer, waarnemer, sees what the commission sees).

Two rules are about *whose* record it is, not only about the role:

* a member (lid) and the chair write only their own assessment and declare only their own conflict
  of interest (``OWN_ONLY``); the secretary records declarations made in the meeting for anyone;
* votes are recorded by the secretary for the members present; the chair may record them too
  (the chair leads the vote and may keep the record when the secretary is absent). A member never
  records votes, not even their own: a vote is cast in the meeting, not in the app.
"""

from __future__ import annotations

import enum

from commissie_app.domain.codes import Role
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _


class Action(str, enum.Enum):
    REGISTER_APPLICATION = "register_application"
    CHANGE_STATUS = "change_status"
    PLAN_MEETING = "plan_meeting"
    RECORD_ATTENDANCE = "record_attendance"
    DECLARE_CONFLICT = "declare_conflict"
    RECORD_VOTES = "record_votes"
    RECORD_DECISION = "record_decision"
    CLOSE_MEETING = "close_meeting"
    CORRECT_RECORD = "correct_record"
    MAKE_LETTERS = "make_letters"
    WRITE_ASSESSMENT = "write_assessment"
    WRITE_CONSOLIDATED = "write_consolidated"
    ADOPT_FORMS = "adopt_forms"
    MANAGE_COMMISSION = "manage_commission"
    EDIT_SETTINGS = "edit_settings"
    MANAGE_USERS = "manage_users"
    MAKE_BACKUP = "make_backup"
    TRANSFER_DATA = "transfer_data"
    REVIEW_PACKAGES = "review_packages"
    RECORD_PRECHECK = "record_precheck"
    RECORD_ADVICE = "record_advice"

    @property
    def label(self) -> str:
        return _labels()[self]


def _labels() -> dict[Action, str]:
    """What each action is called in a refusal (a function: ``_`` follows the language chosen at start-up)."""
    return {
        Action.REGISTER_APPLICATION: _("aanvragen registreren en wijzigen"),
        Action.CHANGE_STATUS: _("de status van een aanvraag wijzigen"),
        Action.PLAN_MEETING: _("vergaderingen plannen en de agenda opstellen"),
        Action.RECORD_ATTENDANCE: _("de aanwezigheid vastleggen"),
        Action.DECLARE_CONFLICT: _("belangenverstrengeling melden"),
        Action.RECORD_VOTES: _("stemmen vastleggen"),
        Action.RECORD_DECISION: _("besluiten vastleggen"),
        Action.CLOSE_MEETING: _("een vergadering openen of sluiten"),
        Action.CORRECT_RECORD: _("een gesloten vergadering corrigeren"),
        Action.MAKE_LETTERS: _("brieven maken en verzenden"),
        Action.WRITE_ASSESSMENT: _("een beoordeling invullen"),
        Action.WRITE_CONSOLIDATED: _("de beoordeling van de commissie invullen"),
        Action.ADOPT_FORMS: _("formulierversies en regels vaststellen"),
        Action.MANAGE_COMMISSION: _("leden en zetels beheren"),
        Action.EDIT_SETTINGS: _("instellingen en briefpapier wijzigen"),
        Action.MANAGE_USERS: _("gebruikers en rollen beheren"),
        Action.MAKE_BACKUP: _("reservekopieën maken"),
        Action.TRANSFER_DATA: _("aanvragen importeren en exporteren"),
        Action.REVIEW_PACKAGES: _("beoordelingspakketten maken en inlezen"),
        Action.RECORD_PRECHECK: _("een vooraf-check vastleggen"),
        Action.RECORD_ADVICE: _("adviezen aan het Coördinatieteam en ontwikkelingen vastleggen"),
    }


_MEMBER_ACTIONS = frozenset({Action.WRITE_ASSESSMENT, Action.DECLARE_CONFLICT})
_CHAIR_ACTIONS = _MEMBER_ACTIONS | {
    Action.PLAN_MEETING, Action.RECORD_ATTENDANCE, Action.RECORD_VOTES, Action.RECORD_DECISION,
    Action.CLOSE_MEETING,
    # the chair supports and advises applicants as the secretary does (seed 004): a vooraf-check is advice given
    Action.RECORD_PRECHECK,
    Action.RECORD_ADVICE,
}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.SECRETARY: frozenset(Action),
    Role.CHAIR: frozenset(_CHAIR_ACTIONS),
    Role.MEMBER: _MEMBER_ACTIONS,
    Role.OBSERVER: frozenset(),
}

# For these roles the action is allowed only on the actor's own record (their member or user id).
OWN_ONLY: dict[Action, frozenset[Role]] = {
    Action.WRITE_ASSESSMENT: frozenset({Role.SECRETARY, Role.CHAIR, Role.MEMBER}),
    Action.DECLARE_CONFLICT: frozenset({Role.CHAIR, Role.MEMBER}),
}


class PermissionDeniedError(DomainError):
    """The acting user's role may not take this action (or not on someone else's record)."""

    def __init__(self, action: Action, role: Role, *, own_only: bool = False):
        if own_only:
            message = _("Als {role} mag u alleen voor uzelf {action}; dit is van iemand anders.").format(
                role=role.label, action=action.label)
        else:
            message = _("Als {role} mag u niet {action}. Vraag het de secretaris als het toch nodig is.").format(
                role=role.label, action=action.label)
        super().__init__(message)
        self.action = action
        self.role = role
        self.own_only = own_only


def allowed(role: Role, action: Action) -> bool:
    return action in PERMISSIONS[role]


def check(role: Role, action: Action, *, own: bool | None = None) -> None:
    """Raise ``PermissionDeniedError`` unless ``role`` may take ``action``. ``own`` says whether the
    record acted on belongs to the actor (None: the action is not about one person's record)."""
    if not allowed(role, action):
        raise PermissionDeniedError(action, role)
    if own is False and role in OWN_ONLY.get(action, ()):
        raise PermissionDeniedError(action, role, own_only=True)
