"""Agenda and minutes (notulen) of a meeting as PDF, with reportlab platypus.

Both documents take a ``MeetingDetail`` from :mod:`commissie_app.services.meeting_detail` (values, no
database objects) and the letterhead stored in the database, and share the letterhead, colours and
embedded Vera fonts of the decision letters (:mod:`commissie_app.documents.page_style`), so they
look like one family:

* **agenda**: date (Dutch, with weekday) and time in Europe/Amsterdam, place and video link,
  chair and secretary, then the numbered items; an application item names the organisation,
  its KvK number, place and criteria;
* **minutes**: the same heading, the attendance per seat, then per item its free-text minutes
  and the automatic record (conflicts of interest with reasons, every vote by name, the tally,
  the decision with kenmerk, type, motivation and, for a conditional recognition, the deadline),
  and, once the meeting is closed, the corrections with their reasons and the original values.
  The minutes are a draft (concept, in the title and the footer) until the next meeting adopts them
  under its item "Verslag vorige vergadering"; then they print "Vastgesteld in de vergadering van ..."
  with that date, above the signatures of chair and secretary.

Every page has a footer with the document name and "pagina X van Y".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from commissie_app.documents import fonts
from commissie_app.documents.letter_content import LetterSettings
from commissie_app.documents.page_style import (
    ACCENT,
    DOC_FRAME_W,
    GREY,
    DocumentPages,
    build_document,
)
from commissie_app.domain.commission import Seat
from commissie_app.domain.dates import weekday_name
from commissie_app.domain.meetings import (
    PREVIOUS_MINUTES_ITEM,
    ItemKind,
    MeetingStatus,
    correction_value_text,
    decision_field_label,
)
from commissie_app.domain.recognition import Purpose
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.voting import Attendance, DecisionType, Outcome, VoteChoice
from commissie_app.i18n import _, ngettext

FRAME_W = DOC_FRAME_W
SEAT_W = 88 * mm  # the longest seat label on one line (9 pt)
NAME_W = 44 * mm

PALE = colors.HexColor("#EAF1F2")  # background of label cells, a tint of the accent colour
RULE = colors.HexColor("#C9D6D9")
DRAFT = colors.HexColor("#A33A2B")

def long_date(day: dt.date) -> str:
    """'dinsdag 15 december 2026'"""
    return f"{weekday_name(day)} {format_date_nl(day)}"


def time_range(detail) -> str:
    """'14.00 – 16.00 uur' in Europe/Amsterdam."""
    start = detail.local_start
    end = start + dt.timedelta(minutes=detail.duration_minutes)
    return _("{start} – {end} uur").format(start=start.strftime("%H.%M"), end=end.strftime("%H.%M"))


def criteria_labels(criteria) -> list[str]:
    return [c.label for c in criteria]


def _text(value: object) -> str:
    """User text for a Paragraph: escaped, line breaks kept."""
    return escape(str(value or "")).replace("\n", "<br/>")


# --- styles ----------------------------------------------------------------------------


class _Styles:
    def __init__(self):
        family = fonts.register_fonts()
        self.body = ParagraphStyle("md_body", fontName=family, fontSize=9.5, leading=13.5, spaceAfter=4)
        self.title = ParagraphStyle("md_title", parent=self.body, fontName=fonts.BOLD, fontSize=16, leading=20,
                                    textColor=ACCENT, spaceAfter=2)
        self.subtitle = ParagraphStyle("md_subtitle", parent=self.body, fontSize=10.5, leading=14, textColor=GREY,
                                       spaceAfter=8)
        self.draft = ParagraphStyle("md_draft", parent=self.body, fontName=fonts.BOLD, textColor=DRAFT, spaceAfter=8)
        self.adopted = ParagraphStyle("md_adopted", parent=self.body, fontName=fonts.BOLD, textColor=ACCENT,
                                      spaceAfter=8)
        self.h1 = ParagraphStyle("md_h1", parent=self.body, fontName=fonts.BOLD, fontSize=11.5, leading=15,
                                 textColor=ACCENT, spaceBefore=10, spaceAfter=5, keepWithNext=True)
        self.h2 = ParagraphStyle("md_h2", parent=self.body, fontName=fonts.BOLD, fontSize=10.5, leading=14,
                                 spaceBefore=8, spaceAfter=3, keepWithNext=True)
        self.label = ParagraphStyle("md_label", parent=self.body, fontName=fonts.BOLD, fontSize=8, leading=11.5,
                                    textColor=GREY, spaceAfter=0)
        self.cell = ParagraphStyle("md_cell", parent=self.body, spaceAfter=0)
        self.grid = ParagraphStyle("md_grid", parent=self.cell, fontSize=9, leading=12.5)
        self.small = ParagraphStyle("md_small", parent=self.body, fontSize=8.5, leading=12, textColor=GREY,
                                    spaceAfter=0)
        self.number = ParagraphStyle("md_number", parent=self.cell, fontName=fonts.BOLD, textColor=ACCENT)
        self.item = ParagraphStyle("md_item", parent=self.cell, fontName=fonts.BOLD)
        self.note = ParagraphStyle("md_note", parent=self.body, fontName=fonts.ITALIC, textColor=GREY)


_styles: _Styles | None = None


def styles() -> _Styles:
    global _styles
    if _styles is None:
        _styles = _Styles()
    return _styles


def key_value_table(rows: list[tuple[str, object]], st: _Styles, label_w: float = 34 * mm) -> Table:
    """Label/value pairs on a pale label column (meeting data, a decision)."""
    data = [[Paragraph(_text(label), st.label),
             value if not isinstance(value, str) else Paragraph(value, st.cell)] for label, value in rows]
    t = Table(data, colWidths=[label_w, FRAME_W - label_w], hAlign="LEFT")
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # else an unembedded Helvetica is listed
        ("BACKGROUND", (0, 0), (0, -1), PALE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return t


def grid_table(header: list[str], rows: list[list[str]], widths: list[float], st: _Styles) -> Table:
    """A simple table with a header row (attendance, votes)."""
    data = [[Paragraph(_text(h), st.label) for h in header]]
    data += [[Paragraph(c, st.grid) for c in row] for row in rows]
    t = Table(data, colWidths=widths, hAlign="LEFT", repeatRows=1)
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # else an unembedded Helvetica is listed
        ("BACKGROUND", (0, 0), (-1, 0), PALE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]))
    return t


def _meeting_rows(detail, st: _Styles, *, with_status: bool) -> list[tuple[str, object]]:
    """Place, link, chair, secretary (and status): date and time are in the subtitle, said once."""
    rows: list[tuple[str, object]] = []
    if detail.place:
        rows.append((_("Plaats"), _text(detail.place)))
    if detail.video_link:
        link = _text(detail.video_link)
        rows.append((_("Videolink"), f'<link href="{link}" color="#1F5E6B">{link}</link>'))
    if detail.chair_name:
        rows.append((_("Voorzitter"), _text(detail.chair_line)))
    if detail.secretary_name:
        rows.append((_("Secretaris"), _text(detail.secretary_name)))
    if with_status:
        rows.append((_("Status"), _text(detail.status.label)))
    return rows


def _item_details(item, st: _Styles) -> str:
    """'KvK 90000006 · Beverwijk<br/>Criteria: ...' for an application item."""
    parts = []
    if item.organisation and item.organisation not in item.title:
        parts.append(_text(item.organisation))
    if item.kvk:
        parts.append(_("KvK {kvk}").format(kvk=_text(item.kvk)))
    if item.place:
        parts.append(_text(item.place))
    lines = [" · ".join(parts)]
    labels = criteria_labels(item.criteria)
    if labels:
        lines.append(_("Criteria: {c}").format(c=_text("; ".join(labels))))
    return "<br/>".join(lines)


# --- agenda ----------------------------------------------------------------------------


def _item_notes(note, st: _Styles) -> list:
    """A heading and one line per entry (or the note's text for none) under a standard item's title."""
    if note is None:
        return []
    lines = [f"• {_text(line)}" for line in note.lines] or [_text(note.empty)]
    return [Paragraph(_text(note.heading) + ":<br/>" + "<br/>".join(lines), st.small)]


def render_agenda(detail, settings: LetterSettings | None = None, notes: Mapping | None = None) -> bytes:
    """The agenda of a meeting (a ``MeetingDetail``) as PDF bytes. ``notes``: item id -> what a standard item
    lists under its title (``services/advice.ItemNotes``: open advice, recent developments; issue 15)."""
    settings = settings or LetterSettings()
    st = styles()
    day = format_date_nl(detail.local_start.date())
    story: list = [
        Paragraph(_("Agenda vergadering {sender}").format(sender=_text(settings.sender_name)), st.title),
        Paragraph(_text(long_date(detail.local_start.date())) + ", " + _text(time_range(detail)), st.subtitle),
    ]
    if detail.status is MeetingStatus.PLANNED:
        story.append(Paragraph(_("Concept: de agenda is nog niet vastgesteld."), st.draft))
    story.append(key_value_table(_meeting_rows(detail, st, with_status=False), st))
    story.append(Paragraph(_("Agendapunten"), st.h1))

    # one small table per item, so the list breaks between items (one big table after a heading that
    # keeps with it would be moved to the next page as a whole)
    for n, item in enumerate(detail.items, start=1):
        content = [Paragraph(_text(item.title), st.item), *_item_notes((notes or {}).get(item.id), st)]
        if item.kind is ItemKind.APPLICATION:
            content.append(Paragraph(_item_details(item, st), st.small))
            content.append(Paragraph(_("Ter besluitvorming"), st.small))
        prev = detail.previous_minutes
        if item.title == PREVIOUS_MINUTES_ITEM and prev is not None and (prev.adopted_on is None or prev.adopted_here):
            content.append(Paragraph(_("Notulen van de vergadering van {day}, ter vaststelling").format(
                day=_text(format_date_nl(prev.day))), st.small))
        row = Table([[Paragraph(f"{n}.", st.number), content]], colWidths=[11 * mm, FRAME_W - 11 * mm],
                    hAlign="LEFT")
        row.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # else an unembedded Helvetica is listed
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            *([("BACKGROUND", (0, 0), (-1, -1), PALE)] if item.kind is ItemKind.APPLICATION else []),
            # a rule above each item (drawn over its own background), and below the last
            *([("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE)] if n > 1 else []),
            *([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)] if n == len(detail.items) else []),
        ]))
        story.append(row)
    n_apps = sum(1 for i in detail.items if i.kind is ItemKind.APPLICATION)
    story.append(Spacer(1, 5 * mm))
    papers = (ngettext("De stukken bij de aanvraag liggen ter inzage bij de secretaris.",
                       "De stukken bij de {n} aanvragen liggen ter inzage bij de secretaris.", n_apps)
              .format(n=n_apps) + " ") if n_apps else ""
    story.append(Paragraph(papers + _("Meld belangenverstrengeling bij een agendapunt vóór de bespreking."),
                           st.note))

    footer = _("Agenda vergadering {day}").format(day=day)
    return build_document(story, DocumentPages(settings, footer), title=footer, subject=_("Agenda"),
                          author=settings.sender_name)


# --- minutes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteOwner:
    """Whose vote a vote record is (to describe a correction of it)."""

    item_id: object
    member_id: object


def _seat_of(detail) -> dict:
    return {a.member_id: a for a in detail.attendees}


def _choice_label(value: object) -> str:
    try:
        return VoteChoice(value).label
    except ValueError:
        return str(value)


def _attendance_label(value: object) -> str:
    if value is None:
        return _("niet vastgelegd")
    try:
        return Attendance(value).label
    except ValueError:
        return str(value)


def describe_correction(detail, c, vote_owners: Mapping[str, VoteOwner]) -> tuple[str, str, str]:
    """(what was corrected, original, corrected) in words, for one ``CorrectionInfo``."""
    numbers = {str(i.id): (n, i) for n, i in enumerate(detail.items, start=1)}
    people = _seat_of(detail)
    if c.entity_type == "vote":
        owner = vote_owners.get(str(c.entity_id))
        if owner is not None:
            n, item = numbers.get(str(owner.item_id), (None, None))
            a = people.get(owner.member_id)
            who = a.name if a else "?"
            what = _("Stem van {who} bij punt {n}: {title}").format(who=who, n=n, title=item.title if item else "?")
        else:
            what = _("Stem")
        return what, _choice_label(c.old_value), _choice_label(c.new_value)
    if c.entity_type == "attendance":
        a = next((p for p in detail.attendees if str(p.member_id) == str(c.entity_id)), None)
        what = _("Aanwezigheid van {who}").format(who=a.name if a else "?")
        return what, _attendance_label(c.old_value), _attendance_label(c.new_value)
    if c.entity_type == "agenda_item":
        n, item = numbers.get(str(c.entity_id), (None, None))
        what = _("Verslag bij punt {n}: {title}").format(n=n, title=item.title if item else "?")
        return what, str(c.old_value or ""), str(c.new_value or "")
    if c.entity_type == "decision":
        item = next((i for i in detail.items if i.decision and str(i.decision.id) == str(c.entity_id)), None)
        what = f"{decision_field_label(c.field)} {item.decision.kenmerk if item else '?'}"
        return (what, correction_value_text(c.entity_type, c.field, c.old_value),
                correction_value_text(c.entity_type, c.field, c.new_value))
    return f"{c.entity_type} {c.field}", str(c.old_value or ""), str(c.new_value or "")


def _attendance_story(detail, st: _Styles) -> list:
    rows = [[_text(a.seat.label), _text(a.name), _text(_attendance_label(a.attendance and a.attendance.value))]
            for a in detail.attendees]
    out: list = [Paragraph(_("Aanwezigheid"), st.h1)]
    if not rows:
        out.append(Paragraph(_("Op de vergaderdatum had niemand een zetel."), st.body))
        return out
    out.append(grid_table([_("Zetel"), _("Lid"), _("Aanwezigheid")], rows,
                     [SEAT_W, NAME_W, FRAME_W - SEAT_W - NAME_W], st))
    out.append(Spacer(1, 2 * mm))
    if detail.status in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_SET):  # not held yet: no outcome
        out.append(Paragraph(ngettext("De aanwezigheid wordt vastgelegd in de vergadering; het quorum is {needed} "
                                      "zetel.",
                                      "De aanwezigheid wordt vastgelegd in de vergadering; het quorum is {needed} "
                                      "zetels.", detail.rules.quorum_seats).format(needed=detail.rules.quorum_seats),
                             st.small))
        return out
    q = detail.quorum
    out.append(Paragraph(
        _("{present} van de {seats} zetels aanwezig; het quorum is {needed} zetels.").format(
            present=detail.present_count, seats=len(Seat), needed=detail.rules.quorum_seats)
        + " " + (_("Het quorum is gehaald.") if q.reached else _("Het quorum is niet gehaald.")), st.small))
    return out


def _decision_table(item, st: _Styles) -> Table:
    d = item.decision
    rows: list[tuple[str, object]] = [
        (_("Besluit"), f"<b>{_text(d.decision_type.label)}</b>"),
        (_("Kenmerk"), _text(d.kenmerk)),
        (_("Besluitdatum"), _text(format_date_nl(d.decided_on))),
        (_("Motivering"), _text(d.motivation)),
    ]
    if d.badge_valid_from and d.decision_type in (DecisionType.GRANTED, DecisionType.CONDITIONAL):
        # a conversion keeps the badge the conditional recognition had: from this date it is a full one
        since = _("Volledig vanaf") if item.purpose is Purpose.CONVERSION else _("Erkend vanaf")
        rows.append((since, _text(format_date_nl(d.badge_valid_from))))
        if d.badge_valid_until:
            rows.append((_("Geldig t/m"), _text(format_date_nl(d.badge_valid_until))))
    if d.decision_type is DecisionType.CONDITIONAL and d.conditional_deadline:
        rows.append((_("Termijn"), _text(
            _("voorwaardelijk tot en met {day}; uiterlijk op die datum moet aan een van de andere criteria zijn voldaan")
            .format(day=format_date_nl(d.conditional_deadline)))))
    return key_value_table(rows, st, label_w=30 * mm)


def conflict_sentence(name: str, attendee, reason: str) -> str:
    """The minutes on a conflict of interest, once: who (name, seat) does not take part, then the reason as a
    sentence of its own, as typed (only its first letter made a capital) (markup)."""
    reason = str(reason).strip().rstrip(".")
    return _("<b>Belangenverstrengeling:</b> {name}{seat} neemt niet deel aan de bespreking en de stemming over "
             "dit punt. Reden: {reason}.").format(
        name=_text(name), seat=f" ({_text(attendee.seat.label)})" if attendee else "",
        reason=_text(reason[:1].upper() + reason[1:]))


def held(detail) -> bool:
    """Whether the meeting has taken place (opened): only then has it attendance, votes and minutes."""
    return detail.status not in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_SET)


def outcome_text(item) -> str:
    """The outcome word after a tally: the decision recorded, once there is one ("erkenning ingetrokken" for a
    withdrawal), else what the votes say so far."""
    d = item.decision
    if d is None:
        return item.tally.outcome.label
    if d.decision_type is DecisionType.WITHDRAWN:
        return _("erkenning ingetrokken")
    return d.decision_type.label


def adoption_text(day: dt.date) -> str:
    """'Vastgesteld in de vergadering van 22 december 2026'"""
    return _("Vastgesteld in de vergadering van {day}").format(day=format_date_nl(day))


def _previous_minutes_story(detail, st: _Styles) -> list:
    """Under "Verslag vorige vergadering": what this meeting recorded about the previous minutes."""
    prev = detail.previous_minutes
    if prev is None or not prev.adopted_here:
        return []
    return [Paragraph(_("Het verslag van de vergadering van {day} is vastgesteld.").format(
        day=_text(format_date_nl(prev.day))), st.body)]


def _item_story(n: int, item, detail, corrected_votes: set, st: _Styles) -> list:
    people = _seat_of(detail)
    head = Paragraph(f"{n}. {_text(item.title)}", st.h2)
    out: list = [CondPageBreak(30 * mm), head]
    if item.kind is ItemKind.APPLICATION:
        out.append(Paragraph(_item_details(item, st), st.small))
        out.append(Spacer(1, 2 * mm))
    adopted = _previous_minutes_story(detail, st) if item.title == PREVIOUS_MINUTES_ITEM else []
    if item.minutes.strip():
        out.append(Paragraph(_text(item.minutes.strip()), st.body))
    elif item.kind is not ItemKind.APPLICATION and not adopted and held(detail):
        out.append(Paragraph(_("Geen bijzonderheden."), st.note))
    out += adopted
    if item.kind is not ItemKind.APPLICATION:
        return out
    for member_id, name, reason in item.conflicts:
        out.append(Paragraph(conflict_sentence(name, people.get(member_id), reason), st.body))
    if item.votes:
        rows = []
        for member_id, name, choice in item.votes:
            seat = people.get(member_id)
            label = _text(choice.label)
            if (item.id, member_id) in corrected_votes:
                label += " " + _("(gecorrigeerd, zie correcties)")
            rows.append([_text(name), _text(seat.seat.label if seat else ""), label])
        out.append(KeepTogether([
            Paragraph(_("Stemming"), st.label),
            Spacer(1, 1 * mm),
            grid_table([_("Lid"), _("Zetel"), _("Stem")], rows, [NAME_W, SEAT_W, FRAME_W - SEAT_W - NAME_W], st),
        ]))
        out.append(Spacer(1, 2 * mm))
    result: list = []
    tally = item.tally
    if tally is not None and held(detail):
        if tally.votes_cast == 0:
            text = _("Er is niet gestemd.")
            if tally.outcome is Outcome.NO_QUORUM:
                text += " " + _("Voor dit punt was er geen quorum.")
        else:
            text = _("<b>Uitslag:</b> {summary} — {outcome}.").format(
                summary=_text(tally.summary), outcome=_text(outcome_text(item)))
        result.append(Paragraph(text, st.body))
    if item.decision is not None:
        result += [Spacer(1, 1 * mm), _decision_table(item, st)]
    elif held(detail):
        result.append(Paragraph(_("Nog geen besluit vastgelegd."), st.note))
    out.append(KeepTogether(result))  # the outcome and the decision on one page
    return out


def _corrections_story(detail, vote_owners: Mapping[str, VoteOwner], st: _Styles) -> list:
    if not detail.corrections:
        return []
    out: list = [Paragraph(_("Correcties na sluiting"), st.h1), Paragraph(
        _("De vastgelegde gegevens van een gesloten vergadering worden niet overschreven: elke correctie is "
          "hieronder vastgelegd met de oorspronkelijke waarde en de reden."), st.small), Spacer(1, 2 * mm)]
    for n, c in enumerate(detail.corrections, start=1):
        what, old, new = describe_correction(detail, c, vote_owners)
        at = c.at.astimezone(detail.local_start.tzinfo)
        out.append(KeepTogether([
            Paragraph(f"{n}. {_text(what)}", st.item),
            Spacer(1, 1 * mm),
            key_value_table([
                (_("Oorspronkelijk"), _text(old) or "—"),
                (_("Gecorrigeerd"), _text(new) or "—"),
                (_("Reden"), _text(c.reason)),
                (_("Vastgelegd"), _text(_("{day} om {time} door {by}").format(
                    day=format_date_nl(at.date()), time=at.strftime("%H.%M"), by=c.by))),
            ], st, label_w=30 * mm),
            Spacer(1, 3 * mm),
        ]))
    return out


def _problems_story(detail, st: _Styles) -> list:
    """A stored record that breaks a rule (written before a check existed, or by hand) is printed as it is,
    under a visible warning naming what does not agree."""
    if not detail.problems:
        return []
    lines = "<br/>".join(f"– {_text(p)}" for p in detail.problems)
    return [Paragraph(_("Let op: de vastgelegde gegevens van deze vergadering kloppen niet met de regels. "
                        "Leg zo nodig een correctie met reden vast."), st.draft),
            Paragraph(lines, st.body), Spacer(1, 2 * mm)]


def render_minutes(detail, settings: LetterSettings | None = None,
                   vote_owners: Mapping[str, VoteOwner] | None = None) -> bytes:
    """The minutes (notulen) of a meeting (a ``MeetingDetail``) as PDF bytes.

    ``vote_owners`` maps the id of a vote record to its item and member, so a corrected vote can be
    named ("Stem van ... bij punt ..."); without it the correction is still listed.
    """
    settings = settings or LetterSettings()
    vote_owners = vote_owners or {}
    st = styles()
    day = format_date_nl(detail.local_start.date())
    adopted = detail.minutes_adopted_on
    story: list = [
        Paragraph((_("Notulen vergadering {sender}") if adopted else _("Concept-notulen {sender}"))
                  .format(sender=_text(settings.sender_name)), st.title),
        Paragraph(_text(long_date(detail.local_start.date())) + ", " + _text(time_range(detail)), st.subtitle),
    ]
    if not held(detail):
        story.append(Paragraph(_("Concept: de vergadering heeft nog niet plaatsgevonden; de notulen worden tijdens "
                                 "de vergadering opgesteld."), st.draft))
    elif detail.status is not MeetingStatus.CLOSED:
        story.append(Paragraph(_("Concept: de vergadering is nog niet gesloten; dit verslag kan nog wijzigen."),
                               st.draft))
    elif adopted is None:
        story.append(Paragraph(_("Concept: deze notulen worden vastgesteld in de volgende vergadering (agendapunt "
                                 "‘{item}’).").format(item=PREVIOUS_MINUTES_ITEM), st.draft))
    else:
        story.append(Paragraph(_text(adoption_text(adopted)) + ".", st.adopted))
    story += _problems_story(detail, st)
    story.append(key_value_table(_meeting_rows(detail, st, with_status=True), st))
    story += _attendance_story(detail, st)
    if detail.minutes.strip():
        story += [Paragraph(_("Algemeen"), st.h1), Paragraph(_text(detail.minutes.strip()), st.body)]
    story.append(Paragraph(_("Verslag per agendapunt"), st.h1))
    corrected = {
        (vote_owners[str(c.entity_id)].item_id, vote_owners[str(c.entity_id)].member_id)
        for c in detail.corrections if c.entity_type == "vote" and str(c.entity_id) in vote_owners
    }
    for n, item in enumerate(detail.items, start=1):
        story += _item_story(n, item, detail, corrected, st)
    story += _corrections_story(detail, vote_owners, st)
    if adopted is not None:
        signers = [[Paragraph(_text(detail.chair_name or "—"), st.cell),
                    Paragraph(_text(detail.secretary_name or "—"), st.cell)],
                   [Paragraph(_("voorzitter"), st.small), Paragraph(_("secretaris"), st.small)]]
        sign = Table(signers, colWidths=[70 * mm, 70 * mm], hAlign="LEFT")
        sign.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        story.append(KeepTogether([Spacer(1, 8 * mm), Paragraph(_text(adoption_text(adopted)) + ",", st.body),
                                   Spacer(1, 12 * mm), sign]))

    footer = (_("Notulen vergadering {day}") if adopted else _("Concept-notulen vergadering {day}")).format(day=day)
    return build_document(story, DocumentPages(settings, footer), title=footer, subject=_("Notulen"),
                          author=settings.sender_name)
