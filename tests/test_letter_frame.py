"""Issue 14, the letters' frame: a named contact person (no letter without one), one shared closing part
(questions, privacy note, the objection paragraph of the commission's chosen procedure, none on a deferral or
a letter that decides nothing), the salutation by the contact's form of address, and the letter's date being
the day it is sent. SQLite and PostgreSQL where the database is touched."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from commissie_app import cli_letters
from commissie_app.cli import main
from commissie_app.db.models import Application, DecisionLetter, Letter, Organisation
from commissie_app.documents.letter_content import DecisionType as LetterDecision
from commissie_app.documents.letters import render_letter
from commissie_app.domain.addressing import FormOfAddress, salutation, surname
from commissie_app.domain.codes import Status
from commissie_app.domain.correspondence import LetterKind, open_to_objection
from commissie_app.domain.errors import DomainError, LetterContactMissingError
from commissie_app.services import (
    applications, correspondence, letter_archive, letter_generation, letter_sending, letter_settings,
)
from commissie_app.services.demo import create_demo_data
from commissie_app.services.uow import UnitOfWork
from tests.conftest import TODAY
from tests.factories import app_data, letter_contact, org_data
from tests.test_letters import SETTINGS, letter
from tests.test_letters_service import closed_demo_meeting, pdf_text


def flat(text: str) -> str:
    return " ".join(text.split())


def _no_contact(ctx) -> None:
    letter_contact(ctx, contact_name="", contact_phone="", contact_email="")


def _received(ctx):
    with UnitOfWork(ctx) as uow:
        return uow.session.scalars(select(Application.id).where(Application.status == Status.RECEIVED)).first()


def _count(ctx, model) -> int:
    with UnitOfWork(ctx) as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- 1. the contact


def test_no_letter_is_made_without_a_named_contact_and_the_refusal_says_where_to_fill_it_in(ctx):
    """Issue 14: decision letters and the other letters are refused, in Dutch, naming what is missing and the
    settings page; nothing is archived. Once filled in, the letters name the contact person."""
    mid = closed_demo_meeting(ctx)
    _no_contact(ctx)
    with pytest.raises(LetterContactMissingError) as err:
        letter_generation.generate_letters(ctx, mid)
    message = str(err.value)
    assert "naam van de contactpersoon" in message and "telefoonnummer" in message and "e-mailadres" in message
    assert "Instellingen" in message and "Contactpersoon voor de brieven" in message
    with pytest.raises(LetterContactMissingError):
        letter_generation.check_ready(ctx, mid)
    received = _received(ctx)
    with pytest.raises(LetterContactMissingError):
        correspondence.make_letter(ctx, LetterKind.ACKNOWLEDGEMENT, received)
    assert _count(ctx, DecisionLetter) == 0 and _count(ctx, Letter) == 0
    letter_contact(ctx, contact_phone="")
    with pytest.raises(LetterContactMissingError, match="telefoonnummer") as err:
        letter_generation.generate_letters(ctx, mid)
    assert "naam van de contactpersoon" not in str(err.value)
    letter_contact(ctx)
    info = letter_generation.generate_letters(ctx, mid)[0]
    text = flat(pdf_text(letter_archive.letter_pdf(ctx, info.id)))
    assert "Neem dan contact op met Sanne de Wit, telefoon 023 555 0100, e-mail secretariaat@commissie.example.nl" \
        in text


def test_the_cli_refuses_letters_and_reminders_without_a_contact(ctx, tmp_path, capsys):
    """Issue 14: ``letters`` and ``reminders`` exit 1 with the Dutch message before a file or archive row is
    made, and say where the contact is filled in."""
    mid = closed_demo_meeting(ctx)
    _no_contact(ctx)
    out = tmp_path / "brieven"
    assert main(["letters", str(mid), "--out", str(out), "--db", ctx.db.url, "--als", ctx.actor.name]) == 1
    err = capsys.readouterr().err
    assert "contactpersoon" in err and "Instellingen" in err and "app" in err
    assert not out.exists() and _count(ctx, DecisionLetter) == 0
    assert main(["reminders", "--out", str(out), "--db", ctx.db.url, "--als", ctx.actor.name]) == 1
    assert "contactpersoon" in capsys.readouterr().err and not out.exists() and _count(ctx, Letter) == 0


def test_the_demo_letterhead_names_a_contact(ctx):
    """Issue 14: the demo data fills in the contact person, phone and e-mail, so its letters can be made."""
    create_demo_data(ctx)
    s = letter_settings.get_letter_settings(ctx)
    assert s.contact_name and s.contact_phone and s.contact_email
    letter_settings.require_contact(ctx)  # does not raise


def test_contact_fields_are_checked_when_saved(ctx):
    """Issue 14: the contact's phone and e-mail are checked as in the application form."""
    with pytest.raises(DomainError) as err:
        letter_contact(ctx, contact_email="geen-adres", contact_phone="bel me")
    assert set(err.value.errors) == {"contact_email", "contact_phone"}


