"""The adopted versions of the commission's assessment form: adopt a new one, show what changed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import may
from commissie_app.services import assessments as svc
from commissie_app.services.context import ServiceContext
from commissie_app.ui.errors import show_error
from commissie_app.ui.widgets import resize_within_screen


class FormVersionsDialog(QDialog):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Beoordelingsformulieren"))
        resize_within_screen(self, 820, 560)
        intro = QLabel(_("Een vastgestelde versie verandert nooit; een beoordeling houdt de versie waarmee ze is "
                         "gemaakt. Een gewijzigd formulier krijgt een nieuw versienummer."), self)
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([_("Formulier"), _("Versie"), _("Titel"), _("Vastgesteld op"),
                                              _("Door")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self.show_changes)
        self.changes = QPlainTextEdit(self)
        self.changes.setReadOnly(True)
        self.changes.setObjectName("changes")
        self.adopt_button = QPushButton(_("Nieuwe versie vaststellen…"), self)
        self.adopt_button.clicked.connect(self.adopt_from_file)
        self.adopt_button.setEnabled(may(ctx, Action.ADOPT_FORMS))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.adopt_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel(_("Verschillen met de vorige versie:"), self))
        layout.addWidget(self.changes, 1)
        layout.addLayout(row)
        self.reload()

    def reload(self, select_id=None) -> None:
        svc.ensure_shipped_forms(self.ctx)
        self.rows = svc.list_forms(self.ctx)
        self.table.setRowCount(len(self.rows))
        for r, f in enumerate(self.rows):
            for c, text in enumerate((f.form_key, str(f.version), f.title, format_date_nl(f.adopted_on), f.adopted_by)):
                item = QTableWidgetItem(text)
                if c == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        target = next((i for i, f in enumerate(self.rows) if f.id == select_id), len(self.rows) - 1)
        if target >= 0:
            self.table.selectRow(target)

    def previous_of(self, row: int):
        f = self.rows[row]
        earlier = [o for o in self.rows if o.form_key == f.form_key and o.version < f.version]
        return max(earlier, key=lambda o: o.version) if earlier else None

    def show_changes(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            self.changes.clear()
            return
        row = selected[0].row()
        previous = self.previous_of(row)
        if previous is None:
            self.changes.setPlainText(_("Dit is de eerste vastgestelde versie van dit formulier."))
            return
        lines = svc.form_diff(self.ctx, previous.id, self.rows[row].id)
        header = _("Versie {old} → versie {new}:").format(old=previous.version, new=self.rows[row].version)
        self.changes.setPlainText("\n".join([header, *lines]) if lines else
                                  header + "\n" + _("geen verschillen in de vragen"))

    def adopt_from_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Formulier vaststellen"), "",
                                                    _("Formulierbestanden (*.toml)"))
        if not path:
            return
        try:
            new_id = svc.adopt_form(self.ctx, Path(path))
        except Exception as err:  # noqa: BLE001 - every problem of the file is listed in Dutch
            show_error(self, err, _("Formulier niet vastgesteld"))
            return
        self.reload(select_id=new_id)
