"""Page 1 of the advice memo: the letters' letterhead with the memo's head instead of the envelope window."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from commissie_app.documents import fonts
from commissie_app.documents.letter_parts import CONTACT_TOP, CONTACT_X, from_top
from commissie_app.documents.letters import LetterLayout, draw_contact_column
from commissie_app.documents.page_style import ACCENT, GREY, MARGIN_LEFT, draw_letterhead
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _

TITLE_BASELINE = CONTACT_TOP + 6 * mm
HEAD_TOP = TITLE_BASELINE + 9 * mm
LABEL_W = 27 * mm
VALUE_W = CONTACT_X - 6 * mm - MARGIN_LEFT - LABEL_W
LEADING = 4.8 * mm
SIZE = 10
MIN_BODY_TOP = 112 * mm  # below the contact column of a full letterhead


def head_rows(data, sender_name: str = "") -> list[tuple[str, list[str]]]:
    """(label, wrapped lines) of the memo's head."""
    fonts.register_fonts()
    to = data.addressee + (("\n" + _("t.a.v. {who}").format(who=data.asked_by)) if data.asked and data.asked_by
                           else "")
    rows = [(_("Aan"), to), (_("Van"), sender_name), (_("Datum"), format_date_nl(data.memo_date)),
            (_("Onderwerp"), data.subject), (_("Aanleiding"), data.occasion), (_("Vastgesteld"), data.adopted)]
    out = []
    for label, value in rows:
        if not value:
            continue
        lines = [part for line in value.split("\n") for part in simpleSplit(line, fonts.REGULAR, SIZE, VALUE_W)]
        out.append((label, lines[:4]))
    return out


def body_top(data, sender_name: str) -> float:
    """Where the body starts on page 1: under the head, and never beside the contact column."""
    rows = head_rows(data, sender_name)
    lines = sum(len(parts) for _label, parts in rows)
    return max(HEAD_TOP + lines * LEADING + len(rows) * 1.2 * mm + 6 * mm, MIN_BODY_TOP)


class MemoLayout(LetterLayout):
    """The letters' pages, with the memo's head on page 1 (no addressee in an envelope window)."""

    def __init__(self, data, settings, content, st):
        self.data, self.settings, self.content, self.st = data, settings, content, st
        self.pages = 0

    def first_page(self, c: Canvas, doc) -> None:
        draw_letterhead(c, self.settings)
        draw_contact_column(c, self.settings, self.st)
        c.saveState()
        c.setFillColor(ACCENT)
        c.setFont(fonts.BOLD, 16)
        c.drawString(MARGIN_LEFT, from_top(TITLE_BASELINE), _("Adviesmemo"))
        y = HEAD_TOP
        for label, lines in head_rows(self.data, self.settings.sender_name):
            c.setFont(fonts.BOLD, 7.5)
            c.setFillColor(GREY)
            c.drawString(MARGIN_LEFT, from_top(y), label)
            c.setFillColor(colors.black)
            c.setFont(fonts.REGULAR, SIZE)
            for line in lines:
                c.drawString(MARGIN_LEFT + LABEL_W, from_top(y), line)
                y += LEADING
            y += 1.2 * mm
        c.restoreState()
