"""The letters that are not decisions (issue 12): acknowledgement of receipt, request for information and
expiry reminder. Each is tied to an application or a recognition and made from a template of its own in
``forms/letters/`` (the value's Dutch name, ``ontvangstbevestiging.txt`` ...)."""

from __future__ import annotations

from commissie_app.domain.codes import LabelledEnum
from commissie_app.i18n import _


class LetterKind(LabelledEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    INFO_REQUEST = "info_request"
    REMINDER = "reminder"

    @classmethod
    def _labels(cls):
        return {
            cls.ACKNOWLEDGEMENT: _("ontvangstbevestiging"),
            cls.INFO_REQUEST: _("informatieverzoek"),
            cls.REMINDER: _("herinnering"),
        }

    @property
    def template_name(self) -> str:
        """The template file's name without ``.txt`` (the Dutch name, never translated)."""
        return {
            LetterKind.ACKNOWLEDGEMENT: "ontvangstbevestiging",
            LetterKind.INFO_REQUEST: "informatieverzoek",
            LetterKind.REMINDER: "herinnering",
        }[self]

    @property
    def of_recognition(self) -> bool:
        """A reminder belongs to a recognition; the other letters to an application."""
        return self is LetterKind.REMINDER


class ObjectionProcedure(LabelledEnum):
    """How an applicant contests a decision: the commission's choice, a letterhead setting (issue 14).

    The commission is no administrative body (bestuursorgaan) under the Awb, so its decisions are open to a
    request for reconsideration (heroverweging) rather than to a formal objection (bezwaar); a commission
    that has its own objection procedure chooses ``bezwaar``."""

    RECONSIDERATION = "heroverweging"
    OBJECTION = "bezwaar"

    @classmethod
    def _labels(cls):
        return {
            cls.RECONSIDERATION: "heroverweging",
            cls.OBJECTION: "bezwaar",
        }


#: The letters an applicant can contest (the template names): decisions, except a deferral ("aangehouden",
#: no decision yet). Letters that decide nothing (acknowledgement, information request, reminder) are not here.
#: The one place this rule lives: ``open_to_objection`` below.
CONTESTABLE = frozenset({"toegekend", "voorwaardelijk_toegekend", "afgewezen", "ingetrokken"})


def open_to_objection(template_name: str) -> bool:
    """Whether the letter made from this template gets the objection paragraph."""
    return template_name in CONTESTABLE
