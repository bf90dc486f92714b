"""Issue 15: the vooraf-check, driven by the assessment form and the rules adopted in the database, on SQLite and
PostgreSQL: each criterion, the refusals, the startup's conditional path with its deadline, a changed form and
changed rules followed without code changes, the record of advice given, and the application made from it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.policy
import io
from email.parser import BytesParser

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from commissie_app.db.models import AuditEvent
from commissie_app.domain.codes import Criterion, LegalForm, Role
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.form_loader import shipped_form_paths
from commissie_app.domain.permissions import PermissionDeniedError
from commissie_app.domain.precheck import PrecheckOutcome
from commissie_app.domain.validation import format_date_nl
from commissie_app.services import applications, assessments, letter_settings, precheck
from commissie_app.services.rules import adopt_rules
from tests.conftest import TODAY, make_ctx

CRITERIA_QUESTIONS = {
    Criterion.CODE_SO: "crit_code_so", Criterion.SE_NL: "crit_se_nl", Criterion.PSO30: "crit_pso30",
    Criterion.NON_PROFIT: "crit_non_profit", Criterion.BCORP: "crit_bcorp", Criterion.STARTUP: "crit_startup",
}
NONE_MET = {"region_established": "ja", "region_municipality": "Haarlem", "mission_primary": "ja",
            **{key: "nee" for key in CRITERIA_QUESTIONS.values()}}


def answers(*criteria: Criterion, **over) -> dict:
    values = dict(NONE_MET)
    values.update({CRITERIA_QUESTIONS[c]: "ja" for c in criteria})
    values.update(over)
    return values


def test_each_criterion_is_advised_with_the_evidence_the_form_and_rules_name(ctx):
    """Issue 15: with the adopted form v1 and rules, each of the five full criteria advises 'toegekend' and lists
    the evidence to bring (the form's evidence label and help, the rules' [evidence] note)."""
    used = precheck.setup(ctx)
    assert used.municipalities == ("Haarlem", "Bloemendaal", "Heemstede", "Zandvoort", "Velsen", "Heemskerk",
                                   "Beverwijk")
    expected = {
        Criterion.CODE_SO: ("Bewijsstuk registratie Code Sociale Ondernemingen", "registervermelding", "datum van opname"),
        Criterion.SE_NL: ("Bewijsstuk lidmaatschap Social Enterprise NL", "bevestiging van het lidmaatschap",
                          "lidmaatschapsnummer"),
        Criterion.PSO30: ("Bewijsstuk PSO 30+ certificaat", "let op de geldigheidsdatum", "certificaatnummer"),
        Criterion.NON_PROFIT: ("Bewijsstuk stichting / non-profit", "statuten", "niet-winstoogmerk"),
        Criterion.BCORP: ("Bewijsstuk B Corp-certificering", None, "B Corp-certificaat met de geldigheidsdatum"),
    }
    for criterion, (label, help_part, note_part) in expected.items():
        result = used.check(answers(criterion))
        assert result.outcome is PrecheckOutcome.GRANTED, criterion
        assert result.criteria == (criterion,)
        (item,) = result.evidence
        assert item.label == label and item.criterion is criterion
        assert (help_part is None and item.help == "") or help_part in item.help
        assert note_part in item.note
        assert result.deadline is None and "ten minste één erkenningscriterium" in result.reason
    both = used.check(answers(Criterion.PSO30, Criterion.NON_PROFIT))
    assert both.outcome is PrecheckOutcome.GRANTED and both.criteria == (Criterion.PSO30, Criterion.NON_PROFIT)


def test_a_startup_learns_the_conditional_path_and_its_deadline_from_the_rules(ctx):
    """Issue 15: a startup with a social mission founded within the rules' period is advised 'voorwaardelijk
    toegekend' with the deadline the form's rule gives (founding date + grace period of the rules); one founded
    longer ago, or without the mission as main aim, is refused with the form's reason."""
    used = precheck.setup(ctx)
    assert used.rules.startup_max_age_months == 24
    young = used.check(answers(Criterion.STARTUP, startup_founded_on="2025-06-01"))
    assert young.outcome is PrecheckOutcome.CONDITIONAL and young.criteria == (Criterion.STARTUP,)
    assert young.deadline == dt.date(2027, 6, 1)
    assert young.startup_until == dt.date(2027, 5, 31)
    assert "Voorwaardelijke erkenning tot 1 juni 2027" in young.reason
    assert young.evidence[0].label == "Bewijsstuk oprichtingsdatum en missie"
    old = used.check(answers(Criterion.STARTUP, startup_founded_on="2023-06-01"))
    assert old.outcome is PrecheckOutcome.REJECTED and "meer dan 24 maanden geleden" in old.reason
    no_mission = used.check(answers(Criterion.STARTUP, startup_founded_on="2025-06-01", mission_primary="nee"))
    assert no_mission.outcome is PrecheckOutcome.REJECTED and "niet het primaire doel" in no_mission.reason


