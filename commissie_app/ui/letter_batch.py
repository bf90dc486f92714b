"""The letters dialog's batch actions on several selected letters: each into one chosen folder (PDF or e-mail
draft, named by kenmerk and organisation, existing files only overwritten when the user says so, progress
with cancel), and all of them marked as sent at once (the date and way asked by the letters dialog).
``dialog`` is the ``LettersDialog`` (its ``ctx``, ``banner``, ``task`` and ``reload``); not imported, since it
imports this module."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _, ngettext
from commissie_app.services import letter_files, letter_generation, letter_sending
from commissie_app.services.letter_archive import LetterInfo
from commissie_app.ui import tasks, widgets
from commissie_app.ui.errors import show_error

MAX_NAMED = 8  # file or letter names quoted in one message


def named(items: list[str]) -> str:
    """``a, b, c`` (at most ``MAX_NAMED``, then "en 3 andere")."""
    shown = ", ".join(items[:MAX_NAMED])
    return shown + (" " + _("en {n} andere").format(n=len(items) - MAX_NAMED) if len(items) > MAX_NAMED else "")


def _choose_files(dialog: QDialog, letters: list[LetterInfo], ext: str) -> list[letter_files.LetterFile]:
    """Ask for the folder, and what to do with files already in it; [] when the user stops."""
    title = _("Map kiezen voor de brieven") if ext == letter_files.PDF else _("Map kiezen voor de e-mailconcepten")
    folder = QFileDialog.getExistingDirectory(dialog, title)
    if not folder:
        return []
    try:
        files = letter_files.plan_files(letters, Path(folder), ext)
    except DomainError as err:
        show_error(dialog, err)
        return []
    existing = [f for f in files if f.path.exists()]
    if not existing:
        return files
    choice = widgets.ask(
        dialog, _("Bestanden bestaan al"),
        _("{n} van de {total} bestanden staan al in {folder}: {names}.\n\nWilt u ze overschrijven?").format(
            n=len(existing), total=len(files), folder=folder, names=named([f.path.name for f in existing])),
        [(_("Overschrijven"), QMessageBox.ButtonRole.AcceptRole),
         (_("Bestaande overslaan"), QMessageBox.ButtonRole.ActionRole),
         (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)],
        default=1, icon=QMessageBox.Icon.Warning)
    if choice == 0:
        return files
    if choice == 1:
        files = [f for f in files if f not in existing]
        if not files:
            dialog.banner.show_message(_("Niets opgeslagen: alle bestanden stonden al in {folder}.").format(
                folder=folder), "info")
        return files
    return []


def save_all(dialog: QDialog, letters: list[LetterInfo], ext: str) -> tasks.Task | None:
    """Every selected letter (``letter_files.PDF``) or its e-mail draft (``EML``) into one folder."""
    if dialog.task is not None and not dialog.task.done:
        return dialog.task
    by_post: list[str] = []
    if ext == letter_files.EML:  # an organisation without e-mail address gets its letter by post
        by_post = [i.kenmerk for i in letters if not i.organisation_email.strip()]
        letters = [i for i in letters if i.organisation_email.strip()]
    files = _choose_files(dialog, letters, ext)
    if not files:
        return None
    folder = files[0].path.parent
    ctx, written = dialog.ctx, [0]

    def work(report):
        def tick(done: int, total: int) -> None:
            written[0] = done
            report(done, total)
        return letter_files.write_files(ctx, files, ext, progress=tick)

    def post_note() -> str:
        return (" " + _("Geen e-mailadres, dus per post: {names}.").format(names=named(by_post))) if by_post else ""

    def done(paths: list[Path]) -> None:
        dialog.task = None
        n = len(paths)
        message = (ngettext("{n} brief opgeslagen in {folder}.", "{n} brieven opgeslagen in {folder}.", n)
                   if ext == letter_files.PDF else
                   ngettext("{n} e-mailconcept opgeslagen in {folder}. Open het in uw e-mailprogramma om het te "
                            "versturen.",
                            "{n} e-mailconcepten opgeslagen in {folder}. Open ze in uw e-mailprogramma om ze te "
                            "versturen.", n))
        dialog.banner.show_message(message.format(n=len(paths), folder=folder) + post_note(), "info")

    def failed(err: BaseException) -> None:
        dialog.task = None
        message = ngettext("Afgebroken: {n} van de {total} bestanden is opgeslagen in {folder}.",
                           "Afgebroken: {n} van de {total} bestanden zijn opgeslagen in {folder}.", written[0]).format(
            n=written[0], total=len(files), folder=folder)
        dialog.banner.show_message(message, "warning")
        if not isinstance(err, tasks.Cancelled):
            show_error(dialog, err)

    dialog.task = tasks.run_task(dialog, work, progress=True, on_success=done, on_failure=failed,
                                 label=_("Brieven opslaan in {folder}…").format(folder=folder))
    return dialog.task


def mark_all_sent(dialog: QDialog, letters: list[LetterInfo], day, via: str, new_version: bool = False) -> None:
    """Record one date and way of sending for all these letters in one go (all or none), then show them;
    ``new_version``: a letter dated another day first gets a new version dated ``day`` (issue 14)."""
    ids = {i.id for i in letters}
    try:
        if new_version:
            sent = letter_generation.mark_sent_dated(dialog.ctx, [i.id for i in letters], day, via)
            ids, count = {i.id for i in sent}, len(sent)
        else:
            count = letter_sending.mark_all_sent(dialog.ctx, [i.id for i in letters], day, via)
    except DomainError as err:
        show_error(dialog, err)
        dialog.reload(ids)
        return
    dialog.reload(ids)
    dialog.banner.show_message(ngettext("{n} brief gemarkeerd als verzonden.", "{n} brieven gemarkeerd als verzonden.",
                                        count).format(n=count), "info")
