"""Letters leaving the archive: the output folder, file names from the kenmerk, and the stored hash."""

from __future__ import annotations

import dataclasses
import errno
import logging

import pytest
from sqlalchemy import select

from commissie_app import cli_letters
from commissie_app.cli import main
from commissie_app.db.models import AuditEvent, DecisionLetter
from commissie_app.domain.errors import DomainError
from commissie_app.domain.rules import Rules, load_rules
from commissie_app.services import letter_archive, letter_generation, letter_sending, letter_settings
from commissie_app.services.uow import UnitOfWork

from test_letters_service import closed_demo_meeting, pdf_text

KENMERKEN = ["KIP-2026-001", "KIP-2026-002", "KIP-2026-003", "KIP-2026-004"]


def run_letters(ctx, mid, out) -> int:
    return main(["letters", str(mid), "--out", str(out), "--db", ctx.db.url, "--als", ctx.actor.name])


def versions(ctx, mid) -> list[tuple[str, int]]:
    return [(i.kenmerk, i.letter_version) for i in letter_archive.list_letters(ctx, mid)]


# ---------------------------------------------------------------- item 6: kenmerk as a file name


@pytest.mark.parametrize("pattern", ["../../KIP-{jaar}-{volgnummer:03}", "KIP/{jaar}/{volgnummer:03}",
                                     "..\\\\KIP-{jaar}-{volgnummer}", "KIP:{jaar}-{volgnummer}",
                                     "KIP-{jaar}-{volgnummer:/>4}"])
def test_rules_refuse_a_kenmerk_pattern_that_is_no_plain_file_name(tmp_path, pattern):
    """Issue 9, item 6: the kenmerk names the letter's file, so the rules file is refused when read."""
    rules = tmp_path / "rules.toml"
    rules.write_text(f"[decision]\nkenmerk_pattern = '{pattern}'\n", encoding="utf-8")
    with pytest.raises(DomainError, match="kenmerk_pattern") as err:
        load_rules(rules)
    assert "briefbestand" in str(err.value) and str(rules) in str(err.value)


def test_shipped_rules_pattern_is_accepted():
    assert load_rules().kenmerk_pattern == "KIP-{jaar}-{volgnummer:03}"


def test_letters_out_never_writes_outside_the_folder(ctx, tmp_path, capsys):
    """Issue 9, item 6: decisions numbered with a '../' pattern (stored before the rules were checked)
    are refused at writing with a Dutch message; no file lands anywhere."""
    mid = closed_demo_meeting(dataclasses.replace(ctx, rules=Rules(kenmerk_pattern="../../KIP-{jaar}-{volgnummer:03}")))
    out = tmp_path / "a" / "brieven"
    assert run_letters(ctx, mid, out) == 1
    err = capsys.readouterr().err
    assert "‘../../KIP-2026-001’ kan geen bestandsnaam zijn" in err and "andere map" in err
    assert list(tmp_path.rglob("*.pdf")) == [] and list(tmp_path.parent.glob("KIP-*")) == []
    info = letter_archive.list_letters(ctx, mid)[0]
    with pytest.raises(DomainError, match="geen bestandsnaam"):
        letter_sending.eml_draft(ctx, info.id)  # the attachment is named by the kenmerk too


# ---------------------------------------------------------------- item 7: folder first, retries


def test_unwritable_folder_is_refused_before_anything_is_archived(ctx, tmp_path, capsys):
    """Issue 9, item 7: a folder that cannot be made or written (here: under a regular file, which
    fails for root too) is refused before a letter is archived; retries archive nothing either."""
    mid = closed_demo_meeting(ctx)
    blocker = tmp_path / "geen-map.txt"
    blocker.write_text("x", encoding="utf-8")
    for _attempt in range(2):
        assert run_letters(ctx, mid, blocker / "brieven") == 1
        err = capsys.readouterr().err
        assert "kan niet worden geschreven" in err and "geen brieven gemaakt of gearchiveerd" in err
    assert letter_archive.list_letters(ctx, mid) == []


