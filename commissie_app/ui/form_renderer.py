"""Builds an assessment form from its definition: one editor per question type, never per question.

Sections become group boxes, help texts appear under the label (and as tooltip), required questions
are marked with *, conditional questions appear and disappear while answering, a count says how many
are answered, and the decision advice with its reason follows the answers live: only once the answers
settle it (issue 13: no "afwijzen" on an empty form). Checking is done with the same domain functions the
service uses (``validate_answers``), so the screen and the database never disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.form_advice import (  # settled_advice: also imported from here by older callers
    Advice,
    advise,
    is_answered,
    settled_advice,
    validate_answers,
    visible_questions,
)
from commissie_app.domain.form_model import AdviceOutcome, Form, Question, QuestionType
from commissie_app.domain.rules import Rules
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _, ngettext
from commissie_app.ui.widgets import DateEdit, plain, plain_label

ADVICE_COLOURS = {
    AdviceOutcome.GRANT: "#e6f4ea",
    AdviceOutcome.CONDITIONAL_GRANT: "#eaf2fb",
    AdviceOutcome.REJECT: "#fdecea",
    AdviceOutcome.DEFER: "#fff6e0",
}
NO_ADVICE_COLOUR = "#f2f2f2"


def reflowed(text: str) -> str:
    """A form file's multi-line text as paragraphs that wrap with the window: the line breaks of the file itself
    (kept short for the file's reader) would break a line halfway in a narrow column."""
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip())


def _replace_content(layout, widget: QWidget) -> None:
    """``widget`` in ``layout`` instead of what was there (the part of an earlier form)."""
    while layout.count():
        old = layout.takeAt(0).widget()
        if old is not None:
            old.deleteLater()
    layout.addWidget(widget)


