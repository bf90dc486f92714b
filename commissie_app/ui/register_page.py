"""The Register page (issue 12): every recognition with its status and dates; search, filters on status and
municipality, sortable columns; Enter or a double-click opens the recognition (``ui/recognition_dialog.py``)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from commissie_app.domain.codes import Municipality
from commissie_app.domain.errors import DomainError
from commissie_app.domain.recognition import RecognitionStatus
from commissie_app.i18n import _, ngettext
from commissie_app.services.context import ServiceContext
from commissie_app.services.register_rows import register_lines
from commissie_app.ui.application_list import DEFAULT_SEARCH_DELAY_MS, SearchableTablePage
from commissie_app.ui.errors import show_error
from commissie_app.ui.register_model import ID_ROLE, Column, RegisterTableModel


class RegisterPage(SearchableTablePage, QWidget):
    """``sig_open_application(id)``: show an application in the editor; ``sig_changed(changes)``: a follow-up
    was started (the window refreshes what it shows)."""

    sig_open_application = Signal(object)
    sig_changed = Signal(object)

    def __init__(self, ctx: ServiceContext, parent=None, search_delay_ms: int = DEFAULT_SEARCH_DELAY_MS):
        super().__init__(parent)
        self.ctx = ctx
        self.model = RegisterTableModel(self)
        self.detail_dialog = None

        self._make_search(_("Zoek op naam, KvK-nummer, kenmerk of plaats (Ctrl+F)"), _("Zoeken in het register"),
                          search_delay_ms)

        self.status_combo = self._combo(_("Alle statussen"), [(s.label, s) for s in RecognitionStatus], _("Status"))
        self.municipality_combo = self._combo(_("Alle gemeenten"), [(m.label, m) for m in Municipality], _("Gemeente"))
        self.status_combo.currentIndexChanged.connect(lambda: self.model.set_filter(
            status=self._chosen(self.status_combo, RecognitionStatus)))
        self.municipality_combo.currentIndexChanged.connect(lambda: self.model.set_filter(
            municipality=self._chosen(self.municipality_combo, Municipality)))
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status_combo)
        top.addWidget(self.municipality_combo)
        top.addSpacing(12)
        self.export_button = QPushButton(_("Exporteren voor KIP…"), self)
        self.export_button.setToolTip(_("Het openbare register (CSV, JSON of XLSX), zonder persoonsgegevens"))
        self.export_button.clicked.connect(self.export)
        top.addWidget(self.export_button)

        self.counts_label = QLabel(self)
        self.counts_label.setTextFormat(Qt.TextFormat.PlainText)

        self._make_table(_("Register"), (Column.ORGANISATION, Qt.SortOrder.AscendingOrder),
                         QAbstractItemView.SelectionMode.SingleSelection, Column.VALID_FROM,
                         ((Column.ORGANISATION, 30), (Column.STATUS, 23), (Column.VALID_UNTIL, 10),
                          (Column.CERTIFICATE_UNTIL, 13), (Column.DEADLINE, 10), (Column.CRITERIA, 14),
                          (Column.KENMERK, 12), (Column.MUNICIPALITY, 11), (Column.KVK, 10)), padding=18)
        self.table.horizontalHeader().setMinimumSectionSize(40)

        self._lay_out(top)
        self.model.sig_filtered.connect(self._update_summary)
        self.reload()

    # -- data
    def set_context(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.reload()

    def reload(self) -> None:
        """Read every recognition again (statuses are today's)."""
        self.model.set_rows(register_lines(self.ctx))
        if self.model.visible_count() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.table.clearSelection()

    def _update_summary(self) -> None:
        m = self.model
        self.counts_label.setText(ngettext("{n} van {total} erkenning", "{n} van {total} erkenningen",
                                           m.total_count()).format(n=m.visible_count(), total=m.total_count()))
        if m.visible_count():
            self.body.setCurrentWidget(self.table)
            return
        self.empty_label.setText(
            _("Er zijn nog geen erkenningen. Een erkenning ontstaat met een besluit ‘toegekend’ of ‘voorwaardelijk "
              "toegekend’ in een vergadering.") if m.total_count() == 0 else
            _("Geen erkenningen gevonden die passen bij de zoekopdracht en de filters."))
        self.body.setCurrentWidget(self.empty_label)

    def export(self) -> None:
        """The same export as Bestand › Register exporteren… (``ui/register_export_action.py``)."""
        from commissie_app.ui.register_export_action import export_register

        self.export_task = export_register(self, self.ctx)

    # -- one recognition
    def _activated(self, index: QModelIndex) -> None:
        rid = index.data(ID_ROLE)
        if rid is not None:
            self.open_recognition(rid)

    def open_recognition(self, recognition_id: uuid.UUID):
        """The detail dialog of one recognition (modeless); None when it no longer exists."""
        from commissie_app.ui.recognition_dialog import RecognitionDialog

        try:
            dialog = RecognitionDialog(self.ctx, recognition_id, self)
        except DomainError as err:
            show_error(self, err)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_open_application.connect(self.sig_open_application)
        dialog.sig_changed.connect(self.sig_changed)
        self.detail_dialog = dialog
        dialog.show()
        return dialog