# ---------------------------------------------------------------- 2 and 3. the closing part


@pytest.mark.parametrize("decision", list(LetterDecision))
def test_every_decision_letter_closes_with_the_shared_part(decision):
    """Issue 14: questions with the named contact and 'Vermeld daarbij het kenmerk' (not 'Vermeldt u'), a
    privacy note, and the objection paragraph on every decision except a deferral."""
    text = flat(pdf_text(render_letter(letter(decision), SETTINGS)))
    assert ("Vragen? Heeft u vragen over deze brief? Neem dan contact op met Noor Bakker, telefoon 023 511 51 16, "
            "e-mail noor.bakker@kennemerinkoopplatform.nl. Vermeld daarbij het kenmerk KIP-2026-007.") in text
    assert "Vermeldt" not in text
    assert "Uw gegevens De commissie gebruikt de gegevens uit uw aanvraag alleen" in text
    assert text.count("Heeft u vragen") == 1 and text.count("Uw gegevens") == 1  # one copy, not one per template
    objection = "Bent u het niet eens met dit besluit?" in text
    assert objection is (decision is not LetterDecision.DEFERRED)
    assert open_to_objection(decision.value) is objection


def test_the_objection_paragraph_follows_the_chosen_procedure():
    """Issue 14: heading and text agree (heroverweging by default, or bezwaar); to whom and at which address,
    what the request must contain, six weeks from the day after sending."""
    text = flat(pdf_text(render_letter(letter(LetterDecision.REJECTED), SETTINGS)))
    assert SETTINGS.objection_procedure == "heroverweging"
    assert ("Heroverweging vragen Bent u het niet eens met dit besluit? Dan kunt u de commissie vragen het besluit "
            "te heroverwegen. Stuur uw verzoek om heroverweging binnen zes weken per post naar: Commissie Sociaal "
            "Inkopen, Postbus 511, 2003 PB Haarlem. De zes weken gaan in op de dag na de dag waarop deze brief is "
            "verzonden.") in text
    assert ("Zet in uw verzoek: • uw naam en adres; • de datum; • het kenmerk van deze brief: KIP-2026-007; "
            "• waarom u het niet eens bent met het besluit; • uw handtekening.") in text
    assert "bezwaar" not in text.lower()
    objection = dataclasses.replace(SETTINGS, objection_procedure="bezwaar")
    text = flat(pdf_text(render_letter(letter(LetterDecision.GRANTED), objection)))
    assert "Bezwaar maken Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Stuur uw bezwaarschrift" \
        in text and "Zet in uw bezwaarschrift:" in text
    assert "heroverweg" not in text


def test_letters_that_decide_nothing_have_the_contact_and_privacy_but_no_objection(ctx):
    """Issue 14: acknowledgement, information request and reminder close with the same questions and privacy
    parts, and no objection paragraph."""
    create_demo_data(ctx)
    due = correspondence.due_reminders(ctx, TODAY)
    kinds = {d.kind for d in due}
    assert kinds == set(LetterKind)
    infos = correspondence.make_due(ctx, due)
    for info in infos:
        text = flat(pdf_text(correspondence.correspondence_pdf(ctx, info.id)))
        assert "Vragen? Heeft u vragen over deze brief? Neem dan contact op met Sanne Secretaris" in text, info.kind
        assert "Uw gegevens" in text and "Bent u het niet eens" not in text
        if info.kenmerk:
            assert f"Vermeld daarbij het kenmerk {info.kenmerk}." in text
        else:
            assert "Vermeld daarbij de naam van uw organisatie en de datum van uw aanvraag" in text
        assert not open_to_objection(info.kind.template_name)


