"""Decision letters (besluitbrieven) as PDF, from the secretary's templates.

Input is a frozen :class:`LetterData` (everything one letter needs) and the
commission's :class:`LetterSettings` (letterhead). The letter text comes from
``forms/letters/<besluit>.txt`` (see :mod:`commissie_app.documents.templating`
and docs/letters.md); the layout around it is fixed here:

* letterhead: logo and sender top left, contact column on the right;
* the addressee in the window of a Dutch window envelope (numbers below);
* reference block: Datum, Kenmerk, Onderwerp;
* body, closing and signature block (chair and secretary), the optional
  objection/reconsideration paragraph;
* on every page a footer with the kenmerk and "pagina X van Y" (two passes:
  pages are kept until the total is known, then the footers are drawn).

All text uses the embedded Vera fonts, so it is selectable and searchable.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import hashlib
import io
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, TimeStamp, simpleSplit
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
)

from commissie_app.documents import fonts
from commissie_app.documents.templating import (
    Block,
    LetterTemplateError,
    parse_markup,
    render_text,
    text_version,
)
from commissie_app.domain.codes import Criterion, LabelledEnum
from commissie_app.domain.errors import ValidationError
from commissie_app.domain.rules import FORMS_DIR
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _

log = logging.getLogger(__name__)

TEMPLATES_DIR = FORMS_DIR / "letters"
DEFAULT_LOGO = TEMPLATES_DIR / "logo.png"


class DecisionType(LabelledEnum):
    """The four decisions a letter can announce; the value names the template file."""

    GRANTED = "toegekend"
    CONDITIONALLY_GRANTED = "voorwaardelijk_toegekend"
    REJECTED = "afgewezen"
    DEFERRED = "aangehouden"

    @classmethod
    def _labels(cls):
        return {
            cls.GRANTED: "toegekend",
            cls.CONDITIONALLY_GRANTED: "voorwaardelijk toegekend",
            cls.REJECTED: "afgewezen",
            cls.DEFERRED: "aangehouden",
        }

    @property
    def is_recognition(self) -> bool:
        return self in (DecisionType.GRANTED, DecisionType.CONDITIONALLY_GRANTED)


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
    objection_paragraph: str = ""  # markup as in the templates, no placeholders; empty = left out

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

    def __post_init__(self):
        object.__setattr__(self, "decision", DecisionType(getattr(self.decision, "value", self.decision)))
        object.__setattr__(self, "criteria", tuple(Criterion(getattr(c, "value", c)) for c in self.criteria))


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
    blocks: list[Block] = field(default_factory=list)
    objection: list[Block] = field(default_factory=list)
    template_version: str = ""


# --- data and template -------------------------------------------------------------------


def check_letter_data(data: LetterData) -> None:
    """Refuse a letter that would lack something its decision needs (ValidationError)."""
    errors: dict[str, str] = {}
    for name, label in (
        ("kenmerk", _("kenmerk")),
        ("organisation_name", _("naam van de organisatie")),
        ("contact_person", _("contactpersoon")),
        ("street", _("straat en huisnummer")),
        ("postcode", _("postcode")),
        ("place", _("plaats")),
        ("chair_name", _("naam van de voorzitter")),
        ("secretary_name", _("naam van de secretaris")),
    ):
        if not str(getattr(data, name) or "").strip():
            errors[name] = _("De brief mist: {what}.").format(what=label)
    if data.decision.is_recognition:
        if not data.criteria:
            errors["criteria"] = _("Bij een erkenning hoort ten minste één criterium.")
        if data.badge_valid_from is None or data.badge_valid_until is None:
            errors["badge_valid_until"] = _("Bij een erkenning horen de begin- en einddatum van de SROI-badge.")
        elif data.badge_valid_until < data.badge_valid_from:
            errors["badge_valid_until"] = _("De SROI-badge kan niet eindigen vóór hij begint.")
    if data.decision is DecisionType.CONDITIONALLY_GRANTED and data.conditional_deadline is None:
        errors["conditional_deadline"] = _("Bij een voorwaardelijke toekenning hoort een termijn.")
    if errors:
        raise ValidationError(errors)


def _join_nl(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " " + _("en") + " " + items[-1]


def template_context(data: LetterData, settings: LetterSettings) -> dict:
    """The placeholder values of one letter. Values that are missing are left out,
    so a template that uses them fails with a message naming the placeholder."""
    ctx: dict = {
        "kenmerk": data.kenmerk,
        "datum": format_date_nl(data.letter_date),
        "besluit": data.decision.label,
        "organisatie": data.organisation_name,
        "contactpersoon": data.contact_person,
        "straat": data.street,
        "postcode": data.postcode,
        "plaats": data.place,
        "criteria": [{"code": c.value, "label": c.label} for c in data.criteria],
        "criteria_tekst": _join_nl([c.label for c in data.criteria]),
        "andere_criteria": [{"code": c.value, "label": c.label} for c in Criterion if not c.is_conditional],
        "motivering": data.motivation.strip(),
        "geldig_van": format_date_nl(data.badge_valid_from),
        "geldig_tot": format_date_nl(data.badge_valid_until),
        "termijn": format_date_nl(data.conditional_deadline),
        "voorwaarden": data.conditions.strip(),  # may be empty: templates test it with {% if %}
        "vergaderdatum": format_date_nl(data.meeting_date),
        "voorzitter": data.chair_name,
        "secretaris": data.secretary_name,
        "afzender": settings.sender_name,
        "afzender_adres": ", ".join(settings.address_lines),
        "afzender_telefoon": settings.phone,
        "afzender_email": settings.email,
        "afzender_website": settings.website,
    }
    optional = {"voorwaarden", "criteria", "andere_criteria"}
    return {k: v for k, v in ctx.items() if k in optional or (isinstance(v, str) and v.strip())}


def template_path(decision: DecisionType | str, templates_dir: Path | None = None) -> Path:
    decision = DecisionType(getattr(decision, "value", decision))
    return Path(templates_dir or TEMPLATES_DIR) / f"{decision.value}.txt"


def _read_template(decision, templates_dir) -> tuple[str, str]:
    path = template_path(decision, templates_dir)
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
    text, name = _read_template(data.decision, templates_dir)
    subject, blocks = parse_markup(render_text(text, template_context(data, settings), name))
    if not blocks:
        raise LetterTemplateError(name, [_("het sjabloon levert geen tekst op.")])
    objection = parse_markup(settings.objection_paragraph)[1] if settings.objection_paragraph.strip() else []
    return LetterContent(
        subject=subject or _("Besluit op uw aanvraag erkenning sociaal ondernemer"),
        blocks=blocks,
        objection=objection,
        template_version=text_version(text),
    )


# --- layout ------------------------------------------------------------------------------

PAGE_W, PAGE_H = A4
MARGIN_LEFT = 24 * mm  # same line as the address text in the window
MARGIN_RIGHT = 20 * mm
MARGIN_BOTTOM = 24 * mm
# Window envelope EA5/5 (A4 folded once) and DL: window 90 x 45 mm, 20-22 mm from the left
# edge and about 50 mm from the top of the sheet. The address is set 2-4 mm inside it.
WINDOW_X, WINDOW_TOP, WINDOW_W, WINDOW_H = 20 * mm, 50 * mm, 90 * mm, 45 * mm
ADDRESS_X = MARGIN_LEFT
RETURN_ADDRESS_BASELINE = 55 * mm  # from the top
ADDRESS_FIRST_BASELINE = 62 * mm
ADDRESS_LEADING = 4.6 * mm
CONTACT_X = 135 * mm  # contact column, right of the window
CONTACT_TOP = 50 * mm
REFERENCE_TOP = 106 * mm
BODY_TOP_FIRST = 130 * mm
BODY_TOP_LATER = 25 * mm
FOLD_MARK = 148.5 * mm  # A4 folded once for an EA5/5 envelope

ACCENT = colors.HexColor("#1F5E6B")
GREY = colors.HexColor("#555555")
LIGHT = colors.HexColor("#9A9A9A")


class _Styles:
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


_styles: _Styles | None = None
_styles_lock = threading.Lock()


def styles() -> _Styles:
    global _styles
    if _styles is None:
        with _styles_lock:
            if _styles is None:
                _styles = _Styles()
    return _styles


def block_flowables(blocks: list[Block], st: _Styles) -> list:
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


class _Logo:
    """The letterhead logo, encoded for PDF once per file version and reused by every letter.

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
            c.drawImage(str(self.path), x, y, w, h, mask="auto")
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


