"""Issue 12: letters that are not decisions (acknowledgement, information request, expiry reminder), the
withdrawal decision letter, the archive of these letters and ``commissie-app reminders``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from commissie_app import cli_reminders
from commissie_app.cli import main
from commissie_app.db.models import Application, AuditEvent, Letter, Recognition
from commissie_app.domain.codes import Role, Status
from commissie_app.domain.addressing import salutation
from commissie_app.domain.correspondence import LetterKind
from commissie_app.domain.errors import DomainError
from commissie_app.domain.permissions import PermissionDeniedError
from commissie_app.domain.voting import DecisionType
from commissie_app.services import (correspondence, letter_archive, letter_generation, letter_sending, letter_settings,
                                    meeting_detail)
from commissie_app.services import meeting_planning
from commissie_app.services.demo import create_demo_data
from commissie_app.services.uow import UnitOfWork

from conftest import TODAY, make_ctx


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


def _apps(ctx, status: Status) -> list[Application]:
    with ctx.db.session() as s:
        rows = s.scalars(select(Application).where(Application.status == status)).all()
        for a in rows:
            a.organisation.name  # loaded before the session closes
        s.expunge_all()
        return list(rows)


def _recognition(ctx, name_part: str) -> Recognition:
    with ctx.db.session() as s:
        rec = next(r for r in s.scalars(select(Recognition)) if name_part in r.organisation.name)
        s.expunge_all()
        return rec


@pytest.fixture
def demo(ctx):
    create_demo_data(ctx)
    return ctx


def test_acknowledgement_names_the_organisation_contact_and_date_received_on_the_letterhead(demo):
    """Issue 12: an acknowledgement of receipt for a received application, on the decision letters' letterhead."""
    app = _apps(demo, Status.RECEIVED)[0]
    info = correspondence.make_letter(demo, LetterKind.ACKNOWLEDGEMENT, app.id)
    assert info.kind is LetterKind.ACKNOWLEDGEMENT and info.letter_version == 1 and not info.is_sent
    assert info.application_id == app.id and info.about_date == app.received_on and info.kenmerk == ""
    text = pdf_text(correspondence.correspondence_pdf(demo, info.id))
    settings = letter_settings.get_letter_settings(demo)
    assert settings.sender_name in text  # the letterhead
    greeting = salutation(app.organisation.contact_person, app.organisation.contact_salutation)
    assert app.organisation.name in text and greeting in text
    assert "Ontvangstbevestiging van uw aanvraag" in text
    from commissie_app.domain.validation import format_date_nl
    assert f"ontvangen op {format_date_nl(app.received_on)}" in text
    assert "23 november 2026" in text  # the letter's date
    assert demo.actor.name in text and "secretaris" in text
    assert "Kenmerk" not in text  # no decision yet: nothing to refer to


def test_information_request_states_what_is_asked_and_the_deadline(demo):
    """Issue 12: a request for information with its text and deadline from the application."""
    app = _apps(demo, Status.INFO_REQUESTED)[0]
    assert app.info_requested and app.info_due_on
    info = correspondence.make_letter(demo, LetterKind.INFO_REQUEST, app.id)
    assert info.about_date == app.info_due_on
    text = pdf_text(correspondence.correspondence_pdf(demo, info.id))
    assert app.organisation.name in text
    assert " ".join(app.info_requested.split()) in text
    assert "uiterlijk op 7 december 2026" in text
    assert "Verzoek om aanvullende informatie" in text


def test_information_request_without_a_question_is_refused(demo):
    """Issue 12: no information request letter with an empty gap: the application must say what is asked."""
    app = _apps(demo, Status.RECEIVED)[0]
    with pytest.raises(DomainError) as e:
        correspondence.make_letter(demo, LetterKind.INFO_REQUEST, app.id)
    assert "welke informatie" in str(e.value)
    assert correspondence.list_correspondence(demo) == []