def test_retry_after_an_interrupted_write_adds_no_versions(ctx, tmp_path, monkeypatch, capsys):
    """Issue 9, item 7: the disk fills up at the third file: the message names the files that are in
    the folder; no half file is left; the retry re-uses the archived letters (still version 1)."""
    mid = closed_demo_meeting(ctx)
    out = tmp_path / "brieven"
    real_replace, calls = cli_letters.os.replace, []

    def full_disk(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "Geen ruimte meer op het apparaat")
        real_replace(src, dst)

    monkeypatch.setattr(cli_letters.os, "replace", full_disk)
    assert run_letters(ctx, mid, out) == 1
    err = capsys.readouterr().err
    assert "afgebroken bij KIP-2026-003.pdf" in err and "Geen ruimte meer" in err
    assert "In de map staan van deze opdracht: KIP-2026-001.pdf, KIP-2026-002.pdf" in err
    assert "niet geschreven: KIP-2026-003.pdf, KIP-2026-004.pdf" in err
    assert sorted(p.name for p in out.iterdir()) == ["KIP-2026-001.pdf", "KIP-2026-002.pdf"]
    assert versions(ctx, mid) == [(k, 1) for k in KENMERKEN]

    monkeypatch.setattr(cli_letters.os, "replace", real_replace)
    for _retry in range(2):
        assert run_letters(ctx, mid, out) == 0
        assert "ongewijzigd, al gearchiveerd" in capsys.readouterr().out
        assert versions(ctx, mid) == [(k, 1) for k in KENMERKEN]
    assert sorted(p.name for p in out.iterdir()) == [f"{k}.pdf" for k in KENMERKEN]
    with UnitOfWork(ctx) as uow:
        generated = uow.session.scalars(select(AuditEvent).where(AuditEvent.action == "generate")).all()
    assert len(generated) == 4


def test_a_changed_letter_still_gets_a_new_version(ctx):
    """Issue 9, item 7: re-use only when nothing changed; a new letterhead makes version 2."""
    mid = closed_demo_meeting(ctx)
    letter_generation.generate_letters(ctx, mid)
    assert all(i.reused for i in letter_generation.generate_letters(ctx, mid))
    settings = letter_settings.get_letter_settings(ctx)
    from dataclasses import replace
    letter_settings.set_letter_settings(ctx, replace(settings, phone="023 000 0000"))
    again = letter_generation.generate_letters(ctx, mid)
    assert {(i.letter_version, i.reused) for i in again} == {(2, False)}
    assert "023 000 0000" in pdf_text(letter_archive.letter_pdf(ctx, again[0].id))


# ---------------------------------------------------------------- item 3: the stored hash


def tamper(ctx, letter_id, **values) -> None:
    table = DecisionLetter.__table__
    with ctx.db.engine.begin() as conn:
        conn.execute(table.update().where(table.c.id == letter_id).values(**values))


def test_letter_changed_outside_the_app_is_refused_everywhere_and_logged(ctx, tmp_path, caplog, capsys):
    """Issue 9, item 3: a direct UPDATE of an unsent letter's PDF is refused on every way out."""
    mid = closed_demo_meeting(ctx)
    out = tmp_path / "brieven"
    assert run_letters(ctx, mid, out) == 0  # archived and written once, with the command's own date
    (out / "KIP-2026-001.pdf").unlink()
    info = letter_archive.list_letters(ctx, mid)[0]
    tamper(ctx, info.id, pdf=b"%PDF-1.4 vervalst")
    caplog.set_level(logging.ERROR, logger="commissie_app.services.letter_archive")
    with pytest.raises(DomainError, match="buiten de app gewijzigd") as err:
        letter_archive.letter_pdf(ctx, info.id)
    assert info.kenmerk in str(err.value)
    assert any(info.kenmerk in r.getMessage() and "buiten de app gewijzigd" in r.getMessage() for r in caplog.records)
    with pytest.raises(DomainError):
        letter_sending.eml_draft(ctx, info.id)
    capsys.readouterr()
    assert run_letters(ctx, mid, out) == 1  # the unchanged letter is re-used: its archived bytes are checked
    assert "buiten de app gewijzigd" in capsys.readouterr().err
    assert not (out / info.filename).exists()
    assert versions(ctx, mid) == [(k, 1) for k in KENMERKEN]
    with UnitOfWork(ctx) as uow:
        failures = uow.session.scalars(select(AuditEvent).where(AuditEvent.action == "integrity_failure")).all()
    assert len(failures) == 3 and {f.entity_id for f in failures} == {str(info.id)}


def test_pdf_and_hash_replaced_together_are_caught_by_the_generate_record(ctx):
    """Issue 9, item 3: the hash written in the audit record when the letter was made still counts."""
    import hashlib

    mid = closed_demo_meeting(ctx)
    info = letter_generation.generate_letters(ctx, mid)[1]
    forged = b"%PDF-1.4 vervalst"
    tamper(ctx, info.id, pdf=forged, sha256=hashlib.sha256(forged).hexdigest())
    with pytest.raises(DomainError, match="buiten de app gewijzigd"):
        letter_archive.letter_pdf(ctx, info.id)
