"""The item model of the application list: all rows in memory, filtered and sorted in Python.

The rows are loaded once (``services.applications.list_rows``: one query); typing
in the search field or choosing a filter never touches the database. The rows get their lowercase
search keys at the first search (not at start-up), and are kept in the order of the current sort
column, so a keystroke costs one pass over a list of strings. Rows with equal values keep the
order they were read in (the sort is stable). After an edit only the changed rows are replaced
(``upsert_rows``).
"""

from __future__ import annotations

import enum
from collections import Counter
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from commissie_app.domain.codes import Criterion, Municipality, Status
from commissie_app.domain.dates import format_date_nl
from commissie_app.i18n import _
from commissie_app.ui.labels import plain

if TYPE_CHECKING:
    import uuid

    from commissie_app.services.application_rows import ApplicationRow

ID_ROLE = Qt.ItemDataRole.UserRole + 1

_STATUS_ORDER = {s: i for i, s in enumerate(Status)}

# A coloured dot before the status, so the state of the list can be taken in at a glance.
STATUS_COLOURS = {
    Status.RECEIVED: "#1f6feb",
    Status.IN_PROGRESS: "#d97706",
    Status.INFO_REQUESTED: "#b3261e",
    Status.COMPLETE: "#0f766e",
    Status.SCHEDULED: "#6d28d9",
    Status.DECIDED: "#15803d",
    Status.WITHDRAWN: "#8a8a8a",
}
_status_icons: dict = {}


def dot_icon(colour: str) -> QIcon:
    """A coloured dot (one per colour, made once)."""
    icon = _status_icons.get(colour)
    if icon is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        icon = _status_icons[colour] = QIcon(pixmap)
    return icon


def status_icon(status: Status):
    return dot_icon(STATUS_COLOURS[status])


_CRITERION_ORDER = {c: i for i, c in enumerate(Criterion)}


class Column(enum.IntEnum):
    ORGANISATION = 0
    KVK = 1
    PLACE = 2
    MUNICIPALITY = 3
    STATUS = 4
    CRITERIA = 5
    RECEIVED = 6

    @property
    def title(self) -> str:
        return {
            Column.ORGANISATION: _("Organisatie"),
            Column.KVK: _("KvK"),
            Column.PLACE: _("Plaats"),
            Column.MUNICIPALITY: _("Gemeente"),
            Column.STATUS: _("Status"),
            Column.CRITERIA: _("Criteria"),
            Column.RECEIVED: _("Ontvangen"),
        }[self]


class ListFilter(NamedTuple):
    """What the user has narrowed the list to. None means "alle"."""

    text: str = ""
    status: Status | None = None
    municipality: Municipality | None = None
    criterion: Criterion | None = None


def search_key(row: ApplicationRow) -> str:
    return f"{row.organisation}\n{row.kvk}\n{row.place}".casefold()


def _sort_keys(column: Column, rows: list[ApplicationRow]) -> list[Any]:
    """The sort key of every row for this column (one list: cheaper than a key function per row)."""
    if column is Column.ORGANISATION:
        return [r.organisation.casefold() for r in rows]
    if column is Column.KVK:
        return [r.kvk for r in rows]
    if column is Column.PLACE:
        return [r.place.casefold() for r in rows]
    if column is Column.MUNICIPALITY:
        return [r.municipality.label for r in rows]
    if column is Column.STATUS:
        return [(_STATUS_ORDER[r.status], r.status_text) for r in rows]  # decided ones by their outcome
    if column is Column.CRITERIA:
        return [tuple(_CRITERION_ORDER[c] for c in r.criteria) for r in rows]
    return [r.received_on for r in rows]