def _logo(path: Path | None) -> _Logo | None:
    """The logo, or None when there is none or it cannot be read: the space stays empty
    rather than stopping a batch of letters (logged once per file version)."""
    if path is None:
        return None
    try:
        st = Path(path).stat()
    except OSError:
        log.warning("Logo %s bestaat niet; brieven zonder logo", path)
        return None
    key = (str(path), st.st_mtime, st.st_size)
    if key not in _logo_cache:
        try:
            _logo_cache[key] = _Logo(Path(path), Path(path).read_bytes())
        except Exception:  # noqa: BLE001 - unreadable or not an image
            log.warning("Logo %s kan niet worden gelezen; brieven zonder logo", path, exc_info=True)
            _logo_cache[key] = None
    return _logo_cache[key]


ADDRESS_SIZES = (10, 9.5, 9, 8.5, 8)  # pt: shrunk step by step until the address fits the window
ADDRESS_WIDTH = WINDOW_X + WINDOW_W - ADDRESS_X - 2 * mm
ADDRESS_LAST_BASELINE = WINDOW_TOP + WINDOW_H - 3 * mm


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of at most ``width``; a word longer than a line is broken between characters."""
    out: list[str] = []
    for line in simpleSplit(" ".join(text.split()), font, size, width) or [""]:
        while stringWidth(line, font, size) > width:
            cut = max(1, next(i for i in range(len(line), 0, -1) if stringWidth(line[:i], font, size) <= width))
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


def address_block(data: LetterData) -> tuple[float, list[tuple[str, str]]]:
    """The addressee for the envelope window: (font size, [(line, font)]), every line of every field.

    Long names are wrapped and the size shrinks from 10 to 8 pt until all lines fit between the first
    baseline and the window's bottom; nothing is ever left out. When even 8 pt does not fit, a
    ValidationError names the field that takes the most lines."""
    fields = (
        ("organisation_name", _("naam van de organisatie"), data.organisation_name, fonts.BOLD),
        ("contact_person", _("contactpersoon"), _("t.a.v.") + " " + data.contact_person, fonts.REGULAR),
        ("street", _("straat en huisnummer"), data.street, fonts.REGULAR),
        ("place", _("plaats"), f"{data.postcode.strip().upper()}  {data.place.strip().upper()}", fonts.REGULAR),
    )
    for size in ADDRESS_SIZES:
        leading = ADDRESS_LEADING * size / ADDRESS_SIZES[0]
        room = int((ADDRESS_LAST_BASELINE - ADDRESS_FIRST_BASELINE) / leading + 1e-6) + 1
        wrapped = [(_wrap(text, font, size, ADDRESS_WIDTH), font) for _k, _l, text, font in fields]
        if sum(len(parts) for parts, _f in wrapped) <= room:
            if size != ADDRESS_SIZES[0]:
                log.info("Adres van %s in %s pt gezet om in het venster te passen", data.kenmerk, size)
            return size, [(part, font) for parts, font in wrapped for part in parts]
    key, label, _text, _font = max(zip(fields, wrapped), key=lambda fw: len(fw[1][0]))[0]
    raise ValidationError({key: _(
        "Het adres past niet in het venster van de envelop (hoogstens {room} regels): de {label} is te lang "
        "({n} tekens). Kort de {label} in (bij de gegevens van de organisatie) en maak de brief opnieuw.").format(
        room=room, label=label, n=len(str(getattr(data, key)).strip()))})


def _from_top(y: float) -> float:
    return PAGE_H - y


def _contact_column(settings: LetterSettings, st: _Styles) -> list[tuple[str, list[str]]]:
    rows = []
    if settings.address_lines:
        rows.append((_("Postadres"), list(settings.address_lines)))
    if settings.phone:
        rows.append((_("Telefoon"), [settings.phone]))
    if settings.email:
        rows.append((_("E-mail"), [settings.email]))
    if settings.website:
        rows.append((_("Website"), [settings.website]))
    return rows


class _SignatureBlock(Flowable):
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

class _Letter:
    """Draws the fixed parts of the pages of one letter."""

    def __init__(self, data: LetterData, settings: LetterSettings, content: LetterContent, st: _Styles):
        self.data, self.settings, self.content, self.st = data, settings, content, st
        self.logo = _logo(settings.logo_path)
        self.address = address_block(data)  # refused before anything is drawn when it does not fit
        self.pages = 0  # set when the canvas is saved

    # letterhead on page 1
    def first_page(self, c: Canvas, doc) -> None:
        s, d, st = self.settings, self.data, self.st
        c.saveState()
        top = 14 * mm
        logo_size = 19 * mm
        text_x = MARGIN_LEFT
        if self.logo is not None:
            self.logo.draw(c, MARGIN_LEFT, _from_top(top + logo_size), logo_size, logo_size)
            text_x = MARGIN_LEFT + logo_size + 5 * mm
        c.setFillColor(ACCENT)
        c.setFont(fonts.BOLD, 15)
        c.drawString(text_x, _from_top(top + 7 * mm), s.sender_name)
        c.setFillColor(GREY)
        c.setFont(fonts.REGULAR, 9)
        y = top + 12 * mm
        for line in s.organisation_lines:
            c.drawString(text_x, _from_top(y), line)
            y += 4.2 * mm
        c.setStrokeColor(ACCENT)
        c.setLineWidth(0.8)
        c.line(MARGIN_LEFT, _from_top(39 * mm), PAGE_W - MARGIN_RIGHT, _from_top(39 * mm))

        # contact column, right of the window
        y = CONTACT_TOP + 3 * mm
        width = PAGE_W - MARGIN_RIGHT - CONTACT_X
        for label, lines in _contact_column(s, st):
            c.setFont(fonts.BOLD, 7.5)
            c.drawString(CONTACT_X, _from_top(y), label)
            y += 3.8 * mm
            c.setFont(fonts.REGULAR, 8)
            for line in lines:
                for part in simpleSplit(line, fonts.REGULAR, 8, width):
                    c.drawString(CONTACT_X, _from_top(y), part)
                    y += 3.7 * mm
            y += 2.2 * mm

        # envelope window: return address, then the addressee
        c.setFont(fonts.REGULAR, 6.5)
        c.setFillColor(GREY)
        ret = simpleSplit(_("Retouradres") + " " + s.return_address, fonts.REGULAR, 6.5, ADDRESS_WIDTH)[:1]
        if ret and s.return_address:
            c.drawString(ADDRESS_X, _from_top(RETURN_ADDRESS_BASELINE), ret[0])
        c.setFillColor(colors.black)
        size, lines = self.address
        y = ADDRESS_FIRST_BASELINE
        for text, font in lines:
            c.setFont(font, size)
            c.drawString(ADDRESS_X, _from_top(y), text)
            y += ADDRESS_LEADING * size / ADDRESS_SIZES[0]

        # reference block
        y = REFERENCE_TOP
        value_x = MARGIN_LEFT + 24 * mm
        value_w = PAGE_W - MARGIN_RIGHT - value_x
        for label, value in (
            (_("Datum"), format_date_nl(d.letter_date)),
            (_("Kenmerk"), d.kenmerk),
            (_("Onderwerp"), self.content.subject),
        ):
            c.setFont(fonts.BOLD, 7.5)
            c.setFillColor(GREY)
            c.drawString(MARGIN_LEFT, _from_top(y), label)
            c.setFont(fonts.REGULAR, 10)
            c.setFillColor(colors.black)
            for part in simpleSplit(value, fonts.REGULAR, 10, value_w):
                c.drawString(value_x, _from_top(y), part)
                y += 4.8 * mm
            y += 0.8 * mm

        # fold mark (A4 folded once)
        c.setStrokeColor(LIGHT)
        c.setLineWidth(0.3)
        c.line(6 * mm, _from_top(FOLD_MARK), 10 * mm, _from_top(FOLD_MARK))
        c.restoreState()

    def later_page(self, c: Canvas, doc) -> None:
        c.saveState()
        c.setFont(fonts.BOLD, 8)
        c.setFillColor(ACCENT)
        c.drawString(MARGIN_LEFT, _from_top(13 * mm), self.settings.sender_name)
        c.setFont(fonts.REGULAR, 8)
        c.setFillColor(GREY)
        c.drawRightString(
            PAGE_W - MARGIN_RIGHT, _from_top(13 * mm), self.data.organisation_name[:60]
        )
        c.setStrokeColor(LIGHT)
        c.setLineWidth(0.4)
        c.line(MARGIN_LEFT, _from_top(15.5 * mm), PAGE_W - MARGIN_RIGHT, _from_top(15.5 * mm))
        c.restoreState()

    def footer(self, c: Canvas, page: int, total: int) -> None:
        draw_numbered_footer(c, _("Kenmerk") + " " + self.data.kenmerk, page, total)

    def canvasmaker(self):
        """The numbered canvas, dated the letter's date: with ``invariant`` the same letter renders to the
        same bytes (generate_letters re-uses an unchanged archived version instead of adding one)."""
        stamp = TimeStamp(invariant=True)
        stamp.t = calendar.timegm(self.data.letter_date.timetuple())
        stamp.lt = time.gmtime(stamp.t)
        stamp.YMDhms = tuple(stamp.lt)[:6]

        class LetterCanvas(numbered_canvas(self)):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._doc._timeStamp = stamp

        return LetterCanvas

    def story(self) -> list:
        st = self.st
        story: list = [NextPageTemplate("later")]
        body = block_flowables(self.content.blocks, st)
        # the closing never stands alone on a page: keep it with the last paragraph, and that
        # with a heading just before it (KeepTogether does not honour keepWithNext of its own)
        last = [body.pop()] if len(body) > 1 else []
        while len(body) > 1 and body[-1].getKeepWithNext():
            last.insert(0, body.pop())
        story += body
        signature = _SignatureBlock(
            _("Met vriendelijke groet,"),
            _("namens de {sender},").format(sender=self.settings.sender_name),
            [(self.data.chair_name, _("voorzitter")), (self.data.secretary_name, _("secretaris"))],
            st.body,
        )
        story.append(KeepTogether(last + [Spacer(1, 2 * mm), signature]))
        if self.content.objection:
            story.append(Spacer(1, 9 * mm))
            story += block_flowables(self.content.objection, st)
        return story


def render_letter_document(
    data: LetterData, settings: LetterSettings, templates_dir: Path | None = None
) -> RenderedLetter:
    """Render one letter; the PDF with the subject and template version used."""
    st = styles()
    content = compose_letter(data, settings, templates_dir)
    letter = _Letter(data, settings, content, st)
    buf = io.BytesIO()
    frame_w = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=BODY_TOP_LATER,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{content.subject} – {data.kenmerk}",
        author=settings.sender_name,
        subject=f"{data.decision.label}: {data.organisation_name}",
        creator="Commissie-app",
        lang="nl-NL",
        initialFontName=fonts.REGULAR,  # otherwise an unembedded Helvetica is listed
        invariant=1,  # no random document id: same letter, same bytes (see canvasmaker)
    )
    first = Frame(MARGIN_LEFT, MARGIN_BOTTOM, frame_w, PAGE_H - BODY_TOP_FIRST - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="first")
    later = Frame(MARGIN_LEFT, MARGIN_BOTTOM, frame_w, PAGE_H - BODY_TOP_LATER - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="later")
    doc.addPageTemplates(
        [
            PageTemplate("first", frames=[first], onPage=letter.first_page),
            PageTemplate("later", frames=[later], onPage=letter.later_page),
        ]
    )
    doc.build(letter.story(), canvasmaker=letter.canvasmaker())
    return RenderedLetter(
        pdf=buf.getvalue(), subject=content.subject, template_version=content.template_version, pages=letter.pages
    )


def render_letter(data: LetterData, settings: LetterSettings, templates_dir: Path | None = None) -> bytes:
    """The decision letter as PDF bytes (raises LetterTemplateError or ValidationError)."""
    return render_letter_document(data, settings, templates_dir).pdf
