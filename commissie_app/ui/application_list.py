"""The page with the list of applications: search, filters, counts per status and the table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.assessing import assessment_refusal
from commissie_app.domain.codes import Criterion, Municipality, Status
from commissie_app.i18n import _, ngettext
from commissie_app.ui.application_model import ID_ROLE, STATUS_COLOURS, ApplicationTableModel, Column
from commissie_app.ui.labels import plain

if TYPE_CHECKING:
    import uuid

    from commissie_app.services.application_rows import ApplicationRow

DEFAULT_SEARCH_DELAY_MS = 120
ASSESS_SHORTCUT = "Ctrl+B"


def _chosen(combo: QComboBox, enum_type):
    value = combo.currentData()
    return None if value is None else enum_type(value)


class SearchableTablePage:
    """What the application list and the Register page (issue 12) share: the filter combos, the search field
    (Ctrl+F, Enter to the table) and selecting a row by id. The page has ``search``, ``search_timer``,
    ``table`` and a ``model`` with ``set_filter(text=...)``, ``visible_count()`` and ``row_of(id)``."""

    _chosen = staticmethod(_chosen)  # the enum a filter combo has chosen (None: "alle")

    def _make_search(self, placeholder: str, name: str, delay_ms: int) -> None:
        """The search field, applied ``delay_ms`` after the last keystroke; Ctrl+F goes to it."""
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(name)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(max(0, delay_ms))
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_timer.timeout.connect(self.apply_search)
        self.search.returnPressed.connect(self._search_return)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setWhatsThis(_("Zoeken in de aanvragen"))
        find.activated.connect(self.focus_search)

    def _lay_out(self, top, beside_counts: QWidget | None = None) -> None:
        """The page from top to bottom: the search row ``top``, ``self.counts_label`` (with ``beside_counts`` at
        its right, where the wrapping counts leave room also in a narrow window), the table (``self.body``)."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        if beside_counts is None:
            layout.addWidget(self.counts_label)
        else:
            row = QHBoxLayout()
            row.addWidget(self.counts_label, 1)
            row.addWidget(beside_counts, 0, Qt.AlignmentFlag.AlignBottom)
            layout.addLayout(row)
        layout.addWidget(self.body, 1)

    def _make_table(self, name: str, sort: tuple[int, Qt.SortOrder], selection: QAbstractItemView.SelectionMode,
                    stretch: int, widths: tuple[tuple[int, int], ...], padding: int) -> None:
        """The table (sorted in the model, rows of one height, Enter or a double-click: ``self._activated``)
        and the label shown instead when no row matches, in ``self.body``. ``widths``: (column, characters)."""
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(*sort)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(selection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        char = self.fontMetrics().averageCharWidth()
        for col, chars in widths:
            header.resizeSection(col, chars * char + padding)
        self.table.activated.connect(self._activated)
        self.table.setAccessibleName(name)

        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: palette(mid); font-size: 11pt; padding: 24px;")

        self.body = QStackedWidget(self)
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_label)

    def _combo(self, all_text: str, items: list, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        combo.addItem(all_text, None)
        for text, value in items:
            combo.addItem(text, value.value)  # Qt keeps a str enum as a plain string
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def select_id(self, record_id: uuid.UUID) -> bool:
        r = self.model.row_of(record_id)
        if r is None:
            return False
        ix = self.model.index(r, 0)
        self.table.selectionModel().setCurrentIndex(
            ix, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(ix)
        return True

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def apply_search(self) -> None:
        """Apply the search text now (the debounce timer calls this)."""
        self.search_timer.stop()
        self.model.set_filter(text=self.search.text())

    def _search_return(self) -> None:
        self.apply_search()
        if self.model.visible_count():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            if not self.table.currentIndex().isValid():
                self.table.setCurrentIndex(self.model.index(0, 0))


class ApplicationListPage(SearchableTablePage, QWidget):
    """Emits ``sig_open_requested(id)`` on double-click or Enter, ``sig_new_requested`` for a new one,
    ``sig_assess_requested(id)`` for Beoordelen… (button, the row's context menu, Ctrl+B; issue 13)."""

    sig_open_requested = Signal(object)
    sig_new_requested = Signal()
    sig_precheck_requested = Signal()  # Vooraf-check… (issue 15)
    sig_assess_requested = Signal(object)

    def __init__(self, parent=None, search_delay_ms: int = DEFAULT_SEARCH_DELAY_MS):
        super().__init__(parent)
        self.model = ApplicationTableModel(self)
        self._loaded = False

        self._make_search(_("Zoek op naam, KvK-nummer of plaats (Ctrl+F)"), _("Zoeken"), search_delay_ms)

        self.status_combo = self._combo(_("Alle statussen"), [(s.label, s) for s in Status], _("Status"))
        self.municipality_combo = self._combo(_("Alle gemeenten"), [(m.label, m) for m in Municipality], _("Gemeente"))
        self.criterion_combo = self._combo(_("Alle criteria"), [(c.short_label, c) for c in Criterion], _("Criterium"))
        for c in Criterion:
            self.criterion_combo.setItemData(self.criterion_combo.findData(c.value), c.label, Qt.ItemDataRole.ToolTipRole)
        self.status_combo.currentIndexChanged.connect(
            lambda: self.model.set_filter(status=_chosen(self.status_combo, Status)))
        self.municipality_combo.currentIndexChanged.connect(
            lambda: self.model.set_filter(municipality=_chosen(self.municipality_combo, Municipality)))
        self.criterion_combo.currentIndexChanged.connect(
            lambda: self.model.set_filter(criterion=_chosen(self.criterion_combo, Criterion)))

        self.new_button = QPushButton(_("Nieuwe aanvraag"), self)
        self.new_button.clicked.connect(self.sig_new_requested)
        self.precheck_button = QPushButton(_("Vooraf-check…"), self)
        self.precheck_button.setToolTip("Ctrl+Shift+K")
        self.precheck_button.clicked.connect(self.sig_precheck_requested)
        self._may_assess, self._role = False, ""
        self.assess_action = QAction(_("Beoordelen…"), self)
        self.assess_action.setShortcut(QKeySequence(ASSESS_SHORTCUT))
        self.assess_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.assess_action.triggered.connect(self.assess_current)
        self.addAction(self.assess_action)
        self.assess_button = QPushButton(_("Beoordelen…"), self)
        self.assess_button.setObjectName("assessButton")
        self.assess_button.clicked.connect(self.assess_current)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status_combo)
        top.addWidget(self.municipality_combo)
        top.addWidget(self.criterion_combo)
        top.addSpacing(12)
        top.addWidget(self.new_button)

        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("counts")
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.counts_label.setWordWrap(True)
        self.counts_label.linkActivated.connect(self._count_clicked)

        self._make_table(_("Aanvragen"), (Column.RECEIVED, Qt.SortOrder.DescendingOrder),
                         QAbstractItemView.SelectionMode.ExtendedSelection, Column.ORGANISATION,
                         ((Column.KVK, 11), (Column.PLACE, 14), (Column.MUNICIPALITY, 14), (Column.STATUS, 25),
                          (Column.CRITERIA, 20), (Column.RECEIVED, 19)), padding=24)

        buttons = QWidget(self)  # beside the counts, where a narrow window still has room
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.precheck_button)
        row.addWidget(self.assess_button)
        self._lay_out(top, beside_counts=buttons)
        open_action = QAction(_("Openen"), self.table)
        open_action.triggered.connect(lambda: self._activated(self.table.currentIndex()))
        self.table.addAction(open_action)
        self.table.addAction(self.assess_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.model.sig_filtered.connect(self._update_summary)
        self.model.layoutChanged.connect(self._keep_current_visible)
        self.model.sig_filtered.connect(self._update_assess)
        self.model.dataChanged.connect(self._update_assess)
        self.table.selectionModel().currentRowChanged.connect(self._update_assess)
        self._update_summary()
        self._update_assess()

    # -- data ----------------------------------------------------------------------------------
    def set_rows(self, rows: list[ApplicationRow]) -> None:
        self._loaded = True
        self.model.set_rows(rows)
        if self.model.visible_count() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.table.clearSelection()

    def update_rows(self, rows: list[ApplicationRow], requested_ids: list[uuid.UUID]) -> None:
        self.model.upsert_rows(rows, requested_ids)

    def visible_ids(self) -> list[uuid.UUID]:
        return self.model.visible_ids()

    def selected_ids(self) -> list[uuid.UUID]:
        rows = sorted({ix.row() for ix in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(r).application_id for r in rows]

    # -- assessing (issue 13) ------------------------------------------------------------------
    def set_may_assess(self, allowed: bool, role: str = "") -> None:
        """Whether the user may assess (a member's own assessment); ``role`` names the role that may not."""
        self._may_assess, self._role = allowed, role
        self._update_assess()

    def current_row(self) -> ApplicationRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() and self.model.visible_count() else None

    def _assess_refusal(self, row: ApplicationRow | None) -> str:
        if not self._may_assess:
            return _("Als {role} beoordeelt u geen aanvragen.").format(role=self._role) if self._role else ""
        if row is None:
            return _("Kies eerst een aanvraag.")
        return assessment_refusal(row.status)

    def _update_assess(self, *_args) -> None:
        row = self.current_row()
        refusal = self._assess_refusal(row)
        enabled = self._may_assess and row is not None and not refusal
        self.assess_action.setEnabled(enabled)
        self.assess_button.setEnabled(enabled)
        self.assess_button.setToolTip(plain(refusal or _("{name} beoordelen op het formulier van de commissie ({key})")
                                            .format(name=row.organisation if row else "", key=ASSESS_SHORTCUT)))

    def assess_current(self) -> None:
        row = self.current_row()
        if row is not None and not self._assess_refusal(row):
            self.sig_assess_requested.emit(row.application_id)

    # -- search --------------------------------------------------------------------------------
    def _count_clicked(self, link: str) -> None:
        value = None if link == "all" else link.removeprefix("status:")
        self.status_combo.setCurrentIndex(self.status_combo.findData(value) if value else 0)

    # -- feedback ------------------------------------------------------------------------------
    def _update_summary(self) -> None:
        m = self.model
        counts = m.status_counts()
        total_matching = sum(counts.values())
        parts = []
        for s in Status:
            n = counts.get(s, 0)
            text = f"{s.label} {n}"
            dot = f'<span style="color: {STATUS_COLOURS[s]}">●</span>&nbsp;'
            if self.model.filter.status is s:
                parts.append(f"{dot}<b>{text}</b>")
            elif n:
                parts.append(f'{dot}<a href="status:{s.value}" style="text-decoration: none">{text}</a>')
            else:
                parts.append(f'{dot}<span style="color: #8a8a8a">{text}</span>')
        shown = ngettext("{n} van {total} aanvraag", "{n} van {total} aanvragen", m.total_count()).format(
            n=m.visible_count(), total=m.total_count())
        self.counts_label.setText(f"<b>{shown}</b> &nbsp;&nbsp; " + " &nbsp;·&nbsp; ".join(parts)
                                  + (' &nbsp;&nbsp;<a href="all">{}</a>'.format(_("alle statussen tonen"))
                                     if m.filter.status else ""))
        self.counts_label.setToolTip(ngettext(
            "Aantallen per status binnen de zoekopdracht en de filters op gemeente en criterium ({n} aanvraag); "
            "klik op een status om erop te filteren.",
            "Aantallen per status binnen de zoekopdracht en de filters op gemeente en criterium ({n} aanvragen); "
            "klik op een status om erop te filteren.", m.visible_count())
                                     .format(n=total_matching))
        if m.visible_count():
            self.body.setCurrentWidget(self.table)
        else:
            if not self._loaded:
                self.empty_label.setText(_("Aanvragen worden geladen…"))
            elif m.total_count() == 0:
                self.empty_label.setText(_("Er zijn nog geen aanvragen.\nKies ‘Nieuwe aanvraag’ (Ctrl+N) of "
                                           "Bestand › Importeren… om te beginnen."))
            else:
                self.empty_label.setText(_("Geen aanvragen gevonden die passen bij de zoekopdracht en de filters.\n"
                                           "Pas de zoektekst aan of kies ‘Alle …’ in de filters."))
            self.body.setCurrentWidget(self.empty_label)

    def _keep_current_visible(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self.table.scrollTo(current)

    def _activated(self, index: QModelIndex) -> None:
        app_id = index.data(ID_ROLE)
        if app_id is not None:
            self.sig_open_requested.emit(app_id)
