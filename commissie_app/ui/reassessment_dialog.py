"""The re-assessments due, proposed for a meeting's agenda (issue 12): each checked, with the follow-up
that fits (omzetting, verlenging, herbeoordeling), which the secretary may change or untick."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.recognition import Purpose
from commissie_app.i18n import _
from commissie_app.services.follow_up_agenda import Proposal
from commissie_app.ui.widgets import accept_cancel_buttons, format_date_short


class ReassessmentDialog(QDialog):
    def __init__(self, proposals: list[Proposal], parent: QWidget | None = None):
        super().__init__(parent)
        self.proposals = proposals
        self.setWindowTitle(_("Herbeoordelingen voorstellen"))
        intro = QLabel(_("Deze erkenningen lopen binnenkort af of zijn afgelopen. Voor elke aangevinkte erkenning "
                         "wordt een vervolgaanvraag gemaakt en op de agenda gezet."), self)
        intro.setWordWrap(True)
        self.table = QTableWidget(len(proposals), 4, self)
        self.table.setAccessibleName(_("Voorgestelde herbeoordelingen"))
        self.table.setHorizontalHeaderLabels([_("Organisatie"), _("Status"), _("Loopt af"), _("Vervolg")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.combos: list[QComboBox] = []
        for r, p in enumerate(proposals):
            name = QTableWidgetItem(p.name)
            name.setFlags(name.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            name.setCheckState(Qt.CheckState.Checked)
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, QTableWidgetItem(p.status_label))
            self.table.setItem(r, 2, QTableWidgetItem(format_date_short(p.ends_on)))
            combo = QComboBox(self.table)
            combo.setAccessibleName(_("Soort vervolgaanvraag"))
            for purpose in (Purpose.CONVERSION, Purpose.RENEWAL, Purpose.REASSESSMENT):
                combo.addItem(purpose.label, purpose.value)
            combo.setCurrentIndex(combo.findData(p.purpose.value))
            self.table.setCellWidget(r, 3, combo)
            self.combos.append(combo)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setCurrentCell(0, 0)
        buttons = accept_cancel_buttons(self, _("Op de agenda zetten"))
        buttons.accepted.connect(self.accept)
        self.table.itemChanged.connect(lambda _item: self.ok_button.setEnabled(bool(self.chosen())))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(680, 320)

    def chosen(self) -> list[tuple[uuid.UUID, Purpose]]:
        return [(p.recognition_id, Purpose(self.combos[r].currentData())) for r, p in enumerate(self.proposals)
                if self.table.item(r, 0).checkState() == Qt.CheckState.Checked]
