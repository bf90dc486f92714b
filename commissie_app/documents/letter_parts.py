"""The parts of a letter's pages: paragraph styles, the contact column and the signature block (the
letterhead with its logo is the one of every document, ``page_style.draw_letterhead``).
"""

from __future__ import annotations

import itertools
import threading

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from commissie_app.documents import fonts
from commissie_app.documents.letter_content import LetterSettings
from commissie_app.documents.page_style import GREY, PAGE_H
from commissie_app.documents.templating import Block
from commissie_app.i18n import _

CONTACT_X = 135 * mm  # contact column, right of the window
CONTACT_TOP = 50 * mm
REFERENCE_TOP = 106 * mm
BODY_TOP_FIRST = 130 * mm
BODY_TOP_LATER = 25 * mm
FOLD_MARK = 148.5 * mm  # A4 folded once for an EA5/5 envelope


# ---------------------------------------------------------------- styles


class LetterStyles:
    def __init__(self):
        family = fonts.register_fonts()
        self.body = ParagraphStyle(
            "body", fontName=family, fontSize=10, leading=14.5, spaceAfter=7, alignment=TA_LEFT,
            allowWidows=0, allowOrphans=0,
        )
        self.heading = ParagraphStyle(
            "heading", parent=self.body, fontName=fonts.BOLD, spaceBefore=6, spaceAfter=2, keepWithNext=True
        )
        self.bullet = ParagraphStyle(
            "bullet", parent=self.body, leftIndent=5 * mm, bulletIndent=1 * mm, spaceAfter=2, bulletFontName=family
        )
        self.contact_label = ParagraphStyle(
            "contact_label", fontName=fonts.BOLD, fontSize=7.5, leading=10, textColor=GREY
        )
        self.contact = ParagraphStyle("contact", fontName=family, fontSize=8, leading=10.5, textColor=GREY)
        self.signature = ParagraphStyle("signature", parent=self.body, spaceAfter=0)


_styles: LetterStyles | None = None
_styles_lock = threading.Lock()


def styles() -> LetterStyles:
    global _styles
    if _styles is None:
        with _styles_lock:
            if _styles is None:
                _styles = LetterStyles()
    return _styles


def block_flowables(blocks: list[Block], st: LetterStyles) -> list:
    """Paragraphs for blocks of markup (shared with the benchmark's plain baseline)."""
    out: list = []
    for block in blocks:
        if block.kind == "heading":
            out.append(Paragraph(block.text, st.heading))
        elif block.kind == "bullets":
            for i, item in enumerate(block.items):
                style = st.bullet
                if i == len(block.items) - 1:
                    style = ParagraphStyle("bullet_last", parent=st.bullet, spaceAfter=st.body.spaceAfter)
                out.append(Paragraph(item, style, bulletText="•"))
        else:
            out.append(Paragraph(block.text, st.body))
    return out


# ---------------------------------------------------------------- letterhead and signature


def from_top(y: float) -> float:
    return PAGE_H - y


def contact_column(settings: LetterSettings, st: LetterStyles) -> list[tuple[str, list[str]]]:
    rows = []
    if settings.address_lines:
        rows.append((_("Postadres"), list(settings.address_lines)))
    contact = [v.strip() for v in (settings.contact_name, settings.contact_phone, settings.contact_email) if v.strip()]
    if contact:
        rows.append((_("Contactpersoon"), contact))
    if settings.phone:
        rows.append((_("Telefoon"), [settings.phone]))
    if settings.email:
        rows.append((_("E-mail"), [settings.email]))
    if settings.website:
        rows.append((_("Website"), [settings.website]))
    return rows


def column_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` wrapped to the contact column: at spaces, and an e-mail address or web address too long for
    the column after its ``@`` (else a ``.``, else where the column ends): never past the right margin."""
    out: list[str] = []
    for part in simpleSplit(text, font, size, width) or [""]:
        while stringWidth(part, font, size) > width:
            ends = list(itertools.accumulate(stringWidth(ch, font, size) for ch in part))
            fits = [i + 1 for i, end in enumerate(ends) if end <= width]
            at = [i for i in fits if part[i - 1] == "@"]  # after the "@" first, else after the last "." that fits
            dots = [i for i in fits if part[i - 1] == "."]
            cut = (at or dots or fits or [1])[-1]
            out.append(part[:cut])
            part = part[cut:]
        out.append(part)
    return out


class SignatureBlock(Flowable):
    """Closing, room for signatures, then name and role of each signer side by side.

    Drawn directly (one unsplittable block) rather than as a table of paragraphs: cheaper,
    and the block is kept with the last paragraph of the letter."""

    COLUMN = 70 * mm
    GAP = 16 * mm

    def __init__(self, closing: str, on_behalf: str, signers: list[tuple[str, str]], style: ParagraphStyle):
        super().__init__()
        self.closing, self.on_behalf, self.signers = closing, on_behalf, signers
        self.font, self.size, self.leading = style.fontName, style.fontSize, style.leading
        self._names = [simpleSplit(name, self.font, self.size, self.COLUMN - 5 * mm) or [""] for name, _r in signers]

    def wrap(self, aw, ah):
        rows = max(len(n) for n in self._names) + 1
        self.height = (2 + rows) * self.leading + self.GAP
        return aw, self.height

    def draw(self):
        c, lead = self.canv, self.leading
        c.setFont(self.font, self.size)
        y = self.height - self.size
        c.drawString(0, y, self.closing)
        c.drawString(0, y - lead, self.on_behalf)
        y -= lead + self.GAP + lead
        for i, ((_name, role), lines) in enumerate(zip(self.signers, self._names)):
            x = i * self.COLUMN
            for j, line in enumerate(lines):
                c.drawString(x, y - j * lead, line)
            c.drawString(x, y - len(lines) * lead, role)
