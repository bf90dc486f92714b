"""The house style shared by every PDF document of the commission: letters, agenda, minutes, the assessment
and the comparison of assessments.

One letterhead (logo, sender, organisation lines and a rule; ``draw_letterhead``, the only code that draws the
logo), one running head on later pages (``draw_running_head``), A4 page margins, the accent colours and the
numbered footer ("pagina X van Y", drawn when the total is known), so that the documents look like one family.
The letterhead's values are the settings stored in the database (``services/letter_settings``), passed in
by the use case that renders the document.

Documents other than letters are built by ``build_document`` on ``DocumentPages``: the letterhead on page 1,
the running head on later pages.
"""

from __future__ import annotations

import copy
import hashlib
import io
import logging
from pathlib import Path

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from commissie_app.documents import fonts
from commissie_app.i18n import _

log = logging.getLogger(__name__)

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


# ---------------------------------------------------------------- logo


class _Logo:
    """The letterhead logo, encoded for PDF once per file version and reused by every document.

    reportlab's drawImage decodes, compresses and ASCII85-encodes an image again for every
    document (about half the extra time of a letter over plain text); here the encoded image
    XObject is kept and a copy is registered in each new document.
    """

    def __init__(self, path: Path, data: bytes):
        self.path = path
        self.name = "logo" + hashlib.sha256(data).hexdigest()[:16]
        self.xobject = None
        with PILImage.open(io.BytesIO(data)) as im:
            im.load()
            alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
        if not alpha:  # an opaque image can be shared as is (a transparent one needs a soft mask)
            self.xobject = pdfdoc.PDFImageXObject(self.name, ImageReader(io.BytesIO(data)))
            self.xobject.name = self.name

    def draw(self, c: Canvas, x: float, y: float, w: float, h: float) -> None:
        if self.xobject is None:
            c.drawImage(str(self.path), x, y, w, h, mask="auto", preserveAspectRatio=True)
            return
        reg_name = c._doc.getXObjectName(self.name)
        if c._doc.idToObject.get(reg_name) is None:
            obj = copy.copy(self.xobject)
            c._setXObjects(obj)
            c._doc.Reference(obj, reg_name)
            c._doc.addForm(self.name, obj)
        c._currentPageHasImages = 1
        c.saveState()
        c.translate(x, y)
        c.scale(w, h)
        c._code.append(f"/{reg_name} Do")
        c.restoreState()
        c._formsinuse.append(self.name)


_logo_cache: dict[tuple[str, float, int], _Logo | None] = {}


def letterhead_logo(path: Path | None) -> _Logo | None:
    """The logo, or None when there is none or it cannot be read: the space stays empty
    rather than stopping a batch of documents (logged once per file version)."""
    if path is None:
        return None
    try:
        st = Path(path).stat()
    except OSError:
        log.warning("Logo %s bestaat niet; documenten zonder logo", path)
        return None
    key = (str(path), st.st_mtime, st.st_size)
    if key not in _logo_cache:
        try:
            _logo_cache[key] = _Logo(Path(path), Path(path).read_bytes())
        except Exception:  # noqa: BLE001 - unreadable or not an image
            log.warning("Logo %s kan niet worden gelezen; documenten zonder logo", path, exc_info=True)
            _logo_cache[key] = None
    return _logo_cache[key]


# ---------------------------------------------------------------- letterhead and running head

LETTERHEAD_TOP = 14 * mm
LOGO_SIZE = 19 * mm
LETTERHEAD_RULE = 39 * mm  # the rule under the letterhead, from the top of the page


