"""Archived decision letters out as files, for a whole batch at once: each into one folder as PDF or as an
e-mail draft (``write_files``), or all of them as one PDF to preview and print (``combined_pdf``).

Every letter comes out through ``letter_archive.letter_pdf`` (hash checked) or ``letter_sending.eml_draft``;
each file is written under a temporary name and moved into place, so a cancelled batch leaves whole files.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pathvalidate import sanitize_filename

from commissie_app.domain.rules import kenmerk_file_name
from commissie_app.services.context import ServiceContext
from commissie_app.services.export_files import write_atomically
from commissie_app.services.letter_archive import LetterInfo, letter_pdf
from commissie_app.services.letter_sending import eml_draft

PDF, EML = ".pdf", ".eml"
ORGANISATION_LENGTH = 60  # of the organisation's name in a file name


@dataclass(frozen=True)
class LetterFile:
    letter_id: uuid.UUID
    kenmerk: str
    path: Path


def file_name(info: LetterInfo, ext: str = PDF) -> str:
    """``KIP-2026-001 Stichting De Brug.pdf`` (``KIP-2026-001-v2 …`` for a later version); the organisation's
    name without characters a file name cannot hold. A DomainError when the kenmerk is no plain file name."""
    version = "" if info.letter_version == 1 else f"-v{info.letter_version}"
    org = sanitize_filename(info.organisation, platform="universal")[:ORGANISATION_LENGTH].strip(" .")
    return kenmerk_file_name(info.kenmerk, f"{version} {org}{ext}" if org else f"{version}{ext}")


def plan_files(infos: list[LetterInfo], folder: Path, ext: str = PDF) -> list[LetterFile]:
    """Where each letter goes in ``folder`` (nothing written yet; the caller asks about existing files)."""
    return [LetterFile(i.id, i.kenmerk, folder / file_name(i, ext)) for i in infos]


def write_files(ctx: ServiceContext, files: list[LetterFile], ext: str = PDF,
                progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write each letter (``PDF``) or its e-mail draft (``EML``) to its path; ``progress(done, total)`` after
    each file (it may raise to stop: the files written so far stay, each complete)."""
    written: list[Path] = []
    if progress:
        progress(0, len(files))
    for done, f in enumerate(files, start=1):
        data = letter_pdf(ctx, f.letter_id) if ext == PDF else eml_draft(ctx, f.letter_id)
        write_atomically(f.path, lambda tmp, data=data: tmp.write_bytes(data))
        written.append(f.path)
        if progress:
            progress(done, len(files))
    return written


def combined_pdf(ctx: ServiceContext, letter_ids: list[uuid.UUID]) -> bytes:
    """The archived letters one after another in one PDF (each checked as ``letter_pdf`` does)."""
    import pypdfium2 as pdfium

    combined = pdfium.PdfDocument.new()
    try:
        for letter_id in letter_ids:
            part = pdfium.PdfDocument(letter_pdf(ctx, letter_id))
            try:
                combined.import_pages(part)
            finally:
                part.close()
        out = io.BytesIO()
        combined.save(out)
        return out.getvalue()
    finally:
        combined.close()
