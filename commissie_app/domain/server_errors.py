"""The shared database server could not be used: the Dutch messages, naming the server (host:port) and the
database, never the password. ``db/connect_errors.py`` decides which one a failed connection is."""

from __future__ import annotations

from enum import Enum

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _


class Reason(Enum):
    """Why the connection failed, as far as the driver's text tells."""

    REFUSED = "refused"  # nothing listens on that port: the server is down
    TIMEOUT = "timeout"  # no answer within the connect timeout
    UNKNOWN_HOST = "unknown_host"  # the name does not resolve: no network, or a typing error
    OTHER = "other"
    PASSWORD = "password"  # wrong user name or password
    NOT_ALLOWED = "not_allowed"  # the server's access rules (pg_hba.conf) do not let this login in


class ServerConnectError(DomainError):
    """The app could not connect to the database server; ``server`` is "host:port". The message is one
    paragraph: ``headline`` (what went wrong) and ``detail`` (which server, why, what to do)."""

    def __init__(self, headline: str, detail: str, *, server: str, database: str, reason: Reason):
        super().__init__(f"{headline}. {detail}")
        self.headline, self.detail = headline, detail
        self.server, self.database, self.reason = server, database, reason


class ServerUnreachableError(ServerConnectError):
    """Nothing answered: the server is down, the network is gone or the address is wrong."""

    def __init__(self, server: str, database: str, reason: Reason = Reason.OTHER, *, host: str = "",
                 timeout_s: int = 0):
        because = {
            Reason.REFUSED: _("De server weigert de verbinding: waarschijnlijk staat de databaseserver uit, of hij "
                              "luistert op een andere poort."),
            Reason.TIMEOUT: _("De server antwoordt niet binnen {seconds} seconden: mogelijk is er geen "
                              "netwerkverbinding of staat de server uit.").format(seconds=timeout_s),
            Reason.UNKNOWN_HOST: _("De servernaam {host} is niet gevonden: controleer de netwerkverbinding en het "
                                   "adres.").format(host=host),
        }.get(reason, _("Mogelijk staat de server uit of is er geen netwerkverbinding."))
        super().__init__(
            _("De gedeelde database is niet bereikbaar"),
            _("Server {server}, database {database}. {because} Probeer het later opnieuw, of vraag de beheerder "
              "of de server aanstaat.").format(server=server, database=database, because=because),
            server=server, database=database, reason=reason)


class ServerLoginRefusedError(ServerConnectError):
    """The server answered but did not let this login in."""

    def __init__(self, server: str, database: str, user: str, reason: Reason = Reason.PASSWORD):
        if reason is Reason.NOT_ALLOWED:
            message = _("De server {server} laat gebruiker {user} van deze computer niet toe tot database "
                        "{database}. Vraag de beheerder van de server om toegang.")
        else:
            message = _("De server {server} weigert de aanmelding van gebruiker {user} bij database {database}: "
                        "de gebruikersnaam of het wachtwoord klopt niet. Controleer het adres bij --db of "
                        "COMMISSIE_DB_URL, of vraag de beheerder om de juiste gegevens.")
        super().__init__(_("Aanmelden bij de databaseserver is mislukt"),
                         message.format(server=server, user=user, database=database),
                         server=server, database=database, reason=reason)


class ServerDatabaseMissingError(ServerConnectError):
    """The server answered, but has no database of that name."""

    def __init__(self, server: str, database: str):
        super().__init__(
            _("De database bestaat niet"),
            _("Op server {server} bestaat geen database {database}. Controleer de naam van de database bij --db "
              "of COMMISSIE_DB_URL, of vraag de beheerder om de database aan te maken.").format(
                server=server, database=database),
            server=server, database=database, reason=Reason.OTHER)
