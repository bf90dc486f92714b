"""PDF pages inside the app: rendered with PDFium (pypdfium2), shown as images, printed through Qt.

PySide6-Essentials has no QtPdf; PDFium is the engine QtPdf itself wraps, so the preview shows the
document exactly as it will print.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from commissie_app.i18n import _
from commissie_app.ui.widgets import resize_within_screen


def render_pages(pdf: bytes, dpi: float = 96) -> list[QImage]:
    """Every page of ``pdf`` as an image at ``dpi``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(doc)):
            bitmap = doc[index].render(scale=dpi / 72, rev_byteorder=True)  # RGB(A) byte order for Qt
            fmt = QImage.Format.Format_RGBA8888 if bitmap.n_channels == 4 else QImage.Format.Format_RGB888
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt)
            images.append(image.copy())  # detach from PDFium's buffer
    finally:
        doc.close()
    return images


def print_pdf(parent: QWidget | None, pdf: bytes) -> bool:
    """Ask for a printer (system print dialog) and print every page; False when cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if QPrintDialog(printer, parent).exec() != QDialog.DialogCode.Accepted:
        return False
    pages = render_pages(pdf, dpi=min(printer.resolution(), 300))
    painter = QPainter(printer)
    try:
        target = painter.viewport()
        for number, image in enumerate(pages):
            if number:
                printer.newPage()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
    finally:
        painter.end()
    return True


class PdfPreviewDialog(QDialog):
    """All pages one below the other, with a print button."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        resize_within_screen(self, 860, 940)
        self.pdf = pdf
        self.pages = render_pages(pdf)
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        column.setSpacing(12)
        self.page_labels: list[QLabel] = []
        for image in self.pages:
            label = QLabel(holder)
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("border: 1px solid palette(mid); background: white;")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        scroll = QScrollArea(self)
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet("QScrollArea { background: palette(dark); }")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
        self.print_button = QPushButton(_("Afdrukken…"), self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(lambda: print_pdf(self, self.pdf))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
