"""Demo commission and meetings: five clearly fictional members, a held (closed) meeting with a
decision of every type but 'ingetrokken', a later one where a conditional recognition becomes a full one and
another is withdrawn (follow-up applications), and a planned meeting with complete applications on its agenda.

Called by ``demo.create_demo_data`` after the applications; everything goes through the meeting services, each step on the
day it would have happened (a context whose ``today`` is that day), so status history, decisions,
kenmerken and audit records are consistent. The base demo data leaves the applications used here
in status 'compleet'.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from sqlalchemy import select

from commissie_app.db.models import Application, Organisation
from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.recognition import Purpose
from commissie_app.domain.validation import EvidenceData
from commissie_app.domain.commission import Seat, add_months
from commissie_app.domain.decision_content import DecisionContent
from commissie_app.domain.meetings import MIN_MEETINGS_PER_YEAR, ItemKind, MeetingStatus
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.i18n import _
from commissie_app.services import (
    applications,
    commission,
    demo_advice,
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_detail,
    meeting_planning,
    meeting_record,
    meeting_votes,
    recognitions,
)
from commissie_app.services.context import ServiceContext
from commissie_app.services.uow import UnitOfWork

# (name, organisation, seat); the business seat's term began more than a year ago (warning shows)
MEMBERS = [
    ("Bea Bedrijfsma", "Voorbeeld Sociaal Ondernemen BV (demo)", Seat.BUSINESS),
    ("Ivo IJmondt", "Gemeente Velsen (demo)", Seat.SROI_IJMOND),
    ("Sanne Spaarnestad", "Gemeente Haarlem, SROI (demo)", Seat.SROI_SOUTH_KENNEMERLAND),
    ("Pieter Proefmans", "Gemeente Haarlem, Impact Ondernemen (demo)", Seat.HAARLEM_IMPACT),
    ("Fatima Fictief", "Gemeente Haarlem, Werk en Inkomen (demo)", Seat.HAARLEM_WORK_INCOME),
]
FORMER_BUSINESS = ("Kees Koopmans", "Oud-bestuurder Voorbeeldbedrijf (demo)")
#: the seat of the demo meetings' chair (Pieter Proefmans); the secretary is the user who makes the demo data
CHAIR_SEAT = Seat.HAARLEM_IMPACT

# KvK numbers of the base demo applications (services/demo.py) used in the meetings
STAALSTART, ZORGBOERDERIJ, ZZP_ADVIES, GROENWERK, BUURTKEUKEN = "90000006", "90000007", "90000012", "90000005", "90000004"
WASSERETTE = "90000013"

#: A B Corp recertification takes months: the deferral gives the green-space company longer than the default six
#: weeks; its renewed certificate arrives a week before the demo's today (``_planned_meeting``), well within this.
DEFERRAL_ANSWER = dt.timedelta(weeks=16)


def standard_minutes() -> dict[str, str]:
    """The minutes of the standard agenda items in the demo meetings, by item title ('Verslag vorige vergadering'
    follows from the meeting before: ``previous_minutes``)."""
    return {
        "Opening": _("De voorzitter opent de vergadering om 14.00 uur en heet iedereen welkom."),
        "Vaststelling agenda": _("De agenda wordt ongewijzigd vastgesteld."),
        "Ontwikkelingen Impact Ondernemen": _("Het Coördinatieteam meldt dat het aantal aanmeldingen op KIP stijgt; "
                                            "de SROI-pagina wordt vaker bezocht."),
        "Advies aan het Coördinatieteam": _("De commissie adviseert de criteria op de website van KIP duidelijker uit "
                                          "te leggen."),
        "Rondvraag": _("Geen vragen."),
        "Sluiting": _("De voorzitter sluit de vergadering om 15.45 uur."),
    }


def previous_minutes(previous: dt.date | None, corrected: bool = False) -> str:
    """'Verslag vorige vergadering': what is said about the minutes of the meeting held on ``previous`` (their
    adoption itself is printed from its record: ``meeting_closing.adopt_previous_minutes``); at the commission's
    first meeting in the demo there are none."""
    if previous is None:
        return _("Er is geen verslag van een vorige vergadering om vast te stellen.")
    if corrected:
        return _("Bij punt 6 van het verslag van {day} is één correctie aangebracht: het leerbedrijf biedt jaarlijks "
                 "vijftien leerwerkplekken, niet twintig.").format(day=format_date_nl(previous))
    return _("Geen opmerkingen bij het verslag van {day}.").format(day=format_date_nl(previous))


def _tuesday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - 1) % 7)


def _on(ctx: ServiceContext, day: dt.date, at: dt.time = dt.time(16, 30)) -> ServiceContext:
    """The same user, acting on ``day`` (at ``at``, Dutch time, where the moment is recorded)."""
    moment = dt.datetime.combine(day, at, tzinfo=meeting_record.AMSTERDAM).astimezone(dt.timezone.utc)
    return dataclasses.replace(ctx, today=lambda d=day: d, now=lambda m=moment: m)


def _app_ids(ctx: ServiceContext, *kvks: str) -> list[uuid.UUID]:
    with UnitOfWork(ctx) as uow:
        found = dict(uow.session.execute(
            select(Organisation.kvk, Application.id).join(Application, Application.organisation_id == Organisation.id)
            .where(Organisation.kvk.in_(kvks), Application.status == Status.COMPLETE)).all())
    return [found[k] for k in kvks if k in found]


def _members(ctx: ServiceContext, today: dt.date) -> dict[Seat, uuid.UUID]:
    seated_since = dt.date(today.year - 2, 1, 1)
    business_since = add_months(today, -15)
    ids = {}
    former = commission.add_member(ctx, FORMER_BUSINESS[0], "kees@demo.example.nl", FORMER_BUSINESS[1])
    commission.appoint(ctx, former, Seat.BUSINESS, seated_since, business_since - dt.timedelta(days=1),
                       note=_("Demo: eerste vertegenwoordiger van het bedrijfsleven"))
    for name, organisation, seat in MEMBERS:
        email = name.split()[0].lower() + "@demo.example.nl"
        mid = commission.add_member(ctx, name, email, organisation)
        commission.appoint(ctx, mid, seat, business_since if seat is Seat.BUSINESS else seated_since)
        ids[seat] = mid
    return ids


def _item_ids(ctx: ServiceContext, meeting_id: uuid.UUID) -> tuple[dict[str, uuid.UUID], dict[uuid.UUID, uuid.UUID]]:
    """(standard item title -> id, application id -> item id)"""
    detail = meeting_detail.get_meeting(ctx, meeting_id)
    standard = {i.title: i.id for i in detail.items if i.kind is ItemKind.STANDARD}
    apps = {i.application_id: i.id for i in detail.items if i.kind is ItemKind.APPLICATION}
    return standard, apps


def _write_standard_minutes(ctx: ServiceContext, meeting_id: uuid.UUID, previous_text: str) -> dict[uuid.UUID, uuid.UUID]:
    """The standard items' minutes of a meeting being held; returns its application items (application -> item)."""
    standard, items = _item_ids(ctx, meeting_id)
    texts = standard_minutes() | {"Verslag vorige vergadering": previous_text}
    for title, item_id in standard.items():
        if title in texts:
            meeting_closing.set_item_minutes(ctx, item_id, texts[title])
    return items