class ApplicationTableModel(QAbstractTableModel):
    """Rows of ``ApplicationRow``; sorting and filtering happen here, in memory."""

    sig_filtered = Signal()  # the visible rows (or the counts) have changed

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[ApplicationRow] = []
        self._keys: list[str] | None = None  # the search keys, made at the first search
        self._pos: dict[str, int] = {}  # row index by the row's id (its text)
        self._order: list[int] = []  # every row index, in the current sort order
        self._visible: list[int] = []  # the rows shown, in the current sort order
        self._counts: Counter[Status] = Counter()
        self._filter = ListFilter()
        self._sort_column = Column.RECEIVED
        self._sort_order = Qt.SortOrder.DescendingOrder

    # -- loading -----------------------------------------------------------------------
    def set_rows(self, rows: list[ApplicationRow]) -> None:
        """Replace everything (first load, or after an import)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._keys = None
        self._pos = {r.id: i for i, r in enumerate(self._rows)}
        self._resort()
        self._refilter()
        self.endResetModel()
        self.sig_filtered.emit()

    def upsert_rows(self, rows: list[ApplicationRow], requested_ids: list[uuid.UUID] = ()) -> None:
        """Replace or add the given rows; ids in ``requested_ids`` without a row are removed."""
        present = {r.id for r in rows}
        gone = [i.hex for i in requested_ids if i.hex not in present and i.hex in self._pos]
        single_changed: int | None = None
        if gone:
            drop = {self._pos[i] for i in gone}
            keep = [k for k in range(len(self._rows)) if k not in drop]
            self._rows = [self._rows[k] for k in keep]
            self._pos = {r.id: k for k, r in enumerate(self._rows)}
        for row in rows:
            k = self._pos.get(row.id)
            if k is None:
                self._pos[row.id] = len(self._rows)
                self._rows.append(row)
            else:
                self._rows[k] = row
                single_changed = k if len(rows) == 1 else None
        self._keys = None  # made again at the next search
        old_visible = self._visible
        self._resort()
        new_visible, counts = self._compute_visible()
        if not gone and new_visible == old_visible and single_changed is not None:
            # Same rows in the same places: only the changed row needs repainting.
            self._counts = counts
            if single_changed in self._visible_set():
                r = self._visible.index(single_changed)
                self.dataChanged.emit(self.index(r, 0), self.index(r, len(Column) - 1))
        else:
            self._apply_layout(new_visible, counts)
        self.sig_filtered.emit()

    # -- filtering and sorting -------------------------------------------------------------
    @property
    def filter(self) -> ListFilter:
        return self._filter

    def set_filter(self, **changes) -> None:
        new = self._filter._replace(**changes)
        if new == self._filter:
            return
        self._filter = new
        self._apply_layout(*self._compute_visible())
        self.sig_filtered.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        self._sort_column = Column(column)
        self._sort_order = order
        self._resort()
        self._apply_layout(*self._compute_visible())

    def _resort(self) -> None:
        # A stable sort: equal values keep the order the rows were read in (also when reversed).
        self._order = sorted(range(len(self._rows)), key=_sort_keys(self._sort_column, self._rows).__getitem__,
                             reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    def _compute_visible(self) -> tuple[list[int], Counter]:
        f = self._filter
        terms = f.text.casefold().split()
        rows = self._rows
        candidates = self._order
        if f.municipality is not None:
            candidates = [i for i in candidates if rows[i].municipality is f.municipality]
        if f.criterion is not None:
            candidates = [i for i in candidates if f.criterion in rows[i].criteria]
        if terms and self._keys is None:
            self._keys = [search_key(r) for r in rows]
        for term in terms:
            candidates = [i for i in candidates if term in self._keys[i]]
        # The counts ignore the status filter (so they tell what choosing a status would show).
        counts = Counter(rows[i].status for i in candidates)
        if f.status is not None:
            candidates = [i for i in candidates if rows[i].status is f.status]
        return list(candidates), counts

    def _refilter(self) -> None:
        self._visible, self._counts = self._compute_visible()

    def _visible_set(self) -> set[int]:
        return set(self._visible)

    def _apply_layout(self, visible: list[int], counts: Counter) -> None:
        """Show new rows while keeping the view's selection and current item (persistent indexes)."""
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_ids = [self._row_id(ix.row()) for ix in old_persistent]
        self._visible, self._counts = visible, counts
        where = {row_index: r for r, row_index in enumerate(visible)}
        new_persistent = []
        for ix, app_id in zip(old_persistent, old_ids):
            k = self._pos.get(app_id) if app_id is not None else None
            r = where.get(k) if k is not None else None
            new_persistent.append(self.index(r, ix.column()) if r is not None else QModelIndex())
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()

    def _row_id(self, r: int) -> str | None:
        if 0 <= r < len(self._visible):
            return self._rows[self._visible[r]].id
        return None

    # -- what the window asks ------------------------------------------------------------------
    def total_count(self) -> int:
        return len(self._rows)

    def visible_count(self) -> int:
        return len(self._visible)

    def status_counts(self) -> Counter:
        """Applications per status among those matching the search and the other filters."""
        return Counter(self._counts)

    def visible_ids(self) -> list[uuid.UUID]:
        return [self._rows[k].application_id for k in self._visible]

    def row_at(self, r: int) -> ApplicationRow:
        return self._rows[self._visible[r]]

    def row_of(self, app_id: uuid.UUID) -> int | None:
        k = self._pos.get(app_id.hex)
        if k is None:
            return None
        try:
            return self._visible.index(k)
        except ValueError:
            return None

    # -- QAbstractTableModel -------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return Column(section).title
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[self._visible[index.row()]]
        col = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if col is Column.ORGANISATION:
                return row.organisation
            if col is Column.KVK:
                return row.kvk
            if col is Column.PLACE:
                return row.place
            if col is Column.MUNICIPALITY:
                return row.municipality.label
            if col is Column.STATUS:
                return row.status_text
            if col is Column.CRITERIA:
                return ", ".join(c.short_label for c in row.criteria)
            return format_date_nl(row.received_on)
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(row.status) if col is Column.STATUS else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col is Column.CRITERIA and row.criteria:
                return "\n".join(c.label for c in row.criteria)
            if col is Column.ORGANISATION:
                return plain(row.organisation)  # a tool tip would render markup in the name
            return None
        if role == ID_ROLE:
            return row.application_id
        return None
