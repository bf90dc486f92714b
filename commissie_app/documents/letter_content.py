"""A decision letter's data and text: what one letter says, from the secretary's templates.

Input is a frozen :class:`LetterData` (everything one letter needs) and the commission's
:class:`LetterSettings` (letterhead). The letter text comes from ``forms/letters/<besluit>.txt``
(see :mod:`commissie_app.documents.templating` and docs/letters.md). No layout here (and no
reportlab): :mod:`commissie_app.documents.letters` draws the pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from commissie_app.documents import letter_closing
from commissie_app.documents.templating import Block, LetterTemplateError, parse_markup, render_text, text_version
from commissie_app.domain.addressing import FormOfAddress
from commissie_app.domain.codes import Criterion, LabelledEnum
from commissie_app.domain.correspondence import ObjectionProcedure, open_to_objection
from commissie_app.domain.errors import ValidationError
from commissie_app.domain.rules import FORMS_DIR
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _

TEMPLATES_DIR = FORMS_DIR / "letters"
DEFAULT_LOGO = TEMPLATES_DIR / "logo.png"


class DecisionType(LabelledEnum):
    """The decisions a letter can announce; the value names the template file."""

    GRANTED = "toegekend"
    CONDITIONALLY_GRANTED = "voorwaardelijk_toegekend"
    REJECTED = "afgewezen"
    DEFERRED = "aangehouden"
    WITHDRAWN = "ingetrokken"  # a reassessment ends the recognition (issue 12)

    @classmethod
    def _labels(cls):
        return {
            cls.GRANTED: _("toegekend"),
            cls.CONDITIONALLY_GRANTED: _("voorwaardelijk toegekend"),
            cls.REJECTED: _("afgewezen"),
            cls.DEFERRED: _("aangehouden"),
            cls.WITHDRAWN: _("ingetrokken"),
        }

    @property
    def is_recognition(self) -> bool:
        return self in (DecisionType.GRANTED, DecisionType.CONDITIONALLY_GRANTED)

    @property
    def allows_objection(self) -> bool:
        """Whether the letter tells how to object: not on a deferral ('aangehouden' decides nothing yet, it
        asks for information). The shared objection part of a letter is included only when this holds; the rule
        itself is ``domain.correspondence.open_to_objection`` (the letters that decide nothing follow it too)."""
        return open_to_objection(self.value)


@dataclass(frozen=True)
class LetterSettings:
    """Letterhead and sender; commission-wide, the same for every letter."""

    sender_name: str = "Commissie Sociaal Inkopen"
    organisation_lines: tuple[str, ...] = ("Kennemer Inkoop Platform",)
    address_lines: tuple[str, ...] = ()  # postal address, e.g. ("Postbus 511", "2003 PB Haarlem")
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_path: Path | None = DEFAULT_LOGO
    # the named contact person every letter gives for questions (issue 14): letters are not made without them
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    # how a decision is contested: ObjectionProcedure value, "heroverweging" (default) or "bezwaar"
    objection_procedure: str = ObjectionProcedure.RECONSIDERATION.value

    @property
    def return_address(self) -> str:
        """The postal address on one line, shown small above the addressee in the window."""
        return ", ".join(line.strip() for line in self.address_lines if line.strip())


@dataclass(frozen=True)
class LetterData:
    """Everything one decision letter needs (values, no database objects)."""

    kenmerk: str
    letter_date: dt.date
    decision: DecisionType
    organisation_name: str
    contact_person: str
    street: str
    postcode: str
    place: str
    criteria: tuple[Criterion, ...]
    motivation: str
    meeting_date: dt.date
    chair_name: str
    secretary_name: str
    badge_valid_from: dt.date | None = None
    badge_valid_until: dt.date | None = None
    conditional_deadline: dt.date | None = None
    conditions: str = ""  # what must be shown by the deadline, beyond one of the other criteria
    # issue 14: the application as the applicant knows it, and what the decision rests on
    received_on: dt.date | None = None  # 'uw aanvraag van 3 juni 2026'
    kvk: str = ""
    claimed_criteria: tuple[Criterion, ...] = ()  # the criteria the application claimed (``criteria``: found met)
    form_title: str = ""  # the assessment form the commission used, and its version
    form_version: int | None = None
    rules_version: int | None = None  # the commission's rules in force when the decision was recorded
    rules_adopted_on: dt.date | None = None  # ... and the day the commission adopted them
    # a follow-up ('omzetting', 'verlenging'; 'nieuw' otherwise) names the earlier decision it continues
    occasion: str = "nieuw"
    earlier_kenmerk: str = ""
    earlier_decided_on: dt.date | None = None
    attachments: tuple[str, ...] = ()  # names of the documents sent with the application
    deferral_request: str = ""  # 'aangehouden': what the commission asks for ...
    answer_by: dt.date | None = None  # ... and by which date
    contact_form: FormOfAddress = FormOfAddress.NEUTRAL  # the salutation: "Geachte mevrouw Van Dijk,"

    def __post_init__(self):
        object.__setattr__(self, "decision", DecisionType(getattr(self.decision, "value", self.decision)))
        for name in ("criteria", "claimed_criteria"):
            object.__setattr__(self, name, tuple(Criterion(getattr(c, "value", c)) for c in getattr(self, name)))

    @property
    def references(self) -> tuple[tuple[str, str], ...]:
        """The reference block's rows after the date (the layout's; other letters have their own)."""
        return ((_("Kenmerk"), self.kenmerk),)

    @property
    def signers(self) -> list[tuple[str, str]]:
        return [(self.chair_name, _("voorzitter")), (self.secretary_name, _("secretaris"))]


@dataclass(frozen=True)
class RenderedLetter:
    pdf: bytes
    subject: str
    template_version: str  # SHA-256 of the template text used
    pages: int


@dataclass(frozen=True)
class LetterContent:
    """The text of a letter after the template ran: subject and blocks of markup."""

    subject: str
    blocks: list[Block] = field(default_factory=list)  # the salutation, the template's text, the questions
    appendix: list[Block] = field(default_factory=list)  # after the signatures: privacy note and objection
    template_version: str = ""


# ---------------------------------------------------------------- data and template


def missing_fields(data, extra: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """The Dutch messages for the addressee's and signer's fields (and ``extra``) this letter lacks."""
    errors: dict[str, str] = {}
    for name, label in (
        *extra,
        ("organisation_name", _("naam van de organisatie")),
        ("contact_person", _("contactpersoon")),
        ("street", _("straat en huisnummer")),
        ("postcode", _("postcode")),
        ("place", _("plaats")),
        ("secretary_name", _("naam van de secretaris")),
    ):
        if not str(getattr(data, name) or "").strip():
            errors[name] = _("De brief mist: {what}.").format(what=label)
    return errors


def check_letter_data(data: LetterData) -> None:
    """Refuse a letter that would lack something its decision needs (ValidationError)."""
    errors = missing_fields(data, (("kenmerk", _("kenmerk")), ("chair_name", _("naam van de voorzitter")),
                                   ("kvk", _("KvK-nummer"))))
    if data.received_on is None:
        errors["received_on"] = _("De brief mist: {what}.").format(what=_("datum van de aanvraag"))
    if data.decision.is_recognition:
        if not data.criteria:
            errors["criteria"] = _("Bij een erkenning hoort ten minste één criterium.")
        if data.badge_valid_from is None or data.badge_valid_until is None:
            errors["badge_valid_until"] = _("Bij een erkenning horen de begin- en einddatum van de SROI-badge.")
        elif data.badge_valid_until < data.badge_valid_from:
            errors["badge_valid_until"] = _("De SROI-badge kan niet eindigen vóór hij begint.")
    if data.decision is DecisionType.WITHDRAWN and data.badge_valid_until is None:
        errors["badge_valid_until"] = _("Bij een intrekking hoort de datum waarop de SROI-badge vervalt.")
    if data.decision is DecisionType.CONDITIONALLY_GRANTED and data.conditional_deadline is None:
        errors["conditional_deadline"] = _("Bij een voorwaardelijke toekenning hoort een termijn.")
    if data.decision is DecisionType.DEFERRED and not data.deferral_request.strip():
        errors["deferral_request"] = _("Bij een besluit ‘aangehouden’ hoort wat de commissie van de aanvrager "
                                       "nodig heeft.")
    if errors:
        raise ValidationError(errors)


def join_nl(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " " + _("en") + " " + items[-1]


def template_context(data: LetterData, settings: LetterSettings) -> dict:
    """The placeholder values of one letter. Values that are missing are left out,
    so a template that uses them fails with a message naming the placeholder."""
    ctx: dict = {
        **addressee_context(data),
        "besluit": data.decision.label,
        "andere_criteria": [{"code": c.value, "label": c.label, "tekst": c.prose}
                            for c in Criterion if not c.is_conditional],
        "motivering": data.motivation.strip(),
        "geldig_van": format_date_nl(data.badge_valid_from),
        "geldig_tot": format_date_nl(data.badge_valid_until),
        "termijn": format_date_nl(data.conditional_deadline),
        "einddatum": format_date_nl(data.badge_valid_until) if data.decision is DecisionType.WITHDRAWN else "",
        "voorwaarden": data.conditions.strip(),  # may be empty: templates test it with {% if %}
        "gevraagde_informatie": data.deferral_request.strip(),
        "inleverdatum": format_date_nl(data.answer_by),
        "kvk": data.kvk.strip(),
        "ontvangen_op": format_date_nl(data.received_on),
        **criteria_context("aangevraagde_criteria", data.claimed_criteria),
        "formulier": data.form_title.strip(),
        "formulierversie": str(data.form_version or ""),
        "regelversie": str(data.rules_version or ""),
        "regels_vastgesteld_op": format_date_nl(data.rules_adopted_on),
        "aanleiding": data.occasion,
        "vorig_kenmerk": data.earlier_kenmerk.strip(),
        "vorig_besluit_datum": format_date_nl(data.earlier_decided_on),
        "bijlagen": list(data.attachments),
        "bezwaar_mogelijk": data.decision.allows_objection,
        "vergaderdatum": format_date_nl(data.meeting_date),
        "voorzitter": data.chair_name,
        "secretaris": data.secretary_name,
        **sender_context(settings),
    }
    return given(ctx, OPTIONAL)


#: placeholders that may be empty (a template tests them with a plain ``{% if %}``); the others are left out
#: when they have no value, so a template that uses one without ``is defined`` fails naming it
OPTIONAL = {"voorwaarden", "criteria", "andere_criteria", "aangevraagde_criteria", "bijlagen",
            "bezwaar_mogelijk"}


def criteria_context(name: str, criteria) -> dict:
    """``name`` as a list of {code, label} and ``<name>_tekst`` as one phrase ('A, B en C')."""
    return {name: [{"code": c.value, "label": c.label, "tekst": c.prose} for c in criteria],
            f"{name}_tekst": join_nl([c.prose for c in criteria])}


def addressee_context(data) -> dict:
    """The placeholders every letter has: kenmerk, date, the addressee and the criteria."""
    return {
        "kenmerk": data.kenmerk,
        "datum": format_date_nl(data.letter_date),
        "organisatie": data.organisation_name,
        "contactpersoon": data.contact_person,
        "straat": data.street,
        "postcode": data.postcode,
        "plaats": data.place,
        **criteria_context("criteria", data.criteria),
    }


def sender_context(settings: LetterSettings) -> dict:
    """The sender's placeholders (afzender, afzender_adres, ...), the same in every letter."""
    return {
        "afzender": settings.sender_name,
        "afzender_adres": ", ".join(settings.address_lines),
        "afzender_telefoon": settings.phone,
        "afzender_email": settings.email,
        "afzender_website": settings.website,
        "contact_naam": settings.contact_name,
        "contact_telefoon": settings.contact_phone,
        "contact_email": settings.contact_email,
    }