class QuestionEditor(QWidget):
    """The editor of one question; ``value()``/``set_value()`` speak the answer format of form_advice."""

    changed = Signal()

    def __init__(self, question: Question, attachments: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.question = question
        q, t = question, question.type
        layout = QHBoxLayout(self) if t in (QuestionType.YES_NO_UNKNOWN,) else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._get: Callable[[], Any]
        self._set: Callable[[Any], None]
        self.focus_widget: QWidget
        if t in (QuestionType.YES_NO_UNKNOWN,) or (t is QuestionType.SINGLE_CHOICE and len(q.choices) <= 4):
            self._radios(layout, [(c.value, c.label) for c in q.choices])
        elif t is QuestionType.SINGLE_CHOICE:
            self._combo(layout, [(c.value, c.label) for c in q.choices], _("(kies)"))
        elif t is QuestionType.SCALE:
            self._combo(layout, [(s.value, f"{s.value} – {s.label}") for s in q.scale], _("(kies een score)"))
        elif t is QuestionType.EVIDENCE:
            self._combo(layout, attachments, _("(geen bewijsstuk gekozen)") if attachments
                        else _("(de aanvraag heeft nog geen bijlagen)"))
        elif t is QuestionType.MULTIPLE_CHOICE:
            boxes = []
            for c in q.choices:
                box = QCheckBox(c.label, self)
                box.setProperty("value", c.value)
                box.toggled.connect(self.changed)
                layout.addWidget(box)
                boxes.append(box)
            self.buttons = boxes
            self.focus_widget = boxes[0]
            self._get = lambda: [b.property("value") for b in boxes if b.isChecked()]

            def set_multi(v):
                picked = set(v or ())
                for b in boxes:
                    b.setChecked(b.property("value") in picked)
            self._set = set_multi
        elif t is QuestionType.DATE:
            edit = DateEdit(self)
            edit.textChanged.connect(self.changed)
            layout.addWidget(edit, 0, Qt.AlignmentFlag.AlignLeft)
            self.focus_widget = edit
            self._get = lambda: edit.text().strip()

            def set_date(v):
                if isinstance(v, dt.date):
                    v = format_date_nl(v)
                elif isinstance(v, str) and len(v) == 10 and v[4] == "-":
                    try:
                        v = format_date_nl(dt.date.fromisoformat(v))
                    except ValueError:
                        pass
                edit.setText(v or "")
            self._set = set_date
        elif t is QuestionType.SHORT_TEXT:
            edit = QLineEdit(self)
            if q.max_length:
                edit.setMaxLength(q.max_length)
            edit.textChanged.connect(self.changed)
            layout.addWidget(edit)
            self.focus_widget = edit
            self._get = edit.text
            self._set = lambda v: edit.setText(v or "")
        elif t is QuestionType.LONG_TEXT:
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(60)
            edit.setMaximumHeight(110)
            edit.textChanged.connect(self.changed)
            layout.addWidget(edit)
            self.focus_widget = edit
            self._get = edit.toPlainText
            self._set = lambda v: edit.setPlainText(v or "")
        else:  # pragma: no cover - every type is handled above
            raise AssertionError(t)
        if q.help:
            self.focus_widget.setToolTip(plain(q.help))
        self.focus_widget.setAccessibleName(q.label)

    def _radios(self, layout, options: list[tuple[Any, str]]) -> None:
        group = QButtonGroup(self)
        group.setExclusive(True)
        self.buttons = []
        values = []
        for i, (value, label) in enumerate(options):
            rb = QRadioButton(label, self)
            rb.setProperty("value", value)
            group.addButton(rb, i)
            values.append(value)
            layout.addWidget(rb)
            self.buttons.append(rb)
        if isinstance(layout, QHBoxLayout):
            layout.addStretch(1)
        # Signal to signal, not into a Python slot: PySide 6.12 drops a reference to whatever a
        # Python slot returns (None, or True for a lambda returning emit()), which aborts the
        # interpreter after enough edits. idClicked fires for clicks, Space and arrow keys.
        group.idClicked.connect(self.changed)
        self.focus_widget = self.buttons[0]

        def get():
            # checkedId() rather than checkedButton(): PySide 6.12 returns None without a reference
            i = group.checkedId()
            return values[i] if i >= 0 else None

        def set_(v):
            current = group.checkedId()
            if v in values:
                self.buttons[values.index(v)].setChecked(True)
            elif current >= 0:
                group.setExclusive(False)
                self.buttons[current].setChecked(False)
                group.setExclusive(True)
        self._get, self._set = get, set_

    def _combo(self, layout, options: list[tuple[Any, str]], empty: str) -> None:
        combo = QComboBox(self)
        # the empty entry carries "" rather than None: a None QVariant round trip upsets PySide's refcounts
        combo.addItem(empty, "")
        for value, label in options:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(self.changed)  # signal to signal, see _radios
        layout.addWidget(combo)
        self.combo = combo
        self.focus_widget = combo
        self._get = lambda: combo.currentData() if combo.currentIndex() > 0 else None

        def set_(v):
            i = combo.findData(v) if v not in (None, "") else 0
            combo.setCurrentIndex(max(i, 0))
        self._set = set_

    def value(self) -> Any:
        return self._get()

    def set_value(self, value: Any) -> None:
        # only touch Qt when something changes: every void call into PySide 6.12 costs a reference of None
        if value != self._get() and (is_answered(value) or is_answered(self._get())):
            self._set(value)

    def set_read_only(self, ro: bool) -> None:
        for w in self.findChildren(QWidget):
            if isinstance(w, (QLineEdit, QPlainTextEdit)):
                w.setReadOnly(ro)
            elif isinstance(w, (QRadioButton, QCheckBox, QComboBox)):
                w.setEnabled(not ro)


class QuestionRow(QWidget):
    """Label (with * when required), help text, editor and the inline message of one question."""

    def __init__(self, question: Question, attachments: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.question = question
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(2)
        text = question.label + (" *" if question.required else "")
        self.label = plain_label(text, self)  # a form file is data: its texts are shown as they are
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        layout.addWidget(self.label)
        if question.help:
            self.help_label = plain_label(question.help, self)
            self.help_label.setWordWrap(True)
            self.help_label.setProperty("role", "hint")
            self.help_label.setStyleSheet("color: #555;")
            layout.addWidget(self.help_label)
        self.editor = QuestionEditor(question, attachments, self)
        self.label.setBuddy(self.editor.focus_widget)
        layout.addWidget(self.editor)
        self.error_label = plain_label(parent=self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        self._error = ""
        layout.addWidget(self.error_label)

    def set_error(self, message: str | None) -> None:
        message = message or ""
        if message == self._error:
            return
        self._error = message
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        w = self.editor.focus_widget
        # tracked here rather than read back with property(): reading an unset property yields a
        # None QVariant, which PySide 6.12 hands out without a reference
        w.setProperty("error", bool(message))
        w.setAccessibleDescription(message)
        w.style().unpolish(w)
        w.style().polish(w)


class FormRenderer(QWidget):
    """The whole form for one set of answers. ``answers_changed`` fires on every edit."""

    answers_changed = Signal()  # on every edit (also while answers are being loaded)

    def __init__(self, form: Form, *, today: dt.date, rules: Rules, attachments: list[tuple[str, str]] | None = None,
                 answers: Mapping[str, Any] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = form
        self.today = today
        self.rules = rules
        self._loading = True
        self._complete_errors = False
        self._shown: dict = {}
        self._shown_advice: tuple[str, str] = ("", "")
        self.rows: dict[str, QuestionRow] = {}
        self.groups: list[tuple[QGroupBox, list[str]]] = []
        layout = QVBoxLayout(self)
        if form.description:
            desc = plain_label(reflowed(form.description), self)
            desc.setWordWrap(True)
            layout.addWidget(desc)
        for section in form.sections:
            box = QGroupBox(section.title, self)
            box_layout = QVBoxLayout(box)
            if section.help:
                h = plain_label(reflowed(section.help), box)
                h.setWordWrap(True)
                h.setStyleSheet("color: #555;")
                box_layout.addWidget(h)
            keys = []
            for q in section.questions:
                row = QuestionRow(q, attachments or [], box)
                row.editor.changed.connect(self._on_changed)
                # forwarded signal to signal: Signal.emit() called from Python loses a reference to
                # True with PySide 6.12, which aborts the interpreter after enough edits
                row.editor.changed.connect(self.answers_changed)
                box_layout.addWidget(row)
                self.rows[q.key] = row
                keys.append(q.key)
            self.groups.append((box, keys))
            layout.addWidget(box)
        self.advice_frame = QFrame(self)
        self.advice_frame.setObjectName("advice")
        af = QVBoxLayout(self.advice_frame)
        self.advice_title = plain_label(parent=self.advice_frame)
        f = self.advice_title.font()
        f.setBold(True)
        self.advice_title.setFont(f)
        self.advice_reason = plain_label(parent=self.advice_frame)
        self.advice_reason.setWordWrap(True)
        self.advice_reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        af.addWidget(self.advice_title)
        af.addWidget(self.advice_reason)
        layout.addWidget(self.advice_frame)
        self.progress_label = plain_label(parent=self)  # "4 van 13 vragen beantwoord": placed by the window
        self.progress_label.setObjectName("progress")
        self.progress_label.hide()
        self._shown_progress = ("", "")
        layout.addStretch(1)
        if answers:
            self.set_answers(answers)
        self._loading = False
        self.refresh()

    # -- answers

    def answers(self) -> dict[str, Any]:
        """The answered questions (visible or not; the service drops hidden ones)."""
        out = {}
        for key, row in self.rows.items():
            v = row.editor.value()
            if is_answered(v):
                out[key] = v
        return out

    def visible_answers(self) -> dict[str, Any]:
        visible = {q.key for q in visible_questions(self.form, self.answers())}
        return {k: v for k, v in self.answers().items() if k in visible}

    def show_advice_in(self, layout) -> None:
        """Put the advice in ``layout`` (below a scrolling form, so it stays in view), instead of what was there."""
        _replace_content(layout, self.advice_frame)

    def valid_answers(self) -> dict[str, Any]:
        """The visible answers without a problem: what a draft stores (the others stay on screen with their message)."""
        errors = self.errors()
        return {k: v for k, v in self.visible_answers().items() if k not in errors}

    def set_answers(self, answers: Mapping[str, Any]) -> None:
        was = self._loading
        self._loading = True
        for key, row in self.rows.items():
            row.editor.set_value(answers.get(key))
        self._loading = was
        self.refresh()

    def set_read_only(self, ro: bool) -> None:
        for row in self.rows.values():
            row.editor.set_read_only(ro)

    # -- live behaviour

    def _on_changed(self) -> None:
        if not self._loading:
            self.refresh()

    def errors(self, complete: bool = False) -> dict[str, str]:
        return validate_answers(self.form, self.visible_answers(), complete=complete)

    def show_complete_errors(self) -> dict[str, str]:
        """Also mark unanswered required questions (used when making the assessment final)."""
        self._complete_errors = True
        self.refresh()
        errors = self.errors(complete=True)
        first = next((k for k in self.rows if k in errors), None)
        if first:
            self.rows[first].editor.focus_widget.setFocus()
        return errors

    def check_complete(self) -> bool:
        """Before an assessment is made final: marks what is missing and says so in a message; True when complete."""
        errors = self.show_complete_errors()
        if errors:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self.window(), _("Nog niet compleet"), plain(_(
                "De beoordeling kan nog niet definitief worden gemaakt:") + "\n" +
                "\n".join(f"- {m}" for m in list(errors.values())[:8])))
        return not errors

    def refresh(self) -> None:
        # Qt is only told about changes: every call into PySide 6.12 here costs a reference of
        # None/True/False (a refcount bug of that release), and a form has many widgets.
        answers = self.answers()
        visible = {q.key for q in visible_questions(self.form, answers)}
        for i, (box, keys) in enumerate(self.groups):
            self._set_visible(("section", i), box, any(k in visible for k in keys))
        for key, row in self.rows.items():
            self._set_visible(key, row, key in visible)
        errors = self.errors(complete=self._complete_errors)
        for key, row in self.rows.items():
            row.set_error(errors.get(key) if key in visible else None)
        self.advice = self.current_advice()
        self.shown_advice = settled_advice(self.form, self.valid_answers(), self.today, self.rules)
        self._show_advice(self.shown_advice)
        self._show_progress()

    def _show_advice(self, advice: Advice | None) -> None:
        if advice is None:
            title = _("Nog geen voorgesteld advies")
            reason = _("Het voorgestelde advies verschijnt zodra de antwoorden het bepalen.")
            colour = NO_ADVICE_COLOUR
        else:
            title = _("Voorgesteld advies: {outcome}").format(outcome=advice.outcome.label)
            reason = advice.reason
            if advice.deadline:
                reason += "\n" + _("Termijn: {date}").format(date=format_date_nl(advice.deadline))
            colour = ADVICE_COLOURS[advice.outcome]
        if (title, reason) != self._shown_advice:
            self._shown_advice = (title, reason)
            self.advice_title.setText(title)
            self.advice_reason.setText(reason)
            self.advice_frame.setStyleSheet(
                f"QFrame#advice {{ background: {colour}; border: 1px solid #bbb; border-radius: 4px; }}")

    def progress(self) -> tuple[int, int, int]:
        """(answered, shown, required still open) over the questions shown now; an answer with a problem
        does not count as answered."""
        visible = {k for k in self.rows if self._shown.get(k)}
        valid = self.valid_answers()
        required_open = sum(1 for k in visible if self.rows[k].question.required and k not in valid)
        return sum(1 for k in visible if k in valid), len(visible), required_open

    def _show_progress(self) -> None:
        answered, total, required_open = self.progress()
        text = ngettext("{n} van {total} vraag beantwoord", "{n} van {total} vragen beantwoord", total).format(
            n=answered, total=total)
        tip = (ngettext("Nog {n} verplichte vraag open.", "Nog {n} verplichte vragen open.", required_open)
               .format(n=required_open) if required_open else _("Alle verplichte vragen zijn beantwoord."))
        if (text, tip) != self._shown_progress:
            self._shown_progress = (text, tip)
            self.progress_label.setText(text)
            self.progress_label.setToolTip(tip)

    def show_progress_in(self, layout) -> None:
        """Put the count of answered questions in ``layout`` (next to the window's other status lines), instead of
        what was there."""
        _replace_content(layout, self.progress_label)
        self.progress_label.show()

    def _set_visible(self, key, widget: QWidget, visible: bool) -> None:
        if self._shown.get(key) != visible:
            self._shown[key] = visible
            widget.setVisible(visible)

    def is_shown(self, key: str) -> bool:
        """Whether the question is shown (independent of whether the window itself is on screen)."""
        return self._shown.get(key, False)

    def current_advice(self) -> Advice:
        valid = {k: v for k, v in self.visible_answers().items() if k not in self.errors()}
        return advise(self.form, valid, self.today, self.rules)
