"""The house style shared by the commission's PDF documents (letters, agenda, minutes).

A4 page margins, the accent colours and the numbered footer ("pagina X van Y", drawn when the
total is known), so that the documents look like one family.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from commissie_app.documents import fonts
from commissie_app.i18n import _

PAGE_W, PAGE_H = A4
MARGIN_LEFT = 24 * mm  # same line as the address text in the window
MARGIN_RIGHT = 20 * mm
MARGIN_BOTTOM = 24 * mm

ACCENT = colors.HexColor("#1F5E6B")
GREY = colors.HexColor("#555555")
LIGHT = colors.HexColor("#9A9A9A")


# ---------------------------------------------------------------- footer


def draw_numbered_footer(c: Canvas, left_text: str, page: int, total: int) -> None:
    """The footer of every document: a rule, ``left_text`` (e.g. the kenmerk) and 'pagina X van Y'."""
    c.saveState()
    c.setStrokeColor(LIGHT)
    c.setLineWidth(0.4)
    c.line(MARGIN_LEFT, 15 * mm, PAGE_W - MARGIN_RIGHT, 15 * mm)
    c.setFont(fonts.REGULAR, 7.5)
    c.setFillColor(GREY)
    c.drawString(MARGIN_LEFT, 11 * mm, left_text)
    c.drawRightString(PAGE_W - MARGIN_RIGHT, 11 * mm, _("pagina {page} van {total}").format(page=page, total=total))
    c.restoreState()


def numbered_canvas(owner):
    """A canvas class that keeps every page until save(), then calls ``owner.footer(c, page, total)``
    on each (the total is only known at the end) and sets ``owner.pages``."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._kept_pages: list[dict] = []

        def showPage(self):
            self._kept_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._kept_pages)
            for number, state in enumerate(self._kept_pages, start=1):
                self.__dict__.update(state)
                owner.footer(self, number, total)
                Canvas.showPage(self)
            owner.pages = total
            Canvas.save(self)

    return NumberedCanvas
