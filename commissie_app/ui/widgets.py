"""Small shared widgets: a Dutch date field with an empty value, field error marking, a message banner."""

from __future__ import annotations

import datetime as dt
import html
import zoneinfo

from PySide6.QtCore import QDate, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from commissie_app.domain.dates import format_date_nl, parse_date
from commissie_app.i18n import _, ngettext
from commissie_app.ui.banner import MessageBanner  # noqa: F401  (shared widget)
from commissie_app.ui.labels import heading_label, plain, plain_label, rich_label  # noqa: F401  (shared helpers)

LOCAL_TZ = zoneinfo.ZoneInfo("Europe/Amsterdam")

ERROR_COLOUR = "#b3261e"

# Applied to a dialog; marks every field that has the dynamic property error=true.
FIELD_ERROR_STYLE = f"""
QLineEdit[error="true"], QPlainTextEdit[error="true"], QComboBox[error="true"] {{
    border: 2px solid {ERROR_COLOUR};
    border-radius: 3px;
    background: #fff6f5;
}}
QWidget#criteriaBox[error="true"] {{
    border: 2px solid {ERROR_COLOUR};
    border-radius: 3px;
}}
QLabel[role="field-error"] {{
    color: {ERROR_COLOUR};
}}
QLabel[role="hint"] {{
    color: #5f6368;
}}
"""


def format_date_short(value: dt.date | None) -> str:
    """23-11-2026, the form a user types."""
    return value.strftime("%d-%m-%Y") if value else ""


def format_local_datetime(value: dt.datetime | None) -> str:
    """A stored UTC moment as local (Europe/Amsterdam) date and time: 23-11-2026 14:05."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(LOCAL_TZ).strftime("%d-%m-%Y %H:%M")


def format_size(size: int) -> str:
    """1,5 MB / 12 kB / 300 bytes, with a Dutch decimal comma."""
    if size >= 1024 * 1024:
        return f"{size / 1048576:.1f} MB".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.0f} kB"
    return ngettext("{n} byte", "{n} bytes", size).format(n=size)


def escape(text: object) -> str:
    """User text for inside a rich-text (HTML) label: markup in it is shown, never interpreted."""
    return html.escape(str(text), quote=True)


def link_html(url: str, shown: str | None = None) -> str:
    """A web address as a clickable link (markup, escaped); anything but http(s) stays plain text, so a
    link to a file or program (``file:``, ``javascript:``) is never handed to the operating system.
    ``shown``: the text shown instead of the address (e.g. :func:`shortened`)."""
    from PySide6.QtCore import QUrl

    text = escape(url if shown is None else shown)
    parsed = QUrl(url, QUrl.ParsingMode.StrictMode)
    if parsed.isValid() and parsed.scheme().lower() in ("http", "https") and parsed.host():
        return f'<a href="{escape(parsed.toString())}">{text}</a>'
    return text


def shortened(text: str, length: int) -> str:
    """``text``, cut to ``length`` characters with an ellipsis at the end when it is longer."""
    return text if len(text) <= length else text[: length - 1] + "…"


def set_error_state(widget: QWidget, message: str | None) -> None:
    """Mark a field in error (style property ``error``) and tell assistive technology why."""
    in_error = bool(message)
    if widget.property("error") == in_error:
        if in_error:
            widget.setToolTip(plain(message))
        return
    widget.setProperty("error", in_error)
    widget.setToolTip(plain(message or ""))
    widget.setAccessibleDescription(message or "")
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


def calendar_icon() -> QIcon:
    """A small calendar drawn in code (no icon theme is needed)."""
    pix = QPixmap(16, 16)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    p.setPen(QColor("#555555"))
    p.setBrush(QColor("#ffffff"))
    p.drawRect(1, 2, 13, 12)
    p.fillRect(2, 3, 12, 3, QColor("#b3261e"))
    p.fillRect(4, 0, 2, 4, QColor("#555555"))
    p.fillRect(10, 0, 2, 4, QColor("#555555"))
    for row in range(2):
        for col in range(3):
            p.fillRect(3 + col * 4, 8 + row * 3, 2, 2, QColor("#555555"))
    p.end()
    return QIcon(pix)


class DateEdit(QLineEdit):
    """A date typed the Dutch way (dd-mm-jjjj; jjjj-mm-dd is accepted), or empty.

    Unlike QDateEdit it can be empty, and what the user typed is never thrown away:
    an unparseable text stays in the field and ``date()`` raises ValueError.
    A calendar button offers a picker.
    """

    sig_date_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(_("dd-mm-jjjj"))
        self.setMaxLength(10)
        self.setClearButtonEnabled(False)
        self._calendar_action = self.addAction(calendar_icon(), QLineEdit.ActionPosition.TrailingPosition)
        self._calendar_action.setToolTip(_("Kies een datum in de kalender"))
        self._calendar_action.triggered.connect(self._show_calendar)
        self.textChanged.connect(self.sig_date_changed)
        self.editingFinished.connect(self._normalise)
        width = self.fontMetrics().horizontalAdvance("00-00-00000") + 44
        self.setMinimumWidth(width)
        self.setMaximumWidth(width + 40)

    def date(self) -> dt.date | None:
        """The date, None when empty; ValueError for text that is not a date."""
        text = self.text().strip()
        if not text:
            return None
        return parse_date(text)

    def is_valid(self) -> bool:
        try:
            self.date()
        except ValueError:
            return False
        return True

    def setDate(self, value: dt.date | None) -> None:  # noqa: N802 - Qt naming
        self.setText(format_date_short(value))

    def _normalise(self) -> None:
        """Show an accepted date in the canonical dd-mm-jjjj form once the user leaves the field."""
        try:
            value = self.date()
        except ValueError:
            return
        if value is not None and self.text() != format_date_short(value):
            self.setText(format_date_short(value))

    def _show_calendar(self) -> None:
        if self.isReadOnly():
            return
        menu = QMenu(self)
        calendar = QCalendarWidget(menu)
        calendar.setGridVisible(True)
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        try:
            current = self.date()
        except ValueError:
            current = None
        if current:
            calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def picked(qdate: QDate) -> None:
            self.setDate(dt.date(qdate.year(), qdate.month(), qdate.day()))
            self.textEdited.emit(self.text())  # a user's change, like typing
            self.editingFinished.emit()
            menu.close()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        menu.exec(self.mapToGlobal(self.rect().bottomLeft()))


class FieldBox(QWidget):
    """A field with its error message underneath (hidden while there is none)."""

    def __init__(self, field: QWidget, parent: QWidget | None = None, hint: str = ""):
        super().__init__(parent)
        self.field = field
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        self.hint_label: QLabel | None = None
        if hint:
            self.hint_label = QLabel(hint, self)
            self.hint_label.setProperty("role", "hint")
            self.hint_label.setWordWrap(True)
            layout.addWidget(self.hint_label)
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what was typed
        self.error_label.setProperty("role", "field-error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        layout.addWidget(self.error_label)

    def set_error(self, message: str | None) -> None:
        set_error_state(self.field, message)
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))

    def error(self) -> str:
        return self.error_label.text()


def resize_within_screen(window: QWidget, width: int, height: int, share: float = 0.9) -> None:
    """Give a window its preferred size, but never more than ``share`` of the screen it is on (a 1366x768
    laptop at 150 % leaves about 910x512 logical pixels): its buttons stay on the screen."""
    window.resize(QSize(width, height).boundedTo(window.screen().availableGeometry().size() * share))


def close_buttons(dialog: QDialog) -> QDialogButtonBox:
    """A dialog's single "Sluiten" button (rejects the dialog)."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    box.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
    box.rejected.connect(dialog.reject)
    return box


