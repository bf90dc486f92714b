"""What a decision's letter states beyond its type and motivation (issue 14): the conditions of a conditional
recognition, and for a decision 'aangehouden' what the commission asks for and by which date.

Pure rules: no SQL, no Qt. The criteria the commission found met are checked by
``domain/recognition.check_criteria_met``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commissie_app.domain.codes import DecisionType
from commissie_app.domain.errors import ValidationError
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _

#: How long an applicant has to send what a deferral asks for, when the secretary does not choose a date.
#: ``forms/rules.toml`` has no rule for it (its periods are about recognitions and reviews).
DEFAULT_ANSWER_WEEKS = 6


@dataclass(frozen=True)
class DecisionContent:
    """The conditions (conditional recognition only) and the deferral's request and date ('aangehouden' only)."""

    conditions: str = ""
    deferral_request: str = ""
    answer_by: dt.date | None = None


def default_answer_by(decision_date: dt.date) -> dt.date:
    """The date a deferral's request is due by default: six weeks after the decision."""
    return decision_date + dt.timedelta(weeks=DEFAULT_ANSWER_WEEKS)


def check_content(decision_type: DecisionType, decision_date: dt.date, content: DecisionContent) -> DecisionContent:
    """The content checked for this decision type (text trimmed); a ValidationError naming each field
    (``conditions``, ``deferral_request``, ``answer_by``) that is missing or does not belong."""
    conditions = content.conditions.strip()
    request = content.deferral_request.strip()
    errors: dict[str, str] = {}
    if conditions and decision_type is not DecisionType.CONDITIONAL:
        errors["conditions"] = _("Alleen een voorwaardelijke toekenning heeft voorwaarden.")
    if decision_type is DecisionType.DEFERRED:
        if not request:
            errors["deferral_request"] = _("Schrijf op wat de commissie van de aanvrager nodig heeft; dat komt in "
                                           "de brief.")
        if content.answer_by is None:
            errors["answer_by"] = _("Geef de datum waarop de aanvrager de gevraagde informatie uiterlijk moet "
                                    "sturen.")
        elif content.answer_by <= decision_date:
            errors["answer_by"] = _("De uiterste datum voor de informatie moet na de besluitdatum ({day}) "
                                    "liggen.").format(day=format_date_nl(decision_date))
    elif request or content.answer_by is not None:
        errors["deferral_request"] = _("Alleen bij een besluit ‘aangehouden’ vraagt de commissie om informatie "
                                       "met een datum.")
    if errors:
        raise ValidationError(errors)
    return DecisionContent(conditions, request, content.answer_by)
