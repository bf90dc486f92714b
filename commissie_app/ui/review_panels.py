"""Parts of the offline review window: an application's organisation data and evidence, and its attachments
previewed in the app from memory (never written to a file: docs/offline-review.md)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.codes import Criterion, ImpactDomain, LegalForm, Municipality, Status
from commissie_app.domain.dates import format_date_nl
from commissie_app.i18n import _
from commissie_app.ui.labels import plain_label
from commissie_app.ui.widgets import escape, format_size

MAX_PREVIEW_PAGES = 40
IMAGE_TYPES = ("image/png", "image/jpeg")


def code_label(enum_cls, value) -> str:
    """The Dutch label of a stored code; the code itself when this version of the app does not know it."""
    try:
        return enum_cls(value).label
    except ValueError:
        return str(value or "")


def _date(value: str | None) -> str:
    import datetime as dt

    try:
        return format_date_nl(dt.date.fromisoformat(value)) if value else ""
    except ValueError:
        return str(value)


def application_html(app: dict, evidence_first: bool = False) -> str:
    """The organisation data and evidence of an application as markup (every value escaped); ``evidence_first``:
    the evidence per criterion right under the name (beside an assessment form, issue 13)."""
    org = app["organisation"]
    rows = [
        (_("KvK-nummer"), org.get("kvk")),
        (_("Rechtsvorm"), code_label(LegalForm, org.get("legal_form"))),
        (_("Adres"), ", ".join(p for p in (org.get("street"), " ".join(
            p for p in (org.get("postcode"), org.get("place")) if p)) if p)),
        (_("Gemeente"), code_label(Municipality, org.get("municipality"))),
        (_("Contactpersoon"), org.get("contact_person")),
        (_("E-mail"), org.get("email")),
        (_("Telefoon"), org.get("phone")),
        (_("Website"), org.get("website")),
        (_("Opgericht"), _date(org.get("founded_on"))),
        (_("Impactdomeinen"), ", ".join(code_label(ImpactDomain, d) for d in org.get("impact_domains") or [])),
        (_("Aanvraag ontvangen"), _date(app.get("received_on"))),
        (_("Status"), code_label(Status, app.get("status"))),
    ]
    details = ["<table cellspacing='0' cellpadding='3'>"]
    details += [f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows if v]
    details.append("</table>")
    if org.get("mission"):
        details.append(f"<h3>{escape(_('Missie'))}</h3><p>{escape(org['mission'])}</p>")
    evidence = ["<h3>{}</h3>".format(escape(_("Bewijs per criterium")))]
    if app.get("evidence"):
        evidence.append("<table cellspacing='0' cellpadding='3'>")
        for e in app["evidence"]:
            until = _("geldig tot en met {day}").format(day=_date(e["valid_until"])) if e.get("valid_until") else ""
            evidence.append(f"<tr><td><b>{escape(code_label(Criterion, e['criterion']))}</b></td>"
                            f"<td>{escape(e.get('reference') or '')}</td><td>{escape(until)}</td></tr>")
        evidence.append("</table>")
    else:
        evidence.append("<p>{}</p>".format(escape(_("Geen bewijs vastgelegd."))))
    if evidence_first:
        details.insert(0, "<h3>{}</h3>".format(escape(_("Organisatie en aanvraag"))))
    html = [f"<h2>{escape(org.get('name', ''))}</h2>"] + (evidence + details if evidence_first else details + evidence)
    return "".join(html)


class ApplicationView(QTextBrowser):
    """Read-only organisation data and evidence; no links are followed, no resources loaded."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def show_application(self, app: dict, evidence_first: bool = False) -> None:
        self.setHtml(application_html(app, evidence_first))

    def loadResource(self, kind, url):  # noqa: N802 - Qt naming: nothing is fetched for a package's text
        return None


