"""What the meeting view does on a button or key: each action calls one meeting service and reloads
the view (a mixin of :class:`commissie_app.ui.meeting_view.MeetingView`)."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QInputDialog, QMessageBox

from commissie_app.domain.errors import DomainError
from commissie_app.domain.meetings import NEXT_STATUS, ItemKind, MeetingStatus
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.voting import Attendance, VoteChoice
from commissie_app.i18n import _
from commissie_app.services import (
    follow_up_agenda,
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_corrections,
    meeting_detail,
    meeting_votes,
)
from commissie_app.services.changes import Changes, recording
from commissie_app.ui import widgets
from commissie_app.ui.errors import show_error
from commissie_app.ui.meeting_texts import step_consequence, step_label
from commissie_app.ui.meeting_dialogs import (
    CompleteApplicationsDialog,
    ConflictDialog,
    CorrectionDialog,
    DecisionChangeDialog,
    DecisionDialog,
    MeetingDialog,
    VoteCorrectionDialog,
)


class MeetingActions:
    """The actions of the meeting view (``self`` is the :class:`MeetingView`)."""

    # ------------------------------------------------------------ calling services

    def _call(self, fn, *args, **kwargs) -> bool:
        with recording() as seen:
            try:
                fn(self.ctx, *args, **kwargs)
            except DomainError as err:
                show_error(self, err)
                self.reload()
                return False
        self.reload()
        self._tell(seen.changes)
        return True

    def _exec(self, dlg) -> int:
        """Run a dialog that calls services itself; what it changed is told like a direct call's."""
        with recording() as seen:
            result = dlg.exec()
        if seen.changes:
            self.reload()
        self._tell(seen.changes)
        return result

    def _tell(self, changes: Changes) -> None:
        """Tell the window which records changed (it re-reads only those application rows)."""
        if changes:
            self.sig_changed.emit(changes)

    def step_status(self) -> None:
        """The next status step, after a confirmation that says what it means (and, on another day than the
        meeting's, a second one); closing first lists what is still open and stops there."""
        detail = self.detail
        target = NEXT_STATUS.get(detail.status)
        if target is None:
            return
        question = ""
        if target is MeetingStatus.CLOSED:
            self._save_pending_minutes()
            self.reload()
            still_open = meeting_closing.open_items(self.detail)
            if still_open:
                QMessageBox.warning(self, _("Vergadering sluiten"), meeting_closing.open_items_message(still_open))
                return
        else:
            try:
                question = meeting_closing.date_question(target, detail.local_start.date(), self.ctx.today())
            except DomainError as err:  # opening before the meeting's date
                show_error(self, err)
                return
        label = step_label(detail.status)
        if not self._confirm(label, step_consequence(detail, target), label):
            return
        if question and not self._confirm(_("Andere dag dan de vergadering"), question, _("Toch doorgaan")):
            return
        if self._call(meeting_closing.set_status, detail.id, target, date_confirmed=bool(question)) \
                and target is MeetingStatus.CLOSED:
            self._offer_letters()

    def _confirm(self, title: str, text: str, ok: str, *, destructive: bool = False) -> bool:
        role = QMessageBox.ButtonRole.DestructiveRole if destructive else QMessageBox.ButtonRole.AcceptRole
        return widgets.ask(self, title, text, [(ok, role), (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)],
                           default=1) == 0

    def _offer_letters(self) -> None:
        """After closing: on to the decision letters (the Documenten menu's 'Besluitbrieven…')."""
        choice = widgets.ask(self, _("Vergadering gesloten"),
                             _("De vergadering is gesloten. Nu de besluitbrieven maken en versturen?"),
                             [(_("Naar de besluitbrieven"), QMessageBox.ButtonRole.AcceptRole),
                              (_("Later"), QMessageBox.ButtonRole.RejectRole)], default=0)
        if choice == 0:
            self.documents_button.open_letters()

    def reopen_agenda(self) -> None:
        reason, ok = QInputDialog.getText(
            self, _("Agenda heropenen"),
            _("De agenda krijgt weer de status ‘gepland’ en de agenda (PDF) wordt weer een concept. "
              "Waarom wordt de agenda heropend? (De reden komt in het logboek.)"))
        if ok:
            self._call(meeting_closing.reopen_agenda, self.detail.id, reason)

    def edit_meeting(self) -> None:
        self._exec(MeetingDialog(self.ctx, self.detail, self))

    def add_complete_applications(self) -> None:
        try:
            candidates = meeting_agenda.complete_applications(self.ctx)
        except DomainError as err:
            show_error(self, err)
            return
        if not candidates:
            QMessageBox.information(self, _("Complete aanvragen toevoegen"),
                                    _("Er zijn geen complete aanvragen die nog niet geagendeerd zijn."))
            return
        dlg = CompleteApplicationsDialog(candidates, self)
        if dlg.exec() and dlg.chosen():
            if self._call(meeting_agenda.add_application_items, self.detail.id, dlg.chosen()):
                self._select_id(self._first_new_application(dlg.chosen()))

    def add_reassessments(self) -> None:
        """The re-assessments due, proposed: the chosen ones get their follow-up application, on the agenda."""
        from commissie_app.ui.reassessment_dialog import ReassessmentDialog

        candidates = follow_up_agenda.proposals(self.ctx)
        if not candidates:
            QMessageBox.information(self, _("Herbeoordelingen voorstellen"),
                                    _("Er zijn geen erkenningen die binnenkort aflopen zonder vervolgaanvraag."))
            return
        dlg = ReassessmentDialog(candidates, self)
        if dlg.exec() and dlg.chosen():
            with recording() as seen:
                try:
                    app_ids = follow_up_agenda.schedule_follow_ups(self.ctx, self.detail.id, dlg.chosen())
                except DomainError as err:
                    show_error(self, err)
                    return
            self.reload()
            self._tell(seen.changes)
            self._select_id(self._first_new_application(app_ids))

    def _first_new_application(self, app_ids: list[uuid.UUID]) -> uuid.UUID | None:
        return next((i.id for i in self.model.items() if i.application_id in set(app_ids)), None)

    def _select_id(self, item_id: uuid.UUID | None) -> None:
        row = self.model.row_of(item_id)
        if row >= 0:
            self.select_row(row)

    def add_free_item(self) -> None:
        title, ok = QInputDialog.getText(self, _("Agendapunt toevoegen"), _("Titel van het agendapunt:"))
        if not ok or not title.strip():
            return
        try:
            item_id = meeting_agenda.add_free_item(self.ctx, self.detail.id, title.strip())
        except DomainError as err:
            show_error(self, err)
            return
        self.reload()
        self._select_id(item_id)

    def remove_current(self) -> None:
        item = self.current_item()
        if item is None or self.detail.status is MeetingStatus.CLOSED:
            return
        if item.kind is ItemKind.STANDARD:
            show_error(self, DomainError(_("Een vast agendapunt kan niet worden verwijderd.")))
            return
        extra = _(" De aanvraag krijgt weer de status ‘compleet’.") if item.kind is ItemKind.APPLICATION else ""
        choice = widgets.ask(self, _("Agendapunt verwijderen"),
                             _("‘{title}’ van de agenda halen?").format(title=item.title) + extra,
                             [(_("Verwijderen"), QMessageBox.ButtonRole.DestructiveRole),
                              (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)], default=1)
        if choice == 0:
            self._call(meeting_agenda.remove_item, item.id)

    def move_current(self, delta: int) -> None:
        row = self.agenda.currentIndex().row()
        if row < 0 or self.detail is None or self.detail.status is MeetingStatus.CLOSED:
            return
        self.model.move_row(row, delta)  # emits sig_order_changed -> _reorder

    def _reorder(self, order: list[uuid.UUID]) -> None:
        current = self._current_id
        self._call(meeting_agenda.reorder_items, self.detail.id, order)
        self._select_id(current)
        self.agenda.setFocus()

    def set_attendance(self, member_id: uuid.UUID, state: Attendance) -> None:
        self._call(meeting_attendance.set_attendance, self.detail.id, member_id, state)

    def declare_conflict(self) -> None:
        item = self.current_item()
        if item is None:
            return
        self._exec(ConflictDialog(self.ctx, item, self._conflict_candidates(item), self))

    def withdraw_conflict(self, member_id: uuid.UUID) -> None:
        item = self.current_item()
        conflict = next(((name, reason) for mid, name, reason in item.conflicts if mid == member_id), None) \
            if item else None
        if conflict is None:
            return
        name, reason = conflict
        if self._confirm(_("Melding intrekken"),
                         _("De melding van belangenverstrengeling van {name} (‘{reason}’) bij ‘{title}’ intrekken? "
                           "{name} stemt dan weer mee.").format(name=name, reason=reason, title=item.title),
                         _("Intrekken"), destructive=True):
            self._call(meeting_attendance.withdraw_conflict, item.id, member_id)

    def clear_vote(self, member_id: uuid.UUID) -> None:
        item = self.current_item()
        vote = next(((name, choice) for mid, name, choice in item.votes if mid == member_id), None) if item else None
        if vote is None:
            return
        name, choice = vote
        if self._confirm(_("Stem wissen"),
                         _("De stem ‘{choice}’ van {name} wissen? Daarna kan {name} opnieuw stemmen.").format(
                             choice=choice.label, name=name), _("Stem wissen"), destructive=True):
            self._call(meeting_votes.clear_vote, item.id, member_id)

    def change_decision(self) -> None:
        item = self.current_item()
        if item is None or item.decision is None:
            return
        self._exec(DecisionChangeDialog(self.ctx, item, self.detail.rules, self))

    def record_vote(self, member_id: uuid.UUID, choice: VoteChoice) -> None:
        item = self.current_item()
        if item is not None:
            self._call(meeting_votes.record_vote, item.id, member_id, choice)

    def record_decision(self) -> None:
        item = self.current_item()
        if item is None:
            return
        self._exec(DecisionDialog(self.ctx, item, self.detail.local_start.date(), self.detail.rules, self))

    def correct_vote(self, member_id: uuid.UUID) -> None:
        item = self.current_item()
        vote = next(((name, choice) for mid, name, choice in item.votes if mid == member_id), None) if item else None
        if vote is None:
            return
        name, choice = vote
        self._exec(VoteCorrectionDialog(self.ctx, item, member_id, name, choice, parent=self))

    def correct_motivation(self) -> None:
        item = self.current_item()
        if item is None or item.decision is None:
            return
        decision = item.decision
        dlg = CorrectionDialog(
            _("Motivering corrigeren"), _("Motivering ({k})").format(k=decision.kenmerk), decision.motivation,
            lambda value, reason: meeting_corrections.correct_decision_motivation(self.ctx, decision.id, value, reason),
            text=decision.motivation, parent=self)
        self._exec(dlg)

    # ------------------------------------------------------------ minutes

    def save_minutes(self) -> bool:
        item = self.current_item()
        if item is None or self.detail.status is MeetingStatus.CLOSED:
            return False
        text = self.minutes.toPlainText()
        if text == item.minutes:
            return True
        return self._call(meeting_closing.set_item_minutes, item.id, text)

    def save_meeting_minutes(self, text: str, loaded: str) -> bool:
        """The general minutes text; refused as a stale edit when someone else saved another text meanwhile
        (the view reloads either way; False when refused)."""
        if self.detail is None:
            return False
        return self._call(meeting_closing.set_meeting_minutes, self.detail.id, text, expected_text=loaded)

    def adopt_previous_minutes(self) -> None:
        """Under "Verslag vorige vergadering": record, after a confirmation, that the previous minutes are adopted."""
        prev = self.detail.previous_minutes if self.detail else None
        if prev is None:
            return
        day, today = format_date_nl(prev.day), format_date_nl(self.detail.local_start.date())
        if self._confirm(_("Verslag vaststellen"), _(
                "Het verslag van de vergadering van {day} wordt vastgesteld in deze vergadering van {today}. De "
                "notulen zijn daarna geen concept meer en vermelden ‘Vastgesteld in de vergadering van {today}’; "
                "wijzigen kan dan alleen nog met een correctie met reden. Verslag vaststellen?").format(
                    day=day, today=today), _("Verslag vaststellen")):
            self._call(meeting_closing.adopt_previous_minutes, self.detail.id)

    def _save_pending_minutes(self) -> None:
        """Before another item is shown: keep what was typed for the previous one."""
        if self.detail is None or self._minutes_item is None or self.detail.status is MeetingStatus.CLOSED:
            return
        previous = next((i for i in self.detail.items if i.id == self._minutes_item), None)
        text = self.minutes.toPlainText()
        if previous is not None and text != previous.minutes:
            try:
                meeting_closing.set_item_minutes(self.ctx, previous.id, text)
            except DomainError as err:
                show_error(self, err)
            self.detail = meeting_detail.get_meeting(self.ctx, self.detail.id)
        self._minutes_item = None
