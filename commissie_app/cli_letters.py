"""Letter command: ``commissie-app letters MEETING --out DIR`` (registered in ``cli.COMMAND_MODULES``);
``letters MEETING --sent-on DATE [--via post|email] [--new-version|--keep-date]`` marks them sent.

Generates the decision letters of a closed meeting headless and writes them to DIR named by kenmerk
(``KIP-2026-001.pdf``; a later version gets ``-v2``). MEETING is a meeting's id or its date
(jjjj-mm-dd). A meeting that is not closed or not found is a DomainError: the front door prints its
Dutch message and exits with status 1.

Order matters: the folder is checked (made, and a file written and removed in it) before anything
is archived; an unchanged unsent letter already in the archive is re-used, so a retry after a failed
write adds no versions; each file is written under a temporary name and renamed when complete, and
an interrupted run says which files are in the folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from commissie_app.cli_context import command_context
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _, ngettext


def check_output_folder(out: Path) -> None:
    """The folder exists (or is made) and a file can be written in it; otherwise a DomainError."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".schrijftest-", suffix=".tmp"):
            pass
    except OSError as e:
        raise DomainError(_("In de map {path} kan niet worden geschreven: {reason}. Er zijn geen brieven gemaakt "
                            "of gearchiveerd; kies een andere map.").format(path=out, reason=e.strerror or e)) from e


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` completely or not at all (temporary name, then rename)."""
    part = path.with_name(path.name + ".part")
    try:
        part.write_bytes(data)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def contact_place() -> str:
    """Where the letterhead's contact is filled in, said on the command line."""
    return _("Vul ze in in de app, op de pagina Instellingen onder ‘Contactpersoon voor de brieven’.")


def cmd_letters(args) -> int:
    from commissie_app.services import meeting_planning

    if not args.out and not args.sent_on:
        raise DomainError(_("Geef met --out MAP aan waar de brieven komen, of met --sent-on DATUM wanneer ze zijn "
                            "verzonden."))
    ctx = command_context(args)
    meeting_id = meeting_planning.find_meeting(ctx, args.meeting)
    if args.out:
        write_letters(ctx, meeting_id, Path(args.out))
    if args.sent_on:
        mark_letters_sent(ctx, meeting_id, args)
    return 0


def mark_letters_sent(ctx, meeting_id, args) -> None:
    """Mark the meeting's latest unsent letters as sent on ``--sent-on``. A letter dated another day is refused
    (nothing marked) unless ``--new-version`` (a new version dated the sending day) or ``--keep-date``."""
    from commissie_app.domain.validation import format_date_nl, parse_date
    from commissie_app.services import letter_archive, letter_generation, letter_sending

    try:
        day = parse_date(args.sent_on)
    except ValueError as e:
        raise DomainError(_("--sent-on {value} is geen datum; schrijf jjjj-mm-dd of dd-mm-jjjj.").format(
            value=args.sent_on)) from e
    letters = [i for i in letter_archive.latest_versions(letter_archive.list_letters(ctx, meeting_id))
               if not i.is_sent]
    if not letters:
        raise DomainError(_("Deze vergadering heeft geen besluitbrieven die nog niet zijn verzonden."))
    notes = [f"{i.kenmerk}: {i.date_mismatch(day)}" for i in letters if i.date_mismatch(day)]
    if notes and not (args.new_version or args.keep_date):
        raise DomainError("\n".join(notes) + "\n" + _(
            "Er is niets gemarkeerd. De datum op een verzonden brief is de verzenddatum: maak met --new-version "
            "een nieuwe versie gedateerd {day}, of markeer met --keep-date de brieven zoals ze zijn.").format(
            day=format_date_nl(day)))
    for note in notes:
        print(note)
    if args.new_version:
        sent = letter_generation.mark_sent_dated(ctx, [i.id for i in letters], day, args.via)
    else:
        letter_sending.mark_all_sent(ctx, [i.id for i in letters], day, args.via)
        sent = letters
    print(_("{n} besluitbrieven gemarkeerd als verzonden op {day}:").format(n=len(sent), day=format_date_nl(day)))
    for info in sent:
        print("  " + _("{kenmerk}  versie {v}  gedateerd {dated}").format(
            kenmerk=info.kenmerk, v=info.letter_version, dated=format_date_nl(info.letter_date)))


def write_letters(ctx, meeting_id, out: Path) -> None:
    """Generate and archive the meeting's letters and write them to ``out``, named by kenmerk."""
    from commissie_app.services import letter_archive, letter_generation

    letter_generation.check_ready(ctx, meeting_id, contact_place())
    check_output_folder(out)
    infos = letter_generation.generate_letters(ctx, meeting_id)
    files = [(info, info.filename) for info in infos]  # each kenmerk checked to be a plain file name
    written: list[str] = []
    for info, name in files:
        try:
            write_file(out / name, letter_archive.letter_pdf(ctx, info.id))
        except (OSError, DomainError) as e:
            reason = (e.strerror or str(e)) if isinstance(e, OSError) else str(e)
            raise DomainError(_(
                "Schrijven naar {path} afgebroken bij {file}: {reason}\n"
                "De brieven zijn gearchiveerd. In de map staan van deze opdracht: {done}; niet geschreven: {todo}. "
                "Herhaal de opdracht als het probleem is verholpen: ongewijzigde brieven krijgen geen nieuwe versie."
            ).format(path=out, file=name, reason=reason, done=", ".join(written) or _("geen"),
                     todo=", ".join(n for _i, n in files[len(written):]))) from e
        written.append(name)
    reused = sum(1 for info in infos if info.reused)
    print(ngettext("{n} besluitbrief geschreven naar {path} ({new} nieuw gearchiveerd, {old} ongewijzigd):",
                   "{n} besluitbrieven geschreven naar {path} ({new} nieuw gearchiveerd, {old} ongewijzigd):",
                   len(infos)).format(
        n=len(infos), path=out, new=len(infos) - reused, old=reused))
    for info, name in files:
        version = _("versie {v}").format(v=info.letter_version)
        if info.reused:
            version += " " + _("(ongewijzigd, al gearchiveerd)")
        print(f"  {name}  {info.decision_type.label}  {info.organisation}  {version}")


def cmd_letter_templates(args) -> int:
    """Check the letter templates, decisions and other letters (syntax, placeholders, bounded trial render);
    exit 1 on a problem."""
    from commissie_app.documents import correspondence
    from commissie_app.documents.letter_content import DecisionType, template_path
    from commissie_app.documents.templating import validate_template
    from commissie_app.domain.correspondence import LetterKind

    failed = 0
    folder = Path(args.dir) if args.dir else None
    paths = [template_path(d, folder) for d in DecisionType] + [correspondence.template_path(k, folder)
                                                                  for k in LetterKind]
    for path in paths:
        try:
            problems = validate_template(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as e:
            problems = [_("het bestand kan niet worden gelezen: {err}").format(err=e)]
        failed += bool(problems)
        print(f"{path}: " + (_("in orde") if not problems else "\n  ".join([_("niet in orde:")] + problems)))
    return 1 if failed else 0


def register(add) -> None:
    sp = add("letters", cmd_letters, _("maak de besluitbrieven van een gesloten vergadering (PDF per kenmerk)"))
    sp.add_argument("meeting", metavar="MEETING", help=_("id of datum (jjjj-mm-dd) van de vergadering"))
    sp.add_argument("--out", metavar="DIR", help=_("map waarin de brieven worden geschreven"))
    sp.add_argument("--sent-on", metavar="DATUM",
                    help=_("markeer de brieven die nog niet zijn verzonden als verzonden op DATUM (jjjj-mm-dd)"))
    sp.add_argument("--via", choices=("post", "email"), default="post", help=_("hoe ze zijn verzonden (standaard post)"))
    dated = sp.add_mutually_exclusive_group()
    dated.add_argument("--new-version", action="store_true",
                       help=_("een brief met een andere datum krijgt eerst een nieuwe versie gedateerd DATUM"))
    dated.add_argument("--keep-date", action="store_true",
                       help=_("markeer de brieven zoals ze zijn, ook als ze een andere datum dragen"))
    sp = add("letter-templates", cmd_letter_templates,
             _("controleer de briefsjablonen (opmaak, velden, en een proefbrief binnen tijd- en geheugengrenzen)"))
    sp.add_argument("dir", metavar="DIR", nargs="?", help=_("map met de sjablonen (standaard forms/letters)"))

