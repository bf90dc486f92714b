"""A recognition (erkenning) after the decision: its status, the badge's cap by the certificate it rests
on, and who counts as a startup (issue 12, docs/register-design.md).

Pure rules: the services store recognitions and their history and call these functions; the status is
derived on read and never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from commissie_app.domain.codes import Criterion, LabelledEnum
from commissie_app.domain.commission import add_months
from commissie_app.domain.errors import DomainError
from commissie_app.domain.rules import Rules
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _, ngettext


class RecognitionKind(LabelledEnum):
    FULL = "full"
    CONDITIONAL = "conditional"

    @classmethod
    def _labels(cls):
        return {cls.FULL: _("volledig"), cls.CONDITIONAL: _("voorwaardelijk")}


class RecognitionStatus(LabelledEnum):
    RECOGNISED = "recognised"
    CONDITIONAL = "conditional"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"

    @classmethod
    def _labels(cls):
        return {
            cls.RECOGNISED: _("erkend"),
            cls.CONDITIONAL: _("voorwaardelijk erkend"),
            cls.EXPIRING: _("verloopt binnenkort"),
            cls.EXPIRED: _("verlopen"),
            cls.WITHDRAWN: _("ingetrokken"),
        }

    @property
    def is_current(self) -> bool:
        """The badge may be shown today."""
        return self not in (RecognitionStatus.EXPIRED, RecognitionStatus.WITHDRAWN)


class Purpose(LabelledEnum):
    """Why an application was made: a first one, or a follow-up of a recognition."""

    NEW = "new"
    CONVERSION = "conversion"
    RENEWAL = "renewal"
    REASSESSMENT = "reassessment"

    @classmethod
    def _labels(cls):
        return {
            cls.NEW: _("nieuwe aanvraag"),
            cls.CONVERSION: _("omzetting naar volledige erkenning"),
            cls.RENEWAL: _("verlenging"),
            cls.REASSESSMENT: _("herbeoordeling"),
        }

    @property
    def is_follow_up(self) -> bool:
        return self is not Purpose.NEW


class RecognitionEvent(LabelledEnum):
    """One step in a recognition's history (never changed once written)."""

    GRANTED = "granted"
    CONDITIONAL = "conditional"
    CONVERTED = "converted"
    RENEWED = "renewed"
    WITHDRAWN = "withdrawn"
    CERTIFICATE = "certificate"
    CORRECTED = "corrected"

    @classmethod
    def _labels(cls):
        return {
            cls.GRANTED: _("erkend"),
            cls.CONDITIONAL: _("voorwaardelijk erkend"),
            cls.CONVERTED: _("omgezet naar volledige erkenning"),
            cls.RENEWED: _("verlengd"),
            cls.WITHDRAWN: _("ingetrokken"),
            cls.CERTIFICATE: _("certificaat bijgewerkt"),
            cls.CORRECTED: _("gecorrigeerd"),
        }


@dataclass(frozen=True)
class RecognitionDates:
    """What the status of a recognition depends on."""

    kind: RecognitionKind
    valid_until: dt.date | None
    certificate_until: dt.date | None = None
    withdrawn_on: dt.date | None = None


def reminder_horizon(today: dt.date, rules: Rules) -> dt.date:
    """The last day the "Te doen" view and the expiry reminder look ahead to."""
    return add_months(today, rules.reminder_months)


def status_of(rec: RecognitionDates, today: dt.date, rules: Rules) -> RecognitionStatus:
    """ingetrokken if withdrawn (on or before today); verlopen once the badge's last day has passed;
    verloopt binnenkort when the badge, or the certificate it rests on, ends within
    ``rules.reminder_months``; else voorwaardelijk erkend or erkend."""
    if rec.withdrawn_on is not None and rec.withdrawn_on <= today:
        return RecognitionStatus.WITHDRAWN
    if rec.valid_until is not None and rec.valid_until < today:
        return RecognitionStatus.EXPIRED
    horizon = reminder_horizon(today, rules)
    ends = [d for d in (rec.valid_until, rec.certificate_until) if d is not None]
    if any(today <= d <= horizon for d in ends):
        return RecognitionStatus.EXPIRING
    if rec.kind is RecognitionKind.CONDITIONAL:
        return RecognitionStatus.CONDITIONAL
    return RecognitionStatus.RECOGNISED


def certificate_end(evidence: Iterable[tuple[Criterion, dt.date | None]],
                    criteria: Iterable[Criterion]) -> dt.date | None:
    """The earliest end date of the certificates of the criteria met (None when none has one)."""
    met = set(criteria)
    ends = [until for criterion, until in evidence if criterion in met and until is not None]
    return min(ends, default=None)


def capped_badge_end(proposed: dt.date | None, certificate_until: dt.date | None,
                     override_reason: str = "") -> dt.date | None:
    """The badge's last day: never past the certificate's end, unless the commission gives a reason."""
    if proposed is None or certificate_until is None or proposed <= certificate_until:
        return proposed
    if override_reason.strip():
        return proposed
    return certificate_until


def check_badge_end(valid_from: dt.date, valid_until: dt.date) -> None:
    """A capped badge must still start before it ends (a certificate that ended before the decision)."""
    if valid_until < valid_from:
        raise DomainError(_(
            "Het certificaat waarop de erkenning rust, is verlopen op {end}, vóór de ingangsdatum van de SROI-badge "
            "({start}). Vraag een geldig certificaat op, of geef als commissie een reden om de SROI-badge toch te "
            "laten lopen.").format(end=format_date_nl(valid_until), start=format_date_nl(valid_from)))


def startup_cutoff(received_on: dt.date, rules: Rules) -> dt.date:
    """The earliest founding date of a startup for an application received on ``received_on``."""
    return add_months(received_on, -rules.startup_max_age_months)


def is_startup(founded_on: dt.date | None, received_on: dt.date, rules: Rules) -> bool:
    """Founded at most ``rules.startup_max_age_months`` before the application was received (seed 004:
    "voor de eerste 2 jaar"); an unknown founding date is no startup."""
    return founded_on is not None and startup_cutoff(received_on, rules) <= founded_on <= received_on


def check_criteria_met(criteria: Iterable[Criterion], *, conditional: bool, founded_on: dt.date | None,
                       received_on: dt.date, rules: Rules) -> tuple[Criterion, ...]:
    """The criteria the commission found met, checked: at least one; the startup criterion only for an
    organisation that is a startup by the rules, and on its own it gives a conditional recognition only."""
    met = tuple(c for c in Criterion if c in set(criteria))
    if not met:
        raise DomainError(_("Kies de criteria waaraan de commissie de organisatie heeft zien voldoen; zonder "
                            "criterium is er geen erkenning."))
    if Criterion.STARTUP in met and not is_startup(founded_on, received_on, rules):
        raise DomainError(ngettext(
            "De organisatie is geen start-up volgens de regels: opgericht {founded}, meer dan {n} maand vóór de "
            "aanvraag ({received}).",
            "De organisatie is geen start-up volgens de regels: opgericht {founded}, meer dan {n} maanden vóór de "
            "aanvraag ({received}).", rules.startup_max_age_months).format(
            founded=format_date_nl(founded_on) if founded_on else _("(onbekend)"), n=rules.startup_max_age_months,
            received=format_date_nl(received_on)))
    if not conditional and all(c.is_conditional for c in met):
        raise DomainError(_("Alleen het criterium ‘{c}’ geeft een voorwaardelijke erkenning, geen volledige.")
                          .format(c=Criterion.STARTUP.label))
    return met
