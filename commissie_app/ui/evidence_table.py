"""The criteria an application claims, each with its evidence (reference, valid until)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from commissie_app.domain.codes import Criterion
from commissie_app.domain.validation import FIELD_MAX_LENGTH, EvidenceData
from commissie_app.i18n import _
from commissie_app.ui.widgets import DateEdit, FieldBox, plain_label, set_error_state


class EvidenceRow:
    def __init__(self, criterion: Criterion, parent: QWidget):
        self.criterion = criterion
        self.check = QCheckBox(criterion.label, parent)
        self.check.setObjectName(f"criterion_{criterion.value}")
        self.reference = QLineEdit(parent)
        self.reference.setObjectName(f"reference_{criterion.value}")
        self.reference.setPlaceholderText(_("registratie- of certificaatnummer"))
        self.reference.setMaxLength(FIELD_MAX_LENGTH["reference"])
        self.valid_until = DateEdit(parent)
        self.valid_until.setObjectName(f"valid_until_{criterion.value}")
        self.valid_until.setToolTip(_("Geldig tot en met (leeg als de registratie niet verloopt)"))
        self.date_box = FieldBox(self.valid_until, parent)
        self.reference_box = FieldBox(self.reference, parent)


class EvidenceEditor(QWidget):
    """One row per criterion: tick it, then give the reference and the optional valid-until date."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.frame = QWidget(self)
        self.frame.setObjectName("criteriaBox")
        grid = QGridLayout(self.frame)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.setColumnStretch(1, 1)
        heads = (_("Criterium"), _("Bewijsstuk (nummer)"), _("Geldig t/m"))
        for col, text in enumerate(heads):
            head = QLabel(f"<b>{text}</b>", self.frame)
            grid.addWidget(head, 0, col)
        self.rows: dict[Criterion, EvidenceRow] = {}
        for i, c in enumerate(Criterion, start=1):
            row = EvidenceRow(c, self.frame)
            grid.addWidget(row.check, i, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.reference_box, i, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.date_box, i, 2, Qt.AlignmentFlag.AlignTop)
            row.check.toggled.connect(lambda on, r=row: self._toggled(r, on))
            row.reference.textEdited.connect(self.sig_changed)
            row.valid_until.textEdited.connect(self.sig_changed)
            row.valid_until.editingFinished.connect(lambda r=row: self._date_left(r))
            row.valid_until.textChanged.connect(lambda _t, r=row: self._date_recheck(r))
            self._toggled(row, False)
            self.rows[c] = row
        outer.addWidget(self.frame)
        self.error_label = plain_label(parent=self)
        self.error_label.setProperty("role", "field-error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        outer.addWidget(self.error_label)
        self._read_only = False
        order = [w for r in self.rows.values() for w in (r.check, r.reference, r.valid_until)]
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)

    def first_widget(self) -> QWidget:
        return next(iter(self.rows.values())).check

    def last_widget(self) -> QWidget:
        return list(self.rows.values())[-1].valid_until

    def _toggled(self, row: EvidenceRow, on: bool) -> None:
        row.reference.setEnabled(on)
        row.valid_until.setEnabled(on)
        if not on:
            row.date_box.set_error(None)
        if on and self.error_label.isVisible():
            self.set_errors({})
        self.sig_changed.emit()

    def _date_message(self, row: EvidenceRow) -> str | None:
        if row.check.isChecked() and not row.valid_until.is_valid():
            return _("Vul ‘geldig tot en met’ in als dd-mm-jjjj, bijvoorbeeld 31-12-2027, of laat het leeg.")
        return None

    def _date_left(self, row: EvidenceRow) -> None:
        row.date_box.set_error(self._date_message(row))

    def _date_recheck(self, row: EvidenceRow) -> None:
        if row.date_box.error():
            row.date_box.set_error(self._date_message(row))

    # ---- values -------------------------------------------------------------------------------

    def set_evidence(self, evidence: tuple[EvidenceData, ...]) -> None:
        blocker = self.blockSignals(True)
        try:
            by = {e.criterion: e for e in evidence}
            for c, row in self.rows.items():
                ev = by.get(c)
                row.check.setChecked(ev is not None)
                row.reference.setText(ev.reference if ev else "")
                row.valid_until.setDate(ev.valid_until if ev else None)
            self.set_errors({})
        finally:
            self.blockSignals(blocker)

    def collect(self) -> tuple[tuple[EvidenceData, ...], dict[str, str]]:
        """The ticked criteria with their evidence, plus unreadable dates keyed ``valid_until_<CODE>``."""
        evidence = []
        errors: dict[str, str] = {}
        for c, row in self.rows.items():
            if not row.check.isChecked():
                continue
            message = self._date_message(row)
            if message:
                errors[f"valid_until_{c.value}"] = message
                valid_until = None
            else:
                valid_until = row.valid_until.date()
            evidence.append(EvidenceData(c, row.reference.text(), valid_until))
        return tuple(evidence), errors

    def set_errors(self, errors: dict[str, str]) -> list[str]:
        message = errors.get("criteria")
        set_error_state(self.frame, message)
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))
        mine = ["criteria"] if message else []
        for c, row in self.rows.items():
            for key, box in ((f"reference_{c.value}", row.reference_box), (f"valid_until_{c.value}", row.date_box)):
                box.set_error(errors.get(key))
                if key in errors:
                    mine.append(key)
        return mine

    def field_widget(self, key: str) -> QWidget | None:
        if key == "criteria":
            return self.first_widget()
        for c, row in self.rows.items():
            if key == f"valid_until_{c.value}":
                return row.valid_until
            if key == f"reference_{c.value}":
                return row.reference
        return None

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for row in self.rows.values():
            row.check.setEnabled(not read_only)
            row.reference.setReadOnly(read_only)
            row.valid_until.setReadOnly(read_only)
