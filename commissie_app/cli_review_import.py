"""``commissie-app review import FILE... [--kies database|pakket]``: read members' return packages.

Each file gets its own lines: refused (with the Dutch reason), already imported, or what happened to each
item. A file with a conflict (changed on both sides) is imported only with ``--kies``; without it the
conflicts are listed and nothing of that file is written. Exit code 0: all done; 1: a file was refused;
2: a file waits for a choice.
"""

from __future__ import annotations

from pathlib import Path

from commissie_app.cli_context import command_context
from commissie_app.domain.dates import format_date_nl
from commissie_app.i18n import _, ngettext


def _when(at) -> str:
    from commissie_app.services.meeting_record import AMSTERDAM

    if at is None:
        return "—"
    local = at.astimezone(AMSTERDAM)
    return f"{format_date_nl(local.date())} {local:%H:%M}"


def _side(item, side) -> str:
    if item.kind == "note":
        text = " ".join(side.text.split())
        return "“" + (text[:60] + "…" if len(text) > 60 else text) + "”, " + _when(side.at)
    state = _("definitief") if side.state == "final" else _("concept")
    advice = side.advice.label if side.advice else _("geen advies")
    answers = ngettext("{n} antwoord", "{n} antwoorden", len(side.answers)).format(n=len(side.answers))
    return f"{state}, {answers}, {advice}, {_when(side.at)}"


def conflict_lines(item) -> list[str]:
    from commissie_app.services.review_import_plan import answers_differ

    lines = [_("  conflict: {kind} van {title}").format(kind=item.kind_label, title=item.title),
             _("    database: {side}").format(side=_side(item, item.database)),
             _("    pakket:   {side}").format(side=_side(item, item.package))]
    if item.kind == "assessment":
        keys = answers_differ(item.database.answers, item.package.answers)
        if keys:
            more = ngettext(" en {n} andere", " en {n} andere", len(keys) - 5).format(n=len(keys) - 5) \
                if len(keys) > 5 else ""
            lines.append(_("    verschil bij: {keys}").format(keys=", ".join(keys[:5]) + more))
    return lines


def cmd_import(args) -> int:
    from commissie_app.services.review_import import ALREADY_IMPORTED, REFUSED, apply_import, prepare_import

    ctx = command_context(args)
    plan = prepare_import(ctx, [Path(f) for f in args.files])
    choice = getattr(args, "kies", None)
    refused = waiting = False
    for f in plan.files:
        print(f"{f.path}:")
        if f.status == REFUSED:
            refused = True
            print(_("  geweigerd: {reason}").format(reason=f.message.replace("\n", "\n  ")))
        elif f.status == ALREADY_IMPORTED:
            print("  " + f.message)
        else:
            print(_("  retour {sequence} van {member}").format(sequence=f.content.sequence, member=f.member_name))
            for item in f.items:
                if item.outcome.value == "conflict":
                    print("\n".join(conflict_lines(item)))
                else:
                    detail = f" ({item.detail})" if item.detail else ""
                    print(f"  {item.outcome.label}: {item.kind_label} {item.title}{detail}")
            if f.conflicts and choice is None:
                waiting = True
                print(_("  niets ingelezen: kies bij een conflict met --kies database of --kies pakket."))
    todo = [f for f in plan.ready if not f.conflicts or choice is not None]
    if todo:
        report = apply_import(ctx, plan.only(f.path for f in todo),
                              {c.key: choice for f in todo for c in f.conflicts})
        print(_("Ingelezen:"))
        print(report.text())
    return 1 if refused else 2 if waiting else 0
