"""The letters that are not decisions (issue 12): acknowledgement of receipt (ontvangstbevestiging), request
for information (informatieverzoek) and expiry reminder (herinnering), as PDF.

Same letterhead, layout and sandboxed templates as the decision letters (:mod:`letters`,
:mod:`letter_content`); the text comes from ``forms/letters/<ontvangstbevestiging|informatieverzoek|
herinnering>.txt``, between the salutation and the closing part every letter shares. They are signed by the
secretary alone and carry no objection paragraph (they decide nothing: ``domain.correspondence.open_to_objection``). A kenmerk is shown where one applies (a reminder: the decision that recognised; an information
request after a decision 'aangehouden'); otherwise the reference block names the application's date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from commissie_app.documents.letter_content import (
    TEMPLATES_DIR,
    addressee_context,
    LetterSettings,
    RenderedLetter,
    compose_text,
    frame,
    given,
    missing_fields,
    read_template,
    sender_context,
)
from commissie_app.domain.addressing import FormOfAddress
from commissie_app.domain.codes import Criterion
from commissie_app.domain.correspondence import LetterKind
from commissie_app.domain.errors import ValidationError
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _


@dataclass(frozen=True)
class CorrespondenceData:
    """Everything one such letter needs (values, no database objects)."""

    kind: LetterKind
    letter_date: dt.date
    organisation_name: str
    contact_person: str
    street: str
    postcode: str
    place: str
    secretary_name: str
    contact_form: FormOfAddress = FormOfAddress.NEUTRAL
    received_on: dt.date | None = None
    kenmerk: str = ""
    criteria: tuple[Criterion, ...] = ()
    info_requested: str = ""
    info_due_on: dt.date | None = None
    valid_until: dt.date | None = None

    @property
    def references(self) -> tuple[tuple[str, str], ...]:
        rows = []
        if self.kenmerk:
            rows.append((_("Kenmerk"), self.kenmerk))
        if self.received_on is not None and not self.kind.of_recognition:
            rows.append((_("Uw aanvraag"), _("ontvangen op {day}").format(day=format_date_nl(self.received_on))))
        return tuple(rows)

    @property
    def signers(self) -> list[tuple[str, str]]:
        return [(self.secretary_name, _("secretaris"))]


def check_data(data: CorrespondenceData) -> None:
    """Refuse a letter that would lack something it needs (ValidationError, Dutch)."""
    errors = missing_fields(data)
    if data.kind is LetterKind.INFO_REQUEST:
        if not data.info_requested.strip():
            errors["info_requested"] = _("Vul eerst bij de aanvraag in welke informatie u opvraagt.")
        if data.info_due_on is None:
            errors["info_due_on"] = _("Vul eerst bij de aanvraag de uiterste datum voor de informatie in.")
    if data.kind is LetterKind.REMINDER and (data.valid_until is None or not data.kenmerk):
        errors["valid_until"] = _("Bij een herinnering horen de einddatum van de SROI-badge en het kenmerk.")
    if not data.kind.of_recognition and data.received_on is None:
        errors["received_on"] = _("De brief mist: de datum van ontvangst van de aanvraag.")
    if errors:
        raise ValidationError(errors)


def template_path(kind: LetterKind, templates_dir: Path | None = None) -> Path:
    return Path(templates_dir or TEMPLATES_DIR) / f"{kind.template_name}.txt"


def template_context(data: CorrespondenceData, settings: LetterSettings) -> dict:
    ctx = {
        **addressee_context(data),
        "ontvangen_op": format_date_nl(data.received_on),
        "gevraagde_informatie": data.info_requested.strip(),
        "inleverdatum": format_date_nl(data.info_due_on),
        "geldig_tot": format_date_nl(data.valid_until),
        "secretaris": data.secretary_name,
        **sender_context(settings),
    }
    return given(ctx, {"criteria"})


def render_correspondence(data: CorrespondenceData, settings: LetterSettings,
                          templates_dir: Path | None = None) -> RenderedLetter:
    """The letter as PDF with its subject and the template version used (ValidationError or
    LetterTemplateError when it cannot be made)."""
    from commissie_app.documents.letters import render_content  # reportlab only when a letter is drawn

    check_data(data)
    received = format_date_nl(data.received_on) if data.received_on else ""
    content = compose_text(read_template(template_path(data.kind, templates_dir)),
                           template_context(data, settings), data.kind.label.capitalize(),
                           frame(data, settings, data.kind.template_name, received))
    return render_content(data, settings, content, f"{data.kind.label}: {data.organisation_name}")