def test_the_refusals_outside_the_region_and_no_criterion_met(ctx):
    """Issue 15: outside the region is refused at once (the other questions need not be answered); no criterion
    met is refused; before enough is answered the check says so instead of refusing."""
    used = precheck.setup(ctx)
    outside = used.check({"region_established": "nee"})
    assert outside.outcome is PrecheckOutcome.REJECTED
    assert outside.reason == "De organisatie is niet gevestigd in de regio Zuid-Kennemerland/IJmond."
    nothing = used.check(answers())
    assert nothing.outcome is PrecheckOutcome.REJECTED and nothing.evidence == ()
    assert nothing.reason == "De organisatie voldoet aan geen van de criteria voor erkenning."
    empty = used.check({})
    assert empty.outcome is PrecheckOutcome.INCOMPLETE and "Beantwoord nog" in empty.reason
    unknown = used.check(answers(crit_pso30="onbekend"))
    assert unknown.outcome is PrecheckOutcome.UNDECIDED


def _changed_form() -> str:
    """Form v1 as version 2: B Corp no longer grants, another municipality in the region, other PSO 30+ help."""
    text = shipped_form_paths()[-1].read_text(encoding="utf-8")
    changes = [
        ("version = 1", "version = 2"),
        ('    { value = "Beverwijk", label = "Beverwijk" },\n',
         '    { value = "Beverwijk", label = "Beverwijk" },\n    { value = "Uitgeest", label = "Uitgeest" },\n'),
        ('        { all_of = [{ question = "crit_bcorp", equals = "ja" }, '
         '{ question = "crit_bcorp_evidence", answered = true }] },\n', ""),
        ("Het geldige certificaat (let op de geldigheidsdatum).", "Het PSO 30+ certificaat van dit jaar."),
    ]
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return text


def test_an_adopted_form_and_rules_change_the_check_without_code_changes(ctx, tmp_path):
    """Issue 15: adopting form version 2 (a municipality more, B Corp no longer a criterion that grants, other
    evidence help) and rules with a shorter startup period and another evidence note changes the questions, the
    outcome, the deadline and the checklist; a check recorded before keeps the checklist it was given."""
    before = precheck.setup(ctx)
    startup = answers(Criterion.STARTUP, startup_founded_on="2025-06-01")
    earlier = precheck.record_precheck(ctx, precheck.PrecheckInput("Startup BV", startup), before)

    assessments.adopt_form(ctx, _changed_form())
    rules_text = shipped_form_paths()[-1].parents[1].joinpath("rules.toml").read_text(encoding="utf-8")
    rules_text = rules_text.replace("startup_max_age_months = 24", "startup_max_age_months = 12").replace(
        "Het PSO 30+ certificaat met het certificaatnummer", "Het PSO 30+ certificaat (origineel) met het nummer")
    path = tmp_path / "rules.toml"
    path.write_text(rules_text, encoding="utf-8")
    adopt_rules(ctx, path)

    after = precheck.setup(ctx)
    assert after.form.version == 2 and after.rules_version == before.rules_version + 1
    assert "Uitgeest" in after.municipalities
    assert before.check(answers(Criterion.BCORP)).outcome is PrecheckOutcome.GRANTED
    assert after.check(answers(Criterion.BCORP)).outcome is PrecheckOutcome.REJECTED
    pso = after.check(answers(Criterion.PSO30)).evidence[0]
    assert pso.help == "Het PSO 30+ certificaat van dit jaar." and pso.note.startswith("Het PSO 30+ certificaat (origineel)")
    too_old = after.check(startup)  # 17 months before TODAY: a startup under 24 months, no longer under 12
    assert too_old.outcome is PrecheckOutcome.REJECTED and "meer dan 12 maanden" in too_old.reason
    young = after.check(answers(Criterion.STARTUP, startup_founded_on="2026-03-01"))
    assert young.outcome is PrecheckOutcome.CONDITIONAL and young.deadline == dt.date(2027, 3, 1)

    kept = precheck.get_precheck(ctx, earlier).summary
    assert kept.result.outcome is PrecheckOutcome.CONDITIONAL and kept.result.deadline == dt.date(2027, 6, 1)
    assert kept.rules_version == before.rules_version and "versie 1" in kept.form_title


