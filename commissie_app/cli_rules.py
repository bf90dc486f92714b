"""``commissie-app rules show`` and ``commissie-app rules adopt [FILE]``: the commission's rules in the database."""

from __future__ import annotations

import argparse
from pathlib import Path

from commissie_app.cli_context import command_context
from commissie_app.i18n import _


def _print(adopted) -> None:
    from commissie_app.domain.rules import rule_lines
    from commissie_app.services.rules import adopted_text

    print(adopted_text(adopted))
    for label, value in rule_lines(adopted.rules):
        print(f"  {label}: {value}")


def cmd_rules_show(args) -> int:
    from commissie_app.services.rules import rules_in_force

    _print(rules_in_force(command_context(args)))
    return 0


def cmd_rules_adopt(args) -> int:
    from commissie_app.services.rules import adopt_rules

    adopted, changed = adopt_rules(command_context(args), Path(args.file) if args.file else None)
    if not changed:
        print(_("De regels in het bestand zijn gelijk aan de vastgestelde regels; er is niets vastgesteld."))
    _print(adopted)
    return 0


def register(add) -> None:
    """Adds ``rules show`` and ``rules adopt`` to the command-line parser (``commissie_app.cli.COMMAND_MODULES``)."""
    rules = add("rules", _rules_usage, _("de regels van de commissie (quorum, kenmerk, ...) in de database"))
    sub = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTIE")
    sp = sub.add_parser("show", help=_("toon de regels die gelden, met wie ze wanneer heeft vastgesteld"))
    _where_and_who(sp)
    sp.set_defaults(func=cmd_rules_show)
    sp = sub.add_parser("adopt", help=_("stel de regels uit een regelbestand vast, voor elke computer op deze "
                                        "database (zonder FILE: het meegeleverde forms/rules.toml)"))
    sp.add_argument("file", metavar="FILE", nargs="?", help=_("een regelbestand (.toml)"))
    _where_and_who(sp)
    sp.set_defaults(func=cmd_rules_adopt)


def _where_and_who(sp: argparse.ArgumentParser) -> None:
    """``--db`` and ``--als`` also after the action (``rules adopt FILE --db URL --als NAAM``)."""
    sp.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=_("SQLAlchemy-URL van de database"))
    sp.add_argument("--als", metavar="NAAM", default=argparse.SUPPRESS,
                    help=_("werk als deze gebruiker (anders de naam die de app onthoudt)"))


def _rules_usage(args: argparse.Namespace) -> int:  # pragma: no cover - argparse requires the sub-command
    return 2
