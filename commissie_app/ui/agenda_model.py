"""The agenda of one meeting as a list model: numbered items, drag-and-drop and keyboard reordering.

The model never writes: a move changes the rows it shows and emits ``sig_order_changed`` with the
whole new order (item ids), which the meeting view passes to ``meeting_agenda.reorder_items``. When the
service refuses, the view reloads the meeting and the model shows the stored order again.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QAbstractListModel, QByteArray, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from commissie_app.domain.meetings import ItemKind
from commissie_app.i18n import _
from commissie_app.services.meeting_detail import ItemInfo
from commissie_app.ui.widgets import plain

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
MIME_TYPE = "application/x-commissie-agenda-rows"


def item_state_text(item: ItemInfo) -> str:
    """Short state of an application item: the decision with kenmerk, or how far the vote is."""
    if item.kind is not ItemKind.APPLICATION:
        return ""
    if item.decision is not None:
        return f"{item.decision.decision_type.label} ({item.decision.kenmerk})"
    if item.tally is not None and item.tally.votes_cast:
        return item.tally.summary
    return ""


class AgendaModel(QAbstractListModel):
    sig_order_changed = Signal(list)  # list[uuid.UUID], the whole agenda

    def __init__(self, parent=None):
        super().__init__(parent)
        self._items: list[ItemInfo] = []
        self._movable = True

    # ------------------------------------------------------------ content

    def set_items(self, items: tuple[ItemInfo, ...] | list[ItemInfo], movable: bool) -> None:
        items = list(items)
        if [it.id for it in items] == self.order() and movable == self._movable:
            # same agenda, new content (a vote, a decision): keep selection and scroll position
            self._items = items
            if items:
                self.dataChanged.emit(self.index(0), self.index(len(items) - 1))
            return
        self.beginResetModel()
        self._items = items
        self._movable = movable
        self.endResetModel()

    def items(self) -> list[ItemInfo]:
        return list(self._items)

    def item_at(self, row: int) -> ItemInfo | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, item_id: uuid.UUID | None) -> int:
        return next((r for r, it in enumerate(self._items) if it.id == item_id), -1)

    def order(self) -> list[uuid.UUID]:
        return [it.id for it in self._items]

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        item = self.item_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            text = f"{index.row() + 1}. {item.title}"
            state = item_state_text(item)
            return f"{text}  —  {state}" if state else text
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [item.kind.label]
            if item.kind is ItemKind.APPLICATION:
                parts.append(_("KvK {kvk}, {place}").format(kvk=item.kvk, place=item.place))
            return plain("\n".join(parts))
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return item.kind.label
        if role == Qt.ItemDataRole.FontRole and item.kind is ItemKind.APPLICATION:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and item.kind is ItemKind.STANDARD:
            return QColor("#4a4f55")
        if role == ID_ROLE:
            return item.id
        if role == KIND_ROLE:
            return item.kind
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled if self._movable else base
        return base | Qt.ItemFlag.ItemIsDragEnabled if self._movable else base

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(MIME_TYPE, QByteArray(",".join(str(r) for r in rows).encode()))
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        return self._movable and data.hasFormat(MIME_TYPE) and action == Qt.DropAction.MoveAction

    def dropMimeData(self, data: QMimeData, action, row: int, column: int, parent) -> bool:  # noqa: N802
        """Move the dragged rows to ``row`` (or onto ``parent``'s row); the view never removes rows itself."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            rows = [int(r) for r in bytes(data.data(MIME_TYPE)).decode().split(",") if r]
        except ValueError:
            return False
        if not rows or any(not 0 <= r < len(self._items) for r in rows):
            return False
        if row < 0:
            row = parent.row() if parent is not None and parent.isValid() else len(self._items)
        self.move_rows(rows, row)
        # True would make the view remove the source rows; the move is complete already.
        return False

    # ------------------------------------------------------------ moving

    def move_rows(self, rows: list[int], destination: int) -> bool:
        """Move ``rows`` (any selection) so that they stand before ``destination`` (an old row number)."""
        rows = sorted(set(rows))
        destination = max(0, min(destination, len(self._items)))
        moving = [self._items[r] for r in rows]
        rest = [it for r, it in enumerate(self._items) if r not in set(rows)]
        insert_at = destination - sum(1 for r in rows if r < destination)
        new = rest[:insert_at] + moving + rest[insert_at:]
        if [it.id for it in new] == self.order():
            return False
        if len(rows) == 1:
            self.beginMoveRows(QModelIndex(), rows[0], rows[0], QModelIndex(), destination)
            self._items = new
            self.endMoveRows()
        else:
            self.beginResetModel()
            self._items = new
            self.endResetModel()
        self.sig_order_changed.emit(self.order())
        return True

    def moveRows(self, source_parent, source_row, count, destination_parent, destination_child) -> bool:  # noqa: N802
        """What QListView's internal drag and drop calls first."""
        if not self._movable or source_parent.isValid() or destination_parent.isValid() or count < 1:
            return False
        if not 0 <= source_row <= source_row + count - 1 < len(self._items):
            return False
        return self.move_rows(list(range(source_row, source_row + count)), destination_child)

    def move_row(self, row: int, delta: int) -> bool:
        """One row up (delta -1) or down (+1), as Alt+Up / Alt+Down do."""
        target = row + delta
        if not (0 <= row < len(self._items) and 0 <= target < len(self._items)):
            return False
        return self.move_rows([row], target if delta < 0 else target + 1)
