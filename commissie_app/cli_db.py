"""``commissie-app db grant``: database roles on a shared PostgreSQL server (see ``db/grants.py``).

* ``commissie-app db grant [--prefix commissie]``: make or bring up to date the group roles
  ``commissie_waarnemer`` (read only) and ``commissie_gebruiker`` (the app's writes, without DELETE
  on decisions, votes, letters, audit events and corrections);
* ``... --login NAAM [--role waarnemer|gebruiker]``: also a login in one of the two groups. The
  password comes from ``COMMISSIE_LOGIN_PASSWORD`` or is asked (never on the command line);
* ``... --sql``: print the statements instead of running them.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _

PASSWORD_ENV = "COMMISSIE_LOGIN_PASSWORD"


def ask_password(exists: bool) -> str | None:
    """The login's password: from the environment, else asked twice; None keeps an existing one."""
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        if exists:
            return None
        raise DomainError(_("Geef het wachtwoord van de nieuwe login op in {env} of voer de opdracht uit in een "
                            "terminal, die er dan om vraagt.").format(env=PASSWORD_ENV))
    first = getpass.getpass(_("Wachtwoord (leeg laten: ongewijzigd): ") if exists else _("Wachtwoord: "))
    if not first and exists:
        return None
    if not first:
        raise DomainError(_("Een nieuwe login heeft een wachtwoord nodig."))
    if getpass.getpass(_("Herhaal het wachtwoord: ")) != first:
        raise DomainError(_("De wachtwoorden verschillen; er is niets gewijzigd."))
    return first


def cmd_db_grant(args) -> int:
    from sqlalchemy.engine import make_url

    from commissie_app.bootstrap import open_database
    from commissie_app.db import grants
    from commissie_app.db.engine import resolve_url

    grants.require_postgresql(make_url(resolve_url(args.db)).get_backend_name())
    db = open_database(args.db)
    try:
        plan = grants.apply(db.engine, prefix=args.prefix, login=args.login, kind=args.role,
                            password=ask_password, execute=not args.sql)
        if args.sql:
            print("\n".join(grants.as_text(db.engine, plan.statements)))
            return 0
    finally:
        db.dispose()
    print("\n".join(plan.messages))
    return 0


def register(dbsub) -> None:
    sp = dbsub.add_parser("grant", help=_("maak of herstel de databaserollen op een gedeelde PostgreSQL-server "
                                          "(als eigenaar van de tabellen; vraagt CREATEROLE)"))
    sp.add_argument("--db", metavar="URL", default=argparse.SUPPRESS)
    sp.add_argument("--prefix", default="commissie",
                    help=_("voorvoegsel van de groepsrollen (standaard: commissie_waarnemer en commissie_gebruiker)"))
    sp.add_argument("--login", metavar="NAAM", help=_("maak of wijzig ook een login in een van de groepen"))
    sp.add_argument("--role", choices=["waarnemer", "gebruiker"], default="waarnemer",
                    help=_("de groep van de login (standaard: waarnemer)"))
    sp.add_argument("--sql", action="store_true", help=_("toon alleen de SQL-opdrachten, voer niets uit"))
    sp.set_defaults(func=cmd_db_grant)
