"""Issue 14: every document of the demo data, as text, equals its reviewed expected text in ``tests/approved/``.

The demo is made once per test session (SQLite) on the tests' fixed today with a fixed clock; each document is
rendered, turned into text with ``pdftotext -layout`` (an .ics is text already) and compared with
``tests/approved/<name>.txt``. A difference fails with a unified diff. After a deliberate change of wording, read
the diff, then rewrite the expected texts with ``COMMISSIE_APPROVE=1`` or ``--approve`` and read them whole
before committing (README, "Approved documents").

Masked, because it differs from run to run by nature: in the .ics, the ``UID`` (it holds the meeting's random
id). ``DTSTAMP`` is not masked: it is the service context's fixed moment, so the file is reproducible. The .ics is
unfolded (one line per property). A page
break of the PDF is shown as a line ``=== pagina-einde ===``; trailing spaces are dropped. The decision letters of
a meeting are made the day after it, the other letters on the demo's today.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from commissie_app.db.engine import Database
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.services import correspondence, letter_archive, letter_generation, meeting_documents, meeting_planning
from commissie_app.services.demo import create_demo_data
from tests.conftest import TODAY, make_ctx

APPROVED = Path(__file__).parent / "approved"
NOW = dt.datetime.combine(TODAY, dt.time(9, 0), tzinfo=ZoneInfo("Europe/Amsterdam")).astimezone(dt.timezone.utc)
MASKS = [(re.compile(r"^UID:.*$", re.MULTILINE), "UID:<id van de vergadering>")]


def approving(config) -> bool:
    return bool(os.environ.get("COMMISSIE_APPROVE")) or config.getoption("--approve")


def pdf_text(pdf: bytes, folder: Path) -> str:
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True).stdout.decode()
    return normalise(text.replace("\f", "\n=== pagina-einde ===\n"))


def normalise(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def ics_text(data: bytes) -> str:
    text = re.sub(r"\r?\n[ \t]", "", data.decode("utf-8")).replace("\r\n", "\n")  # RFC 5545 unfolding
    for pattern, mask in MASKS:
        text = pattern.sub(mask, text)
    return normalise(text)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, sqlite_template) -> dict[str, str]:
    """Document name -> its text, for every document of the demo data."""
    folder = tmp_path_factory.mktemp("approved")
    shutil.copy(sqlite_template, folder / "demo.sqlite")
    database = Database(f"sqlite:///{folder / 'demo.sqlite'}")
    ctx = dataclasses.replace(make_ctx(database), now=lambda: NOW)
    create_demo_data(ctx)
    docs = {}
    for meeting in meeting_planning.list_meetings(ctx):
        name = f"vergadering-{meeting.local_start.date().isoformat()}"
        docs[f"{name}-notulen"] = pdf_text(meeting_documents.minutes_pdf(ctx, meeting.id), folder)
        if meeting.status is MeetingStatus.CLOSED:
            day_after = meeting.local_start.date() + dt.timedelta(days=1)
            for letter in letter_generation.generate_letters(dataclasses.replace(ctx, today=lambda d=day_after: d),
                                                             meeting.id):
                docs[f"besluitbrief-{letter.kenmerk}"] = pdf_text(letter_archive.letter_pdf(ctx, letter.id), folder)
        else:
            docs[f"{name}-agenda"] = pdf_text(meeting_documents.agenda_pdf(ctx, meeting.id), folder)
            docs[f"{name}-uitnodiging.ics"] = ics_text(meeting_documents.agenda_ics(ctx, meeting.id))
    for letter in correspondence.make_due(ctx, correspondence.due_reminders(ctx)):
        docs[letter.filename.removesuffix(".pdf")] = pdf_text(correspondence.correspondence_pdf(ctx, letter.id), folder)
    database.dispose()
    return docs


def expected_names() -> list[str]:
    return sorted(p.name.removesuffix(".txt") for p in APPROVED.glob("*.txt"))


def test_every_document_of_the_demo_has_an_approved_text(rendered, request):
    """Issue 14: the demo's documents are exactly those with an expected text: agenda, invitation and draft
    minutes of the planned meeting, minutes and decision letters of the closed meetings, the other letters."""
    if approving(request.config):
        APPROVED.mkdir(exist_ok=True)
        for stale in set(expected_names()) - set(rendered):
            (APPROVED / f"{stale}.txt").unlink()
        for name, text in rendered.items():
            (APPROVED / f"{name}.txt").write_text(text, encoding="utf-8")
    assert sorted(rendered) == expected_names()
    kinds = {re.sub(r"-\d{4}-\d{2}-\d{2}.*|-KIP-.*|-[A-Z].*", "", n) for n in rendered}
    assert {"vergadering", "besluitbrief"} <= kinds
    assert any(n.endswith("-agenda") for n in rendered) and any(n.endswith(".ics") for n in rendered)


@pytest.mark.parametrize("name", expected_names())
def test_document_text_is_the_approved_one(rendered, name, request):
    """Issue 14: a change of wording in a document shows up as a readable diff, not as a silent change."""
    path = APPROVED / f"{name}.txt"
    actual = rendered.get(name)
    if actual is None:
        pytest.fail(f"The demo no longer makes the document {name} (expected text {path}).", pytrace=False)
    if approving(request.config):
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                            fromfile=f"tests/approved/{name}.txt (approved)",
                                            tofile=f"{name} (rendered now)"))
        pytest.fail(f"{name} differs from its approved text; if the change is meant, run with --approve or "
                    f"COMMISSIE_APPROVE=1 and review the file:\n{diff}", pytrace=False)
