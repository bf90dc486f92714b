"""Decision letters (besluitbrieven) as PDF, from the secretary's templates.

The letter's data and text come from :mod:`commissie_app.documents.letter_content`;
the layout around it is fixed here (its parts in ``letter_address``, ``letter_parts``
and the shared ``page_style``):

* letterhead: logo and sender top left, contact column on the right;
* the addressee in the window of a Dutch window envelope (``letter_address``);
* reference block: Datum, Kenmerk, Onderwerp;
* salutation, body, the questions paragraph with the named contact, the greeting and signature
  block (chair and secretary), then the appendix every letter shares: privacy note and the objection
  paragraph where the letter can be contested (``letter_closing``);
* on every page a footer with the kenmerk and "pagina X van Y" (two passes:
  pages are kept until the total is known, then the footers are drawn).

All text uses the embedded Vera fonts, so it is selectable and searchable.
"""

from __future__ import annotations

import calendar
import io
import time
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp, simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, NextPageTemplate, PageTemplate, Spacer

from commissie_app.documents import fonts
from commissie_app.documents.letter_address import (
    ADDRESS_FIRST_BASELINE,
    ADDRESS_LEADING,
    ADDRESS_SIZES,
    ADDRESS_WIDTH,
    ADDRESS_X,
    RETURN_ADDRESS_BASELINE,
    address_block,
)
from commissie_app.documents.letter_content import (
    LetterContent,
    LetterData,
    LetterSettings,
    RenderedLetter,
    compose_letter,
)
from commissie_app.documents.letter_parts import (
    BODY_TOP_FIRST,
    BODY_TOP_LATER,
    CONTACT_TOP,
    CONTACT_X,
    FOLD_MARK,
    REFERENCE_TOP,
    LetterStyles,
    SignatureBlock,
    block_flowables,
    column_lines,
    contact_column,
    from_top,
    styles,
)
from commissie_app.documents.page_style import (
    GREY,
    LIGHT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    PAGE_H,
    PAGE_W,
    draw_letterhead,
    draw_running_head,
    draw_numbered_footer,
    numbered_canvas,
)
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _

# ---------------------------------------------------------------- layout


def draw_contact_column(c: Canvas, s: LetterSettings, st: LetterStyles) -> None:
    """The contact column on the right of page 1, beside the envelope window (the letters and the advice memo
    share it, under the letterhead of ``page_style.draw_letterhead``)."""
    c.saveState()
    c.setFillColor(GREY)
    y = CONTACT_TOP + 3 * mm
    width = PAGE_W - MARGIN_RIGHT - CONTACT_X
    for label, lines in contact_column(s, st):
        c.setFont(fonts.BOLD, 7.5)
        c.drawString(CONTACT_X, from_top(y), label)
        y += 3.8 * mm
        c.setFont(fonts.REGULAR, 8)
        for line in lines:
            for part in column_lines(line, fonts.REGULAR, 8, width):
                c.drawString(CONTACT_X, from_top(y), part)
                y += 3.7 * mm
        y += 2.2 * mm
    c.restoreState()