def _held_meeting(ctx: ServiceContext, members: dict[Seat, uuid.UUID], day: dt.date,
                  previous: dt.date | None) -> uuid.UUID:
    """The closed meeting: toegekend, voorwaardelijk toegekend, afgewezen and aangehouden; it adopts the minutes of
    the meeting held on ``previous`` (one added to meet twice a year), if any."""
    previous_text, adopt_previous = previous_minutes(previous), previous is not None
    staalstart, zorgboerderij, zzp, groenwerk = _app_ids(ctx, STAALSTART, ZORGBOERDERIJ, ZZP_ADVIES, GROENWERK)
    planning = _on(ctx, day - dt.timedelta(days=21))
    mid = meeting_planning.plan_meeting(planning, dt.datetime.combine(day, dt.time(14, 0)),
                                        place="Raadhuis Velsen, Dudokplein 1, IJmuiden", chair_member_id=members[CHAIR_SEAT])
    meeting_agenda.add_application_items(planning, mid, [staalstart, zzp, zorgboerderij, groenwerk])
    meeting_closing.set_status(_on(ctx, day - dt.timedelta(days=14)), mid, MeetingStatus.AGENDA_SET)

    held = _on(ctx, day, dt.time(15, 45))  # closed when the minutes say: "sluit de vergadering om 15.45 uur"
    meeting_closing.set_status(held, mid, MeetingStatus.OPEN)
    for seat, member in members.items():
        state = Attendance.EXCUSED if seat is Seat.HAARLEM_WORK_INCOME else Attendance.PRESENT
        meeting_attendance.set_attendance(held, mid, member, state)
    present = [m for s, m in members.items() if s is not Seat.HAARLEM_WORK_INCOME]
    if adopt_previous:
        meeting_closing.adopt_previous_minutes(held, mid)
    items = _write_standard_minutes(held, mid, previous_text)
    demo_advice.adopt_in_meeting(held, mid, 0)  # issue 15

    def vote(item_id, choices):
        for member, choice in choices:
            meeting_votes.record_vote(held, item_id, member, choice)

    B, IJ, ZK, HI = (members[s] for s in (Seat.BUSINESS, Seat.SROI_IJMOND, Seat.SROI_SOUTH_KENNEMERLAND,
                                           Seat.HAARLEM_IMPACT))
    # toegekend
    item = items[staalstart]
    meeting_closing.set_item_minutes(held, item, _(
        "Het PSO 30+-certificaat en het lidmaatschap van Social Enterprise NL zijn gecontroleerd. Het "
        "leerbedrijf biedt jaarlijks twintig leerwerkplekken. De commissie is positief."))
    vote(item, [(m, VoteChoice.FOR) for m in present])
    meeting_votes.record_decision(held, item, DecisionType.GRANTED, _(
        "De organisatie is PSO 30+ gecertificeerd en lid van Social Enterprise NL en voldoet daarmee aan twee "
        "criteria voor de erkenning als sociaal ondernemer."), criteria_met=[Criterion.PSO30, Criterion.SE_NL])
    # voorwaardelijk toegekend
    item = items[zzp]
    meeting_closing.set_item_minutes(held, item, _(
        "Zzp'er met een duidelijke maatschappelijke missie (verduurzaming van kleine ondernemers), minder dan "
        "twee jaar actief. De commissie kent voorwaardelijk toe; binnen de termijn moet aan een ander criterium "
        "worden voldaan."))
    vote(item, [(B, VoteChoice.FOR), (IJ, VoteChoice.FOR), (ZK, VoteChoice.ABSTAIN), (HI, VoteChoice.FOR)])
    meeting_votes.record_decision(held, item, DecisionType.CONDITIONAL, _(
        "Startende zzp'er met een maatschappelijke missie; erkend voor de eerste twee jaar, daarna moet aan een "
        "van de andere criteria worden voldaan."), criteria_met=[Criterion.STARTUP],
        content=DecisionContent(conditions=_(
            "Stuur na het eerste jaar een korte rapportage over uw maatschappelijke impact: hoeveel kleine "
            "ondernemers u hielp verduurzamen en met welk resultaat.")))
    # afgewezen, with a conflict of interest
    item = items[zorgboerderij]
    meeting_attendance.declare_conflict(held, item, B, _("Levert als adviseur diensten aan de zorgboerderij"))
    meeting_closing.set_item_minutes(held, item, _(
        "De inschrijving in het register Code Sociale Ondernemingen kon niet worden bevestigd; het register "
        "vermeldt de organisatie niet."))  # the conflict of interest is reported once, from its record
    vote(item, [(IJ, VoteChoice.AGAINST), (ZK, VoteChoice.AGAINST), (HI, VoteChoice.FOR)])
    meeting_votes.record_decision(held, item, DecisionType.REJECTED, _(
        "De organisatie staat niet in het register Code Sociale Ondernemingen en voldoet niet aan een ander "
        "criterium. Een nieuwe aanvraag is welkom zodra de inschrijving rond is."))
    # aangehouden, before a vote: the B Corp certificate ran out before the meeting (demo.CERTIFICATE_DAYS)
    item = items[groenwerk]
    meeting_closing.set_item_minutes(held, item, _(
        "Het B Corp-certificaat is op {day} verlopen; de hercertificering loopt. De commissie houdt de aanvraag "
        "aan tot het nieuwe certificaat er is.").format(day=format_date_nl(_evidence_until(held, groenwerk,
                                                                                           Criterion.BCORP))))
    meeting_votes.record_decision(held, item, DecisionType.DEFERRED, _(
        "Aangehouden tot het vernieuwde B Corp-certificaat is ontvangen; de aanvraag komt op een volgende "
        "vergadering terug."), content=DecisionContent(deferral_request=_(
            "Een kopie van het B Corp-certificaat na de hercertificering die nu loopt, of de bevestiging van B Lab "
            "dat de hercertificering is afgerond."), answer_by=day + DEFERRAL_ANSWER))
    meeting_closing.set_status(held, mid, MeetingStatus.CLOSED)
    return mid


