"""Command-line front door. Without a command it starts the desktop app.

Every command is a thin layer over the services; errors a user can cause are
printed in Dutch with exit status 1 (2 for wrong usage).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from commissie_app import (APP_ID, __version__, cli_audit, cli_forms, cli_letters, cli_meetings, cli_register,
                           cli_reminders, cli_report, cli_review, cli_rules)
from commissie_app.cli_context import command_context
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _, ngettext
from commissie_app.logging_setup import log_file, setup_logging


def cmd_gui(args) -> int:
    from commissie_app.ui.app import run_gui

    return run_gui(db_url=args.db, screenshot=Path(args.screenshot) if args.screenshot else None)


def cmd_db_upgrade(args) -> int:
    from commissie_app.bootstrap import open_database
    from commissie_app.db import revision

    db = open_database(args.db, create=True)  # the one command that makes a new database file
    with db.engine.connect() as conn:
        print(_("Database is bijgewerkt naar versie {rev}.").format(rev=revision.current_revision(conn)))
    return 0


def cmd_demo_data(args) -> int:
    from commissie_app.services.demo import create_demo_data

    n = create_demo_data(command_context(args))
    print(ngettext("Demodata aangemaakt: {n} aanvraag.", "Demodata aangemaakt: {n} aanvragen.", n).format(n=n))
    return 0


def cmd_backup(args) -> int:
    from commissie_app.services.backup import backup

    path = backup(command_context(args), Path(args.file))
    print(_("Reservekopie geschreven naar {path}.").format(path=path))
    return 0


def cmd_import(args) -> int:
    from commissie_app.services.transfer import import_applications

    result = import_applications(command_context(args), Path(args.file), dry_run=args.dry_run)
    print(result.summary())
    return 0


def cmd_export(args) -> int:
    from commissie_app.services.transfer import export_applications

    n = export_applications(command_context(args), Path(args.file))
    print(ngettext("{n} aanvraag geëxporteerd naar {file}.", "{n} aanvragen geëxporteerd naar {file}.", n).format(
        n=n, file=args.file))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=APP_ID, description=_("Commissie-app van de Commissie Sociaal Inkopen (KIP)."))
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--db", metavar="URL", help=_("SQLAlchemy-URL van de database (anders COMMISSIE_DB_URL of het standaardbestand)"))
    p.add_argument("--als", metavar="NAAM", help=_("werk als deze gebruiker (anders de naam die de app onthoudt)"))
    p.add_argument("--screenshot", metavar="FILE.png", help=_("toon het hoofdvenster buiten beeld, sla het op als PNG en stop"))
    p.set_defaults(func=cmd_gui)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, func, help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help)
        sp.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=_("SQLAlchemy-URL van de database"))
        sp.add_argument("--als", metavar="NAAM", default=argparse.SUPPRESS,
                        help=_("werk als deze gebruiker (anders de naam die de app onthoudt)"))
        sp.set_defaults(func=func)
        return sp

    db = sub.add_parser("db", help=_("databasebeheer"))
    dbsub = db.add_subparsers(dest="db_command", required=True, metavar="ACTIE")
    up = dbsub.add_parser("upgrade", help=_("werk het databaseschema bij (na een reservekopie)"))
    up.add_argument("--db", metavar="URL", default=argparse.SUPPRESS)
    up.set_defaults(func=cmd_db_upgrade)
    from commissie_app import cli_db

    cli_db.register(dbsub)

    add("demo-data", cmd_demo_data, _("vul een lege database met demodata"))
    sp = add("backup", cmd_backup, _("schrijf een consistente kopie van de database"))
    sp.add_argument("file", metavar="FILE")
    sp = add("import-applications", cmd_import, _("lees aanvragen in uit een CSV-bestand (alles of niets)"))
    sp.add_argument("file", metavar="FILE")
    sp.add_argument("--dry-run", action="store_true", help=_("alleen controleren, niets opslaan"))
    sp = add("export-applications", cmd_export, _("exporteer de aanvragen naar CSV of XLSX (naar extensie)"))
    sp.add_argument("file", metavar="FILE")
    for module in COMMAND_MODULES:
        module.register(add)
    return p


# The modules that add their commands with ``register(add)`` (forms, meetings, letters, rules, audit, review).
COMMAND_MODULES = (cli_forms, cli_meetings, cli_letters, cli_rules, cli_audit, cli_review, cli_register, cli_reminders,
                   cli_report)


def _package_argv(argv: list[str]) -> list[str]:
    """``commissie-app FILE.kippakket`` (a double-click on a review package) means ``review open FILE``."""
    if len(argv) == 1 and argv[0].lower().endswith(".kippakket") and not argv[0].startswith("-"):
        return ["review", "open", argv[0]]
    return argv


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(_package_argv(sys.argv[1:] if argv is None else list(argv)))
    for option in ("db", "als"):
        if not hasattr(args, option):
            setattr(args, option, None)
    setup_logging()
    try:
        return args.func(args)
    except DomainError as e:
        print(str(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception:
        logging.getLogger(__name__).exception("unexpected error in command %s", args.command)
        print(_("Er ging iets onverwachts mis. Details staan in het logbestand: {path}").format(path=log_file()),
              file=sys.stderr)
        return 3
