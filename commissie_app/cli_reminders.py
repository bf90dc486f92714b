"""``commissie-app reminders [--dry-run] [--out DIR]`` (registered in ``cli.COMMAND_MODULES``).

Lists the letters that are due (``services.correspondence.due_reminders``: expiry reminders, acknowledgements
of receipt, information requests), one Dutch line each. With ``--dry-run`` nothing is made or written;
otherwise the letters are made, archived and written to DIR (checked first, as ``letters --out`` does).
"""

from __future__ import annotations

from pathlib import Path

from commissie_app.cli_context import command_context
from commissie_app.cli_letters import check_output_folder, contact_place, write_file
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _, ngettext


def cmd_reminders(args) -> int:
    from commissie_app.services import correspondence, letter_settings

    ctx = command_context(args)
    due = correspondence.due_reminders(ctx)
    if args.dry_run:
        if not due:
            print(_("Er zijn geen brieven te maken."))
        else:
            print(ngettext("{n} brief te maken:", "{n} brieven te maken:", len(due)).format(n=len(due)))
            for d in due:
                print("  " + d.line)
        return 0
    if not args.out:
        raise DomainError(_("Geef met --out MAP aan waar de brieven komen, of bekijk eerst met --dry-run wat er "
                            "te maken is."))
    if not due:
        print(_("Er zijn geen brieven te maken."))
        return 0
    out = Path(args.out)
    letter_settings.require_contact(ctx, contact_place())  # before the folder is made
    check_output_folder(out)
    infos = correspondence.make_due(ctx, due)
    for info in infos:
        write_file(out / info.filename, correspondence.correspondence_pdf(ctx, info.id))
    print(ngettext("{n} brief gemaakt, gearchiveerd en geschreven naar {path}:",
                   "{n} brieven gemaakt, gearchiveerd en geschreven naar {path}:", len(infos)).format(
        n=len(infos), path=out))
    for d, info in zip(due, infos):
        print(f"  {info.filename}  {d.line}")
    return 0


def register(add) -> None:
    sp = add("reminders", cmd_reminders,
             _("maak de brieven die klaarliggen: herinneringen, ontvangstbevestigingen en informatieverzoeken"))
    sp.add_argument("--dry-run", action="store_true", help=_("toon alleen wat er te maken is; maak en schrijf niets"))
    sp.add_argument("--out", metavar="DIR", help=_("map waarin de brieven worden geschreven"))