def given(ctx: dict, optional: set[str]) -> dict:
    """The placeholders with a value (and the optional ones): a template using a missing one fails naming it."""
    return {k: v for k, v in ctx.items() if k in optional or (isinstance(v, str) and v.strip())}


def template_path(decision: DecisionType | str, templates_dir: Path | None = None) -> Path:
    decision = DecisionType(getattr(decision, "value", decision))
    return Path(templates_dir or TEMPLATES_DIR) / f"{decision.value}.txt"


def _read_template(decision, templates_dir) -> tuple[str, str]:
    return read_template(template_path(decision, templates_dir))


def read_template(path: Path) -> tuple[str, str]:
    """A template's text and file name (LetterTemplateError when it cannot be read)."""
    try:
        return path.read_text(encoding="utf-8"), path.name
    except (OSError, UnicodeDecodeError) as e:
        raise LetterTemplateError(path.name, [_("het bestand {file} kan niet worden gelezen: {err}").format(file=path, err=e)])


def template_version(decision: DecisionType | str, templates_dir: Path | None = None) -> str:
    """SHA-256 (hex) of the template text for this decision, to archive with the letter."""
    return text_version(_read_template(decision, templates_dir)[0])


def compose_letter(data: LetterData, settings: LetterSettings, templates_dir: Path | None = None) -> LetterContent:
    """Run the template: the letter's subject and text, without layout."""
    check_letter_data(data)
    return compose_text(_read_template(data.decision, templates_dir), template_context(data, settings),
                        _("Besluit op uw aanvraag erkenning sociaal ondernemer"),
                        frame(data, settings, data.decision.value))