def _adopt_minutes(ctx: ServiceContext, meeting_id: uuid.UUID, adopted_in: uuid.UUID) -> str:
    """At the next meeting (``adopted_in``, open), the held meeting's minutes are corrected once and adopted;
    returns the text for that meeting's 'Verslag vorige vergadering'."""
    detail = meeting_detail.get_meeting(ctx, meeting_id)
    item = next(i.id for i in detail.items if i.application_id and i.title.endswith("Staalstart IJmond Leerbedrijf (demo)"))
    meeting_closing.set_item_minutes(ctx, item, _(
        "Het PSO 30+-certificaat en het lidmaatschap van Social Enterprise NL zijn gecontroleerd. Het "
        "leerbedrijf biedt jaarlijks vijftien leerwerkplekken. De commissie is positief."),
        correction_reason=_("Aantal leerwerkplekken verkeerd genoteerd (vijftien, niet twintig)"))
    meeting_closing.adopt_previous_minutes(ctx, adopted_in)
    return previous_minutes(detail.local_start.date(), corrected=True)


def _evidence_until(ctx: ServiceContext, app_id: uuid.UUID, criterion: Criterion) -> dt.date | None:
    evidence = applications.get_application(ctx, app_id).application.evidence
    return next(e.valid_until for e in evidence if e.criterion is criterion)


