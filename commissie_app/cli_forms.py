"""``commissie-app forms validate FILE...``: check assessment form files without a database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commissie_app.cli_context import command_context
from commissie_app.i18n import _, ngettext


def cmd_forms_validate(args) -> int:
    from commissie_app.domain.form_loader import load_form
    from commissie_app.domain.form_reader import FormDefinitionError

    failed = 0
    for name in args.files:
        try:
            form = load_form(name)
        except FormDefinitionError as e:
            failed += 1
            for problem in e.problems:
                print(str(problem))
            continue
        n = len(form.questions)
        print(_("{file}: in orde ({form} versie {version}, {questions}, {rules})").format(
            file=name, form=form.form_id, version=form.version,
            questions=ngettext("{n} vraag", "{n} vragen", n).format(n=n),
            rules=ngettext("{n} adviesregel", "{n} adviesregels", len(form.rules)).format(n=len(form.rules)),
        ))
    if failed:
        print(ngettext("{n} bestand is niet in orde.", "{n} bestanden zijn niet in orde.", failed).format(n=failed),
              file=sys.stderr)
        return 1
    return 0


def cmd_forms_adopt(args) -> int:
    from commissie_app.services.assessments import adopt_form, list_forms

    ctx = command_context(args)
    form_id = adopt_form(ctx, Path(args.file))
    row = next(r for r in list_forms(ctx) if r.id == form_id)
    print(_("Vastgesteld: {form} versie {version} ({title}), inhoud {hash}").format(
        form=row.form_key, version=row.version, title=row.title, hash=row.content_hash[:12]))
    return 0


def cmd_forms_list(args) -> int:
    from commissie_app.services.assessments import list_forms

    for row in list_forms(command_context(args)):
        print(f"{row.form_key}\t{row.version}\t{row.adopted_on.isoformat()}\t{row.content_hash[:12]}\t{row.title}")
    return 0


def register(add) -> None:
    """Adds ``forms validate`` to the command-line parser (see ``commissie_app.cli.COMMAND_MODULES``)."""
    forms = add("forms", _forms_usage, _("beoordelingsformulieren (bestanden in forms/assessment)"))
    sub = forms.add_subparsers(dest="forms_command", required=True, metavar="ACTIE")
    sp = sub.add_parser("validate", help=_("controleer formulierbestanden; toont elk probleem met plaats en reden"))
    sp.add_argument("files", metavar="FILE", nargs="+", help=_("een formulierbestand (.toml)"))
    sp.set_defaults(func=cmd_forms_validate)
    sp = sub.add_parser("adopt", help=_("stel een formulierversie vast in de database (ongewijzigd opnieuw: geen effect)"))
    sp.add_argument("file", metavar="FILE", help=_("een formulierbestand (.toml)"))
    sp.set_defaults(func=cmd_forms_adopt)
    sp = sub.add_parser("list", help=_("toon de vastgestelde formulierversies"))
    sp.set_defaults(func=cmd_forms_list)


def _forms_usage(args: argparse.Namespace) -> int:  # pragma: no cover - argparse requires the sub-command
    return 2
