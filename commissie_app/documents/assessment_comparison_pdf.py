"""The comparison of an application's assessments as PDF (issue 13), in the house style of the agenda and the
minutes: the letterhead on page 1, a running head on later pages, "pagina X van Y".

One row per question, one column per assessor (full names, wrapped); rows where the assessors answered
differently are tinted; an unanswered question is a compact "—" explained in a legend. Below the table each
assessor's advice with the full reason, wrapped over the page width. Takes a
:class:`commissie_app.domain.assessment_comparison.Comparison` (values only).
"""

from __future__ import annotations

import datetime as dt
import math

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table, TableStyle

from commissie_app.documents import fonts
from commissie_app.documents.letter_content import LetterSettings
from commissie_app.documents.meeting_docs import (
    FRAME_W,
    PALE,
    RULE,
    key_value_table,
    _text,
    styles,
)
from commissie_app.documents.page_style import DocumentPages, build_document
from commissie_app.domain.assessment_comparison import CellState, Comparison
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _, ngettext

DISAGREE = colors.HexColor("#FFF0C2")  # the tint of the window's comparison
QUESTION_W = 50 * mm
MAX_COLUMNS = 4  # assessor columns per table on a portrait page; more are spread evenly over several tables
RUNNING_HEAD_CHARS = 80  # the running head shares its line with the sender's name  # five seats and the commission's consolidated assessment side by side


def _assessor_head(a) -> str:
    return f"<b>{_text(a.name)}</b><br/><font size='7' color='#555555'>" + _text(
        _("versie {version}, {state}").format(version=a.form_version, state=a.state_text)) + "</font>"


def _table(comparison: Comparison, first: int, last: int) -> Table:
    st = styles()
    assessors = comparison.assessors[first:last]
    width = (FRAME_W - QUESTION_W) / max(1, len(assessors))
    data = [[Paragraph(_("Vraag"), st.label)] + [Paragraph(_assessor_head(a), st.grid) for a in assessors]]
    tint = []
    for r, row in enumerate(comparison.rows, start=1):
        cells = []
        for cell in row.cells[first:last]:
            text = _text(cell.text)
            if cell.state is not CellState.ANSWERED:
                text = f"<font color='#9A9A9A'>{text}</font>"
            cells.append(Paragraph(text, st.grid))
        data.append([Paragraph(_text(row.label), st.grid)] + cells)
        if row.differs:
            tint.append(("BACKGROUND", (1, r), (-1, r), DISAGREE))
    data.append([Paragraph(_("Voorgesteld advies"), st.item)]
                + [Paragraph(f"<b>{_text(a.advice_text)}</b>", st.grid) for a in assessors])
    if comparison.advice_differs:
        tint.append(("BACKGROUND", (1, len(data) - 1), (-1, len(data) - 1), DISAGREE))
    t = Table(data, colWidths=[QUESTION_W] + [width] * len(assessors), hAlign="LEFT", repeatRows=1)
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # else an unembedded Helvetica is listed
        ("BACKGROUND", (0, 0), (-1, 0), PALE),
        ("BACKGROUND", (0, 1), (0, -1), PALE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *tint,
    ]))
    return t


def render_comparison_pdf(comparison: Comparison, settings: LetterSettings | None = None,
                          printed_on: dt.date | None = None, printed_by: str = "") -> bytes:
    """The PDF bytes of ``comparison``."""
    settings = settings or LetterSettings()
    st = styles()
    story: list = [Paragraph(_("Vergelijking van de beoordelingen"), st.title),
                   Paragraph(_text(comparison.application), st.subtitle)]
    rows: list[tuple[str, object]] = [(_("Aanvraag"), _text(comparison.application)),
                                      (_("Beoordelingen"), _text(len(comparison.assessors)))]
    if printed_on:
        printed = format_date_nl(printed_on) + (_(" door {who}").format(who=printed_by) if printed_by else "")
        rows.append((_("Afgedrukt op"), _text(printed)))
    story.append(key_value_table(rows, st))
    if comparison.hidden:
        story.append(Paragraph(_text(ngettext(
            "{n} beoordeling van een ander is volgens de regels van de commissie niet zichtbaar voor u en staat "
            "hier niet in.",
            "{n} beoordelingen van anderen zijn volgens de regels van de commissie niet zichtbaar voor u en staan "
            "hier niet in.", comparison.hidden).format(n=comparison.hidden)), st.note))
    if not comparison.assessors:
        story.append(Paragraph(_("Er zijn nog geen beoordelingen van deze aanvraag."), st.body))
    else:
        # a heading that does not keep with the long table (that would move the whole table to the next page)
        story.append(CondPageBreak(40 * mm))
        story.append(Paragraph(_("Antwoorden per vraag"), ParagraphStyle("cmp_h1", parent=st.h1, keepWithNext=False)))
        n = len(comparison.assessors)
        per_table = math.ceil(n / math.ceil(n / MAX_COLUMNS))  # six (five seats and the commission): 3 + 3
        for first in range(0, n, per_table):
            story.append(_table(comparison, first, first + per_table))
            story.append(Spacer(1, 3 * mm))
        legend = [_("— {meaning}").format(meaning=CellState.UNANSWERED.explanation),
                  _("n.v.t. = niet van toepassing (volgt uit een eerder antwoord of staat niet in die "
                    "formulierversie)"),
                  _("gemarkeerd: de beoordelaars antwoordden verschillend")]
        story.append(Paragraph(_text("; ".join(legend)), st.small))
        story.append(Paragraph(_("Advies en reden per beoordelaar"), st.h1))
        for a in comparison.assessors:
            head = f"<b>{_text(a.name)}</b> ({_text(a.state_and_version)}): " \
                   f"<b>{_text(a.advice_text)}</b>"
            body = [Paragraph(head, st.h2)]
            body.append(Paragraph(_text(a.reason) if a.reason else _("(geen reden)"), st.body))
            story.append(KeepTogether(body))
    footer = _("Vergelijking beoordelingen – {app}").format(app=comparison.application)
    pages = DocumentPages(settings, footer if len(footer) <= RUNNING_HEAD_CHARS else footer[:RUNNING_HEAD_CHARS - 1] + "…")
    return build_document(story, pages, title=_("Vergelijking van de beoordelingen"), subject=comparison.application,
                  author=settings.sender_name)

