"""Bestand › Retourpakketten inlezen…: the secretary reads members' return packages.

Choose one or more files; each is checked and planned (in the background) and listed with its result:
refused with the reason, already imported, or ready with what happens to each item. Every conflict (changed
on both sides since the package was made) is shown side by side, database and package, with a choice
"Database houden" / "Pakket overnemen"; "Inlezen" is enabled once every conflict has a choice. After a
confirmation the import runs in one transaction and the main window refreshes what it changed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.dates import format_date_nl
from commissie_app.domain.errors import DomainError
from commissie_app.domain.form_advice import display_answer
from commissie_app.i18n import _, ngettext
from commissie_app.services.assessments import get_form
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_record import AMSTERDAM
from commissie_app.services.review_import import (
    ALREADY_IMPORTED,
    REFUSED,
    ImportPlan,
    ImportReport,
    apply_import,
    prepare_import,
)
from commissie_app.services.review_import_plan import DATABASE, NOTE, PACKAGE, PlanItem
from commissie_app.ui import widgets
from commissie_app.ui.assessment_compare import DISAGREE
from commissie_app.ui.errors import show_error
from commissie_app.ui.tasks import run_task
from commissie_app.ui.widgets import plain, plain_label


def _when(at) -> str:
    if at is None:
        return "—"
    local = at.astimezone(AMSTERDAM)
    return f"{format_date_nl(local.date())} {local:%H:%M}"


def _filter() -> str:
    return _("Retourpakket (*.kipretour)") + ";;" + _("Alle bestanden (*)")


class ConflictView(QGroupBox):
    """One conflict: the database's side and the package's side next to each other, and the choice."""

    sig_chosen = Signal()

    def __init__(self, ctx: ServiceContext, item: PlanItem, member: str, parent: QWidget | None = None):
        super().__init__(_("Conflict: {kind} van {title} ({member})").format(
            kind=item.kind_label, title=item.title, member=member), parent)
        self.item = item
        self.table = QTableWidget(self)
        self.table.setColumnCount(2)
        self.table.setHorizontalHeaderLabels([_("Database"), _("Pakket")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._fill(ctx)
        self.keep_database = QRadioButton(_("Database houden"), self)
        self.take_package = QRadioButton(_("Pakket overnemen"), self)
        self.group = QButtonGroup(self)
        for button in (self.keep_database, self.take_package):
            self.group.addButton(button)
            button.toggled.connect(lambda _on: self.sig_chosen.emit())
        choice = QHBoxLayout()
        choice.addWidget(self.keep_database)
        choice.addWidget(self.take_package)
        choice.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(choice)

    @property
    def choice(self) -> str | None:
        if self.keep_database.isChecked():
            return DATABASE
        if self.take_package.isChecked():
            return PACKAGE
        return None

    def rows(self) -> list[tuple[str, str, str]]:
        """(label, database side, package side) as the table shows them."""
        return [(self.table.verticalHeaderItem(r).text(), self.table.item(r, 0).text(), self.table.item(r, 1).text())
                for r in range(self.table.rowCount())]

    def _fill(self, ctx: ServiceContext) -> None:
        db, pkg = self.item.database, self.item.package
        if self.item.kind == NOTE:
            rows = [(_("Tekst"), db.text, pkg.text)]
        else:
            db_form = get_form(ctx, db.form_id)
            pkg_form = db_form if pkg.form_id == db.form_id else get_form(ctx, pkg.form_id)
            rows = []
            for q in pkg_form.questions:
                db_q = db_form.question_map.get(q.key)
                if q.key in db.answers or q.key in pkg.answers:
                    rows.append((q.label, display_answer(db_q, db.answers.get(q.key)) if db_q else
                                 _("(niet in deze versie)"), display_answer(q, pkg.answers.get(q.key))))
            state = {"final": _("definitief"), "draft": _("concept")}
            rows += [(_("Status"), state.get(db.state, db.state), state.get(pkg.state, pkg.state)),
                     (_("Voorgesteld advies"), db.advice.label if db.advice else "—",
                      pkg.advice.label if pkg.advice else "—"),
                     (_("Reden"), db.advice_reason, pkg.advice_reason)]
        rows.append((_("Gewijzigd"), _when(db.at), _when(pkg.at)))
        self.table.setRowCount(len(rows))
        self.table.setVerticalHeaderLabels([label for label, _d, _p in rows])
        for r, (_label, left, right) in enumerate(rows):
            for c, text in enumerate((left, right)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(plain(text))
                if left != right:
                    cell.setBackground(QBrush(DISAGREE))
                self.table.setItem(r, c, cell)
        self.table.setMinimumHeight(min(420, 60 + 28 * len(rows)))


class ReviewImportDialog(QDialog):
    """Choose return files, see per file what happens, choose at every conflict, then import."""

    sig_changed = Signal(object)  # services.changes.Changes of the import

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.plan: ImportPlan | None = None
        self.report: ImportReport | None = None
        self.paths: list[Path] = []
        self.conflict_views: list[ConflictView] = []
        self.setWindowTitle(_("Retourpakketten inlezen"))
        intro = plain_label(_("Kies de retourpakketten (.kipretour) die de leden hebben teruggestuurd. Elk bestand "
                              "wordt eerst gecontroleerd; er wordt pas iets opgeslagen als u op Inlezen klikt."))
        intro.setWordWrap(True)
        self.choose_button = QPushButton(_("Bestanden kiezen…"), self)
        self.choose_button.clicked.connect(self.choose_files)
        self.files = QTreeWidget(self)
        self.files.setColumnCount(2)
        self.files.setHeaderLabels([_("Bestand en onderdelen"), _("Resultaat")])
        self.files.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.files.setWordWrap(True)
        self.conflict_box = QWidget(self)
        self.conflict_layout = QVBoxLayout(self.conflict_box)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.conflict_box)
        self.status = plain_label("")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.import_button = buttons.addButton(_("Inlezen"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = buttons.addButton(_("Sluiten"), QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.import_files)
        self.close_button.clicked.connect(self.reject)
        self.import_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.files, 1)
        layout.addWidget(scroll, 2)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        widgets.resize_within_screen(self, 980, 720)

    # -- choosing and checking -------------------------------------------------------------------
    def choose_files(self) -> None:
        names, _chosen = QFileDialog.getOpenFileNames(self, _("Retourpakketten kiezen"), "", _filter())
        if names:
            self.load([Path(n) for n in names])

    def load(self, paths: list[Path]) -> None:
        """Check and plan these files (in the background) and show the result."""
        self.paths = list(paths)
        run_task(self, lambda: prepare_import(self.ctx, self.paths), on_success=self.show_plan,
                 label=_("Retourpakketten controleren…"))

    def show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.files.clear()
        for f in plan.files:
            if f.status == REFUSED:
                result = _("Geweigerd: {reason}").format(reason=f.message)
            elif f.status == ALREADY_IMPORTED:
                result = _("Al ingelezen; er verandert niets.")
            else:
                result = _("Klaar om in te lezen: retour {n} van {member}").format(n=f.content.sequence,
                                                                                  member=f.member_name)
            top = QTreeWidgetItem([f.path.name, result])
            top.setToolTip(1, plain(result))
            for item in f.items:
                outcome = item.outcome.label + (f" ({item.detail})" if item.detail else "")
                child = QTreeWidgetItem([f"{item.kind_label}: {item.title}", outcome])
                child.setToolTip(1, plain(outcome))
                top.addChild(child)
            self.files.addTopLevelItem(top)
            top.setExpanded(True)
        for view in self.conflict_views:
            view.deleteLater()
        self.conflict_views = []
        for f in plan.ready:
            for item in f.conflicts:
                view = ConflictView(self.ctx, item, f.member_name, self.conflict_box)
                view.sig_chosen.connect(self._update_buttons)
                self.conflict_layout.addWidget(view)
                self.conflict_views.append(view)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = bool(self.plan and self.plan.ready)
        open_choices = sum(1 for v in self.conflict_views if v.choice is None)
        self.import_button.setEnabled(ready and not open_choices)
        if not self.plan:
            self.status.setText("")
        elif not ready:
            self.status.setText(_("Er is niets in te lezen."))
        elif open_choices:
            self.status.setText(ngettext(
                "Kies bij {n} conflict wat blijft: de database of het pakket.",
                "Kies bij {n} conflicten wat blijft: de database of het pakket.", open_choices).format(n=open_choices))
        else:
            self.status.setText(ngettext("{n} retourpakket klaar om in te lezen.",
                                         "{n} retourpakketten klaar om in te lezen.",
                                         len(self.plan.ready)).format(n=len(self.plan.ready)))

    # -- importing -------------------------------------------------------------------------------
    def choices(self) -> dict:
        return {v.item.key: v.choice for v in self.conflict_views if v.choice is not None}

    def import_files(self) -> None:
        if not self.plan or not self.import_button.isEnabled():
            return
        n = len(self.plan.ready)
        question = ngettext("{n} retourpakket inlezen in de database?", "{n} retourpakketten inlezen in de database?",
                            n).format(n=n)
        if widgets.ask(self, self.windowTitle(), question, [(_("Inlezen"), QMessageBox.ButtonRole.AcceptRole),
                                                            (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)]) != 0:
            return
        plan, choices = self.plan, self.choices()
        run_task(self, lambda: apply_import(self.ctx, plan, choices), on_success=self._imported,
                 on_failure=self._failed, label=_("Retourpakketten inlezen…"))

    def _imported(self, report: ImportReport) -> None:
        self.report = report
        self.sig_changed.emit(report.changes)
        QMessageBox.information(self, self.windowTitle(), plain(_("Ingelezen:") + "\n" + report.text()))
        self.accept()

    def _failed(self, err: BaseException) -> None:
        show_error(self, err, _("Inlezen niet gelukt"))
        if isinstance(err, DomainError) and self.paths:
            self.load(self.paths)  # show what the database holds now


def import_review_returns(parent: QWidget, ctx: ServiceContext, on_changes) -> ReviewImportDialog:
    """Bestand › Retourpakketten inlezen…: the dialog, asking for the files at once."""
    dialog = ReviewImportDialog(ctx, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.sig_changed.connect(on_changes)
    dialog.show()
    dialog.choose_files()
    return dialog
