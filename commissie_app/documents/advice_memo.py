"""The advice memo to the Coördinatieteam (issue 15) as PDF.

The text comes from the secretary's template ``forms/letters/adviesmemo.txt`` (sandboxed like the letters'
templates, see docs/letters.md); the pages are the letters' (:mod:`letters`): the same letterhead and contact
column, running head, numbered footer and signature block. Instead of the envelope window and the reference
block, page 1 has the memo's head: Aan, Van, Datum, Onderwerp, Aanleiding and Vastgesteld (or "Concept").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from commissie_app.documents.letter_content import (
    TEMPLATES_DIR,
    LetterSettings,
    RenderedLetter,
    compose_text,
    given,
    read_template,
    sender_context,
)
from commissie_app.domain.advice import ADDRESSEE, adopted_text, occasion_text
from commissie_app.domain.errors import ValidationError
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _

TEMPLATE_NAME = "adviesmemo.txt"


@dataclass(frozen=True)
class MemoData:
    """Everything one memo needs (values, no database objects). ``kenmerk`` and ``organisation_name`` are the
    names the letters' page layout uses for the footer and the running head."""

    memo_date: dt.date
    subject: str
    text: str
    asked: bool
    secretary_name: str
    asked_by: str = ""
    asked_on: dt.date | None = None
    adopted_on: dt.date | None = None
    item_number: int | None = None
    chair_name: str = ""
    addressee: str = ADDRESSEE

    @property
    def letter_date(self) -> dt.date:
        return self.memo_date

    @property
    def kenmerk(self) -> str:
        return ""

    @property
    def organisation_name(self) -> str:
        return self.addressee

    @property
    def signers(self) -> list[tuple[str, str]]:
        chair = [(self.chair_name, _("voorzitter"))] if self.chair_name.strip() else []
        return chair + [(self.secretary_name, _("secretaris"))]

    @property
    def occasion(self) -> str:
        return occasion_text(self.asked, self.asked_by, self.asked_on, _("ongevraagd advies"))

    @property
    def adopted(self) -> str:
        return adopted_text(self.adopted_on, self.item_number, _("in de") + " ") or _("nog niet vastgesteld (concept)")


def check_data(data: MemoData) -> None:
    errors = {}
    if not data.subject.strip():
        errors["subject"] = _("Het memo mist: het onderwerp van het advies.")
    if not data.text.strip():
        errors["text"] = _("Het memo mist: de tekst van het advies.")
    if not data.secretary_name.strip():
        errors["secretary_name"] = _("Het memo mist: de naam van de secretaris.")
    if errors:
        raise ValidationError(errors)


def template_context(data: MemoData, settings: LetterSettings) -> dict:
    ctx = {
        "onderwerp": data.subject.strip(),
        "advies": data.text.strip(),
        "gevraagd": data.asked,
        "gevraagd_door": data.asked_by.strip(),
        "gevraagd_op": format_date_nl(data.asked_on),
        "datum": format_date_nl(data.memo_date),
        "vergaderdatum": format_date_nl(data.adopted_on),
        "agendapunt": "" if data.item_number is None else str(data.item_number),
        "voorzitter": data.chair_name,
        "secretaris": data.secretary_name,
        **sender_context(settings),
    }
    return given(ctx, {"gevraagd"})


def render_memo(data: MemoData, settings: LetterSettings, templates_dir: Path | None = None) -> RenderedLetter:
    """The memo as PDF with its subject and the template version used (ValidationError or
    LetterTemplateError when it cannot be made)."""
    from commissie_app.documents.advice_memo_pages import MemoLayout, body_top
    from commissie_app.documents.letters import render_content

    check_data(data)
    path = Path(templates_dir or TEMPLATES_DIR) / TEMPLATE_NAME
    content = compose_text(read_template(path), template_context(data, settings),
                           _("Advies over {subject}").format(subject=data.subject.strip()))
    return render_content(data, settings, content, _("Adviesmemo: {subject}").format(subject=data.subject),
                          layout=MemoLayout, body_top_first=body_top(data, settings.sender_name))
