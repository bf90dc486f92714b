"""Pages of the navigation that are not built yet: they say what is coming."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from commissie_app.i18n import _
from commissie_app.ui.labels import heading_label


def placeholder_texts() -> dict[str, tuple[str, str]]:
    """key -> (title, what is coming)."""
    return {
        "meetings": (
            _("Vergaderingen"),
            _("De vergaderingen van de commissie (de agenda, aanwezigheid en belangenverstrengeling, de stemmen "
              "per agendapunt en de besluiten met kenmerk) verschijnen hier zodra de database open is."),
        ),
        "register": (
            _("Register"),
            _("Het register van erkende sociaal ondernemers (wie erkend is, tot wanneer, de geschiedenis van elke "
              "erkenning) verschijnt hier zodra de database open is."),
        ),
        "report": (
            _("Rapportage"),
            _("Het jaarverslag van de commissie (aanvragen, besluiten, erkenningen, vergaderingen) met grafieken "
              "verschijnt hier zodra de database open is."),
        ),
        "settings": (
            _("Instellingen"),
            _("De instellingen (het briefpapier van de besluitbrieven) verschijnen hier zodra de database "
              "open is."),
        ),
    }


class LazyPage(QWidget):
    """An empty page that builds its content with ``factory(parent)`` the first time it is shown.

    Pages the user has not opened yet cost nothing: some need modules the list does not (the ORM).
    """

    def __init__(self, factory, parent=None):
        super().__init__(parent)
        self._factory = factory
        self.content: QWidget | None = None

    def showEvent(self, event) -> None:
        if self._factory is not None:
            factory, self._factory = self._factory, None
            layout = QVBoxLayout(self)
            layout.setContentsMargins(0, 0, 0, 0)
            self.content = factory(self)
            layout.addWidget(self.content)
            self.content.show()
        super().showEvent(event)


class PlaceholderPage(QWidget):
    def __init__(self, title: str, text: str, parent=None):
        super().__init__(parent)
        heading = heading_label(title, self, 1.5)
        heading.setObjectName("heading")
        body = QLabel(text, self)
        body.setObjectName("body")
        body.setWordWrap(True)
        body.setMaximumWidth(620)
        body.setMinimumWidth(min(620, body.fontMetrics().averageCharWidth() * 60))
        coming = QLabel(_("De database is nog niet open."), self)
        coming.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addWidget(coming)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