def draw_letterhead(c: Canvas, settings) -> None:
    """The letterhead of page 1 of every document: the logo, the sender's name and organisation lines
    (``settings``: a ``LetterSettings``, as stored in the database) and the accent rule under them."""
    c.saveState()
    text_x = MARGIN_LEFT
    logo = letterhead_logo(settings.logo_path)
    if logo is not None:
        logo.draw(c, MARGIN_LEFT, PAGE_H - LETTERHEAD_TOP - LOGO_SIZE, LOGO_SIZE, LOGO_SIZE)
        text_x += LOGO_SIZE + 5 * mm
    c.setFillColor(ACCENT)
    c.setFont(fonts.BOLD, 15)
    c.drawString(text_x, PAGE_H - LETTERHEAD_TOP - 7 * mm, settings.sender_name)
    c.setFillColor(GREY)
    c.setFont(fonts.REGULAR, 9)
    y = LETTERHEAD_TOP + 12 * mm
    for line in settings.organisation_lines:
        c.drawString(text_x, PAGE_H - y, line)
        y += 4.2 * mm
    c.setStrokeColor(ACCENT)
    c.setLineWidth(0.8)
    c.line(MARGIN_LEFT, PAGE_H - LETTERHEAD_RULE, PAGE_W - MARGIN_RIGHT, PAGE_H - LETTERHEAD_RULE)
    c.restoreState()


def draw_running_head(c: Canvas, settings, right_text: str) -> None:
    """The head of every later page: the sender's name left, ``right_text`` right, a thin rule."""
    c.saveState()
    c.setFont(fonts.BOLD, 8)
    c.setFillColor(ACCENT)
    c.drawString(MARGIN_LEFT, PAGE_H - 13 * mm, settings.sender_name)
    c.setFont(fonts.REGULAR, 8)
    c.setFillColor(GREY)
    c.drawRightString(PAGE_W - MARGIN_RIGHT, PAGE_H - 13 * mm, right_text)
    c.setStrokeColor(LIGHT)
    c.setLineWidth(0.4)
    c.line(MARGIN_LEFT, PAGE_H - 15.5 * mm, PAGE_W - MARGIN_RIGHT, PAGE_H - 15.5 * mm)
    c.restoreState()


# ---------------------------------------------------------------- documents other than letters

DOC_MARGIN_TOP_FIRST = 46 * mm  # below the letterhead
DOC_MARGIN_TOP_LATER = 24 * mm
DOC_MARGIN_BOTTOM = 22 * mm
DOC_FRAME_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT


class DocumentPages:
    """The letterhead on page 1, the running head on later pages and the numbered footer with ``footer_text``."""

    def __init__(self, settings, footer_text: str):
        self.settings, self.footer_text = settings, footer_text
        self.pages = 0

    def first_page(self, c: Canvas, doc) -> None:
        draw_letterhead(c, self.settings)

    def later_page(self, c: Canvas, doc) -> None:
        draw_running_head(c, self.settings, self.footer_text)

    def footer(self, c: Canvas, page: int, total: int) -> None:
        draw_numbered_footer(c, self.footer_text, page, total)


def build_document(story: list, pages: DocumentPages, *, title: str, subject: str, author: str) -> bytes:
    """The PDF bytes of ``story`` on ``pages`` (A4, embedded fonts, Dutch as the document language)."""
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT, topMargin=DOC_MARGIN_TOP_LATER,
        bottomMargin=DOC_MARGIN_BOTTOM, title=title, subject=subject, author=author, creator="Commissie-app",
        lang="nl-NL", initialFontName=fonts.REGULAR,
    )
    first = Frame(MARGIN_LEFT, DOC_MARGIN_BOTTOM, DOC_FRAME_W, PAGE_H - DOC_MARGIN_TOP_FIRST - DOC_MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="first")
    later = Frame(MARGIN_LEFT, DOC_MARGIN_BOTTOM, DOC_FRAME_W, PAGE_H - DOC_MARGIN_TOP_LATER - DOC_MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="later")
    doc.addPageTemplates([
        PageTemplate("first", frames=[first], onPage=pages.first_page, autoNextPageTemplate="later"),
        PageTemplate("later", frames=[later], onPage=pages.later_page),
    ])
    doc.build(story, canvasmaker=numbered_canvas(pages))
    return buf.getvalue()
