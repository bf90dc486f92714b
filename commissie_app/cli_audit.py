"""``commissie-app audit verify``: check the audit trail's hash chain (listed in ``cli.COMMAND_MODULES``).

Prints that the chain is intact with the number of events and the last hash (exit 0), or names the
first broken event (exit 1). ``--anker NR:HASH`` also checks an event's hash written down earlier.
"""

from __future__ import annotations

import argparse
import sys

from commissie_app.cli_context import command_context
from commissie_app.i18n import _


def cmd_audit_verify(args) -> int:
    from commissie_app.services.audit_verify import describe, parse_anchor, verify_audit_chain

    anchor = parse_anchor(args.anchor) if args.anchor else None  # checked before the database is opened
    check = verify_audit_chain(command_context(args), anchor=anchor)
    print(describe(check), file=sys.stdout if check.intact else sys.stderr)
    return 0 if check.intact else 1


def register(add) -> None:
    audit = add("audit", _audit_usage, _("het logboek (wie wijzigde wat)"))
    sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTIE")
    sp = sub.add_parser("verify", help=_("controleer de hashketen van het logboek; noemt de eerste verbroken "
                                         "gebeurtenis"))
    sp.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=_("SQLAlchemy-URL van de database"))
    sp.add_argument("--anker", dest="anchor", metavar="NR:HASH",
                    help=_("controleer ook dat gebeurtenis NR nog de hash heeft die eerder is vastgelegd "
                           "(in de notulen of het jaarverslag)"))
    sp.set_defaults(func=cmd_audit_verify)


def _audit_usage(args: argparse.Namespace) -> int:  # pragma: no cover - argparse requires the sub-command
    return 2