def _replace_evidence(ctx: ServiceContext, app_id: uuid.UUID, *evidence: EvidenceData) -> None:
    """The application's evidence with these rows instead of those of the same criteria."""
    detail = applications.get_application(ctx, app_id)
    replaced = {e.criterion for e in evidence}
    rows = tuple(e for e in detail.application.evidence if e.criterion not in replaced) + evidence
    applications.update_application(ctx, app_id, expected_version=detail.version,
                                    expected_organisation_version=detail.organisation_version,
                                    org=detail.organisation, app=dataclasses.replace(detail.application, evidence=rows))


def _follow_up(ctx: ServiceContext, kvk: str, purpose: Purpose, received: dt.date, notes: str,
               evidence: tuple[EvidenceData, ...] = ()) -> uuid.UUID:
    """A follow-up application of the organisation's recognition, brought to 'compleet' through the services;
    ``evidence`` adds rows or replaces those of the same criterion (as the secretary would on receipt)."""
    origin = next(iter(_decided_app_ids(ctx, kvk)))
    on = _on(ctx, received)
    app_id = recognitions.start_follow_up(on, recognitions.recognition_of_application(ctx, origin), purpose,
                                          received_on=received, notes=notes)
    if evidence:
        _replace_evidence(on, app_id, *evidence)
    for n, target in enumerate((Status.IN_PROGRESS, Status.COMPLETE), start=1):
        applications.change_status(_on(ctx, received + dt.timedelta(days=n)), app_id, target, manual=False)
    return app_id


def _decided_app_ids(ctx: ServiceContext, kvk: str) -> list[uuid.UUID]:
    with UnitOfWork(ctx) as uow:
        return list(uow.session.scalars(
            select(Application.id).join(Organisation, Application.organisation_id == Organisation.id)
            .where(Organisation.kvk == kvk, Application.status == Status.DECIDED)))