def test_reminder_names_kenmerk_end_date_and_how_to_renew(demo):
    """Issue 12: the expiry reminder: the recognition's kenmerk, the badge's end date and what to do to renew."""
    rec = _recognition(demo, "Wasserette")
    info = correspondence.make_letter(demo, LetterKind.REMINDER, rec.id)
    assert info.recognition_id == rec.id and info.about_date == rec.valid_until == dt.date(2027, 1, 22)
    text = pdf_text(correspondence.correspondence_pdf(demo, info.id))
    assert "Wasserette Werkkans (demo)" in text
    assert info.kenmerk and f"Kenmerk {info.kenmerk}" in text
    assert "geldig tot en met 22 januari 2027" in text
    assert "aanvraag tot verlenging" in text
    assert letter_settings.get_letter_settings(demo).sender_name in text


def test_no_reminder_for_a_withdrawn_recognition(demo):
    """Issue 12: a withdrawn recognition gets no expiry reminder."""
    rec = _recognition(demo, "Staalstart")
    assert rec.withdrawn_on is not None
    with pytest.raises(DomainError, match="ingetrokken"):
        correspondence.make_letter(demo, LetterKind.REMINDER, rec.id)


def test_only_the_secretary_makes_these_letters(demo):
    """Issue 12: making and sending these letters needs the letters permission (the secretary)."""
    member = make_ctx(demo.db, "Otto Waarnemer", Role.OBSERVER)
    app = _apps(demo, Status.RECEIVED)[0]
    with pytest.raises(PermissionDeniedError):
        correspondence.make_letter(member, LetterKind.ACKNOWLEDGEMENT, app.id)


def test_archive_keeps_versions_reuses_unchanged_and_a_sent_letter_is_fixed_in_the_database(demo):
    """Issue 12: archived like decision letters: versions, an unchanged unsent letter re-used, a sent one
    immutable: the database itself refuses an update or delete (both dialects)."""
    app = _apps(demo, Status.RECEIVED)[0]
    first = correspondence.make_letter(demo, LetterKind.ACKNOWLEDGEMENT, app.id)
    again = correspondence.make_letter(demo, LetterKind.ACKNOWLEDGEMENT, app.id)
    assert again.id == first.id and again.reused
    settings = letter_settings.get_letter_settings(demo)
    letter_settings.set_letter_settings(demo, dataclasses.replace(settings, phone="023 511 51 15"))
    second = correspondence.make_letter(demo, LetterKind.ACKNOWLEDGEMENT, app.id)
    assert second.letter_version == 2 and second.id != first.id and not second.reused
    assert "023 511 51 15" in pdf_text(correspondence.correspondence_pdf(demo, second.id))
    assert "023 511 51 15" not in pdf_text(correspondence.correspondence_pdf(demo, first.id))

    correspondence.mark_sent(demo, second.id, TODAY, "post")
    with pytest.raises(DomainError, match="al verzonden"):
        correspondence.mark_sent(demo, second.id, TODAY, "email")
    [sent] = [i for i in correspondence.list_correspondence(demo, application_id=app.id) if i.is_sent]
    assert sent.id == second.id and sent.sent_text == "23 november 2026 per post"
    with pytest.raises(DBAPIError):
        with demo.db.engine.begin() as conn:
            conn.execute(update(Letter).where(Letter.id == second.id).values(sha256="0" * 64))
    with pytest.raises(DBAPIError):
        with demo.db.engine.begin() as conn:
            conn.execute(text("DELETE FROM letters WHERE sent_on IS NOT NULL"))
    with demo.db.engine.begin() as conn:  # an unsent version is not frozen by the database
        conn.execute(update(Letter).where(Letter.id == first.id).values(sent_via=None))
    with pytest.raises(DomainError):  # nor by the ORM, for whatever code path
        with UnitOfWork(demo) as uow:
            uow.session.get(Letter, second.id).sent_via = "email"
            uow.commit()
    with pytest.raises(DomainError, match="verwijderd"):
        with UnitOfWork(demo) as uow:
            uow.session.delete(uow.session.get(Letter, second.id))
            uow.commit()
    # a third version after the sent one: the sent one stays as it was
    letter_settings.set_letter_settings(demo, dataclasses.replace(settings, phone="023 000 00 00"))
    third = correspondence.make_letter(demo, LetterKind.ACKNOWLEDGEMENT, app.id)
    assert third.letter_version == 3
    assert correspondence.correspondence_pdf(demo, second.id) != correspondence.correspondence_pdf(demo, third.id)
    with demo.db.session() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity_type == "letter")).all()
        assert {e.action for e in events} >= {"generate", "send"}