def test_the_procedure_is_a_setting_stored_for_every_machine(ctx):
    """Issue 14: the objection procedure is saved with the letterhead; the default is heroverweging."""
    assert letter_settings.get_letter_settings(ctx).objection_procedure == "heroverweging"
    letter_contact(ctx, objection_procedure="bezwaar")
    assert letter_settings.get_letter_settings(ctx).objection_procedure == "bezwaar"
    with pytest.raises(DomainError):
        letter_contact(ctx, objection_procedure="beroep")


# ---------------------------------------------------------------- 4. the salutation


@pytest.mark.parametrize("name, form, expected", [
    ("Lotte van Dijk", FormOfAddress.MRS, "Geachte mevrouw Van Dijk,"),
    ("Frank de Boer", FormOfAddress.MR, "Geachte heer De Boer,"),
    ("Lotte van Dijk", FormOfAddress.NEUTRAL, "Geachte Lotte van Dijk,"),
    ("Anna Maria van der Berg-de Wit", FormOfAddress.MRS, "Geachte mevrouw Van der Berg-de Wit,"),
    ("Bram Jansen", FormOfAddress.MR, "Geachte heer Jansen,"),
    ("L. ten Cate", FormOfAddress.MRS, "Geachte mevrouw Ten Cate,"),
    ("Hassan El Amrani", FormOfAddress.MR, "Geachte heer El Amrani,"),
    ("", FormOfAddress.MRS, "Geachte heer, mevrouw,"),
])
def test_salutation_by_form_of_address(name, form, expected):
    """Issue 14: the title takes the surname with a capital prefix; neutral uses the full name as written."""
    assert salutation(name, form) == expected
    assert surname("Jan") == "Jan"


def test_the_form_of_address_is_stored_and_used_in_the_letters(ctx):
    """Issue 14: the organisation's contact form of address is saved (migration contact_salutation, 0017) and the letters use it;
    the demo data sets them."""
    app_id = applications.register_application(
        ctx, org_data(contact_person="Lotte van Dijk", contact_salutation=FormOfAddress.MRS), app_data())
    detail = applications.get_application(ctx, app_id)
    assert detail.organisation.contact_salutation is FormOfAddress.MRS
    applications.update_application(
        ctx, app_id, expected_version=detail.version, expected_organisation_version=detail.organisation_version,
        org=dataclasses.replace(detail.organisation, contact_salutation=FormOfAddress.NEUTRAL), app=detail.application)
    assert applications.get_application(ctx, app_id).organisation.contact_salutation is FormOfAddress.NEUTRAL
    letter_contact(ctx)
    info = correspondence.make_letter(ctx, LetterKind.ACKNOWLEDGEMENT, app_id)
    assert "Geachte Lotte van Dijk," in flat(pdf_text(correspondence.correspondence_pdf(ctx, info.id)))


def test_the_demo_letters_address_each_contact_by_their_form_of_address(ctx):
    """Issue 14: demo organisations have a form of address; the decision letters greet accordingly."""
    mid = closed_demo_meeting(ctx)
    with UnitOfWork(ctx) as uow:
        forms = dict(uow.session.execute(select(Organisation.name, Organisation.contact_salutation)).all())
        people = dict(uow.session.execute(select(Organisation.name, Organisation.contact_person)).all())
    assert {FormOfAddress.MRS, FormOfAddress.MR} <= set(forms.values())
    for info in letter_generation.generate_letters(ctx, mid):
        text = flat(pdf_text(letter_archive.letter_pdf(ctx, info.id)))
        greeting = salutation(people[info.organisation], forms[info.organisation])
        assert greeting in text, greeting
        if forms[info.organisation] is not FormOfAddress.NEUTRAL:
            assert re.fullmatch(r"Geachte (mevrouw|heer) [A-Z][\w -]+,", greeting), greeting


