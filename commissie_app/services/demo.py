"""Clearly fictional demo data spread over the region and over every status.

The demo commission and its meetings (decisions of every type) follow from
:mod:`commissie_app.services.demo_meetings`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from commissie_app.db.models import Application, Organisation
from commissie_app.domain.addressing import FormOfAddress as F
from commissie_app.domain.codes import Criterion as C
from commissie_app.domain.codes import ImpactDomain as D
from commissie_app.domain.codes import LegalForm as L
from commissie_app.domain.codes import Municipality as M
from commissie_app.domain.codes import Status as S
from commissie_app.domain.commission import add_months
from commissie_app.domain.errors import DomainError
from commissie_app.domain.validation import ApplicationData, EvidenceData, OrganisationData
from commissie_app.i18n import _
from commissie_app.services.applications import change_status, register_application
from commissie_app.services.access import require
from commissie_app.domain.permissions import Action
from commissie_app.services.context import ServiceContext
from commissie_app.services.demo_advice import create_demo_advice
from commissie_app.services.demo_meetings import create_demo_meetings
from commissie_app.services.letter_settings import demo_letterhead, get_letter_settings, set_letter_settings
from commissie_app.services.uow import UnitOfWork

# (name, kvk, legal form, municipality, street, postcode, place, contact, founded, domains, criteria, status, days ago)
# 90000004-7, 90000012 and 90000013 are left 'compleet' here: the demo meetings (demo_meetings.py) decide or schedule them.
DEMO = [
    ("Fietsatelier De Spaak (demo)", "90000001", L.STICHTING, M.HAARLEM, "Voorbeeldstraat 1", "2011 AA", "Haarlem",
     "Anna de Vries", dt.date(2015, 3, 1), (D.WORK,), (C.NON_PROFIT,), S.RECEIVED, 3),
    ("Kringloop Kennemerland Voorbeeld BV (demo)", "90000002", L.BV, M.VELSEN, "Proefweg 12", "1971 AB", "IJmuiden",
     "Bram Jansen", dt.date(2012, 9, 15), (D.SUSTAINABILITY, D.WORK), (C.PSO30,), S.IN_PROGRESS, 20),
    ("Duinzorg Thuishulp Coöperatie (demo)", "90000003", L.COOPERATIE, M.ZANDVOORT, "Teststraat 3", "2041 AC",
     "Zandvoort", "Carla Bakker", dt.date(2019, 1, 10), (D.CARE,), (C.CODE_SO,), S.INFO_REQUESTED, 35),
    ("Buurtkeuken Het Fictieve Fornuis (demo)", "90000004", L.STICHTING, M.HEEMSTEDE, "Oefenlaan 4", "2101 AD",
     "Heemstede", "Dirk Visser", dt.date(2017, 5, 20), (D.COHESION, D.WORK), (C.NON_PROFIT, C.SE_NL), S.COMPLETE, 50),
    ("Groenwerk Bloemendaal Voorbeeld (demo)", "90000005", L.BV, M.BLOEMENDAAL, "Proeflaan 5", "2061 AE",
     "Bloemendaal", "Eva Smit", dt.date(2010, 11, 2), (D.SUSTAINABILITY,), (C.BCORP,), S.COMPLETE, 200),
    ("Staalstart IJmond Leerbedrijf (demo)", "90000006", L.BV, M.BEVERWIJK, "Werkplaats 6", "1941 AF",
     "Beverwijk", "Frank de Boer", dt.date(2008, 6, 30), (D.WORK,), (C.PSO30, C.SE_NL), S.COMPLETE, 210),
    ("Zorgboerderij De Verzonnen Hoeve (demo)", "90000007", L.MAATSCHAP, M.HEEMSKERK, "Akkerweg 7", "1961 AG",
     "Heemskerk", "Greet Mulder", dt.date(2014, 4, 1), (D.CARE, D.COHESION), (C.CODE_SO,), S.COMPLETE, 230),
    ("Startup Circulair Textiel Haarlem (demo)", "90000008", L.EENMANSZAAK, M.HAARLEM, "Naaldstraat 8", "2012 AH",
     "Haarlem", "Hassan El Amrani", dt.date(2025, 8, 1), (D.SUSTAINABILITY,), (C.STARTUP,), S.IN_PROGRESS, 10),
    ("Taalcafé Voorbeeldwijk (demo)", "90000009", L.VERENIGING, M.HAARLEM, "Woordenweg 9", "2013 AJ", "Haarlem",
     "Ineke Hoekstra", dt.date(2011, 2, 14), (D.COHESION,), (C.NON_PROFIT,), S.WITHDRAWN, 90),
    ("Schoonmaak met Kansen VOF (demo)", "90000010", L.VOF, M.VELSEN, "Emmerstraat 10", "1972 AK", "IJmuiden",
     "Jeroen Kok", dt.date(2016, 10, 5), (D.WORK,), (C.SE_NL,), S.RECEIVED, 1),
    ("Koffiebranderij Tweede Kans (demo)", "90000011", L.BV, M.HEEMSTEDE, "Bonenlaan 11", "2102 AL", "Heemstede",
     "Karin Peters", dt.date(2018, 3, 3), (D.WORK,), (C.CODE_SO, C.BCORP), S.COMPLETE, 40),
    ("Zzp Duurzaam Advies Zandvoort (demo)", "90000012", L.EENMANSZAAK, M.ZANDVOORT, "Strandweg 12", "2042 AM",
     "Zandvoort", "Lotte van Dijk", dt.date(2025, 2, 1), (D.SUSTAINABILITY,), (C.STARTUP,), S.COMPLETE, 190),
    ("Wasserette Werkkans (demo)", "90000013", L.BV, M.HAARLEM, "Zeepstraat 13", "2014 AN", "Haarlem",
     "Mila Jacobs", dt.date(2013, 7, 1), (D.WORK,), (C.BCORP,), S.COMPLETE, 220),
]
#: The startups' founding dates, in months before their application (instead of the dates above).
STARTUP_AGE_MONTHS = {"90000008": 8, "90000012": 14}
#: Certificates that end sooner than the others (days from today): the laundry's B Corp certificate ends within
#: the reminder period, so its badge (capped by it) is due for renewal; the green-space company's B Corp
#: certificate ran out before the first demo meeting, which defers its application until the renewed one arrives
#: (demo_meetings.py).
CERTIFICATE_DAYS = {("90000013", C.BCORP): 60, ("90000005", C.BCORP): -120}
#: The most days between two steps of an application's status: the applications the demo meetings decide are
#: 'compleet' well before the first of those meetings is planned (about 120 days before today).
MAX_STEP_DAYS = 14

# The path each status is reached by, from 'ontvangen'.
PATHS = {
    S.RECEIVED: [],
    S.IN_PROGRESS: [S.IN_PROGRESS],
    S.INFO_REQUESTED: [S.IN_PROGRESS, S.INFO_REQUESTED],
    S.COMPLETE: [S.IN_PROGRESS, S.COMPLETE],
    S.SCHEDULED: [S.IN_PROGRESS, S.COMPLETE, S.SCHEDULED],
    S.DECIDED: [S.IN_PROGRESS, S.COMPLETE, S.SCHEDULED, S.DECIDED],
    S.WITHDRAWN: [S.IN_PROGRESS, S.WITHDRAWN],
}

DEMO_ACTIONS = (Action.REGISTER_APPLICATION, Action.CHANGE_STATUS, Action.MANAGE_COMMISSION, Action.PLAN_MEETING,
                Action.RECORD_ATTENDANCE, Action.RECORD_VOTES, Action.RECORD_DECISION, Action.CLOSE_MEETING,
                Action.MAKE_LETTERS, Action.EDIT_SETTINGS, Action.RECORD_ADVICE)

#: How the demo letters address each contact person (issue 14; letterhead: ``letter_settings.demo_contact``).
FORMS_OF_ADDRESS = {"90000001": F.MRS, "90000002": F.MR, "90000003": F.MRS, "90000004": F.MR, "90000005": F.MRS,
                    "90000006": F.MR, "90000007": F.MRS, "90000008": F.MR, "90000009": F.MRS, "90000010": F.MR,
                    "90000011": F.MRS, "90000012": F.NEUTRAL, "90000013": F.MRS}


def _certificate_end(kvk: str, criterion: C, today: dt.date) -> dt.date | None:
    if (kvk, criterion) in CERTIFICATE_DAYS:
        return today + dt.timedelta(days=CERTIFICATE_DAYS[kvk, criterion])
    return add_months(today, 24) if criterion in (C.PSO30, C.BCORP) else None


def is_empty(ctx: ServiceContext) -> bool:
    with UnitOfWork(ctx) as uow:
        return uow.session.scalar(select(func.count()).select_from(Organisation)) == 0


def create_demo_data(ctx: ServiceContext) -> int:
    """Fill an empty database; returns the number of applications made."""
    for action in DEMO_ACTIONS:  # all or nothing: not half the demo when a later step would be refused
        require(ctx, action)
    if not is_empty(ctx):
        raise DomainError(_("De database bevat al gegevens; demodata kan alleen in een lege database."))
    today = ctx.today()
    with UnitOfWork(ctx) as uow:  # one transaction: the services below join it
        for i, (name, kvk, form, mun, street, pc, place, contact, founded, domains, crits, status, ago) in enumerate(DEMO):
            received = today - dt.timedelta(days=ago)
            if kvk in STARTUP_AGE_MONTHS:  # a startup stays one, whatever day the demo is made
                founded = add_months(received, -STARTUP_AGE_MONTHS[kvk])
            org = OrganisationData(
                name=name, kvk=kvk, legal_form=form, municipality=mun, street=street, postcode=pc, place=place,
                contact_person=contact, email=f"info@demo{i + 1}.example.nl", phone=f"023 555 00{i + 10:02d}",
                website=f"www.demo{i + 1}.example.nl", founded_on=founded,
                mission=_("Fictieve organisatie voor demonstratie: werkt aan {d}.").format(
                    d=", ".join(x.label for x in domains)),
                impact_domains=domains, contact_salutation=FORMS_OF_ADDRESS.get(kvk, F.NEUTRAL),
            )
            app = ApplicationData(
                received_on=received,
                evidence=tuple(EvidenceData(c, reference=f"DEMO-{c.value}-{i + 1:03d}",
                                            valid_until=_certificate_end(kvk, c, today)) for c in crits),
                notes=_("Demo-aanvraag; geen echte organisatie."),
            )
            app_id = register_application(ctx, org, app)
            step_day = received
            for target in PATHS[status]:
                step_day = min(step_day + dt.timedelta(days=max(1, min(ago // 5, MAX_STEP_DAYS))), today)
                kwargs = {}
                if target is S.INFO_REQUESTED:
                    kwargs = {"info_requested": _("Een recent uittreksel of het registratienummer als bewijs voor "
                                                  "het criterium {c}").format(c=crits[0].prose),
                              "info_due_on": today + dt.timedelta(days=14)}
                change_status(ctx, app_id, target, on_date=step_day, manual=False, **kwargs)
        set_letter_settings(ctx, demo_letterhead(get_letter_settings(ctx), ctx.actor.name))  # the secretary
        create_demo_meetings(ctx)
        create_demo_advice(ctx)  # issue 15
        uow.commit()
        return uow.session.scalar(select(func.count()).select_from(Application))