class LetterLayout:
    """Draws the fixed parts of the pages of one letter."""

    def __init__(self, data: LetterData, settings: LetterSettings, content: LetterContent, st: LetterStyles):
        self.data, self.settings, self.content, self.st = data, settings, content, st
        self.address = address_block(data)  # refused before anything is drawn when it does not fit
        self.pages = 0  # set when the canvas is saved

    # letterhead on page 1
    def first_page(self, c: Canvas, doc) -> None:
        s, d, st = self.settings, self.data, self.st
        draw_letterhead(c, s)
        c.saveState()
        draw_contact_column(c, s, st)

        # envelope window: return address, then the addressee
        c.setFont(fonts.REGULAR, 6.5)
        c.setFillColor(GREY)
        ret = simpleSplit(_("Retouradres") + " " + s.return_address, fonts.REGULAR, 6.5, ADDRESS_WIDTH)[:1]
        if ret and s.return_address:
            c.drawString(ADDRESS_X, from_top(RETURN_ADDRESS_BASELINE), ret[0])
        c.setFillColor(colors.black)
        size, lines = self.address
        y = ADDRESS_FIRST_BASELINE
        for text, font in lines:
            c.setFont(font, size)
            c.drawString(ADDRESS_X, from_top(y), text)
            y += ADDRESS_LEADING * size / ADDRESS_SIZES[0]

        # reference block
        y = REFERENCE_TOP
        value_x = MARGIN_LEFT + 24 * mm
        value_w = PAGE_W - MARGIN_RIGHT - value_x
        for label, value in (
            (_("Datum"), format_date_nl(d.letter_date)),
            *d.references,
            (_("Onderwerp"), self.content.subject),
        ):
            c.setFont(fonts.BOLD, 7.5)
            c.setFillColor(GREY)
            c.drawString(MARGIN_LEFT, from_top(y), label)
            c.setFont(fonts.REGULAR, 10)
            c.setFillColor(colors.black)
            for part in simpleSplit(value, fonts.REGULAR, 10, value_w):
                c.drawString(value_x, from_top(y), part)
                y += 4.8 * mm
            y += 0.8 * mm

        # fold mark (A4 folded once)
        c.setStrokeColor(LIGHT)
        c.setLineWidth(0.3)
        c.line(6 * mm, from_top(FOLD_MARK), 10 * mm, from_top(FOLD_MARK))
        c.restoreState()

    def later_page(self, c: Canvas, doc) -> None:
        draw_running_head(c, self.settings, self.data.organisation_name[:60])

    def footer(self, c: Canvas, page: int, total: int) -> None:
        text = _("Kenmerk") + " " + self.data.kenmerk if self.data.kenmerk else self.data.organisation_name[:60]
        draw_numbered_footer(c, text, page, total)

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
        signature = SignatureBlock(
            _("Met vriendelijke groet,"),
            _("namens de {sender},").format(sender=self.settings.sender_name),
            self.data.signers,
            st.body,
        )
        story.append(KeepTogether(last + [Spacer(1, 2 * mm), signature]))
        # after the signatures, as in a Dutch decision letter: the privacy note and the objection paragraph
        if self.content.appendix:
            story += [Spacer(1, 6 * mm), *block_flowables(self.content.appendix, st)]
        return story


# ---------------------------------------------------------------- rendering


def render_letter_document(
    data: LetterData, settings: LetterSettings, templates_dir: Path | None = None
) -> RenderedLetter:
    """Render one letter; the PDF with the subject and template version used."""
    content = compose_letter(data, settings, templates_dir)
    return render_content(data, settings, content, f"{data.decision.label}: {data.organisation_name}")


def render_content(data, settings: LetterSettings, content: LetterContent, description: str, *,
                   layout: type | None = None, body_top_first: float = BODY_TOP_FIRST) -> RenderedLetter:
    """Lay out a composed letter on the letterhead. ``data`` is a LetterData or any letter's data with the
    same names (kenmerk, letter_date, organisation_name, the address, ``references`` and ``signers``).
    ``layout``: a subclass of the letter's page layout with a first page of its own (the advice memo), whose
    body starts ``body_top_first`` from the top of page 1."""
    st = styles()
    letter = (layout or LetterLayout)(data, settings, content, st)
    buf = io.BytesIO()
    frame_w = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=BODY_TOP_LATER,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{content.subject} – {data.kenmerk or data.organisation_name}",
        author=settings.sender_name,
        subject=description,
        creator="Commissie-app",
        lang="nl-NL",
        initialFontName=fonts.REGULAR,  # otherwise an unembedded Helvetica is listed
        invariant=1,  # no random document id: same letter, same bytes (see canvasmaker)
    )
    first = Frame(MARGIN_LEFT, MARGIN_BOTTOM, frame_w, PAGE_H - body_top_first - MARGIN_BOTTOM,
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
