"""The commission: its five seats, the members and their terms (add a member, appoint, end a term)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain import commission as crules
from commissie_app.domain.commission import Seat
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import may
from commissie_app.services import commission
from commissie_app.services.context import ServiceContext
from commissie_app.ui.errors import show_error
from commissie_app.ui.widgets import FIELD_ERROR_STYLE, accept_cancel_buttons, DateEdit, FieldBox, MessageBanner, heading_label, plain_label


class MemberDialog(QDialog):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.member_id: uuid.UUID | None = None
        self.setWindowTitle(_("Lid toevoegen"))
        self.setStyleSheet(FIELD_ERROR_STYLE)
        self.name = QLineEdit(self)
        self.name_box = FieldBox(self.name, self)
        self.email = QLineEdit(self)
        self.organisation = QLineEdit(self)
        form = QFormLayout()
        form.addRow(_("&Naam"), self.name_box)
        form.addRow(_("&E-mail"), self.email)
        form.addRow(_("&Organisatie"), self.organisation)
        for f, box in ((self.name, self.name_box), (self.email, self.email), (self.organisation, self.organisation)):
            lbl = form.labelForField(box)
            if isinstance(lbl, QLabel):
                lbl.setBuddy(f)
        buttons = accept_cancel_buttons(self, _("Toevoegen"))
        buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def save(self) -> None:
        try:
            self.member_id = commission.add_member(self.ctx, self.name.text(), self.email.text(),
                                                   self.organisation.text())
        except ValidationError as err:
            self.name_box.set_error(err.errors.get("name") or str(err))
            self.name.setFocus()
            return
        except DomainError as err:
            show_error(self, err)
            return
        self.accept()


class AppointDialog(QDialog):
    """Give a member a seat from a start date (and optionally up to an end date)."""

    def __init__(self, ctx: ServiceContext, seat: Seat | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Lid benoemen op een zetel"))
        self.setStyleSheet(FIELD_ERROR_STYLE)
        self.member = QComboBox(self)
        for m in commission.list_members(ctx):
            self.member.addItem(m.name + (f" ({m.organisation})" if m.organisation else ""), m.id)
        self.seat = QComboBox(self)
        for s in Seat:
            self.seat.addItem(s.label, s.value)
            self.seat.setItemData(self.seat.count() - 1, s.description, Qt.ItemDataRole.ToolTipRole)
        if seat is not None:
            self.seat.setCurrentIndex(self.seat.findData(seat.value))
        self.start = DateEdit(self)
        self.start.setDate(ctx.today())
        self.start_box = FieldBox(self.start, self)
        self.end = DateEdit(self)
        self.end_box = FieldBox(self.end, self, hint=_("Leeg: tot nader order."))
        form = QFormLayout()
        form.addRow(_("&Lid"), self.member)
        form.addRow(_("&Zetel"), self.seat)
        form.addRow(_("&Vanaf"), self.start_box)
        form.addRow(_("&Tot en met"), self.end_box)
        for f, box in ((self.member, self.member), (self.seat, self.seat), (self.start, self.start_box),
                       (self.end, self.end_box)):
            lbl = form.labelForField(box)
            if isinstance(lbl, QLabel):
                lbl.setBuddy(f)
        buttons = accept_cancel_buttons(self, _("Benoemen"))
        buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def save(self) -> None:
        self.start_box.set_error(None)
        self.end_box.set_error(None)
        if self.member.currentData() is None:
            show_error(self, DomainError(_("Voeg eerst het lid toe.")))
            return
        try:
            start = self.start.date()
        except ValueError:
            start = None
        if start is None:
            self.start_box.set_error(_("Vul een geldige datum in (dd-mm-jjjj)."))
            return
        try:
            end = self.end.date()
        except ValueError:
            self.end_box.set_error(_("Vul een geldige datum in (dd-mm-jjjj) of laat het veld leeg."))
            return
        try:
            commission.appoint(self.ctx, self.member.currentData(), Seat(self.seat.currentData()), start, end)
        except DomainError as err:
            show_error(self, err)
            return
        self.accept()


class EndTermDialog(QDialog):
    def __init__(self, ctx: ServiceContext, term_id: uuid.UUID, term: crules.Term, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.term_id = term_id
        self.setWindowTitle(_("Zittingsperiode beëindigen"))
        self.setStyleSheet(FIELD_ERROR_STYLE)
        intro = plain_label(_("{name}, zetel ‘{seat}’, {period}.").format(
            name=term.member_name, seat=term.seat.label, period=term.period_text), self)
        intro.setWordWrap(True)
        self.end = DateEdit(self)
        self.end.setDate(term.end or ctx.today())
        self.end_box = FieldBox(self.end, self)
        form = QFormLayout()
        form.addRow(_("&Laatste dag"), self.end_box)
        lbl = form.labelForField(self.end_box)
        if isinstance(lbl, QLabel):
            lbl.setBuddy(self.end)
        buttons = accept_cancel_buttons(self, _("Beëindigen"))
        buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            end = self.end.date()
        except ValueError:
            end = None
        if end is None:
            self.end_box.set_error(_("Vul een geldige datum in (dd-mm-jjjj)."))
            return
        try:
            commission.end_term(self.ctx, self.term_id, end)
        except DomainError as err:
            show_error(self, err)
            return
        self.accept()


class CommissionPage(QWidget):
    """Seats and who holds them today, every term, and what needs attention."""

    sig_changed = Signal()

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._terms: list[tuple[uuid.UUID, crules.Term]] = []
        heading = heading_label(_("Leden en zetels van de commissie"), self, 1.3)
        self.banner = MessageBanner(self)
        self.banner.setObjectName("banner")

        self.seats = QTableWidget(0, 3, self)
        self.seats.setObjectName("seats")
        self.seats.setAccessibleName(_("Samenstelling vandaag"))
        self.seats.setHorizontalHeaderLabels([_("Zetel"), _("Lid"), _("Zittingsperiode")])
        self.terms = QTableWidget(0, 3, self)
        self.terms.setObjectName("terms")
        self.terms.setAccessibleName(_("Alle zittingsperioden"))
        self.terms.setHorizontalHeaderLabels([_("Zetel"), _("Lid"), _("Zittingsperiode")])
        for table in (self.seats, self.terms):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.verticalHeader().hide()
            table.setTabKeyNavigation(False)
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
        self.seats.setMaximumHeight(self.seats.verticalHeader().defaultSectionSize() * 6 + 8)

        self.add_member_button = QPushButton(_("Lid toevoegen…"), self)
        self.add_member_button.clicked.connect(self.add_member)
        self.appoint_button = QPushButton(_("Benoemen op een zetel…"), self)
        self.appoint_button.clicked.connect(self.appoint)
        self.end_button = QPushButton(_("Zittingsperiode beëindigen…"), self)
        self.end_button.clicked.connect(self.end_term)
        self.terms.itemSelectionChanged.connect(self._update_buttons)
        self.terms.activated.connect(lambda _i: self.end_term() if self.end_button.isEnabled() else None)
        for button in (self.add_member_button, self.appoint_button):
            button.setEnabled(may(ctx, Action.MANAGE_COMMISSION))

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_member_button)
        buttons.addWidget(self.appoint_button)
        buttons.addWidget(self.end_button)
        buttons.addStretch(1)

        seats_label = QLabel(_("&Samenstelling vandaag"), self)
        seats_label.setBuddy(self.seats)
        terms_label = QLabel(_("&Alle zittingsperioden"), self)
        terms_label.setBuddy(self.terms)
        for lbl in (seats_label, terms_label):
            lbl.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.banner)
        layout.addWidget(seats_label)
        layout.addWidget(self.seats)
        layout.addWidget(terms_label)
        layout.addWidget(self.terms, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        try:
            self._terms = commission.term_rows(self.ctx)
            warnings = commission.composition_warnings(self.ctx)
        except DomainError as err:
            show_error(self, err)
            return
        if warnings:
            self.banner.show_message("\n".join(f"• {w}" for w in warnings), "warning")
        else:
            self.banner.clear()
        today = self.ctx.today()
        composition = crules.composition_on([t for _id, t in self._terms], today)
        self.seats.setRowCount(len(composition))
        for r, (seat, term) in enumerate(composition.items()):
            values = (seat.label, term.member_name if term else _("onbezet"), term.period_text if term else "")
            for c, text in enumerate(values):
                cell = QTableWidgetItem(text)
                if c == 0:
                    cell.setToolTip(seat.description)
                self.seats.setItem(r, c, cell)
        self.terms.setRowCount(len(self._terms))
        for r, (term_id, term) in enumerate(self._terms):
            ended = term.end is not None and term.end < today
            for c, text in enumerate((term.seat.label, term.member_name, term.period_text)):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, term_id)
                if ended:
                    cell.setForeground(self.palette().placeholderText())
                self.terms.setItem(r, c, cell)
        self._update_buttons()

    def selected_term(self) -> tuple[uuid.UUID, crules.Term] | None:
        row = self.terms.currentRow()
        return self._terms[row] if 0 <= row < len(self._terms) and self.terms.selectedItems() else None

    def _update_buttons(self) -> None:
        self.end_button.setEnabled(self.selected_term() is not None and may(self.ctx, Action.MANAGE_COMMISSION))

    def _done(self) -> None:
        self.reload()
        self.sig_changed.emit()

    def add_member(self) -> None:
        if MemberDialog(self.ctx, self).exec():
            self._done()

    def appoint(self) -> None:
        row = self.seats.currentRow()
        seat = list(Seat)[row] if 0 <= row < len(Seat) else None
        if AppointDialog(self.ctx, seat, self).exec():
            self._done()

    def end_term(self) -> None:
        selected = self.selected_term()
        if selected is None:
            return
        if EndTermDialog(self.ctx, selected[0], selected[1], self).exec():
            self._done()

