"""``commissie-app review export|list|revoke|key register``: the secretary's side of review packages going
out (the parser is in ``cli_review``; the work in ``services/review_export`` and ``services/review_keys``).

* ``review export VERGADERING --member NAAM [--member NAAM ...] --out FILE [--wachtwoord]``: a package for
  one meeting (its date jjjj-mm-dd or id) and one or more members, encrypted to their registered laptop
  keys, or with ``--wachtwoord`` to a passphrase (asked twice; scripts give it in the environment
  variable ``COMMISSIE_REVIEW_PASSPHRASE``);
* ``review list [VERGADERING]``: the packages made, with expiry, revocation and returns read;
* ``review revoke PAKKET --reden TEKST``: revoke a package (a lost laptop);
* ``review key register NAAM SLEUTEL``: register the public key of a member's laptop.
"""

from __future__ import annotations

import getpass
import os

from commissie_app.cli_context import command_context
from commissie_app.domain.dates import format_date_nl
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _, ngettext

PASSPHRASE_ENV = "COMMISSIE_REVIEW_PASSPHRASE"


def _kb(size: int) -> str:
    return f"{max(1, round(size / 1024)):,} kB".replace(",", ".")


def _passphrase() -> str:
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    first = getpass.getpass(_("Wachtwoord voor het pakket (ten minste 10 tekens): "))
    if getpass.getpass(_("Nogmaals hetzelfde wachtwoord: ")) != first:
        raise DomainError(_("De twee wachtwoorden zijn niet gelijk; er is geen pakket gemaakt."))
    return first


def cmd_export(args) -> int:
    from pathlib import Path

    from commissie_app.services import meeting_planning, review_export

    ctx = command_context(args)
    meeting_id = meeting_planning.find_meeting(ctx, args.meeting)
    user_ids = [review_export.find_user(ctx, name) for name in args.members]
    passphrase = _passphrase() if args.wachtwoord else None
    result = review_export.export_package(ctx, meeting_id, user_ids, Path(args.out), passphrase=passphrase)
    print(_("Beoordelingspakket geschreven naar {path} ({size}).").format(path=result.path, size=_kb(result.size)))
    print(_("Pakketnummer: {id}").format(id=result.package_id))
    print(_("Geldig tot en met {day}.").format(day=format_date_nl(result.expires_on)))
    if passphrase is not None:
        print(_("Voor: {names}. Versleuteld met een wachtwoord: geef het wachtwoord apart door (telefonisch), "
                "niet in dezelfde e-mail als het pakket.").format(names=", ".join(result.member_names)))
    else:
        for name, fingerprint in zip(result.member_names, result.fingerprints):
            print(_("Voor: {name} (sleutel met vingerafdruk {fingerprint})").format(name=name, fingerprint=fingerprint))
    return 0


def cmd_list(args) -> int:
    from commissie_app.services import meeting_planning, review_export

    ctx = command_context(args)
    meeting_id = meeting_planning.find_meeting(ctx, args.meeting) if args.meeting else None
    packages = review_export.list_packages(ctx, meeting_id)
    if not packages:
        print(_("Er zijn (nog) geen beoordelingspakketten gemaakt."))
        return 0
    for p in packages:
        lock = _("wachtwoord") if p.passphrase else _("sleutel")
        print(_("{id}  {meeting}  voor {names}  ({lock})").format(
            id=p.id, meeting=p.meeting_label, names=", ".join(p.member_names), lock=lock))
        print("    " + ngettext("gemaakt {day} door {who}; geldig tot en met {until}; {n} retour ingelezen",
                              "gemaakt {day} door {who}; geldig tot en met {until}; {n} retouren ingelezen",
                              p.returns).format(
            day=format_date_nl(review_export.local_day(p.created_at)), who=p.created_by, until=format_date_nl(p.expires_on), n=p.returns))
        if p.revoked:
            print("    " + _("INGETROKKEN op {day} door {who}: {reason}").format(
                day=format_date_nl(review_export.local_day(p.revoked_at)), who=p.revoked_by, reason=p.revoke_reason))
    return 0


def cmd_revoke(args) -> int:
    from commissie_app.services import review_export

    ctx = command_context(args)
    info = review_export.revoke_package(ctx, review_export.find_package(ctx, args.package), args.reden)
    print(_("Pakket {id} ({meeting}, voor {names}) is ingetrokken: een retour ervan wordt niet meer ingelezen.")
          .format(id=info.id, meeting=info.meeting_label, names=", ".join(info.member_names)))
    return 0


def cmd_key_register(args) -> int:
    from commissie_app.services import review_export, review_keys

    ctx = command_context(args)
    key = review_keys.register_member_key(ctx, review_export.find_user(ctx, args.user), args.key)
    if key.key is None:
        print(_("De sleutel van {name} is verwijderd.").format(name=key.name))
        return 0
    print(_("Sleutel van {name} geregistreerd. Vingerafdruk: {fingerprint}").format(
        name=key.name, fingerprint=key.fingerprint))
    print(_("Vergelijk deze vingerafdruk met het lid (telefonisch of persoonlijk)."))
    return 0
