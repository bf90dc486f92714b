"""A meeting as an iCalendar (.ics) invitation, built with the ``icalendar`` library.

One VCALENDAR (METHOD:PUBLISH, so any calendar program imports it without an organiser) with
one VEVENT:

* ``DTSTAMP`` is the moment of the service context that makes the file.
* ``UID`` is ``<meeting id>@`` :data:`UID_DOMAIN`, so a re-sent invitation updates the entry in
  the calendar instead of adding a second one; ``SEQUENCE`` is the meeting's calendar sequence, raised
  only when date, time or place change (a vote or an agenda change leaves it as it is).
* ``DTSTART``/``DTEND`` carry ``TZID=Europe/Amsterdam`` with a matching VTIMEZONE (limited to the
  years around the meeting, so the file stays small; the English ``COMMENT`` the library writes into it is
  left out: nothing in the file is English text for its reader).
* ``SUMMARY``, ``LOCATION`` (place, or the video link when there is no place), ``URL`` (video link)
  and ``DESCRIPTION`` with the numbered agenda.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from commissie_app import __version__
from commissie_app.i18n import _

#: Fixed domain part of every meeting's UID.
UID_DOMAIN = "commissie-sociaal-inkopen.kennemerinkoopplatform.nl"
PRODID = "-//Kennemer Inkoop Platform//Commissie-app {v}//NL"


def meeting_uid(meeting_id) -> str:
    return f"{meeting_id}@{UID_DOMAIN}"


def agenda_lines(detail) -> list[str]:
    """'1. Opening', ... with organisation, KvK and place for application items."""
    lines = []
    for n, item in enumerate(detail.items, start=1):
        line = f"{n}. {item.title}"
        if item.application_id:
            extra = [_("KvK {kvk}").format(kvk=item.kvk)] if item.kvk else []
            if item.place:
                extra.append(item.place)
            if extra:
                line += " (" + ", ".join(extra) + ")"
        lines.append(line)
    return lines


def meeting_ics(detail, *, now: dt.datetime, sender: str = "Commissie Sociaal Inkopen") -> bytes:
    """The invitation for a meeting (a ``MeetingDetail``) as the bytes of an .ics file; ``now`` (the service
    context's clock, never the wall clock, so the same moment gives the same file) is its ``DTSTAMP``;
    ``sender`` is the commission's name as on its letterhead ("Vergadering <sender>")."""
    start = detail.local_start
    end = start + dt.timedelta(minutes=detail.duration_minutes)
    now = now.astimezone(dt.timezone.utc).replace(microsecond=0)

    cal = Calendar()
    cal.add("prodid", PRODID.format(v=__version__))
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")

    event = Event()
    event.add("uid", meeting_uid(detail.id))
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", max(0, int(detail.calendar_sequence or 0)))
    event.add("summary", _("Vergadering {sender}").format(sender=sender))
    location = detail.place or detail.video_link
    if location:
        event.add("location", location)
    if detail.video_link:
        event.add("url", detail.video_link)
    description = [_("Agenda:"), *agenda_lines(detail)]
    if detail.video_link:
        description += ["", _("Videolink: {link}").format(link=detail.video_link)]
    event.add("description", "\n".join(description))
    cal.add_component(event)
    cal.add_missing_timezones(first_date=dt.date(start.year - 1, 1, 1), last_date=dt.date(start.year + 2, 1, 1))
    for tz in cal.walk("VTIMEZONE"):
        tz.pop("COMMENT", None)  # "This timezone only works from ...": English, and for no reader
    return cal.to_ical()