def _follow_up_meeting(ctx: ServiceContext, members: dict[Seat, uuid.UUID], day: dt.date,
                       previous: uuid.UUID) -> uuid.UUID:
    """The next closed meeting: the startup's owed evidence arrived (its conditional recognition becomes a full
    one); the learning company's PSO 30+ certificate was revoked (a reassessment withdraws its recognition); the
    laundry is recognised on a B Corp certificate that ends soon (its badge ends with it: due for renewal).
    The minutes of the ``previous`` meeting are corrected and adopted at the start."""
    conversion = _follow_up(ctx, ZZP_ADVIES, Purpose.CONVERSION, day - dt.timedelta(days=28), _(
        "De inschrijving in het register Code Sociale Ondernemingen is rond; het bewijs is meegestuurd."),
        (EvidenceData(Criterion.CODE_SO, reference="DEMO-CODE_SO-012-2"),))
    revoked = day - dt.timedelta(days=24)
    reassessment = _follow_up(ctx, STAALSTART, Purpose.REASSESSMENT, revoked, _(
        "De certificerende instelling meldt dat het PSO 30+-certificaat is ingetrokken; de commissie beoordeelt de "
        "erkenning opnieuw."), (EvidenceData(Criterion.PSO30, reference="DEMO-PSO30-006", valid_until=revoked),
                                EvidenceData(Criterion.SE_NL, reference="DEMO-SE_NL-006",
                                             valid_until=revoked - dt.timedelta(days=10))))
    wasserette = _app_ids(ctx, WASSERETTE)[0]
    planning = _on(ctx, day - dt.timedelta(days=21))
    mid = meeting_planning.plan_meeting(planning, dt.datetime.combine(day, dt.time(14, 0)),
                                        place="Stadhuis Haarlem, Grote Markt 2", chair_member_id=members[CHAIR_SEAT])
    meeting_agenda.add_application_items(planning, mid, [conversion, reassessment, wasserette])
    meeting_closing.set_status(_on(ctx, day - dt.timedelta(days=14)), mid, MeetingStatus.AGENDA_SET)
    held = _on(ctx, day, dt.time(15, 45))  # closed when the minutes say: "sluit de vergadering om 15.45 uur"
    meeting_closing.set_status(held, mid, MeetingStatus.OPEN)
    for member in members.values():
        meeting_attendance.set_attendance(held, mid, member, Attendance.PRESENT)
    items = _write_standard_minutes(held, mid, _adopt_minutes(_on(ctx, day, dt.time(14, 10)), previous, mid))
    demo_advice.adopt_in_meeting(held, mid, 1)  # issue 15
    seats = list(members.values())
    meeting_closing.set_item_minutes(held, items[conversion], _(
        "Het uittreksel uit het register Code Sociale Ondernemingen is gecontroleerd; de inschrijving is rond. "
        "Daarmee is aan de voorwaarde van de erkenning voldaan."))
    for member in seats:
        meeting_votes.record_vote(held, items[conversion], member, VoteChoice.FOR)
    meeting_votes.record_decision(held, items[conversion], DecisionType.GRANTED, _(
        "De organisatie staat nu in het register Code Sociale Ondernemingen; de voorwaardelijke erkenning wordt "
        "een volledige erkenning."), criteria_met=[Criterion.CODE_SO])
    meeting_closing.set_item_minutes(held, items[reassessment], _(
        "De certificerende instelling heeft bevestigd dat het PSO 30+-certificaat is ingetrokken; het "
        "lidmaatschap van Social Enterprise NL is eerder beëindigd. Er blijft geen criterium over waarop de "
        "erkenning rust."))
    for member, choice in zip(seats, (VoteChoice.AGAINST,) * 4 + (VoteChoice.ABSTAIN,)):
        meeting_votes.record_vote(held, items[reassessment], member, choice)
    meeting_votes.record_decision(held, items[reassessment], DecisionType.WITHDRAWN, _(
        "Het PSO 30+-certificaat waarop de erkenning mede rustte, is ingetrokken en het lidmaatschap van Social "
        "Enterprise NL is beëindigd. De erkenning wordt ingetrokken."))
    meeting_closing.set_item_minutes(held, items[wasserette], _(
        "Het B Corp-certificaat is gecontroleerd; het loopt af op {day}. De SROI-badge loopt daarom tot die "
        "datum; de secretaris stuurt tijdig een herinnering.").format(
            day=format_date_nl(_evidence_until(held, wasserette, Criterion.BCORP))))
    for member in seats:
        meeting_votes.record_vote(held, items[wasserette], member, VoteChoice.FOR)
    meeting_votes.record_decision(held, items[wasserette], DecisionType.GRANTED, _(
        "De organisatie is B Corp-gecertificeerd en voldoet daarmee aan een criterium voor de erkenning als "
        "sociaal ondernemer. De SROI-badge loopt niet langer dan het certificaat."), criteria_met=[Criterion.BCORP])
    meeting_closing.set_status(held, mid, MeetingStatus.CLOSED)
    return mid


