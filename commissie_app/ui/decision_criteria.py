"""The decision dialog's criteria (issue 12): which criteria the commission found met, prefilled from the
consolidated assessment, and the badge's cap by the certificates they rest on, with the reason to let the
badge run longer."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from commissie_app.domain import recognition as rrules
from commissie_app.domain.codes import Criterion
from commissie_app.domain.dates import format_date_nl
from commissie_app.i18n import _
from commissie_app.services.recognitions import DecisionStart


class CriteriaPanel(QGroupBox):
    """A check box per criterion (those the consolidated assessment answered 'ja' ticked, else those claimed;
    issue 14), the certificate's
    end date as the badge's cap, and an override reason shown only when a cap applies."""

    def __init__(self, start: DecisionStart, parent: QWidget | None = None):
        super().__init__(_("Criteria waaraan is voldaan"), parent)
        self.setObjectName("criteriaMet")
        self.start = start
        layout = QVBoxLayout(self)
        self.boxes: dict[Criterion, QCheckBox] = {}
        for c in Criterion:
            text = c.label if c in start.claimed else _("{c} (niet aangevraagd)").format(c=c.label)
            if c in start.certificates:
                text += " — " + _("certificaat geldig tot en met {d}").format(d=format_date_nl(start.certificates[c]))
            box = QCheckBox(text, self)
            box.setChecked(c in (start.assessed or start.claimed))
            box.toggled.connect(self._update)
            layout.addWidget(box)
            self.boxes[c] = box
        self.source = QLabel(self)
        self.source.setWordWrap(True)
        self.source.setProperty("role", "hint")
        self.source.setText(_("Aangevinkt: wat de geconsolideerde beoordeling met ‘ja’ beantwoordt.")
                            if start.assessed else _("Aangevinkt: de criteria van de aanvraag (de geconsolideerde "
                                                     "beoordeling vinkt er geen aan). Vink uit waaraan de organisatie "
                                                     "volgens de commissie niet voldoet."))
        layout.addWidget(self.source)
        self.cap = QLabel(self)
        self.cap.setObjectName("certificateCap")
        self.cap.setWordWrap(True)
        layout.addWidget(self.cap)
        self.override = QLineEdit(self)
        self.override.setObjectName("overrideReason")
        self.override.setAccessibleName(_("Reden om de SROI-badge langer te laten lopen dan het certificaat"))
        self.override.setPlaceholderText(_("Reden om de SROI-badge toch langer te laten lopen (leeg: niet langer)"))
        layout.addWidget(self.override)
        self._update()

    def criteria(self) -> list[Criterion]:
        return [c for c, box in self.boxes.items() if box.isChecked()]

    def certificate_until(self) -> dt.date | None:
        return rrules.certificate_end(self.start.certificates.items(), self.criteria())

    def override_reason(self) -> str:
        return self.override.text().strip() if self.certificate_until() is not None else ""

    def _update(self) -> None:
        until = self.certificate_until()
        self.cap.setVisible(until is not None)
        self.override.setVisible(until is not None)
        if until is not None:
            self.cap.setText(_("De SROI-badge loopt niet langer dan het certificaat: uiterlijk tot en met {d}, tenzij de "
                               "commissie met een reden anders besluit.").format(d=format_date_nl(until)))