# ---------------------------------------------------------------- 5. the letter's date is the day it is sent


def test_a_letter_sent_later_than_made_gets_a_new_version_dated_the_sending_day(ctx):
    """Issue 14: the archive knows each version's date; marking a letter sent on a later day says so, and
    the new version (dated the sending day) is the one marked sent; the first stays as it was."""
    mid = closed_demo_meeting(ctx)
    first = letter_generation.generate_letters(ctx, mid)
    assert {i.letter_date for i in first} == {TODAY}
    later = TODAY + dt.timedelta(days=2)
    ctx_later = dataclasses.replace(ctx, today=lambda: later)
    assert first[0].date_mismatch(later) == (
        "De brief is gedateerd 23 november 2026 maar wordt verzonden op 25 november 2026.")
    assert first[0].date_mismatch(TODAY) == ""
    [sent] = letter_generation.mark_sent_dated(ctx_later, [first[0].id], later, "post")
    assert sent.letter_version == 2 and sent.letter_date == later and sent.is_sent
    assert "25 november 2026" in pdf_text(letter_archive.letter_pdf(ctx, sent.id))
    old = letter_archive.get_letter(ctx, first[0].id)
    assert not old.is_sent and old.letter_date == TODAY
    # a letter already dated the sending day is marked as it is; the batch is one transaction
    same = letter_generation.mark_sent_dated(ctx, [first[1].id], TODAY, "email")
    assert [i.id for i in same] == [first[1].id]
    with pytest.raises(DomainError):
        letter_generation.redate_letter(ctx_later, first[0].id, later)  # a later version exists
    with pytest.raises(DomainError):
        letter_generation.redate_letter(ctx, first[2].id, TODAY - dt.timedelta(days=1))  # before it was made
    before = _count(ctx, DecisionLetter)
    with pytest.raises(DomainError):  # the sent one is refused: nothing of the batch is done
        letter_generation.mark_sent_dated(ctx_later, [first[2].id, first[1].id], later, "post")
    assert _count(ctx, DecisionLetter) == before


def test_the_other_letters_get_a_new_version_dated_the_sending_day_too(ctx):
    """Issue 14: an acknowledgement marked sent two days later is re-dated in the same way."""
    create_demo_data(ctx)
    received = _received(ctx)
    info = correspondence.make_letter(ctx, LetterKind.ACKNOWLEDGEMENT, received)
    later = TODAY + dt.timedelta(days=2)
    sent = correspondence.mark_sent_dated(dataclasses.replace(ctx, today=lambda: later), info.id, later, "post")
    assert (sent.letter_version, sent.letter_date, sent.is_sent) == (2, later, True)
    assert "25 november 2026" in pdf_text(correspondence.correspondence_pdf(ctx, sent.id))


def test_the_cli_says_when_the_date_and_the_sending_day_differ(ctx, tmp_path, capsys, monkeypatch):
    """Issue 14: ``letters MEETING --sent-on`` refuses to mark letters dated another day unless told to make a
    new version (--new-version) or to keep the date (--keep-date)."""
    mid = closed_demo_meeting(ctx)
    letter_generation.generate_letters(ctx, mid)
    later = TODAY + dt.timedelta(days=7)
    real = cli_letters.command_context
    monkeypatch.setattr(cli_letters, "command_context",
                        lambda args: dataclasses.replace(real(args), today=lambda: later))
    args = ["letters", str(mid), "--sent-on", later.isoformat(), "--db", ctx.db.url, "--als", ctx.actor.name]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "is gedateerd 23 november 2026 maar wordt verzonden op 30 november 2026" in err
    assert "--new-version" in err and "--keep-date" in err
    assert all(not i.is_sent for i in letter_archive.list_letters(ctx, mid))
    assert main(args + ["--new-version"]) == 0
    out = capsys.readouterr().out
    assert "4 besluitbrieven gemarkeerd als verzonden op 30 november 2026" in out and "versie 2" in out
    latest = letter_archive.latest_versions(letter_archive.list_letters(ctx, mid))
    assert {(i.letter_version, i.letter_date, i.sent_on) for i in latest} == {(2, later, later)}