def test_withdrawal_decision_letter_states_reason_end_date_and_objection(demo):
    """Issue 12: the withdrawal (DecisionType.WITHDRAWN) gets a decision letter of its own: reason, the date
    the badge ends, the objection clause, kenmerk."""
    mid = next(r.id for r in meeting_planning.list_meetings(demo)
               if any(i.decision and i.decision.decision_type is DecisionType.WITHDRAWN
                      for i in meeting_detail.get_meeting(demo, r.id).items))
    infos = letter_generation.generate_letters(demo, mid)
    [info] = [i for i in infos if i.decision_type is DecisionType.WITHDRAWN]
    decision = next(i.decision for i in meeting_detail.get_meeting(demo, mid).items
                    if i.decision and i.decision.kenmerk == info.kenmerk)
    text = pdf_text(letter_archive.letter_pdf(demo, info.id))
    assert "Staalstart IJmond Leerbedrijf (demo)" in text and f"Kenmerk {info.kenmerk}" in text
    assert "– ingetrokken" in text and "in te trekken" in text
    assert " ".join(decision.motivation.split()) in text
    from commissie_app.domain.validation import format_date_nl
    assert f"SROI-badge vervalt per {format_date_nl(decision.decided_on)}" in text
    assert "Heroverweging vragen" in text and f"het kenmerk van deze brief: {info.kenmerk}" in text


def test_due_reminders_lists_exactly_what_is_due_in_the_demo_and_nothing_after_making(demo):
    """Issue 12: due_reminders: the recognition ending within reminder_months, acknowledgements for received
    applications, information requests without a letter; once made, none of them is due again."""
    due = correspondence.due_reminders(demo, TODAY)
    received = {a.id for a in _apps(demo, Status.RECEIVED)}
    info = {a.id for a in _apps(demo, Status.INFO_REQUESTED)}
    assert {d.target_id for d in due if d.kind is LetterKind.ACKNOWLEDGEMENT} == received
    assert {d.target_id for d in due if d.kind is LetterKind.INFO_REQUEST} == info
    reminders = [d for d in due if d.kind is LetterKind.REMINDER]
    assert [d.organisation for d in reminders] == ["Wasserette Werkkans (demo)"]  # not the 2028 one, nor withdrawn
    assert reminders[0].about_date == dt.date(2027, 1, 22)
    # a month earlier the badge's end is not yet within the reminder period
    assert not [d for d in correspondence.due_reminders(demo, dt.date(2026, 10, 1)) if d.kind is LetterKind.REMINDER]
    correspondence.make_due(demo, due)
    assert correspondence.due_reminders(demo, TODAY) == []


def test_no_reminder_once_a_renewal_is_in_progress(demo):
    """Issue 12: a recognition whose renewal application has been received needs no expiry reminder; the renewal
    application itself is due for an acknowledgement."""
    from commissie_app.domain.recognition import Purpose
    from commissie_app.services import recognitions

    rec = _recognition(demo, "Wasserette")
    renewal = recognitions.start_follow_up(demo, rec.id, Purpose.RENEWAL)
    due = correspondence.due_reminders(demo, TODAY)
    assert not [d for d in due if d.kind is LetterKind.REMINDER]
    assert (LetterKind.ACKNOWLEDGEMENT, renewal) in {(d.kind, d.target_id) for d in due}