def test_a_check_is_recorded_as_advice_given_and_audited(ctx):
    """Issue 15: the record keeps organisation (prospective), date, who, answers, outcome with reason and deadline,
    the criteria, and the form and rules versions; its creation is in the audit log."""
    pid = precheck.record_precheck(ctx, precheck.PrecheckInput(
        "  Groene  Start ", answers(Criterion.STARTUP, startup_founded_on="01-06-2025"), legal_form=LegalForm.EENMANSZAAK,
        contact_person="Lotte de Wit", email="lotte@example.nl"))
    view = precheck.get_precheck(ctx, pid)
    s = view.summary
    assert (s.organisation_name, s.checked_on, s.checked_by) == ("Groene Start", TODAY, "Sanne Secretaris")
    assert s.legal_form is LegalForm.EENMANSZAAK and s.municipality == "Haarlem"
    assert s.result.outcome is PrecheckOutcome.CONDITIONAL and s.result.deadline == dt.date(2027, 6, 1)
    assert view.answers["startup_founded_on"] == "2025-06-01" and view.answers["crit_startup"] == "ja"
    assert view.organisation_id is None and view.application_id is None
    assert "versie 1" in s.form_title and s.rules_version == 1
    assert [v.summary.organisation_name for v in precheck.list_prechecks(ctx)] == ["Groene Start"]
    with ctx.db.session() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "precheck")).one()
    assert event.action == "create" and event.new_values["outcome"] == "conditional"
    with pytest.raises(ValidationError) as err:
        precheck.record_precheck(ctx, precheck.PrecheckInput(" ", {}, email="geen-adres"))
    assert set(err.value.errors) == {"name", "email"}


def test_the_secretary_and_the_chair_may_record_a_check_a_member_and_an_observer_not(db):
    """Issue 15: permissions per domain/permissions.py: secretary and chair record checks; a member and an observer
    are refused in Dutch (and may still read them)."""
    data = precheck.PrecheckInput("Vraagsteller", answers(Criterion.PSO30))
    for name, role in (("Sanne Secretaris", Role.SECRETARY), ("Vera Voorzitter", Role.CHAIR)):
        assert precheck.record_precheck(make_ctx(db, name, role), data)
    for name, role in (("Lars Lid", Role.MEMBER), ("Wim Waarnemer", Role.OBSERVER)):
        who = make_ctx(db, name, role)
        with pytest.raises(PermissionDeniedError, match="mag u niet een vooraf-check vastleggen"):
            precheck.record_precheck(who, data)
        assert len(precheck.list_prechecks(who)) == 2


