"""The one background helper: long work off the UI thread, results back on it.

``run_task(parent, fn, on_success=..., on_failure=...)`` runs ``fn`` in a worker thread. The
worker never touches a widget: it only emits signals, which Qt delivers to this module's
``Task`` object living on the UI thread, where the callbacks run. Services open their own
session, so the worker needs no session from the UI. Tasks run one at a time (a pool of one
thread), which also serialises database writes.

With ``progress=True`` the callable receives a ``report(done, total)`` function; a progress
dialog appears only when the work lasts longer than ``MINIMUM_DURATION_MS`` and its Cancel
button makes the next ``report`` raise ``Cancelled`` in the worker, so the service rolls back.

Tests set ``SYNCHRONOUS = True`` (like Picard's FakeThreadPool): the work then runs at once on
the calling thread and the callbacks have run when ``run_task`` returns.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _

log = logging.getLogger(__name__)

SYNCHRONOUS = False
MINIMUM_DURATION_MS = 500
REPORT_INTERVAL_S = 0.05  # at most ~20 progress updates a second reach the UI thread

Report = Callable[[int, int], None]

_pool: QThreadPool | None = None
_running: set["Task"] = set()


class Cancelled(DomainError):
    """Raised in the worker by ``report`` after the user pressed Cancel."""

    def __init__(self) -> None:
        super().__init__(_("Afgebroken; er is niets opgeslagen."))


def thread_pool() -> QThreadPool:
    global _pool
    if _pool is None or not shiboken6.isValid(_pool):
        # Owned by the application object, so Qt (not Python's shutdown) ends its thread.
        _pool = QThreadPool(QCoreApplication.instance())
        _pool.setMaxThreadCount(1)  # one task at a time: database writes are serialised
    return _pool


def wait_for_all(msecs: int = -1) -> bool:
    """Block until the running tasks' work is done (on application exit, in tests)."""
    return thread_pool().waitForDone(msecs)


class _Signals(QObject):
    """Emitted from the worker thread, received on the UI thread (queued connection)."""

    sig_progress = Signal(int, int)
    sig_finished = Signal()  # the outcome is on the task; no Python object crosses threads in Qt


class _Runnable(QRunnable):
    def __init__(self, task: "Task"):
        super().__init__()
        self.setAutoDelete(True)
        self._task = task

    def run(self) -> None:  # worker thread
        self._task._execute()


class Task(QObject):
    """One piece of background work and its progress dialog; lives on the UI thread."""

    sig_done = Signal()  # after the success or failure callback has run

    def __init__(
        self,
        parent: QWidget | None,
        fn: Callable[..., Any],
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
        label: str,
        progress: bool,
        quiet: bool = False,
    ):
        super().__init__()
        self._parent = parent
        self._fn = fn
        self._on_success = on_success
        self._on_failure = on_failure
        self._with_progress = progress
        self._cancel = threading.Event()
        self.done = False
        self._last_report = 0.0
        self._in_progress_slot = False
        self._signals = _Signals()
        self._signals.sig_progress.connect(self._progressed)
        self._signals.sig_finished.connect(self._finished)
        self._outcome: tuple[bool, Any] | None = None
        # quiet: a check the user did not ask for (and can go on working during) shows no dialog at all
        self.dialog = None if quiet else self._make_dialog(label)

    # -- UI thread --------------------------------------------------------------------------------
    def _make_dialog(self, label: str) -> QProgressDialog:
        from commissie_app.ui.widgets import plain  # labels name files the user chose

        dialog = QProgressDialog(plain(label), _("Annuleren") if self._with_progress else "", 0, 0, self._parent)
        dialog.setWindowTitle(_("Even geduld"))
        dialog.setMinimumWidth(420)
        bar = QProgressBar(dialog)
        bar.setFormat(_("%v van %m"))
        dialog.setBar(bar)
        if not self._with_progress:
            dialog.setCancelButton(None)  # nothing could stop it
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(MINIMUM_DURATION_MS)  # shown only if the work takes longer
        dialog.setRange(0, 0)  # busy until the first report
        dialog.setValue(0)
        dialog.canceled.connect(self.cancel)
        return dialog

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        if not self._cancel.is_set():
            self._cancel.set()
            if self.dialog is not None:
                self.dialog.setLabelText(_("Bezig met afbreken…"))

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        # A modal QProgressDialog processes events inside setValue(); never nest.
        if self.dialog is None or self._cancel.is_set() or self._in_progress_slot:
            return
        self._in_progress_slot = True
        try:
            if self.dialog.maximum() != total:
                self.dialog.setRange(0, total)
            self.dialog.setValue(done)
        finally:
            self._in_progress_slot = False

    @Slot()
    def _finished(self) -> None:
        ok, value = self._outcome
        self._outcome = None
        self._finish(self._on_success if ok else (self._on_failure or self._default_failure), value)

    def _default_failure(self, err: BaseException) -> None:
        from commissie_app.ui.errors import show_error

        show_error(self._parent, err)

    def _finish(self, callback, value) -> None:
        self._close_dialog()
        self.done = True
        _running.discard(self)
        try:
            if self._parent is not None and not shiboken6.isValid(self._parent):
                log.info("task finished after its window was closed; result dropped")
            elif callback is not None:
                callback(value)
        finally:
            self.sig_done.emit()

    def _close_dialog(self) -> None:
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.reset()  # stops the timer that would show it
            self.dialog.hide()
            self.dialog.deleteLater()
        self.dialog = None

    # -- worker thread -------------------------------------------------------------------------------
    def report(self, done: int, total: int) -> None:
        """Called by the work: shows progress, raises Cancelled once the user cancelled."""
        if self._cancel.is_set():
            raise Cancelled()
        now = time.monotonic()
        if done >= total or now - self._last_report >= REPORT_INTERVAL_S:
            self._last_report = now
            self._signals.sig_progress.emit(done, total)

    def _execute(self) -> None:
        try:
            result = self._fn(self.report) if self._with_progress else self._fn()
        except BaseException as err:  # noqa: BLE001 - handed to the UI thread as it is
            if not isinstance(err, DomainError):
                log.error("background task failed", exc_info=err)
            self._outcome = (False, err)
        else:
            self._outcome = (True, result)
        self._signals.sig_finished.emit()


def run_task(
    parent: QWidget | None,
    fn: Callable[..., Any],
    *,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    label: str | None = None,
    progress: bool = False,
    quiet: bool = False,
) -> Task:
    """Run ``fn`` off the UI thread; callbacks run on the UI thread.

    ``fn()`` (or ``fn(report)`` with ``progress=True``) must not touch widgets. Without
    ``on_failure`` an error is shown with ``show_error``. ``quiet=True`` shows no progress dialog
    (work in the background that the user did not start, such as checking the database file).
    """
    task = Task(parent, fn, on_success, on_failure, label or _("Bezig…"), progress, quiet)
    _running.add(task)
    if SYNCHRONOUS:
        task._execute()
    else:
        thread_pool().start(_Runnable(task))
    return task
