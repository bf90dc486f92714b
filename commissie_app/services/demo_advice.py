"""The demo's advice to the Coördinatieteam and its developments log (issue 15), fictitious like the rest.

Three advice: one asked, adopted in the first closed meeting, sent and answered; one unasked, adopted in the
second closed meeting and sent (no response yet); one unasked in preparation (on the planned meeting's
agenda). Three developments: before the first meeting, between the two, and after the second (on the planned
meeting's agenda). ``demo_meetings`` calls ``adopt_in_meeting`` while each closed meeting is open.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from commissie_app.domain.advice import ADVICE_ITEM, AdviceData, DevelopmentData
from commissie_app.domain.meetings import ItemKind
from commissie_app.i18n import _
from commissie_app.services import advice, developments, meeting_detail
from commissie_app.services.context import ServiceContext

ASKED_BY = "M. de Wit, Coördinatieteam (demo)"


def _on(ctx: ServiceContext, day: dt.date) -> ServiceContext:
    return dataclasses.replace(ctx, today=lambda d=day: d)


def _demo_advice() -> list[AdviceData]:
    return [
        AdviceData(_("Herbeoordeling van erkenningen na twee jaar"), True, _(
            "De commissie adviseert erkenningen na twee jaar opnieuw te beoordelen, met het actuele bewijs van het "
            "criterium (register, lidmaatschap of certificaat).\n\nZo blijft de SROI-pagina van KIP actueel en "
            "weten inkopers dat de erkende sociaal ondernemers nog aan de criteria voldoen."), ASKED_BY),
        AdviceData(_("Criteria duidelijker uitleggen op de SROI-pagina van KIP"), False, _(
            "De commissie adviseert de zes criteria op de SROI-pagina van KIP in gewone taal uit te leggen:\n"
            "- per criterium een voorbeeld;\n- welk bewijsstuk bij de aanvraag hoort;\n"
            "- dat een start-up of zzp'er eerst voorwaardelijk wordt erkend.\n\n"
            "Dan komen er minder onvolledige aanvragen binnen.")),
    ]


def adopt_in_meeting(ctx: ServiceContext, meeting_id: uuid.UUID, n: int) -> None:
    """The demo's advice number ``n`` (0, 1), recorded and adopted at the advice item of this opened meeting
    (``ctx`` acts on the meeting's day); sent two days later, the first answered three weeks later."""
    day = ctx.today()
    data = _demo_advice()[n]
    if data.asked:
        data = dataclasses.replace(data, asked_on=day - dt.timedelta(days=30))
    aid = advice.add_advice(_on(ctx, day - dt.timedelta(days=21)), data)
    item = next(i for i in meeting_detail.get_meeting(ctx, meeting_id).items
                if i.kind is ItemKind.STANDARD and i.title == ADVICE_ITEM)
    advice.adopt_advice(ctx, aid, item.id, expected_version=1)
    sent = day + dt.timedelta(days=2)
    advice.mark_sent(_on(ctx, sent), aid, sent, expected_version=2)
    if n == 0:
        answered = day + dt.timedelta(days=21)
        advice.record_response(_on(ctx, answered), aid, _(
            "Het Coördinatieteam neemt het advies over: vanaf volgend jaar worden erkenningen na twee jaar opnieuw "
            "beoordeeld. Het secretariaat past de regeling aan."), answered, expected_version=3)


def create_demo_advice(ctx: ServiceContext) -> None:
    """The advice in preparation and the developments log, around the two meetings that adopted advice (after
    the meetings were made)."""
    today = ctx.today()
    first_meeting, second_meeting = sorted(a.adopted_on for a in advice.list_advice(ctx) if a.adopted_on)[:2]
    advice.add_advice(_on(ctx, today - dt.timedelta(days=6)), AdviceData(
        _("Begeleiding van start-ups na de voorwaardelijke erkenning"), False, _(
            "De commissie adviseert start-ups en zzp'ers met een voorwaardelijke erkenning een half jaar voor hun "
            "termijn te wijzen op de criteria die zij daarna nodig hebben.")))
    for day, topic, link, note in (
        (first_meeting - dt.timedelta(days=20), _("KIP telt 53 bedrijven, waarvan 40 met de SROI-badge"),
         "https://kennemerinkoopplatform.nl/", _("Cijfers van het Coördinatieteam (demo).")),
        (second_meeting - dt.timedelta(days=25), _("Evaluatie van het Actieprogramma Impact Ondernemen gestart"),
         "https://gemeentebestuur.haarlem.nl/bestuurlijke-stukken/20200246333-1-Actieprogramma-Impact-Ondernemen.pdf",
         _("De gemeente Haarlem evalueert het actieprogramma 2020-2024; de commissie wordt om input gevraagd.")),
        (min(today, second_meeting + dt.timedelta(days=10)), _("Social Enterprise NL verandert de ledencriteria"),
         "https://www.social-enterprise.nl/", _("Nagaan of het criterium ‘lid van Social Enterprise NL’ nog past.")),
    ):
        developments.add_development(_on(ctx, day), DevelopmentData(day, topic, link, note))
