"""Domain exceptions. Every message is meant for the user (Dutch, via gettext)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from commissie_app.domain.dates import format_moment_nl
from commissie_app.i18n import _


class DomainError(Exception):
    """An error the user can cause and fix; ``str(err)`` is the message to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """One or more fields are invalid. ``errors`` maps field name to a message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        lines = [f"- {msg}" for msg in self.errors.values()]
        super().__init__(_("De gegevens zijn niet in orde:") + "\n" + "\n".join(lines))


class LetterContactMissingError(DomainError):
    """Letters are not made while the letterhead names no contact person with phone and e-mail (issue 14);
    ``missing`` lists what is missing (Dutch). The app offers to open the settings."""

    def __init__(self, missing: Sequence[str], where: str):
        self.missing = tuple(missing)
        super().__init__(_(
            "Er worden geen brieven gemaakt: elke brief noemt een contactpersoon met telefoonnummer en "
            "e-mailadres, en in het briefpapier ontbreekt nog: {missing}. {where}").format(
            missing=", ".join(self.missing), where=where))


class StaleEditError(DomainError):
    """Someone else (or another window) saved the record after it was loaded; nothing was saved.

    The service that refuses the edit adds what the audit log knows of the newest change: who
    (``changed_by``), when (``changed_at``, UTC) and which fields (``fields``, Dutch labels where known);
    the message then names them (``services/stale_edits.py``)."""

    def __init__(self, what: str | None = None, *, changed_by: str | None = None,
                 changed_at: dt.datetime | None = None, fields: Sequence[str] = ()):
        message = _(
            "Dit gegeven is intussen door iemand anders (of in een ander venster) gewijzigd. "
            "Uw wijziging is niet opgeslagen. Laad de gegevens opnieuw en voer uw wijziging "
            "daarna nogmaals door."
        )
        if changed_by:
            message += " " + self.change_text(changed_by, changed_at, fields)
        super().__init__(message)
        self.what = what
        self.changed_by, self.changed_at, self.fields = changed_by, changed_at, tuple(fields)

    @staticmethod
    def change_text(changed_by: str, changed_at: dt.datetime | None, fields: Sequence[str]) -> str:
        """'Laatst gewijzigd door Anna op 23 november 2026 om 14:05 (Naam, E-mail).'"""
        text = _("Laatst gewijzigd door {who}").format(who=changed_by)
        if changed_at is not None:
            text += " " + _("op {when}").format(when=format_moment_nl(changed_at))
        if fields:
            text += " (" + ", ".join(fields) + ")"
        return text + "."


class DatabaseBusyError(DomainError):
    """Another user or program kept the database busy for longer than we wait; nothing was saved."""

    def __init__(self):
        super().__init__(
            _(
                "De database is bezet: een andere gebruiker of een ander programma (bijvoorbeeld een import) "
                "schrijft er op dit moment in. Er is niets opgeslagen; probeer het over een minuut opnieuw."
            )
        )


class NotFoundError(DomainError):
    pass


class TransitionError(DomainError):
    pass


class AttachmentError(DomainError):
    pass


class ImportFileError(DomainError):
    """An import file has problems; ``problems`` lists (row, column, reason)."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        self.problems = list(problems)
        lines = [_("rij {row}, kolom {col}: {reason}").format(row=r, col=c or "-", reason=m) for r, c, m in problems]
        super().__init__(_("Het bestand is niet ingelezen; er is niets opgeslagen.") + "\n" + "\n".join(lines))


class DatabaseRefusedError(DomainError):
    """The database server refused an operation for this login (PostgreSQL roles, ``commissie-app db grant``)."""

    def __init__(self, detail: str = ""):
        self.detail = detail
        super().__init__(
            _("De database staat dit niet toe voor de databaselogin waarmee de app verbonden is; er is niets "
              "opgeslagen. Vraag de beheerder van de database om de juiste rechten (commissie-app db grant).")
            + (" " + _("(Melding van de server: {detail})").format(detail=detail) if detail else "")
        )


class DatabaseOpenError(DomainError):
    """The database could not be opened at start-up (a SQLite file locked, read-only, out of reach, or an
    error nobody foresaw): ``headline`` says what, ``detail`` which file or address and what to do. The
    driver's own text is the exception's ``__cause__`` (shown only under "Details")."""

    def __init__(self, headline: str, detail: str, *, location: str = ""):
        super().__init__(f"{headline}. {detail}")
        self.headline, self.detail, self.location = headline, detail, location

    @classmethod
    def locked(cls, path) -> DatabaseOpenError:
        return cls(_("Het databasebestand is in gebruik"), _(
            "Een ander programma (of de Commissie-app op een andere computer of in een ander venster) houdt "
            "{path} vergrendeld. Sluit dat programma of wacht tot het klaar is, en kies dan ‘Opnieuw "
            "proberen’.").format(path=path), location=str(path))

    @classmethod
    def read_only(cls, path) -> DatabaseOpenError:
        return cls(_("Het databasebestand is alleen-lezen"), _(
            "De app mag niet schrijven in {path} of in de map ervan (bijvoorbeeld een beveiligde map, een "
            "alleen-lezen USB-stick of netwerkmap). Vraag de beheerder om schrijfrechten, of zet het bestand in "
            "een map waarin u mag schrijven en kies het met ‘Andere database kiezen…’.").format(path=path),
            location=str(path))

    @classmethod
    def unreachable_file(cls, path) -> DatabaseOpenError:
        return cls(_("Het databasebestand is niet bereikbaar"), _(
            "{path} kan niet worden geopend: de map bestaat niet of is niet bereikbaar (bijvoorbeeld een "
            "netwerkmap die niet is verbonden). Controleer de verbinding en kies ‘Opnieuw proberen’.").format(
            path=path), location=str(path))

    @classmethod
    def other(cls, where: str) -> DatabaseOpenError:
        return cls(_("De database kan niet worden geopend"), _(
            "De database {where} kon niet worden geopend. Controleer het adres of het bestand (--db of "
            "COMMISSIE_DB_URL); de technische melding staat onder Details en in het logbestand.").format(
            where=where), location=where)