Frame = tuple[Block, list[Block], list[Block]]


def frame(data, settings: LetterSettings, template_name: str, received_on: str = "") -> Frame:
    """The salutation, the questions paragraph and the appendix after the signatures every letter shares
    (``letter_closing``); ``data`` is any letter's data with ``contact_person``, ``contact_form`` and ``kenmerk``."""
    questions, appendix = letter_closing.closing_blocks(settings, template_name, data.kenmerk, received_on)
    return letter_closing.salutation_block(data.contact_person, data.contact_form), questions, appendix


def compose_text(template: tuple[str, str], context: dict, default_subject: str,
                 shared: Frame | None = None) -> LetterContent:
    """Run a template (text, file name) with these placeholder values: subject and blocks, between the
    salutation and the questions of ``shared`` (see ``frame``), and its appendix for after the signatures."""
    text, name = template
    subject, blocks = parse_markup(render_text(text, context, name))
    if not blocks:
        raise LetterTemplateError(name, [_("het sjabloon levert geen tekst op.")])
    appendix: list[Block] = []
    if shared is not None:
        salutation, questions, appendix = shared
        blocks = [salutation, *blocks, *questions]
    return LetterContent(subject=subject or default_subject, blocks=blocks, appendix=list(appendix),
                         template_version=text_version(text))
