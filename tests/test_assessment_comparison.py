"""Issue 13: the comparison of an application's assessments as values and as PDF, and who may see which."""

from __future__ import annotations

import dataclasses
import re

import pypdfium2 as pdfium

from commissie_app.domain.assessment_comparison import NOT_APPLICABLE_MARK, UNANSWERED_MARK, CellState
from commissie_app.domain.codes import Role
from commissie_app.services import assessment_comparison as cmp
from commissie_app.services.applications import register_application
from tests.conftest import make_ctx
from tests.dossier_builders import LONG_NAME, MOTIVATION, assessed
from tests.factories import app_data, org_data

APP_NAME = "Stichting Werkplaats Kennemerland"


def pdf_text(data: bytes) -> str:
    doc = pdfium.PdfDocument(data)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def squeezed(text: str) -> str:
    """Text without line breaks and spaces, to find a passage that was wrapped over several lines."""
    return re.sub(r"\s+", "", text)


def _application(ctx):
    return register_application(ctx, org_data(name=APP_NAME, kvk="76543210"), app_data())


def test_the_comparison_names_the_application_and_shows_unanswered_compactly(ctx):
    """Issue 13: the comparison names the application (organisation, KvK, date received), has a column per
    assessor with the full name, shows an unanswered question as a compact mark (explained), leaves out
    questions that apply to nobody, and marks the question answered differently."""
    app_id = _application(ctx)
    assessed(ctx, app_id)
    c = cmp.comparison(ctx, app_id)
    assert APP_NAME in c.application and "76543210" in c.application and "1 november 2026" in c.application
    assert [a.name for a in c.assessors] == [LONG_NAME, "Mo Lid", "Ria Lid"]
    assert c.disagreements == ["region_established"]
    by_key = {r.key: r for r in c.rows}
    assert "crit_bcorp_evidence" not in by_key  # nobody claims B Corp: no row of "n.v.t." only
    mission = by_key["mission_primary"].cells
    assert [cell.text for cell in mission] == [UNANSWERED_MARK, "ja", UNANSWERED_MARK]
    assert mission[0].state is CellState.UNANSWERED and mission[0].state.explanation == "niet beantwoord"
    assert by_key["region_municipality"].cells[0].text == NOT_APPLICABLE_MARK  # 'nee' to the region: not asked
    assert by_key["crit_pso30_evidence"].cells[1].text == "certificaat-pso.pdf (PSO 30+)"
    assert by_key["advice_motivation"].cells[1].text == MOTIVATION
    assert c.advice_differs and c.hidden == 0


def test_the_comparison_pdf_has_the_application_every_assessor_and_the_reasons_in_full(ctx):
    """Issue 13: 'PDF opslaan': the PDF names the application, every assessor in full (also the long name), each
    advice with its whole reason and the member's long motivation, wrapped but complete, on the letterhead
    with numbered pages."""
    app_id = _application(ctx)
    assessed(ctx, app_id)
    data = cmp.comparison_pdf(ctx, app_id)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    flat = squeezed(text)
    assert "Vergelijking van de beoordelingen" in text and "Commissie Sociaal Inkopen" in text
    assert squeezed(APP_NAME) in flat
    for name in (LONG_NAME, "Mo Lid", "Ria Lid"):
        assert squeezed(name) in flat, name
    for view in cmp.comparison(ctx, app_id).assessors:
        assert squeezed(view.reason) in flat
    assert squeezed(MOTIVATION) in flat  # wrapped in its column, not cut off
    assert "pagina 1 van" in text
    assert "niet beantwoord" in text  # the legend of the compact mark


def test_a_member_sees_only_what_the_rules_allow_and_the_service_enforces_it(ctx):
    """Issue 13: who sees whose assessment follows the rules: the secretary, the chair and an observer see all;
    a member sees their own, and the others' only when the rule share_other_assessments is on, then only
    final ones; the PDF leaves out the same and says how many."""
    app_id = _application(ctx)
    members = assessed(ctx, app_id)
    ria = members["Ria Lid"]
    assert cmp.comparison(ria, app_id).assessors[0].name == "Ria Lid"
    only_own = cmp.comparison(ria, app_id)
    assert [a.name for a in only_own.assessors] == ["Ria Lid"] and only_own.hidden == 2
    text = squeezed(pdf_text(cmp.comparison_pdf(ria, app_id)))
    assert "MoLid" not in text and squeezed(LONG_NAME) not in text and "RiaLid" in text
    assert squeezed("2 beoordelingen van anderen zijn volgens de regels") in text

    sharing = dataclasses.replace(ria, rules=dataclasses.replace(ctx.rules, review_share_assessments=True))
    shared = cmp.comparison(sharing, app_id)
    assert [a.name for a in shared.assessors] == ["Mo Lid", "Ria Lid"]  # Mo's is final, the long name's a draft
    assert shared.hidden == 1

    for role in (Role.OBSERVER, Role.CHAIR):
        other = make_ctx(ctx.db, f"Iemand {role.value}", role)
        assert len(cmp.comparison(other, app_id).assessors) == 3, role
    assert len(cmp.comparison(ctx, app_id).assessors) == 3  # the secretary


def test_six_assessors_print_in_columns_wide_enough_for_whole_words(ctx):
    """Issue 13: five members and the commission's consolidated assessment: the PDF spreads them over tables of
    at most four columns, so names and answers wrap between words, never inside one ('Bedr-ijfsma')."""
    from commissie_app.services import assessments as svc

    app_id = _application(ctx)
    assessed(ctx, app_id)
    for name in ("Bea Bedrijfsma", "Ivo IJmondt"):
        member = make_ctx(ctx.db, name, Role.MEMBER)
        a = svc.get_or_create_assessment(member, app_id)
        svc.save_answers(member, a.id, {"region_established": "onbekend"}, a.version)
    consolidated = svc.get_or_create_assessment(ctx, app_id, svc.CONSOLIDATED)
    svc.save_answers(ctx, consolidated.id, {"region_established": "ja"}, consolidated.version)
    assert len(cmp.comparison(ctx, app_id).assessors) == 6
    data = cmp.comparison_pdf(ctx, app_id)
    for word in ("Bedrijfsma", "IJmondt", "aanhouden", "toekennen", "(geconsolideerd)"):
        assert on_one_line(data, word) >= 2, word  # whole in the table and in the list of advice and reasons


def on_one_line(data: bytes, word: str) -> int:
    """How often ``word`` is printed in ``data`` with all its letters on one line (a word broken inside, over two
    lines, is not found as such)."""
    doc = pdfium.PdfDocument(data)
    try:
        found = 0
        for i in range(len(doc)):
            page = doc[i].get_textpage()
            searcher = page.search(word)
            while (hit := searcher.get_next()) is not None:
                start, count = hit
                tops = [page.get_charbox(start + k)[3] for k in range(count)]
                found += max(tops) - min(tops) <= 4  # letters of one line differ by a point or two (ascenders)
        return found
    finally:
        doc.close()
