"""Validation and normalisation of organisation and application input.

Each check returns a Dutch message that says how to fix the value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields, replace

from commissie_app.domain.addressing import FormOfAddress
from commissie_app.domain.codes import Criterion, ImpactDomain, LegalForm, Municipality
from commissie_app.domain.dates import MONTHS_NL, format_date_nl, parse_date  # noqa: F401  (their home before dates.py)
from commissie_app.domain.errors import ValidationError
from commissie_app.i18n import _

KVK_RE = re.compile(r"^\d{8}$")
POSTCODE_RE = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^\+?[\d\s\-()]{10,20}$")
WEBSITE_RE = re.compile(r"^(https?://)?[\w.-]+\.[A-Za-z]{2,}(/\S*)?$")

# The one set of field limits, checked on every way in (editor, services, import). Lengths are in
# characters and equal the column sizes in db/models.py (a test keeps them equal); the text columns
# (mission, notes) have a limit of the domain's own. The editor takes its setMaxLength from here.
FIELD_MAX_LENGTH: dict[str, int] = {
    "name": 200,
    "kvk": 8,
    "street": 200,
    "postcode": 7,
    "place": 100,
    "contact_person": 200,
    "email": 254,
    "phone": 30,
    "website": 300,
    "mission": 4000,
    "reference": 300,
    "notes": 10000,
    "info_requested": 4000,
}
# Fields that may hold several lines: newline and tab are allowed there, no other control character.
MULTILINE_FIELDS = frozenset({"mission", "notes", "info_requested"})
# Control characters (C0, DEL, C1) and lone surrogates: they break exports (XLSX refuses them),
# PostgreSQL refuses NUL, and nobody types them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class OrganisationData:
    name: str
    kvk: str
    legal_form: LegalForm
    municipality: Municipality
    street: str = ""
    postcode: str = ""
    place: str = ""
    contact_person: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    founded_on: dt.date | None = None
    mission: str = ""
    impact_domains: tuple[ImpactDomain, ...] = ()
    contact_salutation: FormOfAddress = FormOfAddress.NEUTRAL  # how letters address the contact person

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class EvidenceData:
    criterion: Criterion
    reference: str = ""
    valid_until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ApplicationData:
    received_on: dt.date
    evidence: tuple[EvidenceData, ...] = ()
    notes: str = ""

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(e.criterion for e in self.evidence)


def normalise_kvk(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def normalise_postcode(value: str) -> str:
    m = POSTCODE_RE.match((value or "").strip())
    if not m:
        return (value or "").strip()
    return f"{m.group(1)} {m.group(2).upper()}"


def check_control(field: str, value: str) -> str | None:
    """A control character in a text field (newline and tab are fine in a multi-line field)."""
    bad = (_CONTROL_MULTILINE if field in MULTILINE_FIELDS else _CONTROL).search(value)
    if bad:
        return _("Dit veld bevat een teken dat hier niet is toegestaan (stuurteken U+{code:04X} op positie {pos}); "
                 "verwijder het.").format(code=ord(bad.group()), pos=bad.start() + 1)
    return None


def check_length(field: str, value: str) -> str | None:
    limit = FIELD_MAX_LENGTH.get(field)
    if limit is not None and len(value) > limit:
        return _("Dit veld is {length} tekens lang; er passen hoogstens {limit} tekens in.").format(
            length=len(value), limit=limit)
    return None


def check_text(field: str, value: str) -> str | None:
    """Control characters and length of a text field, by the limits above; None when it fits."""
    return check_control(field, value) or check_length(field, value)


def check_kvk(value: str) -> str | None:
    if not value:
        return _("Vul het KvK-nummer in (8 cijfers).")
    if not KVK_RE.match(value):
        return _("Het KvK-nummer moet uit precies 8 cijfers bestaan, bijvoorbeeld 01234567.")
    return None


def check_postcode(value: str) -> str | None:
    if value and not POSTCODE_RE.match(value):
        return _("Een postcode heeft de vorm 1234 AB (vier cijfers, twee letters).")
    return None


def check_email(value: str) -> str | None:
    if value and not EMAIL_RE.match(value):
        return _("Het e-mailadres is niet geldig; gebruik de vorm naam@voorbeeld.nl.")
    return None


def check_phone(value: str) -> str | None:
    if value and not PHONE_RE.match(value):
        return _("Het telefoonnummer is niet geldig; gebruik 10 cijfers, bijvoorbeeld 023 511 5115.")
    return None


def check_website(value: str) -> str | None:
    if value and not WEBSITE_RE.match(value):
        return _("Het webadres is niet geldig; gebruik de vorm www.voorbeeld.nl.")
    return None


def check_founded_on(value: dt.date | None, today: dt.date) -> str | None:
    if value is not None and value > today:
        return _("De oprichtingsdatum kan niet in de toekomst liggen.")
    return None


ORGANISATION_TEXT_FIELDS = ("name", "kvk", "street", "postcode", "place", "contact_person", "email", "phone",
                            "website", "mission")


def validate_organisation(data: OrganisationData, today: dt.date | None = None) -> OrganisationData:
    """Return the normalised data or raise ValidationError listing every problem."""
    today = today or dt.date.today()
    data = replace(
        data,
        name=" ".join(data.name.split()),
        kvk=normalise_kvk(data.kvk),
        postcode=normalise_postcode(data.postcode),
        street=data.street.strip(),
        place=data.place.strip(),
        contact_person=data.contact_person.strip(),
        email=data.email.strip(),
        phone=data.phone.strip(),
        website=data.website.strip(),
        mission=data.mission.strip(),
        impact_domains=tuple(dict.fromkeys(data.impact_domains)),
    )
    checks = {
        "name": None if data.name else _("Vul de naam van de organisatie in."),
        "kvk": check_kvk(data.kvk),
        "postcode": check_postcode(data.postcode),
        "email": check_email(data.email),
        "phone": check_phone(data.phone),
        "website": check_website(data.website),
    }
    errors: dict[str, str] = {}
    for field in ORGANISATION_TEXT_FIELDS:
        # A control character is named first; a format message says more than a length message
        # (a KvK number of 9 digits).
        value = getattr(data, field)
        message = check_control(field, value) or checks.get(field) or check_length(field, value)
        if message:
            errors[field] = message
    founded = check_founded_on(data.founded_on, today)
    if founded:
        errors["founded_on"] = founded
    if not isinstance(data.contact_salutation, FormOfAddress):
        try:
            data = replace(data, contact_salutation=FormOfAddress(data.contact_salutation or FormOfAddress.NEUTRAL))
        except ValueError:
            errors["contact_salutation"] = _("Kies de aanhef: mevrouw, de heer of neutraal.")
    if not isinstance(data.legal_form, LegalForm):
        errors["legal_form"] = _("Kies een rechtsvorm uit de lijst.")
    if not isinstance(data.municipality, Municipality):
        errors["municipality"] = _("Kies een van de zeven gemeenten van de regio.")
    if errors:
        raise ValidationError(errors)
    return data


def validate_application(data: ApplicationData, today: dt.date | None = None) -> ApplicationData:
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    if data.received_on is None:
        errors["received_on"] = _("Vul de datum van ontvangst in.")
    elif data.received_on > today:
        errors["received_on"] = _("De datum van ontvangst kan niet in de toekomst liggen.")
    seen: set[Criterion] = set()
    for ev in data.evidence:
        if ev.criterion in seen:
            errors["criteria"] = _("Elk criterium kan maar één keer worden opgegeven.")
        seen.add(ev.criterion)
    if not data.evidence:
        errors["criteria"] = _("Kies ten minste één criterium waarop de aanvraag steunt.")
    evidence = tuple(replace(e, reference=e.reference.strip()) for e in data.evidence)
    for ev in evidence:
        message = check_text("reference", ev.reference)
        if message:
            errors[f"reference_{ev.criterion.value}"] = message
    notes = data.notes.strip()
    message = check_text("notes", notes)
    if message:
        errors["notes"] = message
    if errors:
        raise ValidationError(errors)
    return replace(data, evidence=evidence, notes=notes)