def test_the_cli_can_keep_the_date(ctx, capsys, monkeypatch):
    """Issue 14: with --keep-date the letters are marked sent as they are (the note is still printed)."""
    mid = closed_demo_meeting(ctx)
    first = letter_generation.generate_letters(ctx, mid)
    later = TODAY + dt.timedelta(days=1)
    real = cli_letters.command_context
    monkeypatch.setattr(cli_letters, "command_context",
                        lambda args: dataclasses.replace(real(args), today=lambda: later))
    assert main(["letters", str(mid), "--sent-on", later.isoformat(), "--via", "email", "--keep-date",
                 "--db", ctx.db.url, "--als", ctx.actor.name]) == 0
    assert "is gedateerd 23 november 2026 maar wordt verzonden op 24 november 2026" in capsys.readouterr().out
    assert {(i.id, i.sent_on, i.sent_via) for i in letter_archive.list_letters(ctx, mid)} == {
        (i.id, later, "email") for i in first}


def test_a_long_contact_address_wraps_inside_the_contact_column():
    """Issue 14: the contact person's e-mail address in the letterhead's column breaks after '@' or '.' instead
    of running past the right margin."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from commissie_app.documents import fonts
    from commissie_app.documents.letter_parts import column_lines

    fonts.register_fonts()
    address = "secretariaat.sociaalinkopen@kennemerinkoopplatform.nl"
    lines = column_lines(address, fonts.REGULAR, 8, 150)
    assert len(lines) == 2 and lines[0].endswith("@") and "".join(lines) == address
    assert all(stringWidth(line, fonts.REGULAR, 8) <= 150 for line in lines)
    assert column_lines("Sanne de Wit", fonts.REGULAR, 8, 150) == ["Sanne de Wit"]


def test_the_e_mail_draft_greets_like_the_letter(ctx):
    """Issue 14: the e-mail that carries a decision letter uses the same salutation as the letter."""
    import email
    import email.policy

    mid = closed_demo_meeting(ctx)
    info = letter_generation.generate_letters(ctx, mid)[0]
    msg = email.message_from_bytes(letter_sending.eml_draft(ctx, info.id), policy=email.policy.default)
    with UnitOfWork(ctx) as uow:
        org = uow.session.scalars(select(Organisation).where(Organisation.name == info.organisation)).one()
        greeting = salutation(org.contact_person, org.contact_salutation)
    assert org.contact_salutation is not FormOfAddress.NEUTRAL
    assert msg.get_body(("plain",)).get_content().splitlines()[0] == greeting
    assert greeting in flat(pdf_text(letter_archive.letter_pdf(ctx, info.id)))


def test_the_migration_keeps_organisations_and_letters_and_dates_older_versions_by_their_making(ctx):
    """Issue 14: from the revision before contact_salutation, existing organisations get the neutral form of
    address (their letters said the full name before) and archived letters keep their rows; a version made before
    the date was recorded bears the day it was made."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from commissie_app.db import migrate

    mid = closed_demo_meeting(ctx)
    made = letter_generation.generate_letters(ctx, mid)
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    (mine,) = [s for s in scripts.walk_revisions() if s.path.endswith("_contact_salutation.py")]
    migrate.downgrade(ctx.db.engine, mine.down_revision)
    migrate.upgrade(ctx.db.engine, backup=False)
    with ctx.db.engine.connect() as conn:
        assert set(conn.execute(text("SELECT contact_salutation FROM organisations")).scalars()) == {"neutral"}
        assert set(conn.execute(text("SELECT letter_date FROM decision_letters")).scalars()) == {None}
    after = {i.id: i for i in letter_archive.list_letters(ctx, mid)}
    assert set(after) == {i.id for i in made}
    for info in made:
        assert after[info.id].sha256 == info.sha256
        assert after[info.id].letter_date == info.generated_at.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    assert "Geachte " in flat(pdf_text(letter_archive.letter_pdf(ctx, made[0].id)))
