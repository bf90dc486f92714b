"""``commissie-app register export FILE.csv|FILE.json|FILE.xlsx``: the public register for KIP's SROI page."""

from __future__ import annotations

import argparse
from pathlib import Path

from commissie_app.cli_context import command_context
from commissie_app.i18n import _, ngettext


def cmd_register_export(args) -> int:
    from commissie_app.services.register_export import export_register

    n = export_register(command_context(args), Path(args.file))
    print(ngettext("{n} erkenning geëxporteerd naar {file}.", "{n} erkenningen geëxporteerd naar {file}.", n)
          .format(n=n, file=args.file))
    return 0


def register(add) -> None:
    """Adds ``register export`` to the command-line parser (``commissie_app.cli.COMMAND_MODULES``)."""
    reg = add("register", _register_usage, _("het register van erkende sociaal ondernemers"))
    sub = reg.add_subparsers(dest="register_command", required=True, metavar="ACTIE")
    sp = sub.add_parser("export", help=_("exporteer het openbare register voor de SROI-pagina van KIP naar CSV, "
                                         "JSON of XLSX (naar extensie); zonder persoonsgegevens"))
    sp.add_argument("file", metavar="FILE", help=_("FILE.csv, FILE.json of FILE.xlsx"))
    sp.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=_("SQLAlchemy-URL van de database"))
    sp.add_argument("--als", metavar="NAAM", default=argparse.SUPPRESS,
                    help=_("werk als deze gebruiker (anders de naam die de app onthoudt)"))
    sp.set_defaults(func=cmd_register_export)


def _register_usage(args: argparse.Namespace) -> int:  # pragma: no cover - argparse requires the sub-command
    return 2