class AttachmentPreview(QWidget):
    """The attachments of an application in a list, the chosen one shown below it from memory: PDF pages
    rendered with PDFium, PNG and JPEG as images; other types are named, not written to a file.
    ``other_text`` (with ``{name}``) says where such a file can be seen instead."""

    def __init__(self, parent: QWidget | None = None, other_text: str | None = None):
        super().__init__(parent)
        self.other_text = other_text or _(
            "‘{name}’ kan offline niet in de app worden getoond (alleen PDF, PNG en JPEG). Het wordt niet als "
            "bestand op deze laptop gezet; bekijk het in de app van de commissie.")
        self.list = QListWidget(self)
        self.list.setAccessibleName(_("Bijlagen"))
        self.list.currentRowChanged.connect(self._show_row)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setStyleSheet("QScrollArea { background: palette(dark); }")
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.list)
        split.addWidget(self.scroll)
        split.setSizes([90, 500])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.message = plain_label()
        self.pages: list[QLabel] = []
        self._metas: list[dict] = []
        self._bytes = None
        self._rendered_width = 0  # the width a PDF was rendered for: rendered again when the view grows or shrinks
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(150)
        self._resized.timeout.connect(lambda: self._show_row(self.list.currentRow()))

    def set_attachments(self, metas: list[dict], read_bytes) -> None:
        """``read_bytes(att_id)`` gives the bytes of an attachment (from the opened package, in memory)."""
        self._metas = list(metas)
        self._bytes = read_bytes
        self.list.clear()
        for meta in self._metas:
            crit = f" · {code_label(Criterion, meta['criterion'])}" if meta.get("criterion") else ""
            QListWidgetItem(f"{meta['filename']} ({format_size(meta['size'])}){crit}", self.list)
        if self._metas:
            self.list.setCurrentRow(0)
        else:
            self._show_widgets([plain_label(_("Deze aanvraag heeft geen bijlagen."))])

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self._metas):
            self.show_attachment(self._metas[row])

    def show_attachment(self, meta: dict) -> None:
        blob = self._bytes(meta["id"])
        kind = meta.get("content_type") or ""
        widgets: list[QWidget] = []
        self._rendered_width = 0
        if kind == "application/pdf" or blob[:5] == b"%PDF-":
            from commissie_app.ui.pdf_preview import render_pages

            # about the width of the view (an A4 page is 595 points wide), so a page fits without scrolling sideways
            self._rendered_width = self.width()
            dpi = max(40.0, min(110.0, (self.width() - 60) * 72 / 595))
            try:
                images = render_pages(blob, dpi=dpi * self.devicePixelRatioF())
            except Exception:  # a PDF PDFium cannot read: say so, show nothing
                images = None
            if images is None:
                widgets.append(plain_label(_("‘{name}’ kan niet worden getoond: PDFium kan het bestand niet "
                                             "lezen.").format(name=meta["filename"])))
            else:
                if len(images) > MAX_PREVIEW_PAGES:
                    widgets.append(plain_label(_("De eerste {n} van {total} pagina's worden getoond.").format(
                        n=MAX_PREVIEW_PAGES, total=len(images))))
                widgets += [self._page(image) for image in images[:MAX_PREVIEW_PAGES]]
        elif kind in IMAGE_TYPES:
            image = QImage.fromData(blob)
            widgets.append(self._page(image) if not image.isNull() else plain_label(
                _("‘{name}’ kan niet worden getoond.").format(name=meta["filename"])))
        else:
            widgets.append(plain_label(self.other_text.format(name=meta["filename"])))
        self._show_widgets(widgets)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        if self._rendered_width and abs(self.width() - self._rendered_width) > 40:
            self._rendered_width = 0
            self._resized.start()

    def _page(self, image: QImage) -> QLabel:
        label = QLabel()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())  # sharp on a scaled screen
        label.setPixmap(pixmap)
        label.setStyleSheet("border: 1px solid palette(mid); background: white;")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _show_widgets(self, widgets: list[QWidget]) -> None:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setSpacing(12)
        for w in widgets:
            if isinstance(w, QLabel) and w.pixmap().isNull():
                w.setWordWrap(True)
                w.setStyleSheet("background: palette(window); padding: 8px;")
            column.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        self.pages = [w for w in widgets if isinstance(w, QLabel) and not w.pixmap().isNull()]
        self.message = next((w for w in widgets if isinstance(w, QLabel) and w.pixmap().isNull()), plain_label())
        self.scroll.setWidget(holder)
