"""The application status workflow of DESIGN.md.

ontvangen -> in behandeling -> (informatie opgevraagd <-> in behandeling) -> compleet
-> geagendeerd -> besloten; ingetrokken from any open status; an 'aangehouden'
decision (or taking it off the agenda) sends a scheduled application back to compleet.
"""

from __future__ import annotations

from commissie_app.domain.codes import Status
from commissie_app.domain.errors import TransitionError
from commissie_app.i18n import _

S = Status

ALLOWED: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.IN_PROGRESS, S.WITHDRAWN}),
    S.IN_PROGRESS: frozenset({S.INFO_REQUESTED, S.COMPLETE, S.WITHDRAWN}),
    S.INFO_REQUESTED: frozenset({S.IN_PROGRESS, S.WITHDRAWN}),
    S.COMPLETE: frozenset({S.SCHEDULED, S.WITHDRAWN}),
    S.SCHEDULED: frozenset({S.DECIDED, S.COMPLETE, S.WITHDRAWN}),
    S.DECIDED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# Transitions that only the meeting process makes (putting on an agenda, deciding,
# deferring). A person changing the status by hand cannot pick them.
SYSTEM_ONLY: frozenset[tuple[Status, Status]] = frozenset(
    {(S.COMPLETE, S.SCHEDULED), (S.SCHEDULED, S.DECIDED), (S.SCHEDULED, S.COMPLETE)}
)


def allowed_targets(current: Status, *, manual: bool = True) -> list[Status]:
    """The statuses reachable from ``current``, in workflow order."""
    targets = ALLOWED[current]
    if manual:
        targets = frozenset(t for t in targets if (current, t) not in SYSTEM_ONLY)
    return [s for s in Status if s in targets]


def check_transition(current: Status, target: Status, *, manual: bool = True) -> None:
    if target not in ALLOWED[current] or (manual and (current, target) in SYSTEM_ONLY):
        if current == target:
            raise TransitionError(_("De aanvraag heeft de status ‘{s}’ al.").format(s=current.label))
        if manual and (current, target) in SYSTEM_ONLY:
            raise TransitionError(
                _("De status ‘{t}’ wordt gezet vanuit een vergadering, niet met de hand.").format(t=target.label)
            )
        raise TransitionError(
            _("Een aanvraag met status ‘{c}’ kan niet naar ‘{t}’.").format(c=current.label, t=target.label)
        )
