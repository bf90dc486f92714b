"""Use case "print an assessment": the PDF of a stored assessment.

Reads the assessment (with the form version it was made with) and the names of the application's
attachments through :mod:`commissie_app.services.assessments`, and hands values to the renderer in
:mod:`commissie_app.documents.assessment_pdf`; nothing is written to the database.
"""

from __future__ import annotations

import uuid

from commissie_app.documents.assessment_pdf import render_assessment_pdf
from commissie_app.services import assessments as svc
from commissie_app.services.context import ServiceContext
from commissie_app.services.letter_settings import get_letter_settings


def assessment_pdf(ctx: ServiceContext, assessment_id: uuid.UUID) -> bytes:
    """The PDF of a stored assessment, with the form version it was made with."""
    a = svc.get_assessment(ctx, assessment_id)
    names = dict(svc.attachment_choices(ctx, a.application_id))
    return render_assessment_pdf(a.form, a.answers, assessor=a.assessor, state=a.state,
                                 advice_label=a.advice.label if a.advice else None, advice_reason=a.advice_reason,
                                 printed_on=ctx.today(), attachment_names=names,
                                 settings=get_letter_settings(ctx))
