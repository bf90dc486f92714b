"""Benchmark: decision letters rendered by the app vs. plain reportlab with the same text.

    .venv/bin/python bench/bench_letters.py [--letters 100] [--rounds 5] [--json]

The app renders N letters (the four decision types in turn) with render_letter(): template,
letterhead, window address, reference block, signature block, page numbers. The baseline renders
the same paragraphs (already produced by the template, outside the timing) with a minimal
SimpleDocTemplate in the same process and with the same embedded fonts. Each side is timed
``--rounds`` times; the best round counts. Target: ratio app / baseline <= 1.3.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer  # noqa: E402

from commissie_app.documents import fonts  # noqa: E402
from commissie_app.documents.letter_content import (  # noqa: E402
    DecisionType,
    LetterData,
    LetterSettings,
    compose_letter,
)
from commissie_app.documents.letter_parts import block_flowables, styles  # noqa: E402
from commissie_app.documents.letters import render_letter  # noqa: E402
from commissie_app.domain.codes import Criterion  # noqa: E402

TARGET = 1.3
SETTINGS = LetterSettings(
    organisation_lines=("Kennemer Inkoop Platform", "Zuid-Kennemerland en IJmond"),
    address_lines=("Postbus 511", "2003 PB Haarlem"),
    phone="023 511 51 15",
    email="commissie@kennemerinkoopplatform.nl",
    website="kennemerinkoopplatform.nl",
    contact_name="Noor Bakker",
    contact_phone="023 511 51 16",
    contact_email="noor.bakker@kennemerinkoopplatform.nl",
)
MOTIVATION = (
    "De coöperatie heeft met een uittreksel uit het register aangetoond dat zij aan het criterium voldoet. "
    "De commissie heeft de stukken geëvalueerd en ziet geen ‘twijfel’ over de “maatschappelijke missie”; "
    "van de omzet (€ 250.000) gaat het grootste deel naar leerwerkplekken.\n\n"
    "Daarnaast heeft de commissie gelet op de samenwerking met de gemeenten in de regio."
)


def letters(n: int) -> list[LetterData]:
    types = list(DecisionType)
    out = []
    for i in range(n):
        d = types[i % len(types)]
        conditional = d is DecisionType.CONDITIONALLY_GRANTED
        out.append(
            LetterData(
                kenmerk=f"KIP-2026-{i + 1:03}",
                letter_date=dt.date(2026, 11, 23),
                decision=d,
                organisation_name=f"Coöperatie Fietswerk {i + 1} U.A.",
                contact_person="Sanne de Wit",
                street=f"Grote Markt {i + 1}",
                postcode="2011 RD",
                place="Haarlem",
                criteria=(Criterion.STARTUP,) if conditional else (Criterion.CODE_SO, Criterion.SE_NL),
                motivation=MOTIVATION,
                meeting_date=dt.date(2026, 11, 12),
                chair_name="Pieter van Dijk",
                secretary_name="Noor Bakker",
                badge_valid_from=dt.date(2026, 12, 1),
                badge_valid_until=dt.date(2028, 11, 30),
                conditional_deadline=dt.date(2027, 11, 30) if conditional else None,
                received_on=dt.date(2026, 6, 3),
                kvk=f"{40000000 + i:08}",
                deferral_request="Het actuele certificaat PSO 30+." if d is DecisionType.DEFERRED else "",
                answer_by=dt.date(2026, 12, 24) if d is DecisionType.DEFERRED else None,
            )
        )
    return out


def render_plain(content, data: LetterData) -> bytes:
    """The same paragraphs without the app: a minimal SimpleDocTemplate, same fonts and styles."""
    st = styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, initialFontName=fonts.REGULAR)
    story = [Paragraph(content.subject, st.heading)]
    story += block_flowables(content.blocks, st)
    story += [
        Paragraph("Met vriendelijke groet,", st.signature),
        Spacer(1, 16 * mm),
        Paragraph(f"{data.chair_name}, voorzitter", st.signature),
        Paragraph(f"{data.secretary_name}, secretaris", st.signature),
    ]
    story += block_flowables(content.appendix, st)  # the privacy note and objection after the signatures
    doc.build(story)
    return buf.getvalue()


def timed(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - start


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    data = letters(args.letters)
    contents = [(compose_letter(d, SETTINGS), d) for d in data]
    # warm up both (font registration, template compilation, logo, reportlab caches)
    for d in data[:4]:
        render_letter(d, SETTINGS)
    for c, d in contents[:4]:
        render_plain(c, d)

    app_times, plain_times = [], []
    for _ in range(args.rounds):
        app_times.append(timed(lambda d: render_letter(d, SETTINGS), data))
        plain_times.append(timed(lambda cd: render_plain(*cd), contents))
    app, plain = min(app_times), min(plain_times)
    result = {
        "benchmark": "letters",
        "letters": args.letters,
        "rounds": args.rounds,
        "app_seconds": round(app, 4),
        "plain_reportlab_seconds": round(plain, 4),
        "app_ms_per_letter": round(1000 * app / args.letters, 2),
        "plain_ms_per_letter": round(1000 * plain / args.letters, 2),
        "ratio": round(app / plain, 3),
        "target_ratio": TARGET,
        "within_target": app / plain <= TARGET,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{args.letters} letters, best of {args.rounds} rounds")
        print(f"  app (render_letter):     {app:7.3f} s  {result['app_ms_per_letter']:6.2f} ms/letter")
        print(f"  plain reportlab:         {plain:7.3f} s  {result['plain_ms_per_letter']:6.2f} ms/letter")
        print(f"  ratio app / plain:       {result['ratio']:.3f}  (target <= {TARGET})")
    return 0 if result["within_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