def _planned_meeting(ctx: ServiceContext, chair: uuid.UUID, day: dt.date) -> uuid.UUID:
    """A future meeting with the application that was deferred and one more complete application."""
    renewed = ctx.today() - dt.timedelta(days=7)  # before the agenda is made
    groenwerk = _app_ids(ctx, GROENWERK)[0]
    _replace_evidence(_on(ctx, renewed), groenwerk, EvidenceData(
        Criterion.BCORP, reference="DEMO-BCORP-005-2", valid_until=add_months(renewed, 36)))
    mid = meeting_planning.plan_meeting(ctx, dt.datetime.combine(day, dt.time(14, 0)), place="Stadhuis Haarlem, Grote Markt 2",
                                        video_link="https://vergaderen.demo.example.nl/commissie-sociaal-inkopen",
                                        chair_member_id=chair)
    meeting_agenda.add_application_items(ctx, mid, _app_ids(ctx, GROENWERK, BUURTKEUKEN))
    meeting_agenda.add_free_item(ctx, mid, _("Jaarplanning vergaderingen"))
    return mid


def _filler_days(today: dt.date, taken: set[dt.date]) -> list[dt.date]:
    """The commission meets at least twice a year: the extra meeting days for any demo year with fewer."""
    days = []
    for year in sorted({today.year} | {d.year for d in taken}):
        count = sum(d.year == year for d in taken)
        for month in (3, 6, 9):
            if count >= MIN_MEETINGS_PER_YEAR:
                break
            day = _tuesday_on_or_before(dt.date(year, month, 14))
            if day not in taken:
                days.append(day)
                count += 1
    return days


def _filler_meeting(ctx: ServiceContext, chair: uuid.UUID, day: dt.date) -> None:
    """A meeting without applications: held and closed when its day has passed, else planned."""
    start = dt.datetime.combine(day, dt.time(14, 0))
    if day >= ctx.today():
        meeting_planning.plan_meeting(ctx, start, place="Stadhuis Haarlem, Grote Markt 2", chair_member_id=chair)
        return
    on = _on(ctx, day, dt.time(15, 45))
    mid = meeting_planning.plan_meeting(on, start, place="Stadhuis Haarlem, Grote Markt 2", chair_member_id=chair)
    for target in (MeetingStatus.AGENDA_SET, MeetingStatus.OPEN):
        meeting_closing.set_status(on, mid, target)
    for a in meeting_detail.get_meeting(on, mid).attendees:
        meeting_attendance.set_attendance(on, mid, a.member_id, Attendance.PRESENT)
    meeting_closing.set_status(on, mid, MeetingStatus.CLOSED)


def create_demo_meetings(ctx: ServiceContext) -> None:
    today = ctx.today()
    members = _members(ctx, today)
    held, follow_up, planned = (_tuesday_on_or_before(today + dt.timedelta(days=n)) for n in (-100, -30, 27))
    fillers = _filler_days(today, {held, follow_up, planned})
    for day in fillers:  # first: the minutes of a meeting held before the demo's first one are adopted there
        _filler_meeting(ctx, members[CHAIR_SEAT], day)
    before = [d for d in fillers if d < held]
    first = _held_meeting(ctx, members, held, before[-1] if before else None)
    _follow_up_meeting(ctx, members, follow_up, first)
    _planned_meeting(ctx, members[CHAIR_SEAT], planned)
