"""How a meeting reads on screen: headings, status chips, tallies, the automatic record of an item and
the text of a correction (plain functions, used by the meeting view, the planner and the presentation)."""

from __future__ import annotations

import datetime as dt

from commissie_app.domain.meetings import ItemKind, MeetingStatus, correction_value_text, decision_field_label
from commissie_app.domain.dates import weekday_name
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.voting import Attendance, Outcome
from commissie_app.i18n import _
from commissie_app.services.meeting_detail import CorrectionInfo, ItemInfo, MeetingDetail
from commissie_app.ui.meeting_dialogs import decision_summary

STATUS_COLOURS = {
    MeetingStatus.PLANNED: "#5f6368",
    MeetingStatus.AGENDA_SET: "#1a5fb4",
    MeetingStatus.OPEN: "#1e7b34",
    MeetingStatus.CLOSED: "#7a4a00",
}


def step_label(status: MeetingStatus) -> str | None:
    """The button text of the next status step (None: closed)."""
    return {
        MeetingStatus.PLANNED: _("Agenda vaststellen"),
        MeetingStatus.AGENDA_SET: _("Vergadering openen"),
        MeetingStatus.OPEN: _("Vergadering sluiten"),
    }.get(status)


def step_consequence(detail: MeetingDetail, target: MeetingStatus) -> str:
    """What a status step means, asked before it is taken (naming the meeting's date)."""
    day = format_date_nl(detail.local_start.date())
    if target is MeetingStatus.AGENDA_SET:
        return _("De agenda van de vergadering van {day} wordt vastgesteld. De agenda en de uitnodiging zijn dan "
                 "geen concept meer en kunnen naar de leden. Tot de vergadering geopend is, kan de agenda nog "
                 "worden heropend (met een reden). Agenda vaststellen?").format(day=day)
    if target is MeetingStatus.OPEN:
        return _("De vergadering van {day} wordt geopend. Vanaf nu worden aanwezigheid, belangenverstrengeling, "
                 "stemmen en besluiten vastgelegd, en kan de agenda niet meer worden heropend. Vergadering "
                 "openen?").format(day=day)
    return _("De vergadering van {day} wordt gesloten. Daarna liggen aanwezigheid, stemmen, besluiten en notulen "
             "vast; wijzigen kan alleen nog met een correctie met reden. De besluitbrieven aan de aanvragers "
             "kunnen daarna worden gemaakt en verstuurd. Vergadering sluiten?").format(day=day)


def status_before_opening(status: MeetingStatus) -> bool:
    return status in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_SET)


def meeting_heading(detail: MeetingDetail) -> str:
    """'dinsdag 1 december 2026, 14:00–16:00'"""
    start = detail.local_start
    end = start + dt.timedelta(minutes=detail.duration_minutes)
    return f"{weekday_name(start)} {format_date_nl(start.date())}, {start:%H:%M}–{end:%H:%M}"


def status_chip(status: MeetingStatus) -> str:
    return (f"<span style='color: white; background: {STATUS_COLOURS[status]};'>"
            f"&nbsp;{status.label}&nbsp;</span>")


def tally_text(item: ItemInfo) -> str:
    """'2 voor, 1 tegen, 0 onthoudingen — meerderheid voor' plus who has not voted yet."""
    tally = item.tally
    if tally is None:
        return ""
    text = f"{tally.summary} — {tally.outcome.label}"
    if tally.outcome is Outcome.INCOMPLETE and tally.missing:
        text += "\n" + _("Nog niet gestemd: {names}").format(names=", ".join(a.name for a in tally.missing))
    return text


def automatic_record(detail: MeetingDetail, item: ItemInfo) -> str:
    """What the minutes record by themselves for an item: attendance, conflicts, votes, decision."""
    lines = []
    by_state: dict[Attendance | None, list[str]] = {}
    for a in detail.attendees:
        by_state.setdefault(a.attendance, []).append(a.name)
    for state, label in ((Attendance.PRESENT, _("Aanwezig")), (Attendance.EXCUSED, _("Afgemeld")),
                         (Attendance.ABSENT, _("Afwezig")), (None, _("Aanwezigheid niet vastgelegd"))):
        if by_state.get(state):
            lines.append(f"{label}: {', '.join(by_state[state])}.")
    lines.append(detail.quorum.message)
    if item.kind is ItemKind.APPLICATION:
        for _mid, name, reason in item.conflicts:
            lines.append(_("Belangenverstrengeling: {name} ({reason}); stemt niet mee.").format(name=name, reason=reason))
        if item.votes:
            votes = ", ".join(f"{name} {choice.label}" for _mid, name, choice in item.votes)
            lines.append(_("Stemming: {summary} ({votes}).").format(summary=item.tally.summary, votes=votes))
        else:
            lines.append(_("Er is (nog) niet gestemd."))
        if item.decision:
            lines.append(_("Besluit: {d}.").format(d=decision_summary(item)))
            lines.append(_("Motivering: {m}").format(m=item.decision.motivation))
    return "\n".join(lines)


def correction_what(c: CorrectionInfo, detail: MeetingDetail) -> str:
    if c.entity_type == "vote":
        return _("Stem")
    if c.entity_type == "decision":
        item = next((i for i in detail.items if i.decision and str(i.decision.id) == c.entity_id), None)
        label = decision_field_label(c.field)
        return f"{label} {item.decision.kenmerk}" if item else label
    if c.entity_type == "attendance":
        name = next((a.name for a in detail.attendees if str(a.member_id) == c.entity_id), "")
        return _("Aanwezigheid {name}").format(name=name).strip()
    if c.entity_type == "agenda_item":
        title = next((i.title for i in detail.items if str(i.id) == c.entity_id), "")
        return _("Notulen {title}").format(title=title).strip()
    return c.entity_type


def correction_value(c: CorrectionInfo, value) -> str:
    return correction_value_text(c.entity_type, c.field, value) or "—"
