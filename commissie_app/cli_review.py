"""``commissie-app review ...``: offline review packages (docs/offline-review.md).

This module only builds the parser; each action lives with its part: ``cli_review_export`` (export,
list, revoke, key register), ``cli_review_open`` (open, key show: the laptop), ``cli_review_import``
(import).
"""

from __future__ import annotations

import argparse
import importlib

from commissie_app.cli_rules import _where_and_who
from commissie_app.i18n import _


def _lazy(module: str, name: str):
    def run(args) -> int:
        return getattr(importlib.import_module(f"commissie_app.{module}"), name)(args)
    return run


def _usage(args: argparse.Namespace) -> int:  # pragma: no cover - argparse requires the sub-command
    return 2


def register(add) -> None:
    review = add("review", _usage, _("offline beoordelen: beoordelingspakketten maken, openen en inlezen"))
    sub = review.add_subparsers(dest="review_command", required=True, metavar="ACTIE")

    sp = sub.add_parser("export", help=_("maak een versleuteld beoordelingspakket voor een vergadering"))
    sp.add_argument("meeting", metavar="VERGADERING", help=_("de vergadering (datum JJJJ-MM-DD of id)"))
    sp.add_argument("--member", "--lid", dest="members", metavar="NAAM", action="append", required=True,
                    help=_("voor welk lid (gebruikersnaam); meermaals voor één pakket voor meerdere leden"))
    sp.add_argument("--out", metavar="FILE", required=True, help=_("het pakketbestand (.kippakket)"))
    sp.add_argument("--wachtwoord", action="store_true",
                    help=_("versleutel met een wachtwoord (eerste contact; het wordt gevraagd) in plaats van "
                           "met de sleutel van de laptop"))
    _where_and_who(sp)
    sp.set_defaults(func=_lazy("cli_review_export", "cmd_export"))

    sp = sub.add_parser("list", help=_("toon de gemaakte pakketten (van een vergadering)"))
    sp.add_argument("meeting", metavar="VERGADERING", nargs="?")
    _where_and_who(sp)
    sp.set_defaults(func=_lazy("cli_review_export", "cmd_list"))

    sp = sub.add_parser("revoke", help=_("trek een pakket in (verloren laptop): een retour ervan wordt geweigerd"))
    sp.add_argument("package", metavar="PAKKET", help=_("het pakketnummer (of het begin ervan)"))
    sp.add_argument("--reden", required=True, metavar="TEKST")
    _where_and_who(sp)
    sp.set_defaults(func=_lazy("cli_review_export", "cmd_revoke"))

    sp = sub.add_parser("open", help=_("open een beoordelingspakket op deze laptop (zonder database)"))
    sp.add_argument("file", metavar="FILE")
    sp.set_defaults(func=_lazy("cli_review_open", "cmd_open"))

    sp = sub.add_parser("import", help=_("lees retourpakketten van leden in"))
    sp.add_argument("files", metavar="FILE", nargs="+")
    sp.add_argument("--kies", choices=("database", "pakket"),
                    help=_("bij een conflict: houd wat in de database staat, of neem wat in het pakket staat "
                           "(zonder deze keuze wordt bij een conflict niets ingelezen)"))
    _where_and_who(sp)
    sp.set_defaults(func=_lazy("cli_review_import", "cmd_import"))

    key = sub.add_parser("key", help=_("sleutels: die van deze laptop tonen, of die van een lid registreren"))
    keysub = key.add_subparsers(dest="key_command", required=True, metavar="ACTIE")
    sp = keysub.add_parser("show", help=_("toon de sleutel van deze laptop (om aan de secretaris te geven)"))
    sp.set_defaults(func=_lazy("cli_review_open", "cmd_key_show"))
    sp = keysub.add_parser("register", help=_("registreer de sleutel van de laptop van een lid"))
    sp.add_argument("user", metavar="NAAM", help=_("de gebruikersnaam van het lid"))
    sp.add_argument("key", metavar="SLEUTEL", help=_("de regel die begint met kip-sleutel-1:"))
    _where_and_who(sp)
    sp.set_defaults(func=_lazy("cli_review_export", "cmd_key_register"))
