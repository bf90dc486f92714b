"""The item model of the Register page: every recognition in memory, filtered and sorted in Python.

Built like the application list's model (``ui/application_model.py``): the rows are read once
(``services/register_rows.register_lines``: one query); a keystroke or a filter is one pass over a list of
strings in the order of the current sort column; the view keeps its current row through persistent indexes.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QIcon

from commissie_app.domain.codes import Criterion, Municipality
from commissie_app.domain.recognition import RecognitionStatus
from commissie_app.i18n import _
from commissie_app.ui.application_model import dot_icon
from commissie_app.ui.labels import plain

if TYPE_CHECKING:
    from commissie_app.services.register_rows import RegisterLine

ID_ROLE = Qt.ItemDataRole.UserRole + 1

STATUS_COLOURS = {
    RecognitionStatus.RECOGNISED: "#15803d",
    RecognitionStatus.CONDITIONAL: "#0f766e",
    RecognitionStatus.EXPIRING: "#d97706",
    RecognitionStatus.EXPIRED: "#b3261e",
    RecognitionStatus.WITHDRAWN: "#8a8a8a",
}
_STATUS_ORDER = {s: i for i, s in enumerate(RecognitionStatus)}
_CRITERION_ORDER = {c: i for i, c in enumerate(Criterion)}
_FAR = (9999, 12, 31)  # an empty date sorts after every date


def status_icon(status: RecognitionStatus) -> QIcon:
    return dot_icon(STATUS_COLOURS[status])


class Column(enum.IntEnum):
    """In the order a reader scans: who, where it stands, until when; then the record's details."""

    ORGANISATION = 0
    STATUS = 1
    VALID_UNTIL = 2
    CERTIFICATE_UNTIL = 3
    DEADLINE = 4
    CRITERIA = 5
    KENMERK = 6
    MUNICIPALITY = 7
    KVK = 8
    VALID_FROM = 9

    @property
    def title(self) -> str:
        return {
            Column.ORGANISATION: _("Organisatie"),
            Column.KVK: _("KvK"),
            Column.MUNICIPALITY: _("Gemeente"),
            Column.STATUS: _("Status"),
            Column.CRITERIA: _("Criteria"),
            Column.KENMERK: _("Kenmerk"),
            Column.VALID_FROM: _("Geldig vanaf"),
            Column.VALID_UNTIL: _("Geldig t/m"),
            Column.CERTIFICATE_UNTIL: _("Certificaat t/m"),
            Column.DEADLINE: _("Voorwaardelijk t/m"),
        }[self]

    @property
    def tip(self) -> str | None:
        return {
            Column.VALID_UNTIL: _("De laatste dag van de SROI-badge"),
            Column.CERTIFICATE_UNTIL: _("De vroegste einddatum van de certificaten waarop de erkenning rust"),
            Column.DEADLINE: _("Voorwaardelijk erkend tot en met: uiterste datum om het ontbrekende bewijs te leveren"),
        }.get(self)


_DATE_FIELDS = {Column.VALID_FROM: "valid_from", Column.VALID_UNTIL: "valid_until",
                Column.CERTIFICATE_UNTIL: "certificate_until", Column.DEADLINE: "conditional_deadline"}


class RegisterFilter(NamedTuple):
    text: str = ""
    status: RecognitionStatus | None = None
    municipality: Municipality | None = None


def _sort_keys(column: Column, rows: list[RegisterLine]) -> list[Any]:
    if column is Column.ORGANISATION:
        return [r.name.casefold() for r in rows]
    if column is Column.KVK:
        return [r.kvk for r in rows]
    if column is Column.MUNICIPALITY:
        return [r.municipality.label for r in rows]
    if column is Column.STATUS:
        return [_STATUS_ORDER[r.status] for r in rows]
    if column is Column.CRITERIA:
        return [tuple(_CRITERION_ORDER[c] for c in r.criteria) for r in rows]
    if column is Column.KENMERK:
        return [r.kenmerk for r in rows]
    field = _DATE_FIELDS[column]
    return [(d.year, d.month, d.day) if (d := getattr(r, field)) else _FAR for r in rows]


