"""Decision letters as a service: generated from a closed meeting, archived per version, sent once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import hashlib
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from commissie_app.cli import main
from commissie_app.db.models import AuditEvent, DecisionLetter
from commissie_app.documents.letter_content import LetterSettings
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.commission import add_months
from commissie_app.domain.rules import Rules
from commissie_app.domain.voting import DecisionType, badge_valid_until
from commissie_app.services import (
    letter_archive,
    letter_generation,
    letter_sending,
    letter_settings,
    meeting_detail,
    meeting_planning,
)
from commissie_app.services.demo import create_demo_data
from commissie_app.services.uow import UnitOfWork


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


def closed_demo_meeting(ctx):
    create_demo_data(ctx)
    for row in meeting_planning.list_meetings(ctx):
        if row.status is MeetingStatus.CLOSED and any(i.decision for i in meeting_detail.get_meeting(ctx, row.id).items):
            return row.id
    raise AssertionError("the demo data has no closed meeting with decisions")


def other_meeting(ctx, status):
    return next(r.id for r in meeting_planning.list_meetings(ctx) if r.status is status)


def test_one_letter_per_decision_with_kenmerk_organisation_date_decision_and_deadline(ctx):
    mid = closed_demo_meeting(ctx)
    detail = meeting_detail.get_meeting(ctx, mid)
    decided = {i.decision.kenmerk: (i, i.decision) for i in detail.items if i.decision}
    seen = []
    infos = letter_generation.generate_letters(ctx, mid, progress=lambda done, total: seen.append((done, total)))
    assert sorted(i.kenmerk for i in infos) == sorted(decided)
    assert {i.decision_type for i in infos} == set(DecisionType) - {DecisionType.WITHDRAWN}  # Issue 12: a later meeting
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    for info in infos:
        item, decision = decided[info.kenmerk]
        assert info.letter_version == 1 and info.generated_by == ctx.actor.name and not info.is_sent
        text = pdf_text(letter_archive.letter_pdf(ctx, info.id))
        assert info.kenmerk in text
        assert item.organisation in text
        assert "23 november 2026" in text  # letter date = ctx.today(), written the Dutch way
        assert decision.decision_type.label in text  # toegekend / voorwaardelijk toegekend / ...
        assert detail.chair_name in text and detail.secretary_name in text
        if decision.decision_type is DecisionType.CONDITIONAL:
            assert decision.conditional_deadline is not None
            deadline = decision.conditional_deadline
            from commissie_app.domain.validation import format_date_nl
            assert f"uiterlijk {format_date_nl(deadline)}" in text.lower()
        if decision.decision_type is DecisionType.GRANTED:
            assert "SROI-badge is geldig van" in text


def test_archive_holds_hash_and_template_version_and_audit(ctx):
    mid = closed_demo_meeting(ctx)
    infos = letter_generation.generate_letters(ctx, mid)
    for info in infos:
        pdf = letter_archive.letter_pdf(ctx, info.id)
        assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == info.sha256
        assert len(info.template_version) == 64
    with UnitOfWork(ctx) as uow:
        actions = uow.session.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "decision_letter")).all()
    assert actions.count("generate") == 4


def test_regenerate_makes_version_2_and_leaves_version_1_byte_identical(ctx):
    mid = closed_demo_meeting(ctx)
    first = {i.kenmerk: i for i in letter_generation.generate_letters(ctx, mid)}
    before = {k: letter_archive.letter_pdf(ctx, i.id) for k, i in first.items()}
    changed = dataclasses.replace(letter_settings.get_letter_settings(ctx), phone="023 000 0000")
    letter_settings.set_letter_settings(ctx, changed)  # unchanged letters are re-used
    second = letter_generation.generate_letters(ctx, mid)
    assert {i.letter_version for i in second} == {2}
    assert {i.id for i in second}.isdisjoint(i.id for i in first.values())
    all_rows = letter_archive.list_letters(ctx, mid)
    assert len(all_rows) == 8
    assert [(r.kenmerk, r.letter_version) for r in all_rows] == sorted((r.kenmerk, r.letter_version) for r in all_rows)
    for k, info in first.items():
        assert letter_archive.letter_pdf(ctx, info.id) == before[k]
        assert next(r for r in all_rows if r.id == info.id).sha256 == info.sha256


def test_sent_letter_cannot_be_marked_again_or_overwritten(ctx):
    mid = closed_demo_meeting(ctx)
    info = letter_generation.generate_letters(ctx, mid)[0]
    letter_sending.mark_sent(ctx, info.id, dt.date(2026, 11, 23), "post")
    sent = letter_archive.get_letter(ctx, info.id)
    assert (sent.sent_on, sent.sent_via) == (dt.date(2026, 11, 23), "post")
    with pytest.raises(DomainError, match="al verzonden op 23 november 2026"):
        letter_sending.mark_sent(ctx, info.id, dt.date(2026, 11, 23), "email")
    # no other code path overwrites it either: the model refuses any change or removal
    with pytest.raises(DomainError, match="al verzonden"):
        with UnitOfWork(ctx) as uow:
            row = uow.session.get(DecisionLetter, info.id)
            row.pdf = b"%PDF-other"
            uow.commit()
    with pytest.raises(DomainError, match="al verzonden"):
        with UnitOfWork(ctx) as uow:
            uow.session.delete(uow.session.get(DecisionLetter, info.id))
            uow.commit()
    assert letter_archive.get_letter(ctx, info.id).sent_via == "post"
    assert hashlib.sha256(letter_archive.letter_pdf(ctx, info.id)).hexdigest() == info.sha256
    with UnitOfWork(ctx) as uow:
        sends = uow.session.scalars(select(AuditEvent).where(AuditEvent.action == "send")).all()
    assert [e.new_values["sent_via"] for e in sends] == ["post"]


def test_unsent_archived_pdf_is_not_overwritten_either(ctx):
    mid = closed_demo_meeting(ctx)
    info = letter_generation.generate_letters(ctx, mid)[0]
    with pytest.raises(DomainError, match="nieuwe versie"):
        with UnitOfWork(ctx) as uow:
            uow.session.get(DecisionLetter, info.id).sha256 = "0" * 64
            uow.commit()


def test_mark_sent_checks_way_and_date(ctx):
    mid = closed_demo_meeting(ctx)
    info = letter_generation.generate_letters(ctx, mid)[0]
    with pytest.raises(ValidationError, match="per post of per e-mail"):
        letter_sending.mark_sent(ctx, info.id, dt.date(2026, 11, 23), "fax")
    with pytest.raises(ValidationError, match="toekomst"):
        letter_sending.mark_sent(ctx, info.id, dt.date(2026, 11, 24), "post")
    assert not letter_archive.get_letter(ctx, info.id).is_sent


def test_only_a_closed_meeting_gets_letters(ctx):
    create_demo_data(ctx)
    planned = other_meeting(ctx, MeetingStatus.PLANNED)
    with pytest.raises(DomainError, match="pas gemaakt als de vergadering gesloten is .status nu: gepland"):
        letter_generation.generate_letters(ctx, planned)
    import uuid

    with pytest.raises(NotFoundError, match="bestaat niet"):
        letter_generation.generate_letters(ctx, uuid.uuid4())
    assert letter_archive.list_letters(ctx) == []


def test_tampered_pdf_is_refused(ctx):
    mid = closed_demo_meeting(ctx)
    info = letter_generation.generate_letters(ctx, mid)[0]
    with ctx.db.engine.begin() as conn:
        conn.execute(DecisionLetter.__table__.update().where(DecisionLetter.__table__.c.id == info.id)
                     .values(pdf=b"%PDF-tampered"))
    with pytest.raises(DomainError, match="SHA-256"):
        letter_archive.letter_pdf(ctx, info.id)


def test_eml_draft_to_organisation_with_pdf_attached(ctx):
    mid = closed_demo_meeting(ctx)
    info = letter_generation.generate_letters(ctx, mid)[0]
    letter_settings.set_letter_settings(ctx, LetterSettings(email="secretariaat@commissie.example.nl"))
    raw = letter_sending.eml_draft(ctx, info.id)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["To"].addresses[0].addr_spec == info.organisation_email
    assert msg["From"].addresses[0].addr_spec == "secretariaat@commissie.example.nl"
    assert info.kenmerk in msg["Subject"]
    parts = list(msg.iter_attachments())
    assert [p.get_filename() for p in parts] == [f"{info.kenmerk}.pdf"]
    assert parts[0].get_content() == letter_archive.letter_pdf(ctx, info.id)
    assert "Geachte" in msg.get_body(("plain",)).get_content()


def test_letter_settings_default_then_saved_and_used(ctx):
    assert letter_settings.get_letter_settings(ctx) == letter_settings.DEFAULT_SETTINGS
    mine = LetterSettings(sender_name="Commissie Sociaal Inkopen", address_lines=("Postbus 1", "1000 AA Haarlem"),
                          phone="023 000 0000", email="a@b.example", website="example.nl", logo_path=None,
                          contact_name="Sanne de Wit", contact_phone="023 000 0001", contact_email="s@b.example",
                          objection_procedure="bezwaar")
    mid = closed_demo_meeting(ctx)
    letter_settings.set_letter_settings(ctx, mine)
    assert letter_settings.get_letter_settings(ctx) == mine
    text = pdf_text(letter_archive.letter_pdf(ctx, letter_generation.generate_letters(ctx, mid)[0].id))
    assert "023 000 0000" in text and "Postbus 1" in text and "Bezwaar maken" in text
    assert "contact op met Sanne de Wit, telefoon 023 000 0001, e-mail s@b.example" in text
    with pytest.raises(ValidationError):
        letter_settings.set_letter_settings(ctx, LetterSettings(sender_name=" "))


def test_badge_validity():
    rules = Rules()  # the shipped rules: 24 months
    assert badge_valid_until(DecisionType.GRANTED, dt.date(2026, 8, 11), None, rules) == dt.date(2028, 8, 10)
    assert badge_valid_until(DecisionType.GRANTED, dt.date(2028, 2, 29), None, rules) == dt.date(2030, 2, 27)
    assert badge_valid_until(DecisionType.GRANTED, dt.date(2026, 8, 11), None,
                             Rules(badge_validity_months=12)) == dt.date(2027, 8, 10)
    assert (badge_valid_until(DecisionType.CONDITIONAL, dt.date(2026, 8, 11), dt.date(2027, 2, 1), rules)
            == dt.date(2027, 2, 1))
    assert badge_valid_until(DecisionType.REJECTED, dt.date(2026, 8, 11), None, rules) is None
    assert badge_valid_until(DecisionType.DEFERRED, None, None, rules) is None


def test_badge_end_is_fixed_by_the_rules_when_the_decision_is_recorded(ctx):
    """The commission sets the validity in its rules; a later change leaves taken decisions alone."""
    ctx = dataclasses.replace(ctx, rules=Rules(badge_validity_months=12))
    mid = closed_demo_meeting(ctx)
    granted = next(i.decision for i in meeting_detail.get_meeting(ctx, mid).items
                   if i.decision and i.decision.decision_type is DecisionType.GRANTED)
    assert granted.badge_valid_until == add_months(granted.badge_valid_from, 12) - dt.timedelta(days=1)
    ctx = dataclasses.replace(ctx, rules=Rules(badge_validity_months=36))
    info = next(i for i in letter_generation.generate_letters(ctx, mid) if i.kenmerk == granted.kenmerk)
    text = pdf_text(letter_archive.letter_pdf(ctx, info.id))
    from commissie_app.domain.validation import format_date_nl
    assert f"tot en met {format_date_nl(granted.badge_valid_until)}" in text


# ---------------------------------------------------------------- CLI


def test_cli_writes_the_batch_named_by_kenmerk(ctx, tmp_path, capsys):
    mid = closed_demo_meeting(ctx)
    out = tmp_path / "brieven"
    assert main(["letters", str(mid), "--out", str(out), "--db", ctx.db.url, "--als", ctx.actor.name]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["KIP-2026-001.pdf", "KIP-2026-002.pdf", "KIP-2026-003.pdf", "KIP-2026-004.pdf"]
    assert "KIP-2026-001" in pdf_text((out / "KIP-2026-001.pdf").read_bytes())
    summary = capsys.readouterr().out
    assert "4 besluitbrieven" in summary and "KIP-2026-004" in summary
    # a second run with a changed letterhead archives version 2 and writes files that say so
    letter_settings.set_letter_settings(ctx, dataclasses.replace(letter_settings.get_letter_settings(ctx),
                                                                 phone="023 000 0000"))
    assert main(["letters", str(mid), "--out", str(out), "--db", ctx.db.url, "--als", ctx.actor.name]) == 0
    assert (out / "KIP-2026-001-v2.pdf").exists() and len(list(out.iterdir())) == 8


def test_cli_refuses_meeting_not_closed_or_unknown(ctx, tmp_path, capsys):
    create_demo_data(ctx)
    planned = other_meeting(ctx, MeetingStatus.PLANNED)
    assert main(["letters", str(planned), "--out", str(tmp_path / "x"), "--db", ctx.db.url, "--als", ctx.actor.name]) == 1
    assert "gesloten" in capsys.readouterr().err
    assert main(["letters", "1999-01-01", "--out", str(tmp_path / "x"), "--db", ctx.db.url, "--als", ctx.actor.name]) == 1
    assert "Er is geen vergadering op 1999-01-01" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_an_own_logo_is_kept_in_the_database_not_as_a_path(ctx, tmp_path):
    """Every machine sharing the database prints the same letterhead, even without the original file."""
    from PIL import Image

    from commissie_app.documents.letter_content import DEFAULT_LOGO

    own = tmp_path / "gemeentelogo.png"
    Image.new("RGB", (60, 60), (10, 90, 160)).save(own)
    data = own.read_bytes()
    letter_settings.set_letter_settings(ctx, LetterSettings(sender_name="Commissie Sociaal Inkopen", logo_path=own))
    own.unlink()  # the file chosen on the secretary's laptop is gone
    stored = letter_settings.get_letter_settings(ctx).logo_path
    assert stored is not None and stored != own and stored.read_bytes() == data
    with UnitOfWork(ctx) as uow:
        audited = uow.session.scalars(select(AuditEvent.new_values).where(AuditEvent.entity_type == "setting")).all()
    assert "sha256:" + hashlib.sha256(data).hexdigest() in str(audited[-1])

    letter_settings.set_letter_settings(ctx, LetterSettings(sender_name="Commissie Sociaal Inkopen", logo_path=None))
    assert letter_settings.get_letter_settings(ctx).logo_path is None
    letter_settings.set_letter_settings(ctx, LetterSettings(sender_name="Commissie Sociaal Inkopen", logo_path=DEFAULT_LOGO))
    assert letter_settings.get_letter_settings(ctx).logo_path == DEFAULT_LOGO


def test_a_logo_that_is_not_an_image_is_refused(ctx, tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_text("dit is geen afbeelding", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        letter_settings.set_letter_settings(ctx, LetterSettings(sender_name="Commissie", logo_path=fake))
    assert "PNG- of JPEG" in err.value.errors["logo"]
    with pytest.raises(ValidationError, match="kan niet worden gelezen"):
        letter_settings.set_letter_settings(ctx, LetterSettings(sender_name="Commissie", logo_path=tmp_path / "weg.png"))
