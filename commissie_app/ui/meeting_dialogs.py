"""Dialogs of the meetings pages: plan/edit a meeting, choose complete applications, declare a
conflict of interest, record a decision and correct a closed meeting."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from PySide6.QtCore import QTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain import voting
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.rules import Rules
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.voting import DecisionType
from commissie_app.i18n import _
from commissie_app.services import meeting_attendance, meeting_corrections, meeting_officers, meeting_planning
from commissie_app.services import meeting_votes
from commissie_app.services import recognitions
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_detail import ItemInfo, MeetingDetail
from commissie_app.services.meeting_record import AMSTERDAM, AttendeeInfo
from commissie_app.ui.decision_content import DecisionContentRows
from commissie_app.ui.decision_criteria import CriteriaPanel
from commissie_app.ui.errors import show_error
from commissie_app.ui.widgets import (
    FIELD_ERROR_STYLE,
    DateEdit,
    FieldBox,
    MessageBanner,
    escape,
    plain_label,
    resize_within_screen,
    rich_label,
)


def criteria_text(criteria: tuple[Criterion, ...], short: bool = False) -> str:
    """The criteria of an application as labels ('PSO 30+ gecertificeerd, ...')."""
    return ", ".join(c.short_label if short else c.label for c in criteria) or _("geen")


# ---------------------------------------------------------------- plan / edit


def _select(combo: QComboBox, value) -> None:
    """Make the entry whose data equals ``value`` current (findData cannot compare Python objects); else the first."""
    combo.setCurrentIndex(next((i for i in range(combo.count()) if combo.itemData(i) == value), 0))


class MeetingDialog(QDialog):
    """Plan a new meeting (``detail`` None) or change date, place and officers of a planned one."""

    def __init__(self, ctx: ServiceContext, detail: MeetingDetail | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.meeting_id: uuid.UUID | None = detail.id if detail else None
        self.setWindowTitle(_("Vergadering wijzigen") if detail else _("Nieuwe vergadering"))
        self.setStyleSheet(FIELD_ERROR_STYLE)

        self.date_edit = DateEdit(self)
        self.date_edit.setAccessibleName(_("Datum"))
        self.time_edit = QTimeEdit(self)
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName(_("Aanvang"))
        self.duration = QSpinBox(self)
        self.duration.setRange(15, 600)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(" " + _("minuten"))
        self.place = QLineEdit(self)
        self.place.setPlaceholderText(_("bijvoorbeeld Stadhuis Haarlem, kamer 2.14"))
        self.video_link = QLineEdit(self)
        self.video_link.setPlaceholderText("https://…")
        # issue 13: the chair from the members holding a seat on the date, the secretary from the secretaries
        self.chair = QComboBox(self)
        self.chair.setAccessibleName(_("Voorzitter"))
        self.chair.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chair.setMinimumContentsLength(40)  # a long seat name is cut off: the list and the tool tip show it
        self.chair.currentTextChanged.connect(self.chair.setToolTip)
        self.secretary = QComboBox(self)
        self.secretary.setAccessibleName(_("Secretaris"))

        if detail:
            local = detail.local_start
            self.date_edit.setDate(local.date())
            self.time_edit.setTime(QTime(local.hour, local.minute))
            self.duration.setValue(detail.duration_minutes)
            self.place.setText(detail.place)
            self.video_link.setText(detail.video_link)
        else:
            self.date_edit.setDate(ctx.today() + dt.timedelta(days=14))
            self.time_edit.setTime(QTime(14, 0))
            self.duration.setValue(120)
        self._fill_officers(detail)
        self.date_edit.sig_date_changed.connect(self._date_changed)

        self.boxes = {
            "date": FieldBox(self.date_edit, self),
            "place": FieldBox(self.place, self),
            "duration_minutes": FieldBox(self.duration, self),
            "chair": FieldBox(self.chair, self),
            "secretary": FieldBox(self.secretary, self),
        }
        form = QFormLayout()
        form.addRow(_("&Datum"), self.boxes["date"])
        form.addRow(_("&Aanvang (Nederlandse tijd)"), self.time_edit)
        form.addRow(_("Du&ur"), self.boxes["duration_minutes"])
        form.addRow(_("&Plaats"), self.boxes["place"])
        form.addRow(_("&Videolink"), self.video_link)
        form.addRow(_("Voo&rzitter"), self.boxes["chair"])
        form.addRow(_("&Secretaris"), self.boxes["secretary"])
        for label_field in (self.date_edit, self.time_edit, self.duration, self.place, self.video_link,
                            self.chair, self.secretary):
            label = form.labelForField(label_field) or form.labelForField(label_field.parentWidget())
            if isinstance(label, QLabel):
                label.setBuddy(label_field)

        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(_("Opslaan") if detail else _("Plannen"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.ok_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.date_edit.setFocus()

    def _day(self) -> dt.date | None:
        try:
            return self.date_edit.date()
        except ValueError:
            return None

    def _fill_officers(self, detail: MeetingDetail | None) -> None:
        """The choices for the date in the field; the meeting's own officers, or the commission's chair and
        the planning secretary for a new meeting. A name that is only text (from before issue 13) is shown
        in the empty choice."""
        choices = meeting_officers.officer_choices(self.ctx, self._day() or self.ctx.today())
        self._names = {c.member_id: c.name for c in choices.chairs}
        if detail is None:
            chair, secretary, old_chair = choices.default_chair_id, self.ctx.actor.user_id, ""
        else:
            chair, secretary = detail.chair_member_id, detail.secretary_user_id
            old_chair = detail.chair_name if chair is None else ""
            if chair is not None:
                self._names.setdefault(chair, detail.chair_name)
        self._set_chairs(choices, chair, old_chair)
        old_secretary = detail.secretary_name if detail is not None and detail.secretary_user_id is None else ""
        self.secretary.addItem(_("(geen) — was: {name}").format(name=old_secretary) if old_secretary else _("(geen)"),
                               None)
        for s in choices.secretaries:
            self.secretary.addItem(s.name, s.user_id)
        _select(self.secretary, secretary)

    def _set_chairs(self, choices: meeting_officers.OfficerChoices, chosen, old_name: str = "") -> None:
        """The seat holders of the date; a chosen member without a seat that day stays, marked (saving is then
        refused with the service's message under the field)."""
        self.chair.clear()
        empty = _("(kies een lid met een zetel)")
        self.chair.addItem(_("{empty} — was: {name}").format(empty=empty, name=old_name) if old_name else empty,
                           None)
        for c in choices.chairs:
            self._names[c.member_id] = c.name
            self.chair.addItem(_("{name} — {seat}").format(name=c.name, seat=c.seat.label), c.member_id)
        if chosen is not None and all(c.member_id != chosen for c in choices.chairs):
            self.chair.addItem(_("{name} — geen zetel op deze datum").format(name=self._names.get(chosen, "?")),
                               chosen)
        _select(self.chair, chosen)

    def _date_changed(self) -> None:
        """Who holds a seat depends on the date: the list follows it, the choice stays."""
        day = self._day()
        if day is not None:
            self._set_chairs(meeting_officers.officer_choices(self.ctx, day), self.chair.currentData())

    def starts_at(self) -> dt.datetime | None:
        try:
            day = self.date_edit.date()
        except ValueError:
            return None
        if day is None:
            return None
        t = self.time_edit.time()
        return dt.datetime(day.year, day.month, day.day, t.hour(), t.minute(), tzinfo=AMSTERDAM)

    def save(self) -> None:
        for box in self.boxes.values():
            box.set_error(None)
        starts_at = self.starts_at()
        if starts_at is None:
            self.boxes["date"].set_error(_("Vul een geldige datum in (dd-mm-jjjj)."))
            self.date_edit.setFocus()
            return
        values = dict(place=self.place.text(), video_link=self.video_link.text(),
                      duration_minutes=self.duration.value(), chair_member_id=self.chair.currentData(),
                      secretary_user_id=self.secretary.currentData())
        try:
            if self.detail is None:
                self.meeting_id = meeting_planning.plan_meeting(self.ctx, starts_at, **values)
            else:
                meeting_planning.update_meeting(self.ctx, self.detail.id, expected_version=self.detail.version,
                                                starts_at=starts_at, **values)
        except ValidationError as err:
            for name, message in err.errors.items():
                if name in self.boxes:
                    self.boxes[name].set_error(message)
            if not set(err.errors) & set(self.boxes):
                show_error(self, err)
            return
        except DomainError as err:
            show_error(self, err)
            return
        self.accept()


# ---------------------------------------------------------------- complete applications


class CompleteApplicationsDialog(QDialog):
    """Every complete application, checked: the secretary unticks what should wait."""

    def __init__(self, candidates: list[tuple[uuid.UUID, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Complete aanvragen toevoegen"))
        intro = QLabel(_("Deze aanvragen zijn compleet en kunnen op de agenda worden gezet. Vink uit wat op een latere "
                           "vergadering aan bod komt."), self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName(_("Complete aanvragen"))
        for app_id, name in candidates:
            item = QListWidgetItem(name, self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, app_id)
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(_("Op de agenda zetten"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemChanged.connect(lambda _item: self.ok_button.setEnabled(bool(self.chosen())))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(460, 320)

    def chosen(self) -> list[uuid.UUID]:
        return [self.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.list.count())
                if self.list.item(r).checkState() == Qt.CheckState.Checked]


# ---------------------------------------------------------------- conflict of interest


class ConflictDialog(QDialog):
    """A member declares a conflict of interest on one item, with the reason for the minutes."""

    def __init__(self, ctx: ServiceContext, item: ItemInfo, candidates: list[AttendeeInfo],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        self.setWindowTitle(_("Belangenverstrengeling melden"))
        self.setStyleSheet(FIELD_ERROR_STYLE)
        intro = plain_label(_("Wie belangenverstrengeling meldt, stemt niet mee over ‘{title}’ en telt niet mee "
                              "voor het quorum van dit agendapunt.").format(title=item.title), self)
        intro.setWordWrap(True)
        self.member = QComboBox(self)
        for a in candidates:
            self.member.addItem(f"{a.name} ({a.seat.label})", a.member_id)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(_("bijvoorbeeld: is adviseur van de organisatie"))
        self.reason_box = FieldBox(self.reason, self)
        form = QFormLayout()
        form.addRow(_("&Lid"), self.member)
        form.addRow(_("&Reden"), self.reason_box)
        self.ok_button = _finish_form_dialog(self, intro, form, ((self.member, self.member),
                                                                 (self.reason, self.reason_box)), _("Melden"))
        self.resize(480, self.sizeHint().height())

    def save(self) -> None:
        if not self.reason.text().strip():
            self.reason_box.set_error(_("Geef de reden op; die komt in de notulen."))
            self.reason.setFocus()
            return
        try:
            meeting_attendance.declare_conflict(self.ctx, self.item.id, self.member.currentData(), self.reason.text())
        except DomainError as err:
            show_error(self, err)
            return
        self.accept()


# ---------------------------------------------------------------- decision


def _finish_form_dialog(dialog: QDialog, intro: QWidget, form: QFormLayout, buddies, ok_text: str) -> QPushButton:
    """Intro, form and OK/Annuleren under each other; each form label's shortcut focuses its field.

    ``buddies`` pairs (field, the widget added to the form row); ``dialog.save`` handles OK."""
    for field, row_widget in buddies:
        lbl = form.labelForField(row_widget)
        if isinstance(lbl, QLabel):
            lbl.setBuddy(field)
    buttons = QDialogButtonBox(dialog)
    ok_button = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(dialog.save)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(intro)
    layout.addLayout(form)
    layout.addWidget(buttons)
    return ok_button


def assessment_summary(ctx: ServiceContext, application_id) -> str:
    """The commission's consolidated assessment and its advice, with the members' advice below (rich text)."""
    from commissie_app.services.assessments import CONSOLIDATED, assessments_for

    if application_id is None:
        return ""
    views = assessments_for(ctx, application_id)
    consolidated = next((v for v in views if v.kind == CONSOLIDATED), None)
    parts = []
    if consolidated is None:
        parts.append(_("Er is nog geen geconsolideerde beoordeling voor deze aanvraag."))
    else:
        state = _("definitief") if consolidated.state == "final" else _("concept")
        advice = consolidated.advice.label if consolidated.advice else _("nog geen advies")
        parts.append(_("<b>Advies: {advice}</b> ({state}, {form} versie {v})").format(
            advice=escape(advice), state=state, form=escape(consolidated.form.form_id), v=consolidated.form.version))
        if consolidated.advice_reason:
            parts.append(escape(consolidated.advice_reason))
    members = [v for v in views if v.kind != CONSOLIDATED]
    if members:
        rows = "".join(f"<li>{escape(v.assessor)}: {escape(v.advice.label if v.advice else _('nog geen advies'))}</li>"
                       for v in members)
        parts.append(_("Beoordelingen van de leden:") + f"<ul>{rows}</ul>")
    return "<br>".join(parts)


class _DecisionFields:
    """The decision type list of a dialog, with the deadline row shown only for a conditional recognition
    (``type_combo``, ``form`` and ``deadline_box`` are the dialog's)."""

    def decision_type(self) -> DecisionType | None:
        value = self.type_combo.currentData()
        return DecisionType(value) if value else None

    def _type_changed(self) -> None:
        conditional = self.decision_type() is DecisionType.CONDITIONAL
        self.deadline_box.setVisible(conditional)
        lbl = self.form.labelForField(self.deadline_box)
        if lbl:
            lbl.setVisible(conditional)

    def _deadline_for(self, kind: DecisionType) -> tuple[bool, dt.date | None]:
        """The deadline of a conditional decision (None for another kind); (False, None) once the field
        is marked because it holds no valid date."""
        if kind is not DecisionType.CONDITIONAL:
            return True, None
        try:
            return True, self.deadline.date()
        except ValueError:
            self.deadline_box.set_error(_("Vul een geldige datum in (dd-mm-jjjj)."))
            return False, None


class DecisionDialog(_DecisionFields, QDialog):
    """The secretary records the decision on an application item; the kenmerk is shown afterwards."""

    def __init__(self, ctx: ServiceContext, item: ItemInfo, decision_date: dt.date, rules: Rules,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        self.kenmerk: str | None = None
        self.setWindowTitle(_("Besluit: {title}").format(title=item.title))
        self.setStyleSheet(FIELD_ERROR_STYLE)
        tally = item.tally
        allowed = item.accepted_decisions

        self.banner = MessageBanner(self)
        heading = rich_label(self)
        heading.setText(f"<b>{escape(item.organisation)}</b> — "
                        + escape(_("KvK {kvk}, {place}").format(kvk=item.kvk, place=item.place)))
        self.tally_label = plain_label(parent=self)
        self.tally_label.setWordWrap(True)
        if tally is not None:
            self.tally_label.setText(_("Stemming: {summary}. Uitkomst: {outcome}.").format(
                summary=tally.summary, outcome=tally.outcome.label))

        self.type_combo = QComboBox(self)
        self.type_combo.setAccessibleName(_("Besluit"))
        for d in DecisionType:
            if d in allowed:
                self.type_combo.addItem(d.label, d.value)
        self.deadline = DateEdit(self)
        self.deadline.setDate(voting.default_conditional_deadline(decision_date, rules))
        self.deadline_box = FieldBox(self.deadline, self, hint=_("Tot en met deze datum geldt de voorwaardelijke "
                                                                 "erkenning."))
        self.motivation = QPlainTextEdit(self)
        self.motivation.setTabChangesFocus(True)
        self.motivation.setPlaceholderText(_("Waarom besluit de commissie zo? Dit komt in de besluitbrief."))
        self.motivation.setAccessibleName(_("Motivering"))
        self.motivation_box = FieldBox(self.motivation, self)

        form = QFormLayout()
        form.addRow(_("&Besluit"), self.type_combo)
        form.addRow(_("&Termijn tot en met"), self.deadline_box)
        form.addRow(_("&Motivering"), self.motivation_box)
        for f, box in ((self.type_combo, self.type_combo), (self.deadline, self.deadline_box),
                       (self.motivation, self.motivation_box)):
            lbl = form.labelForField(box)
            if isinstance(lbl, QLabel):
                lbl.setBuddy(f)
        self.form = form
        start = recognitions.decision_start(ctx, item.application_id)
        self.content_rows = DecisionContentRows(form, self, decision_date, start.conditions)
        self.criteria_panel = CriteriaPanel(start, self)

        consolidated = QGroupBox(_("Geconsolideerde beoordeling"), self)
        consolidated.setObjectName("consolidated")
        c_label = QLabel(assessment_summary(ctx, item.application_id), consolidated)
        c_label.setObjectName("consolidatedText")
        c_label.setTextFormat(Qt.TextFormat.RichText)
        c_label.setWordWrap(True)
        c_label.setProperty("role", "hint")
        c_layout = QVBoxLayout(consolidated)
        c_layout.addWidget(c_label)
        c_layout.addStretch(1)
        consolidated.setMinimumWidth(240)

        left = QVBoxLayout()
        left.addWidget(heading)
        left.addWidget(self.tally_label)
        left.addLayout(form)
        left.addWidget(self.criteria_panel)
        left.addStretch(1)
        body_widget = QWidget(self)
        body = QHBoxLayout(body_widget)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(left, 3)
        body.addWidget(consolidated, 2)
        # the rows differ per decision type: on a small screen the form scrolls, the buttons stay in view
        self.body_scroll = QScrollArea(self)
        self.body_scroll.setObjectName("decisionBody")
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body_scroll.setWidget(body_widget)

        self.buttons = QDialogButtonBox(self)
        self.record_button = self.buttons.addButton(_("Besluit vastleggen"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.body_scroll, 1)
        layout.addWidget(self.buttons)

        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self._type_changed()
        if not allowed:
            missing = ", ".join(a.name for a in tally.missing) if tally else ""
            self.banner.show_message(_("Maak eerst de stemming compleet; nog niet gestemd: {names}.")
                                     .format(names=missing), "warning")
            self.record_button.setEnabled(False)
        self.motivation.setFocus()
        resize_within_screen(self, 780, 640)

    def _type_changed(self) -> None:
        super()._type_changed()
        kind = self.decision_type()
        self.criteria_panel.setVisible(kind is not None and kind.recognises)
        self.content_rows.show_for(kind)
        self.motivation.setPlaceholderText(
            _("Waarom houdt de commissie de aanvraag aan? Dit komt in de notulen; de brief vraagt om wat hieronder "
              "staat.") if kind is DecisionType.DEFERRED
            else _("Waarom besluit de commissie zo? Dit komt in de besluitbrief."))

    def save(self) -> None:
        if self.kenmerk:  # already recorded: the button now closes
            self.accept()
            return
        self.motivation_box.set_error(None)
        self.deadline_box.set_error(None)
        self.content_rows.clear_errors()
        decision = self.decision_type()
        if decision is None:
            return
        valid, deadline = self._deadline_for(decision)
        content = self.content_rows.content(decision)
        if not valid or content is None:
            return
        criteria = self.criteria_panel.criteria() if decision.recognises else None
        if criteria == [] and self.motivation.toPlainText().strip():  # the motivation is checked first
            self.banner.show_message(_("Vink aan aan welke criteria de organisatie volgens de commissie voldoet; "
                                       "daarop rust de erkenning."), "warning")
            return
        try:
            self.kenmerk = meeting_votes.record_decision(
                self.ctx, self.item.id, decision, self.motivation.toPlainText(), deadline=deadline,
                criteria_met=criteria, override_reason=self.criteria_panel.override_reason(), content=content)
        except ValidationError as err:
            if "motivation" in err.errors:
                self.motivation_box.set_error(err.errors["motivation"])
                self.motivation.setFocus()
            elif not self.content_rows.show_errors(err):
                show_error(self, err)
            return
        except DomainError as err:
            show_error(self, err)
            return
        self.banner.show_message(_("Besluit ‘{d}’ vastgelegd met kenmerk {k}.").format(d=decision.label, k=self.kenmerk),
                                 "info")
        for w in (self.type_combo, self.deadline, self.motivation, self.criteria_panel):
            w.setEnabled(False)
        self.content_rows.set_enabled(False)
        self.record_button.setText(_("Sluiten"))
        self.cancel_button.hide()
        self.record_button.setFocus()


class DecisionChangeDialog(_DecisionFields, QDialog):
    """While the meeting is open: another type for a recorded decision, with a reason for the audit log; the
    kenmerk stays the same. Offered are the types that agree with the vote ('aangehouden' is not)."""

    def __init__(self, ctx: ServiceContext, item: ItemInfo, rules: Rules, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.item = ctx, item
        decision = item.decision
        self.setWindowTitle(_("Besluit wijzigen: {title}").format(title=item.title))
        self.setStyleSheet(FIELD_ERROR_STYLE)
        intro = self.intro = plain_label(_(
            "Het besluit {k} is nu ‘{d}’. Zolang de vergadering open is, kan het type worden gewijzigd; het "
            "kenmerk blijft {k}. De reden komt in het logboek.").format(k=decision.kenmerk,
                                                                         d=decision.decision_type.label), self)
        intro.setWordWrap(True)
        self.type_combo = QComboBox(self)
        self.type_combo.setAccessibleName(_("Nieuw besluit"))
        for d in DecisionType:
            if d in item.accepted_decisions and d not in (decision.decision_type, DecisionType.DEFERRED):
                self.type_combo.addItem(d.label, d.value)
        self.deadline = DateEdit(self)
        self.deadline.setDate(decision.conditional_deadline
                              or voting.default_conditional_deadline(decision.decided_on, rules))
        self.deadline_box = FieldBox(self.deadline, self)
        self.motivation = QPlainTextEdit(self)
        self.motivation.setTabChangesFocus(True)
        self.motivation.setPlainText(decision.motivation)
        self.motivation.setAccessibleName(_("Motivering"))
        self.motivation_box = FieldBox(self.motivation, self)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName(_("Reden van de wijziging"))
        self.reason.setPlaceholderText(_("bijvoorbeeld: verkeerd type gekozen"))
        self.reason_box = FieldBox(self.reason, self)
        self.form = QFormLayout()
        self.form.addRow(_("&Nieuw besluit"), self.type_combo)
        self.form.addRow(_("&Termijn tot en met"), self.deadline_box)
        self.form.addRow(_("&Motivering"), self.motivation_box)
        # issue 14: a change to 'voorwaardelijk toegekend' asks for its conditions ('aangehouden' is not offered)
        self.content_rows = DecisionContentRows(self.form, self, decision.decided_on, decision.conditions)
        self.form.addRow(_("&Reden"), self.reason_box)
        self.ok_button = _finish_form_dialog(self, intro, self.form, (
            (self.type_combo, self.type_combo), (self.deadline, self.deadline_box),
            (self.motivation, self.motivation_box), (self.reason, self.reason_box)), _("Besluit wijzigen"))
        if not self.type_combo.count():
            self.type_combo.setEnabled(False)
            self.ok_button.setEnabled(False)
            self.reason_box.set_error(_("Bij deze stemming past geen ander besluit."))
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self._type_changed()
        self.type_combo.setFocus()
        self.resize(520, self.sizeHint().height())

    def _type_changed(self) -> None:
        super()._type_changed()
        self.content_rows.show_for(self.decision_type())

    def save(self) -> None:
        for box in (self.motivation_box, self.reason_box, self.deadline_box):
            box.set_error(None)
        self.content_rows.clear_errors()
        kind = self.decision_type()
        if kind is None:
            return
        valid, deadline = self._deadline_for(kind)
        content = self.content_rows.content(kind)
        if not valid or content is None:
            return
        try:
            meeting_votes.change_decision(self.ctx, self.item.decision.id, kind, self.motivation.toPlainText(),
                                          self.reason.text(), deadline=deadline, content=content)
        except ValidationError as err:
            for key, box, field in (("motivation", self.motivation_box, self.motivation),
                                    ("reason", self.reason_box, self.reason)):
                if key in err.errors:
                    box.set_error(err.errors[key])
                    field.setFocus()
            self.content_rows.show_errors(err)
            return
        except DomainError as err:
            show_error(self, err)
            return
        self.accept()


# ---------------------------------------------------------------- corrections


class CorrectionDialog(QDialog):
    """A change to a closed meeting: the new value and a required reason; the original stays visible.

    ``choices`` (label, value) gives a choice list, otherwise the new value is a text. ``apply(value, reason)``
    calls the service; a DomainError keeps the dialog open.
    """

    def __init__(self, title: str, what: str, original: str, apply: Callable[[object, str], None], *,
                 choices: list[tuple[str, object]] | None = None, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.apply = apply
        self.setWindowTitle(title)
        self.setStyleSheet(FIELD_ERROR_STYLE)
        intro = QLabel(_("De vergadering is gesloten. Een correctie wordt apart vastgelegd met de reden; "
                         "de oorspronkelijke waarde blijft zichtbaar."), self)
        intro.setWordWrap(True)
        original_label = plain_label(original, self)
        original_label.setWordWrap(True)
        original_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choice: QComboBox | None = None
        self.text: QPlainTextEdit | None = None
        if choices is not None:
            self.choice = QComboBox(self)
            for label, value in choices:
                self.choice.addItem(label, value)
            editor: QWidget = self.choice
        else:
            self.text = QPlainTextEdit(self)
            self.text.setPlainText(text)
            self.text.setTabChangesFocus(True)
            editor = self.text
        editor.setAccessibleName(_("Nieuwe waarde"))
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName(_("Reden van de correctie"))
        self.reason_box = FieldBox(self.reason, self)
        form = QFormLayout()
        form.addRow(plain_label(what, self), original_label)
        form.addRow(_("&Nieuwe waarde"), editor)
        form.addRow(_("&Reden"), self.reason_box)
        self.ok_button = _finish_form_dialog(self, intro, form, ((editor, editor), (self.reason, self.reason_box)),
                                             _("Correctie vastleggen"))
        editor.setFocus()
        self.resize(520, self.sizeHint().height())

    def value(self):
        return self.choice.currentData() if self.choice is not None else self.text.toPlainText()

    def save(self) -> None:
        self.reason_box.set_error(None)
        if not self.reason.text().strip():
            self.reason_box.set_error(_("Geef de reden van de correctie op."))
            self.reason.setFocus()
            return
        try:
            self.apply(self.value(), self.reason.text())
        except ValidationError as err:
            self.reason_box.set_error(err.errors.get("reason") or str(err))
            return
        except DomainError as err:
            show_error(self, err)
            return
        self.accept()


class VoteCorrectionDialog(_DecisionFields, CorrectionDialog):
    """Correct one vote of a closed meeting. When the corrected vote changes the outcome so that the recorded
    decision no longer fits, the corrected decision is asked for in the same step (its letter becomes a new
    version); the service checks the whole meeting either way."""

    def __init__(self, ctx: ServiceContext, item: ItemInfo, member_id: uuid.UUID, name: str,
                 choice: voting.VoteChoice, parent: QWidget | None = None):
        self.ctx, self.item, self.member_id = ctx, item, member_id
        self.corrected_decision: meeting_corrections.CorrectedDecision | None = None
        super().__init__(_("Stem corrigeren"), _("Stem van {name}").format(name=name), choice.label, self._apply,
                         choices=[(c.label, c.value) for c in voting.VoteChoice if c is not choice], parent=parent)
        self.decision_box = QGroupBox(_("Gecorrigeerd besluit"), self)
        self.decision_box.setObjectName("correctedDecision")
        self.outcome_label = QLabel(self.decision_box)
        self.outcome_label.setWordWrap(True)
        # Wide enough that the explanation keeps a few lines: a wrapped label in a group box does not pass
        # its height for a narrow width up to the dialog, which then clips it (seen at 150 % scaling).
        self.outcome_label.setMinimumWidth(440)
        self.type_combo = QComboBox(self.decision_box)
        self.type_combo.setAccessibleName(_("Gecorrigeerd besluit"))
        self.deadline = DateEdit(self.decision_box)
        self.deadline.setAccessibleName(_("Termijn tot en met"))
        self.deadline_box = FieldBox(self.deadline, self.decision_box)
        self.motivation = QPlainTextEdit(self.decision_box)
        self.motivation.setTabChangesFocus(True)
        self.motivation.setAccessibleName(_("Motivering van het gecorrigeerde besluit"))
        self.motivation.setPlaceholderText(_("Waarom besluit de commissie nu zo? Dit komt in de nieuwe brief."))
        self.motivation_box = FieldBox(self.motivation, self.decision_box)
        self.form = QFormLayout()
        self.form.addRow(_("&Besluit"), self.type_combo)
        self.form.addRow(_("&Termijn tot en met"), self.deadline_box)
        self.form.addRow(_("&Motivering"), self.motivation_box)
        for field, row in ((self.type_combo, self.type_combo), (self.deadline, self.deadline_box),
                           (self.motivation, self.motivation_box)):
            lbl = self.form.labelForField(row)
            if isinstance(lbl, QLabel):
                lbl.setBuddy(field)
        box_layout = QVBoxLayout(self.decision_box)
        box_layout.addWidget(self.outcome_label)
        box_layout.addLayout(self.form)
        self.layout().insertWidget(self.layout().count() - 1, self.decision_box)
        self.choice.currentIndexChanged.connect(self._preview)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self._preview()

    def _preview(self) -> None:
        self.ok_button.setEnabled(True)
        try:
            preview = meeting_corrections.preview_vote_correction(self.ctx, self.item.id, self.member_id,
                                                                  voting.VoteChoice(self.value()))
        except DomainError as err:
            self.decision_box.hide()
            self.reason_box.set_error(str(err))
            return
        self.decision_box.setVisible(preview.decision_needed)
        if not preview.decision_needed:
            self.adjustSize()
            return
        current = preview.decision
        text = _("Met deze correctie wordt de uitslag ‘{after}’ ({summary}); het besluit ‘{d}’ past daar niet "
                 "meer bij.").format(after=preview.after.outcome.label, summary=preview.after.summary,
                                     d=current.decision_type.label)
        self.type_combo.clear()
        for d in voting.DecisionType:
            if d in preview.allowed:
                self.type_combo.addItem(d.label, d.value)
        if preview.allowed:
            text += " " + _("Geef het gecorrigeerde besluit; de besluitbrief wordt een nieuwe versie.")
        else:
            text += " " + _("Een ander besluit kan hier niet met een correctie worden vastgelegd; kies een andere "
                            "stem of annuleer.")
            self.ok_button.setEnabled(False)
        for w in (self.type_combo, self.motivation):
            w.setEnabled(bool(preview.allowed))
        self.outcome_label.setText(text)
        if current.conditional_deadline:
            self.deadline.setDate(current.conditional_deadline)
        self._type_changed()
        self.adjustSize()

    def save(self) -> None:
        self.corrected_decision = None
        self.motivation_box.set_error(None)
        self.deadline_box.set_error(None)
        if not self.decision_box.isHidden():
            kind = self.decision_type()
            if kind is None:
                return
            if not self.motivation.toPlainText().strip():
                self.motivation_box.set_error(_("Schrijf de motivering van het gecorrigeerde besluit."))
                self.motivation.setFocus()
                return
            valid, deadline = self._deadline_for(kind)
            if not valid:
                return
            self.corrected_decision = meeting_corrections.CorrectedDecision(kind, self.motivation.toPlainText(), deadline)
        super().save()

    def _apply(self, value, reason: str) -> None:
        meeting_corrections.correct_vote(self.ctx, self.item.id, self.member_id, voting.VoteChoice(value), reason,
                                         decision=self.corrected_decision)


def decision_summary(item: ItemInfo) -> str:
    """'toegekend (KIP-2026-001) op 1 december 2026' with a deadline when conditional."""
    d = item.decision
    if d is None:
        return ""
    text = _("{type} — kenmerk {k}, besloten op {day}").format(type=d.decision_type.label, k=d.kenmerk,
                                                               day=format_date_nl(d.decided_on))
    if d.conditional_deadline:
        text += "; " + _("termijn tot en met {day}").format(day=format_date_nl(d.conditional_deadline))
    if d.answer_by:
        text += "; " + _("informatie uiterlijk op {day}").format(day=format_date_nl(d.answer_by))
    return text
