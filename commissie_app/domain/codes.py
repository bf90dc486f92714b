"""Code lists of the domain with their Dutch labels (see DESIGN.md glossary).

Stored values are stable English codes; labels are what the UI shows.
"""

from __future__ import annotations

import enum

from commissie_app.i18n import _


class LabelledEnum(str, enum.Enum):
    """A string enum whose members carry a (translatable) Dutch label.

    ``_labels`` builds its mapping from literal ``_("…")`` calls each time it is asked (so that xgettext
    extracts every label and the language chosen at start-up applies); it is a handful of look-ups."""

    @property
    def label(self) -> str:
        return self._labels()[self]

    @classmethod
    def _labels(cls) -> dict:  # pragma: no cover - overridden
        raise NotImplementedError

    @classmethod
    def from_text(cls, text: str):
        """Accept a code or a label, case and surrounding spaces ignored."""
        t = " ".join(text.strip().lower().replace("_", " ").split())
        for member in cls:
            if t in (member.value.lower().replace("_", " "), member.label.lower(), member.name.lower().replace("_", " ")):
                return member
        raise ValueError(text)


class Status(LabelledEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    INFO_REQUESTED = "info_requested"
    COMPLETE = "complete"
    SCHEDULED = "scheduled"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"

    @classmethod
    def _labels(cls):
        return {
            cls.RECEIVED: _("ontvangen"),
            cls.IN_PROGRESS: _("in behandeling"),
            cls.INFO_REQUESTED: _("informatie opgevraagd"),
            cls.COMPLETE: _("compleet"),
            cls.SCHEDULED: _("geagendeerd"),
            cls.DECIDED: _("besloten"),
            cls.WITHDRAWN: _("ingetrokken"),
        }

    @property
    def is_open(self) -> bool:
        return self not in (Status.DECIDED, Status.WITHDRAWN)


class DecisionType(LabelledEnum):
    """The commission's decision on an application (``domain/voting.py`` checks it against the vote)."""

    GRANTED = "granted"
    CONDITIONAL = "conditional"
    REJECTED = "rejected"
    DEFERRED = "deferred"
    WITHDRAWN = "withdrawn"  # a reassessment ends the recognition (issue 12)

    @classmethod
    def _labels(cls):
        return {
            cls.GRANTED: _("toegekend"),
            cls.CONDITIONAL: _("voorwaardelijk toegekend"),
            cls.REJECTED: _("afgewezen"),
            cls.DEFERRED: _("aangehouden"),
            cls.WITHDRAWN: _("ingetrokken"),
        }

    @property
    def recognises(self) -> bool:
        return self in (DecisionType.GRANTED, DecisionType.CONDITIONAL)


def outcome_label(status: Status, outcome: DecisionType | None) -> str:
    """What the application list and editor show for an application's state: the outcome of a decided one
    (toegekend, voorwaardelijk toegekend, afgewezen, 'erkenning ingetrokken': not to be mistaken for an
    application its applicant withdrew, which is 'ingetrokken'), 'aangehouden' for one deferred and not yet
    on a new agenda; otherwise its status."""
    if outcome is not None and (status is Status.DECIDED or (status is Status.COMPLETE
                                                              and outcome is DecisionType.DEFERRED)):
        return _("erkenning ingetrokken") if outcome is DecisionType.WITHDRAWN else outcome.label
    return status.label


class Criterion(LabelledEnum):
    CODE_SO = "CODE_SO"
    SE_NL = "SE_NL"
    PSO30 = "PSO30"
    NON_PROFIT = "NON_PROFIT"
    BCORP = "BCORP"
    STARTUP = "STARTUP"

    @classmethod
    def _labels(cls):
        return {
            cls.CODE_SO: _("Register Code Sociale Ondernemingen"),
            cls.SE_NL: _("Lid Social Enterprise NL"),
            cls.PSO30: _("PSO 30+ gecertificeerd"),
            cls.NON_PROFIT: _("Stichting / non-profit"),
            cls.BCORP: _("B Corporation"),
            cls.STARTUP: _("Start-up of zzp'er met maatschappelijke missie (voorwaardelijk)"),
        }

    @property
    def short_label(self) -> str:
        return {
            Criterion.CODE_SO: "Code SO",
            Criterion.SE_NL: "SE NL",
            Criterion.PSO30: "PSO 30+",
            Criterion.NON_PROFIT: _("Non-profit"),
            Criterion.BCORP: "B Corp",
            Criterion.STARTUP: _("Start-up"),
        }[self]

    @property
    def prose(self) -> str:
        """The criterion as it reads in a sentence ('… op grond van het criterium lid van Social Enterprise NL'):
        lower case where the label is not a name (issue 14)."""
        return {
            Criterion.CODE_SO: _("inschrijving in het register Code Sociale Ondernemingen"),
            Criterion.SE_NL: _("lidmaatschap van Social Enterprise NL"),
            Criterion.PSO30: _("PSO 30+-certificering"),
            Criterion.NON_PROFIT: _("stichting of non-profitorganisatie"),
            Criterion.BCORP: _("B Corp-certificering"),
            Criterion.STARTUP: _("start-up of zzp'er met een maatschappelijke missie (voorwaardelijk)"),
        }[self]

    @property
    def is_conditional(self) -> bool:
        return self is Criterion.STARTUP


class LegalForm(LabelledEnum):
    EENMANSZAAK = "eenmanszaak"
    VOF = "vof"
    MAATSCHAP = "maatschap"
    BV = "bv"
    NV = "nv"
    COOPERATIE = "cooperatie"
    VERENIGING = "vereniging"
    STICHTING = "stichting"
    ANDERS = "anders"

    @classmethod
    def _labels(cls):
        return {
            cls.EENMANSZAAK: _("eenmanszaak"),
            cls.VOF: _("vof"),
            cls.MAATSCHAP: _("maatschap"),
            cls.BV: _("bv"),
            cls.NV: _("nv"),
            cls.COOPERATIE: _("coöperatie"),
            cls.VERENIGING: _("vereniging"),
            cls.STICHTING: _("stichting"),
            cls.ANDERS: _("anders"),
        }


class Municipality(LabelledEnum):
    HAARLEM = "Haarlem"
    BLOEMENDAAL = "Bloemendaal"
    HEEMSTEDE = "Heemstede"
    ZANDVOORT = "Zandvoort"
    VELSEN = "Velsen"
    HEEMSKERK = "Heemskerk"
    BEVERWIJK = "Beverwijk"

    @classmethod
    def _labels(cls):
        return {m: m.value for m in cls}


class ImpactDomain(LabelledEnum):
    WORK = "work"
    SUSTAINABILITY = "sustainability"
    CARE = "care"
    COHESION = "cohesion"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {
            cls.WORK: _("werk en participatie"),
            cls.SUSTAINABILITY: _("duurzaamheid en circulariteit"),
            cls.CARE: _("zorg en welzijn"),
            cls.COHESION: _("sociale samenhang"),
            cls.OTHER: _("anders"),
        }


class Role(LabelledEnum):
    SECRETARY = "secretary"
    CHAIR = "chair"
    MEMBER = "member"
    OBSERVER = "observer"

    @classmethod
    def _labels(cls):
        return {
            cls.SECRETARY: _("secretaris"),
            cls.CHAIR: _("voorzitter"),
            cls.MEMBER: _("lid"),
            cls.OBSERVER: _("waarnemer"),
        }
