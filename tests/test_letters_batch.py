"""Issue 13: the letters of a closed meeting as one batch: marked as sent at once (all or none), written into
one folder under names from kenmerk and organisation, combined into one PDF. On SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from commissie_app.db.models import AuditEvent
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.services import letter_archive, letter_files, letter_generation, letter_sending
from tests.test_letters_service import closed_demo_meeting

DAY = dt.date(2026, 11, 23)


def send_events(ctx) -> list[AuditEvent]:
    from commissie_app.services.uow import UnitOfWork

    with UnitOfWork(ctx) as uow:
        return list(uow.session.scalars(select(AuditEvent).where(AuditEvent.action == "send")))


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def letters(ctx):
    mid = closed_demo_meeting(ctx)
    return ctx, letter_generation.generate_letters(ctx, mid)


def test_mark_all_sent_marks_every_letter_in_one_go_and_audits_each(letters):
    """Issue 13: the whole batch marked as sent with one date and way of sending, one audit event per letter."""
    ctx, infos = letters
    assert letter_sending.mark_all_sent(ctx, [i.id for i in infos], DAY, "email") == len(infos) == 4
    for info in infos:
        sent = letter_archive.get_letter(ctx, info.id)
        assert (sent.sent_on, sent.sent_via) == (DAY, "email")
    events = send_events(ctx)
    assert sorted(e.entity_id for e in events) == sorted(str(i.id) for i in infos)
    assert {e.new_values["sent_via"] for e in events} == {"email"} and {e.actor for e in events} == {ctx.actor.name}


def test_mark_all_sent_refuses_letters_already_sent_and_marks_none(letters):
    """Issue 13: all or none: one letter of the batch already sent refuses the batch, naming that letter."""
    ctx, infos = letters
    letter_sending.mark_sent(ctx, infos[1].id, DAY, "post")
    with pytest.raises(DomainError, match=f"al verzonden.*{infos[1].kenmerk} \\(23 november 2026\\)") as caught:
        letter_sending.mark_all_sent(ctx, [i.id for i in infos], DAY, "email")
    assert infos[0].kenmerk not in str(caught.value) and "niets gemarkeerd" in str(caught.value)
    assert [letter_archive.get_letter(ctx, i.id).sent_via for i in infos] == [None, "post", None, None]
    assert len(send_events(ctx)) == 1  # only the single letter's own


def test_mark_all_sent_with_an_unknown_letter_or_a_bad_date_marks_none(letters):
    """Issue 13: a letter that no longer exists, a future date, another way or an empty batch: nothing marked."""
    import uuid

    ctx, infos = letters
    ids = [i.id for i in infos]
    with pytest.raises(NotFoundError):
        letter_sending.mark_all_sent(ctx, ids + [uuid.uuid4()], DAY, "post")
    with pytest.raises(ValidationError, match="toekomst"):
        letter_sending.mark_all_sent(ctx, ids, DAY + dt.timedelta(days=1), "post")
    with pytest.raises(ValidationError, match="per post of per e-mail"):
        letter_sending.mark_all_sent(ctx, ids, DAY, "fax")
    with pytest.raises(ValidationError, match="Kies eerst"):
        letter_sending.mark_all_sent(ctx, [], DAY, "post")
    assert not any(letter_archive.get_letter(ctx, i).is_sent for i in ids)
    assert send_events(ctx) == []


def test_files_are_named_by_kenmerk_and_organisation_and_written_whole(letters, tmp_path):
    """Issue 13: save the batch: one file per letter, named "KIP-2026-001 <organisation>.pdf", the archived bytes."""
    ctx, infos = letters
    tmp_path = tmp_path / "brieven"
    tmp_path.mkdir()
    files = letter_files.plan_files(infos, tmp_path)
    assert [f.path.name for f in files] == [f"{i.kenmerk} {i.organisation}.pdf" for i in infos]
    written = letter_files.write_files(ctx, files)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.path.name for f in files) == sorted(
        p.name for p in written)
    for f, info in zip(files, infos):
        assert hashlib.sha256(f.path.read_bytes()).hexdigest() == info.sha256
    drafts = letter_files.write_files(ctx, letter_files.plan_files(infos[:2], tmp_path, letter_files.EML),
                                      letter_files.EML)
    assert [p.name for p in drafts] == [f"{i.kenmerk} {i.organisation}.eml" for i in infos[:2]]
    assert b"X-Unsent: 1" in drafts[0].read_bytes()


def test_a_file_name_holds_no_character_a_file_system_refuses(letters):
    """Issue 13: an organisation's name with / : ? or a long name still gives one plain file name; version 2."""
    _ctx, infos = letters
    odd = dataclasses.replace(infos[0], organisation="De Brug / Werk: en? Meer " + "x" * 100, letter_version=2)
    name = letter_files.file_name(odd)
    assert name.startswith(f"{infos[0].kenmerk}-v2 De Brug") and name.endswith(".pdf")
    assert not set("/:?") & set(name) and len(name) < 90


def test_combined_pdf_holds_every_page_of_every_letter(letters):
    """Issue 13: one preview and one print job for the batch: all pages of all letters, in order."""
    ctx, infos = letters
    single = [letter_archive.letter_pdf(ctx, i.id) for i in infos]
    combined = letter_files.combined_pdf(ctx, [i.id for i in infos])
    assert pages(combined) == sum(pages(p) for p in single)
    first = PdfReader(io.BytesIO(combined)).pages[0].extract_text()
    assert infos[0].kenmerk in first


def test_latest_versions_are_the_letters_to_send(letters):
    """Issue 13: "3 van 4 verzonden" counts each decision's latest letter version once."""
    ctx, infos = letters
    letter_sending.mark_sent(ctx, infos[0].id, DAY, "post")
    rows = letter_archive.list_letters(ctx)
    latest = letter_archive.latest_versions(rows)
    assert len(latest) == 4 and sum(i.is_sent for i in latest) == 1
    v2 = dataclasses.replace(rows[0], id=rows[1].id, letter_version=2, sent_on=None)
    assert letter_archive.latest_versions([rows[0], v2]) == [v2]
