"""The charts of the annual report as reportlab drawings (issue 15): one drawing code for the PDF and for the
Rapportage page, which shows the same drawing as SVG (``svg``; docs/architecture.md, "The annual report's
charts").

``drawing(table, width, height)`` draws a ``domain.annual_report.ReportTable`` whose ``chart`` is 'bar', 'hbar',
'pie' or 'line': the first column gives the labels, the second the values. A table without any value above
zero draws 'geen gegevens' instead of an empty chart.
"""

from __future__ import annotations

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from commissie_app.documents import fonts
from commissie_app.documents.page_style import ACCENT, GREY
from commissie_app.domain.annual_report import ReportTable
from commissie_app.i18n import _

#: Slice colours of a pie: the accent colour first, then calm tints that print well in grey.
PALETTE = (ACCENT, colors.HexColor("#7FB3BD"), colors.HexColor("#C98B2B"), colors.HexColor("#A33A2B"),
           colors.HexColor("#6B6B6B"), colors.HexColor("#B9D3D8"))
LABEL_SIZE = 7.5


def _value_axis_max(values) -> int:
    top = max(values, default=0)
    return max(4, int(top) + (1 if top == int(top) else 2))


def _style_value_axis(axis, values) -> None:
    axis.valueMin = 0
    axis.valueMax = _value_axis_max(values)
    axis.valueStep = max(1, axis.valueMax // 4)
    axis.labels.fontName = fonts.REGULAR
    axis.labels.fontSize = LABEL_SIZE
    axis.strokeColor = GREY
    axis.visibleGrid = True
    axis.gridStrokeColor = colors.HexColor("#DDDDDD")


def _style_category_axis(axis, labels) -> None:
    axis.categoryNames = list(labels)
    axis.labels.fontName = fonts.REGULAR
    axis.labels.fontSize = LABEL_SIZE
    axis.strokeColor = GREY


def _no_data(d: Drawing) -> Drawing:
    d.add(String(d.width / 2, d.height / 2, _("geen gegevens"), fontName=fonts.ITALIC, fontSize=10,
                 fillColor=GREY, textAnchor="middle"))
    return d


def _bar(table: ReportTable, d: Drawing) -> None:
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 28, d.width - 40, d.height - 38
    chart.data = [list(table.values)]
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.REGULAR
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.nudge = 6
    _style_value_axis(chart.valueAxis, table.values)
    _style_category_axis(chart.categoryAxis, [label[:3] for label in table.labels])
    d.add(chart)


def _hbar(table: ReportTable, d: Drawing) -> None:
    label_w = min(d.width * 0.45, max(fonts_width(label) for label in table.labels) + 8)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_w, 18
    chart.width, chart.height = d.width - label_w - 18, d.height - 24
    chart.data = [list(reversed(table.values))]  # the first row on top
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.REGULAR
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    _style_value_axis(chart.valueAxis, table.values)
    _style_category_axis(chart.categoryAxis, reversed(table.labels))
    d.add(chart)


def fonts_width(text: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, fonts.REGULAR, LABEL_SIZE)


def _pie(table: ReportTable, d: Drawing) -> None:
    shown = [(label, value) for label, value in zip(table.labels, table.values) if value]
    size = min(d.height - 16, d.width * 0.45)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 10, (d.height - size) / 2, size, size
    pie.data = [value for _label, value in shown]
    pie.labels = [str(value) for _label, value in shown]
    pie.simpleLabels = 1
    pie.slices.strokeColor = colors.white
    pie.slices.fontName = fonts.BOLD
    pie.slices.fontSize = 8
    pie.slices.fontColor = colors.white
    pie.slices.labelRadius = 0.65
    for i in range(len(shown)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
    d.add(pie)
    legend = Legend()
    legend.x, legend.y = size + 30, d.height / 2 + len(shown) * 6
    legend.fontName = fonts.REGULAR
    legend.fontSize = 8.5
    legend.alignment = "right"
    legend.columnMaximum = 8
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], f"{label} ({value})")
                             for i, (label, value) in enumerate(shown)]
    d.add(legend)


def _line(table: ReportTable, d: Drawing) -> None:
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 30, 28, d.width - 40, d.height - 38
    chart.data = [list(table.values)]
    chart.lines[0].strokeColor = ACCENT
    chart.lines[0].strokeWidth = 2
    chart.joinedLines = 1
    chart.lineLabelFormat = "%d"
    chart.lineLabels.fontName = fonts.REGULAR
    chart.lineLabels.fontSize = LABEL_SIZE
    chart.lineLabelNudge = 6
    _style_value_axis(chart.valueAxis, table.values)
    _style_category_axis(chart.categoryAxis, [label[:3] for label in table.labels])
    d.add(chart)


DRAW = {"bar": _bar, "hbar": _hbar, "pie": _pie, "line": _line}


def has_values(table: ReportTable) -> bool:
    """Whether the table has a value above zero to draw."""
    return any(isinstance(v, (int, float)) and v > 0 for v in table.values)


def drawing(table: ReportTable, width: float, height: float) -> Drawing:
    """The chart of ``table`` in a drawing of ``width`` x ``height`` points."""
    fonts.register_fonts()
    d = Drawing(width, height)
    d.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))  # SVG has no page behind it
    if not has_values(table):
        return _no_data(d)
    DRAW[table.chart](table, d)
    return d


def svg(table: ReportTable, width: float, height: float) -> bytes:
    """The same drawing as SVG (the Rapportage page shows it with Qt's SVG renderer)."""
    return renderSVG.drawToString(drawing(table, width, height)).encode("utf-8")