def _date(value) -> str:
    return f"{value.day:02d}-{value.month:02d}-{value.year}" if value is not None else ""


class RegisterTableModel(QAbstractTableModel):
    sig_filtered = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[RegisterLine] = []
        self._keys: list[str] | None = None
        self._pos: dict[str, int] = {}
        self._order: list[int] = []
        self._visible: list[int] = []
        self._filter = RegisterFilter()
        self._sort_column = Column.ORGANISATION
        self._sort_order = Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: list[RegisterLine]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._keys = None
        self._pos = {r.id: i for i, r in enumerate(self._rows)}
        self._resort()
        self._visible = self._compute_visible()
        self.endResetModel()
        self.sig_filtered.emit()

    @property
    def filter(self) -> RegisterFilter:
        return self._filter

    def set_filter(self, **changes) -> None:
        new = self._filter._replace(**changes)
        if new != self._filter:
            self._filter = new
            self._apply_layout(self._compute_visible())
            self.sig_filtered.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(Column):
            self._sort_column, self._sort_order = Column(column), order
            self._resort()
            self._apply_layout(self._compute_visible())

    def _resort(self) -> None:
        self._order = sorted(range(len(self._rows)), key=_sort_keys(self._sort_column, self._rows).__getitem__,
                             reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    def _compute_visible(self) -> list[int]:
        f, rows, candidates = self._filter, self._rows, self._order
        if f.status is not None:
            candidates = [i for i in candidates if rows[i].status is f.status]
        if f.municipality is not None:
            candidates = [i for i in candidates if rows[i].municipality is f.municipality]
        terms = f.text.casefold().split()
        if terms and self._keys is None:
            self._keys = [f"{r.name}\n{r.kvk}\n{r.kenmerk}\n{r.place}".casefold() for r in rows]
        for term in terms:
            candidates = [i for i in candidates if term in self._keys[i]]
        return list(candidates)

    def _apply_layout(self, visible: list[int]) -> None:
        """New visible rows; the view keeps its selection and current row on the same recognitions."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self._rows[self._visible[ix.row()]].id if 0 <= ix.row() < len(self._visible) else None for ix in old]
        self._visible = visible
        where = {k: r for r, k in enumerate(visible)}
        new = []
        for ix, rid in zip(old, ids):
            r = where.get(self._pos.get(rid)) if rid is not None else None
            new.append(self.index(r, ix.column()) if r is not None else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # -- what the page asks
    def total_count(self) -> int:
        return len(self._rows)

    def visible_count(self) -> int:
        return len(self._visible)

    def row_at(self, r: int) -> RegisterLine:
        return self._rows[self._visible[r]]

    def row_of(self, recognition_id) -> int | None:
        k = self._pos.get(recognition_id.hex)
        return self._visible.index(k) if k is not None and k in self._visible else None

    # -- QAbstractTableModel
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return Column(section).title
        if role == Qt.ItemDataRole.ToolTipRole:
            return Column(section).tip
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[self._visible[index.row()]]
        col = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if col is Column.ORGANISATION:
                return row.name
            if col is Column.KVK:
                return row.kvk
            if col is Column.MUNICIPALITY:
                return row.municipality.label
            if col is Column.STATUS:
                return row.status.label
            if col is Column.CRITERIA:
                return ", ".join(c.short_label for c in row.criteria)
            if col is Column.KENMERK:
                return row.kenmerk
            return _date(getattr(row, _DATE_FIELDS[col]))
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(row.status) if col is Column.STATUS else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col is Column.CRITERIA and row.criteria:
                return "\n".join(c.label for c in row.criteria)
            if col is Column.ORGANISATION:
                return plain(row.name)
            if col is Column.VALID_UNTIL and row.certificate_until and row.certificate_until < row.valid_until:
                return _("De SROI-badge loopt langer dan het certificaat (met reden van de commissie).")
            return None
        if role == ID_ROLE:
            return row.recognition_id
        return None