def test_unsent_letters_lists_the_latest_unsent_version_of_every_letter(demo):
    """Issue 12 ("Te doen": letters made but not sent): decision letters and the other letters whose latest
    version is not marked sent; marking one sent takes it off the list."""
    mid = next(r.id for r in meeting_planning.list_meetings(demo)
               if any(i.decision for i in meeting_detail.get_meeting(demo, r.id).items))
    decision_letters = letter_generation.generate_letters(demo, mid)
    made = correspondence.make_due(demo, correspondence.due_reminders(demo, TODAY))
    unsent = correspondence.unsent_letters(demo)
    assert {u.letter_id for u in unsent} == {i.id for i in decision_letters} | {i.id for i in made}
    assert {u.kind for u in unsent} == {"besluitbrief", "ontvangstbevestiging", "informatieverzoek", "herinnering"}
    letter_sending.mark_sent(demo, decision_letters[0].id, TODAY, "post")
    correspondence.mark_sent(demo, made[0].id, TODAY, "email")
    left = {u.letter_id for u in correspondence.unsent_letters(demo)}
    assert decision_letters[0].id not in left and made[0].id not in left
    assert len(left) == len(unsent) - 2


def _pinned(ctx, monkeypatch):
    real = cli_reminders.command_context
    monkeypatch.setattr(cli_reminders, "command_context",
                        lambda args: dataclasses.replace(real(args), today=ctx.today, now=ctx.now))


def test_cli_dry_run_lists_the_due_letters_and_writes_nothing(demo, tmp_path, capsys, monkeypatch):
    """Issue 12: ``commissie-app reminders --dry-run`` lists exactly the due letters of the demo (Dutch, one
    line each) and makes, archives and writes nothing."""
    _pinned(demo, monkeypatch)
    out = tmp_path / "brieven"
    assert main(["reminders", "--dry-run", "--out", str(out), "--db", demo.db.url, "--als", demo.actor.name]) == 0
    lines = [l.strip() for l in capsys.readouterr().out.splitlines()[1:]]
    assert lines == [d.line for d in correspondence.due_reminders(demo, TODAY)]
    assert len(lines) == 4
    assert "Herinnering: Wasserette Werkkans (demo) (KIP-2026-007), SROI-badge loopt af op 22 januari 2027" in lines
    assert sum(l.startswith("Ontvangstbevestiging: ") for l in lines) == 2
    assert sum(l.startswith("Informatieverzoek: Duinzorg") for l in lines) == 1
    assert not out.exists() and correspondence.list_correspondence(demo) == []


def test_cli_makes_archives_and_writes_the_letters_and_a_second_run_finds_nothing(demo, tmp_path, capsys,
                                                                                  monkeypatch):
    """Issue 12: ``commissie-app reminders --out DIR`` makes the due letters into DIR and archives them; a second
    run finds nothing due."""
    _pinned(demo, monkeypatch)
    out = tmp_path / "brieven"
    due = correspondence.due_reminders(demo, TODAY)
    assert main(["reminders", "--out", str(out), "--db", demo.db.url, "--als", demo.actor.name]) == 0
    archived = correspondence.list_correspondence(demo)
    assert sorted(p.name for p in out.iterdir()) == sorted(i.filename for i in archived)
    assert len(archived) == len(due) == 4
    for info in archived:
        assert (out / info.filename).read_bytes() == correspondence.correspondence_pdf(demo, info.id)
    capsys.readouterr()
    assert main(["reminders", "--out", str(out), "--db", demo.db.url, "--als", demo.actor.name]) == 0
    assert "geen brieven" in capsys.readouterr().out
    assert len(correspondence.list_correspondence(demo)) == 4


def test_cli_without_out_or_dry_run_is_refused(demo, capsys):
    """Issue 12: making letters needs a folder; the message says so in Dutch."""
    assert main(["reminders", "--db", demo.db.url, "--als", demo.actor.name]) == 1
    assert "--out" in capsys.readouterr().err
