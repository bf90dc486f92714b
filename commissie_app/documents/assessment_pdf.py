"""An assessment as PDF: every visible question with its answer, the advice and its reason.

The form id and version are printed on every page (the footer, with "pagina X van Y"), so a printed
assessment always says with which version of the form it was made; page 1 has the commission's letterhead,
later pages the running head, as every document (``page_style``). The use case that reads a stored assessment is
:func:`commissie_app.services.assessment_documents.assessment_pdf`.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from commissie_app.documents.fonts import BOLD, REGULAR, register_fonts
from commissie_app.documents.letter_content import LetterSettings
from commissie_app.documents.page_style import DocumentPages, build_document
from commissie_app.domain.form_advice import display_answer, visible_questions
from commissie_app.domain.form_model import Form
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def render_assessment_pdf(form: Form, answers: dict, *, assessor: str, state: str, advice_label: str | None,
                          advice_reason: str, application_title: str = "", printed_on: dt.date | None = None,
                          attachment_names: dict[str, str] | None = None,
                          settings: LetterSettings | None = None) -> bytes:
    """The PDF bytes of one assessment made with ``form`` (the version it was made with), on the letterhead
    ``settings`` (the commission's, as stored in the database) like every other document."""
    settings = settings or LetterSettings()
    register_fonts()
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=10, leading=13)
    title = ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=15, leading=19, spaceAfter=4)
    section = ParagraphStyle("section", parent=base, fontName=BOLD, fontSize=12, leading=15, spaceBefore=10,
                             spaceAfter=4)
    question = ParagraphStyle("question", parent=base, fontName=BOLD, spaceBefore=4)
    answer = ParagraphStyle("answer", parent=base, leftIndent=8, textColor=colors.HexColor("#222222"))
    names = attachment_names or {}

    footer = _("Formulier {form}, versie {version}").format(form=form.form_id, version=form.version)

    story = [_p(form.title, title)]
    meta = [footer, _("Beoordelaar: {who}").format(who=assessor),
            _("Status: {state}").format(state=_("definitief") if state == "final" else _("concept"))]
    if application_title:
        meta.insert(0, _("Aanvraag: {app}").format(app=application_title))
    if printed_on:
        meta.append(_("Afgedrukt op {date}").format(date=format_date_nl(printed_on)))
    story.append(_p("\n".join(meta), base))
    visible = {q.key for q in visible_questions(form, answers)}
    for sec in form.sections:
        qs = [q for q in sec.questions if q.key in visible]
        if not qs:
            continue
        story.append(_p(sec.title, section))
        for q in qs:
            value = answers.get(q.key)
            text = names.get(value, value) if q.type.value == "evidence" and value else display_answer(q, value)
            story.append(KeepTogether([_p(q.label, question), _p(str(text), answer)]))
    story.append(Spacer(1, 8))
    story.append(_p(_("Voorgesteld advies: {outcome}").format(outcome=advice_label or _("(nog geen)")), section))
    if advice_reason:
        story.append(_p(advice_reason, base))
    # the form and its version in the footer of every page, with "pagina X van Y"
    return build_document(story, DocumentPages(settings, footer), title=form.title, subject=footer, author=assessor)
