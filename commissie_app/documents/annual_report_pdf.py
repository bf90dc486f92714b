"""The annual report (jaarverslag) as PDF (issue 15): the commission's letterhead and page furniture shared by
every document (``page_style.DocumentPages``: letterhead on page 1, running head, "pagina X van Y"), the styles
and tables of the agenda and minutes (``meeting_docs``), short Dutch text, the charts of
``annual_report_charts`` and the tables of ``domain.annual_report.report_tables``.

Renders values only: ``render_annual_report(report, settings)`` takes an ``AnnualReport``.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from commissie_app.documents.annual_report_charts import drawing, has_values
from commissie_app.documents.letter_content import LetterSettings
from commissie_app.documents.meeting_docs import grid_table, styles
from commissie_app.documents.page_style import DOC_FRAME_W as FRAME_W
from commissie_app.documents.page_style import DocumentPages, build_document
from commissie_app.domain.annual_report import (
    AnnualReport,
    ReportTable,
    cell_text,
    meetings_sentence,
    report_tables,
    summary,
)
from commissie_app.domain.dates import format_date_nl
from commissie_app.i18n import _, ngettext

CHART_H = 58 * mm


def _table(t: ReportTable, st, widths: list[float] | None = None) -> object:
    if not t.rows:
        return Paragraph(_("geen gegevens"), st.note)
    widths = widths or [FRAME_W - 30 * mm * (len(t.columns) - 1)] + [30 * mm] * (len(t.columns) - 1)
    return grid_table(list(t.columns), [[escape(cell_text(v)) for v in row] for row in t.rows], widths, st)


def _chart(t: ReportTable, st, height: float = CHART_H) -> list:
    """The chart's title and drawing, as one block (kept on one page); 'geen gegevens' without values."""
    shown = drawing(t, FRAME_W, height) if has_values(t) else Paragraph(_("geen gegevens"), st.note)
    return [Paragraph(escape(t.title), st.h2), shown]


def _sections(story: list, st) -> list:
    """A section heading (a str in ``story``) kept on one page with the block that follows it; a block (a
    list) kept on one page. KeepTogether is never nested: an inner one would always move to the next page."""
    out, heading = [], None
    for part in story:
        if isinstance(part, str):
            heading = Paragraph(escape(part), st.h1)
            continue
        block = list(part) if isinstance(part, list) else [part]
        if heading is not None:
            block, heading = [heading, *block], None
        out.append(KeepTogether(block) if len(block) > 1 else block[0])
    return out


def render_annual_report(report: AnnualReport, settings: LetterSettings | None = None) -> bytes:
    """The annual report as PDF bytes."""
    settings = settings or LetterSettings()
    st = styles()
    r = report
    t = {table.key: table for table in report_tables(r)}
    subtitle = _("Voortgangsrapportage over {year}").format(year=r.year)
    if not r.complete:
        subtitle += " " + _("(tot en met {date}; het jaar loopt nog)").format(date=format_date_nl(r.as_of))
    story: list = [
        Paragraph(_("Jaarverslag {year}").format(year=r.year), st.title),
        Paragraph(escape(subtitle), st.subtitle),
        _("Samenvatting"),
        Paragraph(escape(summary(r)), st.body),

        _("Aanvragen"),
        _chart(t["aanvragen_per_maand"], st),
        _chart(t["aanvragen_per_gemeente"], st, 50 * mm),

        _("Besluiten en doorlooptijd"),
        _chart(t["besluiten"], st, 45 * mm),
        [Paragraph(escape(t["doorlooptijd"].title), st.h2), _table(t["doorlooptijd"], st)],
        [Paragraph(escape(t["langst_open"].title), st.h2),
         Paragraph(escape(ngettext("Op {date} stond {n} aanvraag open.", "Op {date} stonden {n} aanvragen open.",
                                   r.open_at_end).format(date=format_date_nl(r.as_of), n=r.open_at_end)), st.body),
         _table(t["langst_open"], st, [FRAME_W - 88 * mm, 34 * mm, 32 * mm, 22 * mm])],

        _("Erkenningen en register"),
        _chart(t["erkenningen"], st, 55 * mm),
        _chart(t["actief_per_maand"], st, 50 * mm),
        _chart(t["register_per_criterium"], st, 45 * mm),

        t["informatieverzoeken"].title,
        _table(t["informatieverzoeken"], st),

        _("Vergaderingen"),
        [Paragraph(escape(meetings_sentence(r)), st.body),
         _table(t["vergaderingen"], st, [34 * mm, FRAME_W - 124 * mm, 30 * mm, 26 * mm, 34 * mm]),
         Spacer(1, 3 * mm)],
        _chart(t["aanwezigheid"], st, 45 * mm),

        _("Advies aan het Coördinatieteam en ontwikkelingen"),
    ]
    if r.advice.has_data:
        story += [
            Paragraph(escape(_("Gevraagd: {asked}; ongevraagd: {unasked}.").format(
                asked=r.advice.asked, unasked=r.advice.unasked)), st.body),
            [Paragraph(escape(t["adviezen"].title), st.h2),
             _table(t["adviezen"], st, [36 * mm, FRAME_W - 61 * mm, 25 * mm])],
            [Paragraph(escape(t["ontwikkelingen"].title), st.h2),
             _table(t["ontwikkelingen"], st, [36 * mm, FRAME_W - 36 * mm])],
        ]
    else:
        story.append(Paragraph(_("geen gegevens"), st.note))
    footer = _("Jaarverslag {year}").format(year=r.year)
    return build_document(_sections(story, st), DocumentPages(settings, footer), title=footer, subject=subtitle,
                  author=settings.sender_name)