def test_the_application_made_from_a_check_has_its_answers(ctx):
    """Issue 15: 'Aanvraag aanmaken' fills the organisation (name, legal form, municipality, contact, founding date)
    and an evidence row per criterion that fits; once registered the check is linked to it, and only once."""
    pid = precheck.record_precheck(ctx, precheck.PrecheckInput(
        "Groene Start", answers(Criterion.PSO30, Criterion.STARTUP, startup_founded_on="2025-06-01",
                                region_municipality="Velsen"),
        legal_form=LegalForm.EENMANSZAAK, contact_person="Lotte de Wit", email="lotte@example.nl"))
    org, app = precheck.application_draft(ctx, pid)
    assert (org.name, org.legal_form.value, org.municipality.value) == ("Groene Start", "eenmanszaak", "Velsen")
    assert (org.contact_person, org.email, org.founded_on) == ("Lotte de Wit", "lotte@example.nl", dt.date(2025, 6, 1))
    assert [e.criterion for e in app.evidence] == [Criterion.PSO30, Criterion.STARTUP]
    assert app.received_on == TODAY and format_date_nl(TODAY) in app.notes and "toegekend" in app.notes
    org = dataclasses.replace(org, kvk="12345678", street="Dorpsstraat 1", postcode="1971 AA", place="IJmuiden")
    app_id = precheck.create_application(ctx, pid, org, app)
    detail = applications.get_application(ctx, app_id)
    assert detail.organisation.name == "Groene Start" and detail.organisation.founded_on == dt.date(2025, 6, 1)
    assert [e.criterion for e in detail.application.evidence] == [Criterion.PSO30, Criterion.STARTUP]
    view = precheck.get_precheck(ctx, pid)
    assert view.application_id == app_id and view.organisation_id == detail.organisation_id
    with pytest.raises(DomainError, match="al een aanvraag gemaakt"):
        precheck.create_application(ctx, pid, org, dataclasses.replace(app, received_on=TODAY - dt.timedelta(days=1)))
    again = precheck.record_precheck(ctx, precheck.PrecheckInput("Groene Start", answers(Criterion.PSO30),
                                                                 organisation_id=detail.organisation_id))
    known, _app = precheck.application_draft(ctx, again)
    assert known.kvk == "12345678" and known.place == "IJmuiden"  # a known organisation as the database has it


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_the_checklist_and_the_email_tell_the_applicant_what_to_bring_and_by_when(ctx):
    """Issue 15: the checklist PDF (letterhead) and the e-mail draft carry the outcome, the evidence per criterion with
    the form's and the rules' texts, the startup's deadlines and how to apply; a refusal has no 'how to apply'; the
    .eml is a draft to the applicant with the PDF attached."""
    letter_settings.set_letter_settings(ctx, dataclasses.replace(
        letter_settings.get_letter_settings(ctx), email="commissie@kip.example", phone="023 511 5115"))
    pid = precheck.record_precheck(ctx, precheck.PrecheckInput(
        "Groene Start", answers(Criterion.STARTUP, startup_founded_on="2025-06-01"), legal_form=LegalForm.EENMANSZAAK,
        contact_person="Lotte de Wit", email="lotte@example.nl"))
    text = pdf_text(precheck.checklist_pdf(ctx, pid))
    for part in ("Commissie Sociaal Inkopen", "Vooraf-check erkenning sociaal ondernemer", "Groene Start, 23 november 2026",
                 "Verwachte uitkomst voorwaardelijk toegekend", "Bewijsstuk oprichtingsdatum en missie",
                 "het ondernemingsplan waarin de maatschappelijke missie staat",
                 "Een voorwaardelijke erkenning loopt tot en met 1 juni 2027",
                 "Als start-up kunt u aanvragen tot en met 31 mei 2027", "Zo vraagt u aan",
                 "naar commissie@kip.example", "versie 1", "eenmanszaak"):
        assert part in text, part
    subject, body = precheck.email_text(ctx, pid)
    assert subject == "Vooraf-check erkenning sociaal ondernemer: Groene Start"
    assert body.startswith("Geachte Lotte de Wit,") and "Verwachte uitkomst: voorwaardelijk toegekend" in body
    assert "- Start-up of zzp'er met maatschappelijke missie (voorwaardelijk): Bewijsstuk oprichtingsdatum" in body
    assert "1. Verzamel de bewijsstukken" in body and "023 511 5115" in body and "In de bijlage" not in body
    message = BytesParser(policy=email.policy.default).parsebytes(precheck.eml_draft(ctx, pid))
    assert message["To"] == "Lotte de Wit <lotte@example.nl>" and message["X-Unsent"] == "1"
    assert message["From"] == "Commissie Sociaal Inkopen <commissie@kip.example>"
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == "vooraf-check Groene Start 2026-11-23.pdf"
    assert attached.get_content().startswith(b"%PDF")
    assert "In de bijlage vindt u deze checklist" in message.get_body(("plain",)).get_content()

    refused = precheck.record_precheck(ctx, precheck.PrecheckInput("Elders BV", {"region_established": "nee"}))
    text = pdf_text(precheck.checklist_pdf(ctx, refused))
    assert "Verwachte uitkomst afgewezen" in text and "niet gevestigd in de regio" in text
    assert "Zo vraagt u aan" not in text and "niet in aanmerking" in text


def test_a_question_any_rule_reads_is_asked_whatever_its_type():
    """Issue 15: a form whose granting rule also reads the impact score (a scale, otherwise the assessor's) asks it in
    the check, so the applicant can meet it (the score is not required: left empty, the rule does not hold)."""
    from commissie_app.domain.form_loader import parse_form
    from commissie_app.domain.precheck import check, precheck_questions
    from commissie_app.domain.rules import load_rules

    text = shipped_form_paths()[-1].read_text(encoding="utf-8").replace("version = 1", "version = 3").replace(
        '''    { question = "region_established", equals = "ja" },
    { any_of = [''', '''    { question = "region_established", equals = "ja" },
    { question = "impact_score", at_least = 3 },
    { any_of = [''', 1)
    form = parse_form(text)
    keys = [q.key for q in precheck_questions(form)]
    assert "impact_score" in keys and "impact_evidence" not in keys and "member_advice" not in keys
    assert check(form, answers(Criterion.PSO30), TODAY, load_rules()).outcome is PrecheckOutcome.REJECTED
    assert check(form, answers(Criterion.PSO30, impact_score=4), TODAY, load_rules()).outcome is PrecheckOutcome.GRANTED
    assert check(form, answers(Criterion.PSO30, impact_score=2), TODAY, load_rules()).outcome is PrecheckOutcome.REJECTED
