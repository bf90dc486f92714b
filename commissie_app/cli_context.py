"""The service context of one command-line run (database and acting user), shared by every command module.

A module of its own so that the command modules (``cli_meetings``, ``cli_letters``, ``cli_forms``) need
not import the front door ``cli`` that registers them (no import cycle).
"""

from __future__ import annotations


def command_context(args):
    """The service context for a command: the user named by ``--als`` or else the user this machine
    remembers (the app's first start). Without either, commands may read but change nothing."""
    from commissie_app.bootstrap import open_database
    from commissie_app.services.context import ServiceContext
    from commissie_app.services.users import sign_in
    from commissie_app.settings import LocalSettings

    db = open_database(args.db)
    ctx = ServiceContext(db)
    name = args.als or LocalSettings().get("user_name")
    if name:
        sign_in(ctx, name)
    return ctx
