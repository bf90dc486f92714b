"""Letter command: ``commissie-app letters MEETING --out DIR`` (registered in ``cli.EXTRA_COMMANDS``).

Generates the decision letters of a closed meeting headless (a new archived version per decision)
and writes them to DIR named by kenmerk (``KIP-2026-001.pdf``; a later version gets ``-v2``).
MEETING is a meeting's id or its date (jjjj-mm-dd). A meeting that is not closed or not found is a
DomainError: the front door prints its Dutch message and exits with status 1.
"""

from __future__ import annotations

from pathlib import Path

from commissie_app import cli
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _


def cmd_letters(args) -> int:
    from commissie_app.services import letters, meetings

    ctx = cli._ctx(args)
    meeting_id = meetings.find_meeting(ctx, args.meeting)
    infos = letters.generate_letters(ctx, meeting_id)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for info in infos:
            (out / info.filename).write_bytes(letters.letter_pdf(ctx, info.id))
    except OSError as e:
        raise DomainError(_("Kan niet schrijven in {path}: {reason}").format(path=out, reason=e.strerror or e))
    print(_("{n} besluitbrieven gemaakt en gearchiveerd, geschreven naar {path}:").format(n=len(infos), path=out))
    for info in infos:
        print(f"  {info.filename}  {info.decision_type.label}  {info.organisation}  "
              + _("versie {v}").format(v=info.letter_version))
    return 0


def register(add) -> None:
    sp = add("letters", cmd_letters, _("maak de besluitbrieven van een gesloten vergadering (PDF per kenmerk)"))
    sp.add_argument("meeting", metavar="MEETING", help=_("id of datum (jjjj-mm-dd) van de vergadering"))
    sp.add_argument("--out", metavar="DIR", required=True, help=_("map waarin de brieven worden geschreven"))


if register not in cli.EXTRA_COMMANDS:
    cli.EXTRA_COMMANDS.append(register)
