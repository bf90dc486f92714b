"""Dates as the user reads and types them: "23 november 2026", 23-11-2026 or 2026-11-23.

Its own small module (not ``validation``): the application list shows dates at start-up and needs
nothing else of the validation rules (docs/performance.md, "Start-up: what the first frame imports").
"""

from __future__ import annotations

import datetime as dt
import re

from commissie_app.i18n import _

_DATE_NL = re.compile(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})")
_DATE_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def parse_date(text: str) -> dt.date:
    """Parse dd-mm-jjjj or jjjj-mm-dd; raises ValueError (also for a day that does not exist)."""
    text = text.strip()
    m = _DATE_NL.fullmatch(text)
    if m:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    m = _DATE_ISO.fullmatch(text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(text)


MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def format_date_nl(value: dt.date | None) -> str:
    """23 november 2026"""
    if value is None:
        return ""
    return f"{value.day} {MONTHS_NL[value.month - 1]} {value.year}"


def weekday_name(day: dt.date) -> str:
    """'dinsdag': the day of the week, one literal per day (so that xgettext extracts each)."""
    return (_("maandag"), _("dinsdag"), _("woensdag"), _("donderdag"), _("vrijdag"), _("zaterdag"),
            _("zondag"))[day.weekday()]


def format_moment_nl(value: dt.datetime) -> str:
    """A stored UTC moment in Dutch local time: "23 november 2026 om 14:05"."""
    import zoneinfo  # here: the list at start-up shows dates only

    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    local = value.astimezone(zoneinfo.ZoneInfo("Europe/Amsterdam"))
    return f"{format_date_nl(local.date())} om {local:%H:%M}"
