"""The dialog for an unexpected error (``ui/errors.show_error``) and the "Details" section it shares with
the start-up dialog (``ui/unreachable_dialog.py``): Dutch text first, the technical text hidden."""

from __future__ import annotations

import traceback

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from commissie_app.i18n import _
from commissie_app.logging_setup import log_file
from commissie_app.ui.labels import heading_label, plain_label
from commissie_app.ui.widgets import resize_within_screen


def technical_text(err: BaseException) -> str:
    """The error as a developer reads it: class and message, and those of its causes."""
    chain, seen = [err], {id(err)}
    while (cause := chain[-1].__cause__ or chain[-1].__context__) is not None and id(cause) not in seen:
        seen.add(id(cause))
        chain.append(cause)
    return "\n".join("".join(traceback.format_exception_only(type(e), e)).strip() for e in chain)


class DetailsSection:
    """A "Details" toggle and, hidden until it is pressed, the technical text (read-only, selectable)."""

    def __init__(self, parent: QWidget, text: str = ""):
        self.button = QToolButton(parent)
        self.button.setText(_("Details"))
        self.button.setCheckable(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.RightArrow)
        self.button.setAutoRaise(True)
        self.text = QPlainTextEdit(parent)
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(150)
        self.text.hide()
        self.button.toggled.connect(self._shown)
        self.set_text(text)

    def set_text(self, text: str) -> None:
        self.text.setPlainText(text)
        self.button.setVisible(bool(text))

    def _shown(self, on: bool) -> None:
        self.button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.text.setVisible(on)


def message_header(parent: QWidget, kind: QStyle.StandardPixmap, *labels: QWidget) -> QHBoxLayout:
    """A message box's top: the standard icon of ``kind`` beside the labels, one under the other."""
    icon = plain_label("", parent)
    size = parent.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
    icon.setPixmap(parent.style().standardIcon(kind).pixmap(size, size))
    icon.setAlignment(Qt.AlignmentFlag.AlignTop)
    text = QVBoxLayout()
    for label in labels:
        text.addWidget(label)
    top = QHBoxLayout()
    top.addWidget(icon)
    top.addLayout(text, 1)
    return top


def fit_to_text(dialog: QDialog, preferred_width: int) -> None:
    """Size a dialog of wrapped texts: ``preferred_width`` wide (less on a small screen) and as high as its
    texts need at that width, never beyond the screen (1366x768 at 150 %: about 910x512 logical pixels).
    A top-level window does not do this itself: it would be as narrow as its widest word and cut texts."""
    width = min(preferred_width, int(dialog.screen().availableGeometry().width() * 0.9))
    resize_within_screen(dialog, width, dialog.layout().totalHeightForWidth(width))


def open_folder(path) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class UnexpectedErrorDialog(QDialog):
    """Something went wrong that the app did not expect: Dutch text, the log file, the details hidden."""

    def __init__(self, parent: QWidget | None, err: BaseException, title: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(title or _("Onverwachte fout"))
        self.log_path = log_file()
        self.heading = heading_label(_("Er ging iets onverwachts mis"), self, scale=1.2)
        self.heading.setWordWrap(True)
        self.message = plain_label(_(
            "De app kon deze handeling niet afmaken. Er is niets half opgeslagen: wat al was opgeslagen, blijft "
            "zoals het was, en u kunt gewoon verder werken.\n\nGebeurt dit vaker? Stuur dan het logbestand naar "
            "de beheerder. Het staat hier:"), self)
        self.message.setWordWrap(True)
        self.log_label = plain_label(str(self.log_path), self)
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = DetailsSection(self, technical_text(err))

        self.open_log_button = QPushButton(_("Logmap openen"), self)
        self.copy_button = QPushButton(_("Details kopiëren"), self)
        self.close_button = QPushButton(_("Sluiten"), self)
        self.close_button.setDefault(True)
        self.open_log_button.clicked.connect(lambda: open_folder(self.log_path.parent))
        self.copy_button.clicked.connect(self.copy_details)
        self.close_button.clicked.connect(self.accept)

        top = message_header(self, QStyle.StandardPixmap.SP_MessageBoxCritical, self.heading, self.message,
                             self.log_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.details.button)
        buttons.addStretch(1)
        for button in (self.open_log_button, self.copy_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details.text)
        layout.addLayout(buttons)
        fit_to_text(self, 620)
        self.details.button.toggled.connect(lambda _on: fit_to_text(self, 620))

    def main_text(self) -> str:
        """What the dialog says without opening the details (for tests and screen readers)."""
        return "\n".join((self.windowTitle(), self.heading.text(), self.message.text(), self.log_label.text()))

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(
            _("Logbestand: {path}").format(path=self.log_path) + "\n" + self.details.text.toPlainText())
        self.copy_button.setText(_("Gekopieerd"))
