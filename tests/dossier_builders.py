"""An application with a PDF attachment and the assessments of three members (issue 13: the meeting dossier)."""

from __future__ import annotations

import io
import uuid

from commissie_app.domain.codes import Criterion, Role
from commissie_app.services import assessments as svc
from commissie_app.services.attachments import add_attachment
from commissie_app.services.context import ServiceContext
from tests.conftest import make_ctx

LONG_NAME = "Maria-Magdalena van Oudshoorn-Bijvoet tot Lindenhorst"
MOTIVATION = ("De stichting laat met jaarverslagen over drie jaar zien dat meer dan dertig procent van de "
              "medewerkers een afstand tot de arbeidsmarkt heeft; de begeleiding is goed georganiseerd en de "
              "gemeente Haarlem bevestigt dit in haar brief. Slotwoord-van-de-motivering.")
ASSESSORS = (
    ("Mo Lid", {"region_established": "ja", "crit_pso30": "ja", "mission_primary": "ja",
                "advice_motivation": MOTIVATION}, True),
    (LONG_NAME, {"region_established": "nee", "crit_pso30": "ja"}, False),
    ("Ria Lid", {"region_established": "ja"}, True),
)


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF saying ``text`` (a real document, as a member would attach it)."""
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def assessed(ctx: ServiceContext, app_id: uuid.UUID, final: bool = True) -> dict[str, ServiceContext]:
    """Attach a PDF certificate to the application and let three members assess it (drafts where
    ``ASSESSORS`` says so); returns the members' contexts by name."""
    att = add_attachment(ctx, app_id, "certificaat-pso.pdf", pdf_with_text("Certificaat PSO 30+ trede 2"),
                         Criterion.PSO30)
    members = {}
    for name, answers, done in ASSESSORS:
        member = make_ctx(ctx.db, name, Role.MEMBER)
        members[name] = member
        a = svc.get_or_create_assessment(member, app_id)
        values = dict(answers)
        if values.get("crit_pso30") == "ja":
            values["crit_pso30_evidence"] = str(att)
        if done and final and "advice_motivation" in values:
            values.update({"crit_code_so": "nee", "crit_se_nl": "nee", "crit_non_profit": "nee", "crit_bcorp": "nee",
                           "crit_startup": "nee", "impact_domains": ["work"], "impact_evidence": "Banen.",
                           "member_advice": "toekennen", "region_municipality": "Haarlem"})
            svc.save_answers(member, a.id, values, a.version, final=True)
        else:
            svc.save_answers(member, a.id, values, a.version)
    return members