def accept_cancel_buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """The dialog's "<ok_text>" (default, kept as ``dialog.ok_button``) and "Annuleren" buttons; Annuleren
    rejects the dialog, and the caller connects ``accepted`` to what saving means there."""
    box = QDialogButtonBox(dialog)
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    dialog.ok_button = ok
    box.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
    box.rejected.connect(dialog.reject)
    return box


def long_date(value: dt.date | None) -> str:
    return format_date_nl(value)


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: list[tuple[str, QMessageBox.ButtonRole]],
    default: int = 0,
    escape: int | None = None,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> int:
    """A question with Dutch button labels; returns the index of the chosen button.

    Esc (or closing the box) returns ``escape`` (the last choice when not given).
    Tests replace this function (``widgets.ask``) instead of driving the modal box.
    """
    box, buttons = question_box(parent, title, text, choices, default, escape, icon)
    escape = len(choices) - 1 if escape is None else escape
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else escape


def question_box(parent: QWidget | None, title: str, text: str, choices: list[tuple[str, QMessageBox.ButtonRole]],
                 default: int = 0, escape: int | None = None,
                 icon: QMessageBox.Icon = QMessageBox.Icon.Question) -> tuple[QMessageBox, list[QAbstractButton]]:
    """The box ``ask`` shows (not yet shown), and its buttons in the order of ``choices``."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the question may quote names a user typed
    buttons = [box.addButton(label, role) for label, role in choices]
    box.setDefaultButton(buttons[default])
    box.setEscapeButton(buttons[len(choices) - 1 if escape is None else escape])
    return box, buttons


class VerticalScrollArea(QScrollArea):
    """Scrolls its widget up and down and is as wide as the widget's minimum width where the window has room
    (up to ``widest`` pixels); in a smaller window it scrolls sideways too, so nothing is out of reach."""

    def __init__(self, parent: QWidget | None = None, widest: int = 420):
        super().__init__(parent)
        self.widest = widest
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt naming
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        if obj is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the content's minimum width may have changed
        return super().eventFilter(obj, event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        hint = super().minimumSizeHint()
        if self.widget() is None:
            return hint
        width = (self.widget().minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                 + 2 * self.frameWidth())
        return QSize(max(hint.width(), min(width, self.widest)), hint.height())
