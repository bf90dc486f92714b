"""A coloured message strip with an optional action and close button (light: the main window's first frame
imports it, so it needs nothing but Qt and i18n)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from commissie_app.i18n import _


class MessageBanner(QFrame):
    """A coloured strip at the top of a dialog for a message with an optional action button."""

    sig_action = Signal()

    STYLES = {
        "error": "QFrame#banner { background: #fdecea; border: 1px solid #e0a39b; border-radius: 4px; }",
        "info": "QFrame#banner { background: #eaf2fb; border: 1px solid #9bbbe0; border-radius: 4px; }",
        "warning": "QFrame#banner { background: #fff6e0; border: 1px solid #e0c27b; border-radius: 4px; }",
    }

    def __init__(self, parent: QWidget | None = None, *, dismissed: set[str] | None = None):
        """With ``dismissed`` (a set shared for the session) the banner has a close button: a closed
        message is added to the set and stays away until its text changes (issue 13)."""
        super().__init__(parent)
        self.setObjectName("banner")
        self.dismissed = dismissed
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote names and file names
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.button = QPushButton(self)
        self.button.clicked.connect(self.sig_action)
        self.button.hide()
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(_("Melding sluiten (tot de volgende start)"))
        self.close_button.setAccessibleName(_("Melding sluiten"))
        self.close_button.clicked.connect(self.dismiss)
        self.close_button.setVisible(dismissed is not None)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def dismiss(self) -> None:
        """Closed for this session: the same text is not shown again (a changed text is)."""
        if self.dismissed is not None:
            self.dismissed.add(self.label.text())
        self.hide()

    def show_message(self, text: str, kind: str = "info", action: str | None = None) -> None:
        if self.dismissed is not None and text in self.dismissed:
            self.clear()
            return
        self.setStyleSheet(self.STYLES.get(kind, self.STYLES["info"]))
        self.setProperty("kind", kind)
        self.label.setText(text)
        self.button.setVisible(bool(action))
        if action:
            self.button.setText(action)
        self.show()

    def clear(self) -> None:
        self.label.clear()
        self.button.hide()
        self.hide()

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()
