"""Attachments of one application: list, add (file dialog or drag and drop), open, remove."""

from __future__ import annotations

import logging
import tempfile
import uuid
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _
from commissie_app.services import attachments as attachment_service
from commissie_app.services.applications import AttachmentInfo, get_application
from commissie_app.services.context import ServiceContext
from commissie_app.ui import widgets
from commissie_app.ui.errors import show_error
from commissie_app.ui.widgets import MessageBanner, format_local_datetime, format_size

log = logging.getLogger(__name__)


class AttachmentsModel(QAbstractTableModel):
    @staticmethod
    def columns() -> tuple[str, ...]:
        return (_("Naam"), _("Type"), _("Grootte"), _("Toegevoegd door"), _("Toegevoegd op"), _("Criterium"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[AttachmentInfo] = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda a: a.added_at)
        self.endResetModel()

    def row_info(self, row: int) -> AttachmentInfo:
        return self._rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns()[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        a = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                a.filename,
                attachment_service.ACCEPTED.get(a.content_type, a.content_type),
                format_size(a.size),
                a.added_by,
                format_local_datetime(a.added_at),
                a.criterion.short_label if a.criterion else "",
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 5 and a.criterion:
                return a.criterion.label
            if col == 0:
                return _("SHA-256: {h}").format(h=a.sha256)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def local_files(mime: QMimeData) -> list[Path]:
    """The local files in a drag (URLs that are not local files are ignored)."""
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile() and Path(u.toLocalFile()).is_file()]


class AttachmentsPanel(QWidget):
    """Lists the attachments and takes new ones; emits ``sig_changed`` after an add or remove."""

    sig_changed = Signal()

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.app_id: uuid.UUID | None = None
        self._read_only = False
        self._temp_dir: tempfile.TemporaryDirectory | None = None
        self.setAcceptDrops(True)

        layout = QVBoxLayout(self)
        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setProperty("role", "hint")
        layout.addWidget(self.notice)

        self.model = AttachmentsModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("attachments")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.view, 1)

        drop_hint = QLabel(_("Tip: sleep bestanden (PDF, PNG, JPEG, DOCX of XLSX, tot 25 MB) naar deze lijst."), self)
        drop_hint.setProperty("role", "hint")
        drop_hint.setWordWrap(True)
        layout.addWidget(drop_hint)

        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(_("Bij criterium:"), self))
        self.criterion = QComboBox(self)
        self.criterion.setObjectName("attachment_criterion")
        self.criterion.addItem(_("(geen)"), None)
        for c in Criterion:
            self.criterion.addItem(c.label, c.value)
        self.criterion.setToolTip(_("Het criterium waar een nieuwe bijlage bij hoort"))
        buttons.addWidget(self.criterion)
        buttons.addStretch(1)
        self.add_button = QPushButton(_("Bijlage toevoegen…"), self)
        self.add_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton(_("Openen"), self)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton(_("Verwijderen…"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        for b in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.set_application(None, ())

    # ---- state --------------------------------------------------------------------------------

    def set_application(self, app_id: uuid.UUID | None, rows, read_only: bool = False) -> None:
        self.app_id = app_id
        self._read_only = read_only
        self.model.set_rows(rows)
        if app_id is None:
            self.notice.setText(_("Sla de aanvraag eerst op; daarna kunt u bijlagen toevoegen."))
        elif read_only:
            self.notice.setText(_("Bijlagen kunnen hier worden geopend, niet gewijzigd."))
        else:
            self.notice.setText("")
        self.notice.setVisible(bool(self.notice.text()))
        self._update_buttons()

    def can_change(self) -> bool:
        return self.app_id is not None and not self._read_only

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.add_button.setEnabled(self.can_change())
        self.criterion.setEnabled(self.can_change())
        self.open_button.setEnabled(has)
        self.remove_button.setEnabled(has and self.can_change())

    def refresh(self) -> None:
        if self.app_id is None:
            return
        detail = get_application(self.ctx, self.app_id)
        self.model.set_rows(detail.attachments)
        self._update_buttons()

    def selected(self) -> AttachmentInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_info(rows[0].row()) if rows else None

    # ---- adding -------------------------------------------------------------------------------

    def choose_files(self) -> None:
        if not self.can_change():
            return
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Bijlage toevoegen"),
            "",
            _("Bewijsstukken (*.pdf *.png *.jpg *.jpeg *.docx *.xlsx);;Alle bestanden (*)"),
        )
        if paths:
            self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> int:
        """Store each file; problems are collected and shown together. Returns the number added."""
        if not self.can_change() or not paths:
            return 0
        code = self.criterion.currentData()
        criterion = Criterion(code) if code else None
        added = 0
        problems: list[str] = []
        for path in paths:
            try:
                attachment_service.add_attachment_file(self.ctx, self.app_id, path, criterion)
                added += 1
            except DomainError as err:
                problems.append(f"{path.name}: {err}" if path.name not in str(err) else str(err))
            except Exception as err:  # noqa: BLE001 - shown with the log file named
                show_error(self, err)
                break
        if added:
            self.refresh()
            self.sig_changed.emit()
        if problems:
            self.banner.show_message(
                _("Niet toegevoegd:") + "\n" + "\n".join(problems), "error")
        elif added:
            self.banner.clear()
        return added

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.can_change() and local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if self.can_change() and event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        files = local_files(event.mimeData())
        if not self.can_change() or not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(files)

    # ---- open / remove ------------------------------------------------------------------------

    def open_selected(self) -> Path | None:
        info = self.selected()
        if info is None:
            return None
        try:
            content = attachment_service.get_content(self.ctx, info.id)
        except Exception as err:  # noqa: BLE001
            show_error(self, err)
            return None
        # A private folder (mode 0700) of this panel; one subfolder per attachment, so that two files
        # with the same name do not overwrite each other. The name is the safe one with the extension
        # of the detected content, never the stored name as is.
        if self._temp_dir is None:
            self._temp_dir = tempfile.TemporaryDirectory(prefix="commissie-bijlage-", ignore_cleanup_errors=True)
        folder = Path(self._temp_dir.name) / str(info.id)
        folder.mkdir(mode=0o700, exist_ok=True)
        path = folder / content.open_name
        try:
            # a viewer may still hold (Windows: lock) the copy of an earlier "Openen"
            if not (path.exists() and path.read_bytes() == content.data):
                path.write_bytes(content.data)
        except OSError as err:
            show_error(self, err)
            return None
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(
                self, _("Openen niet gelukt"),
                widgets.plain(_("Er is geen programma gevonden om ‘{name}’ te openen. Het bestand staat hier:\n{path}")
                              .format(name=content.open_name, path=path)))
        return path

    def remove_selected(self) -> bool:
        info = self.selected()
        if info is None or not self.can_change():
            return False
        answer = widgets.ask(
            self,
            _("Bijlage verwijderen"),
            _("Wilt u de bijlage ‘{name}’ verwijderen? Dit kan niet ongedaan worden gemaakt.").format(
                name=info.filename),
            [(_("Verwijderen"), QMessageBox.ButtonRole.DestructiveRole),
             (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)],
            default=1,
        )
        if answer != 0:
            return False
        try:
            attachment_service.remove_attachment(self.ctx, info.id)
        except Exception as err:  # noqa: BLE001
            show_error(self, err)
            return False
        self.refresh()
        self.sig_changed.emit()
        return True

    def select_row(self, row: int) -> None:
        self.view.selectRow(row)
