"""``commissie-app report YEAR [--pdf FILE] [--xlsx FILE]``: the annual report of a year (issue 15); without a
file it prints the summary."""

from __future__ import annotations

from pathlib import Path

from commissie_app.cli_context import command_context
from commissie_app.i18n import _


def cmd_report(args) -> int:
    from commissie_app.domain.annual_report import summary
    from commissie_app.services.annual_report import annual_report
    from commissie_app.services.annual_report_files import check_suffix, write_pdf, write_xlsx

    for name, suffix in ((args.pdf, ".pdf"), (args.xlsx, ".xlsx")):
        if name:
            check_suffix(Path(name), suffix)
    ctx = command_context(args)
    report = annual_report(ctx, args.year)
    print(summary(report))
    if args.pdf:
        write_pdf(ctx, report, Path(args.pdf))
        print(_("Jaarverslag geschreven naar {file}.").format(file=args.pdf))
    if args.xlsx:
        write_xlsx(report, Path(args.xlsx))
        print(_("Cijfers geschreven naar {file}.").format(file=args.xlsx))
    return 0


def register(add) -> None:
    """Adds ``report`` to the command-line parser (``commissie_app.cli.COMMAND_MODULES``)."""
    sp = add("report", cmd_report, _("het jaarverslag van een jaar: PDF met grafieken en/of XLSX met de cijfers"))
    sp.add_argument("year", metavar="JAAR", type=int, help=_("het jaar, bijvoorbeeld 2026"))
    sp.add_argument("--pdf", metavar="FILE", help=_("schrijf het jaarverslag als PDF naar FILE.pdf"))
    sp.add_argument("--xlsx", metavar="FILE", help=_("schrijf de cijfers achter elke grafiek en tabel naar FILE.xlsx"))
