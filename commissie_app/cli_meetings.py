"""Meeting commands: ``agenda``, ``minutes`` and ``meetings`` (registered in ``cli.COMMAND_MODULES``).

* ``commissie-app agenda MEETING [--pdf FILE] [--ics FILE]``: the agenda as PDF and/or the
  invitation as .ics (at least one of the two);
* ``commissie-app minutes MEETING --pdf FILE``: the minutes (notulen) as PDF;
* ``commissie-app meetings [--json]``: every meeting with id, date, time, status and number of items,
  and a warning for a meeting whose stored record breaks a rule (JSON: ``problems``).

MEETING is a meeting's id or its date (jjjj-mm-dd). An unknown meeting is a DomainError: the
front door prints its Dutch message and exits with status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from commissie_app.cli_context import command_context
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _


def _write(path: str, data: bytes) -> Path:
    target = Path(path)
    try:
        target.write_bytes(data)
    except OSError as e:
        raise DomainError(_("Kan {path} niet schrijven: {reason}").format(path=path, reason=e.strerror or e))
    return target


def cmd_agenda(args) -> int:
    from commissie_app.services import meeting_documents, meeting_planning

    if not args.pdf and not args.ics:
        print(_("Geef --pdf BESTAND en/of --ics BESTAND op."), file=sys.stderr)
        return 2
    ctx = command_context(args)
    meeting_id = meeting_planning.find_meeting(ctx, args.meeting)
    if args.pdf:
        path = _write(args.pdf, meeting_documents.agenda_pdf(ctx, meeting_id))
        print(_("Agenda geschreven naar {path}.").format(path=path))
    if args.ics:
        path = _write(args.ics, meeting_documents.agenda_ics(ctx, meeting_id))
        print(_("Uitnodiging (iCalendar) geschreven naar {path}.").format(path=path))
    return 0


def cmd_minutes(args) -> int:
    from commissie_app.services import meeting_documents, meeting_planning

    ctx = command_context(args)
    meeting_id = meeting_planning.find_meeting(ctx, args.meeting)
    path = _write(args.pdf, meeting_documents.minutes_pdf(ctx, meeting_id))
    print(_("Notulen geschreven naar {path}.").format(path=path))
    return 0


def cmd_meetings(args) -> int:
    from commissie_app.services import meeting_planning

    ctx = command_context(args)
    rows = meeting_planning.list_meetings(ctx)
    problems = meeting_planning.record_problems(ctx)
    if args.json:
        print(json.dumps([
            {"id": str(r.id), "date": r.local_start.date().isoformat(), "time": r.local_start.strftime("%H:%M"),
             "status": r.status.value, "items": r.item_count,
             **({"problems": list(problems[r.id])} if r.id in problems else {})}
            for r in rows
        ], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(_("Er zijn nog geen vergaderingen."))
        return 0
    header = (_("Datum"), _("Tijd"), _("Status"), _("Punten"), _("Aanvragen"), _("Id"))
    table = [header] + [
        (r.local_start.date().isoformat(), r.local_start.strftime("%H:%M"), r.status.label, str(r.item_count),
         str(r.application_count), str(r.id))
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    for r in rows:  # a stored record that breaks a rule: shown, never a failure
        for problem in problems.get(r.id, ()):
            print(_("Let op, vergadering van {day}: {problem}").format(day=r.local_start.date().isoformat(),
                                                                      problem=problem))
    return 0


def register(add) -> None:
    sp = add("agenda", cmd_agenda, _("schrijf de agenda van een vergadering als PDF en/of als uitnodiging (.ics)"))
    sp.add_argument("meeting", metavar="MEETING", help=_("id of datum (jjjj-mm-dd) van de vergadering"))
    sp.add_argument("--pdf", metavar="FILE", help=_("schrijf de agenda als PDF"))
    sp.add_argument("--ics", metavar="FILE", help=_("schrijf de uitnodiging als iCalendar-bestand"))

    sp = add("minutes", cmd_minutes, _("schrijf de notulen van een vergadering als PDF"))
    sp.add_argument("meeting", metavar="MEETING", help=_("id of datum (jjjj-mm-dd) van de vergadering"))
    sp.add_argument("--pdf", metavar="FILE", required=True, help=_("schrijf de notulen als PDF"))

    sp = add("meetings", cmd_meetings, _("toon de vergaderingen"))
    sp.add_argument("--json", action="store_true", help=_("als JSON-lijst (id, date, time, status, items)"))

