"""Letter templates rendered in a separate worker process, bounded in time, memory and output.

A letter template is text the secretary edits, and Jinja2's sandbox keeps it away from Python's
internals but not from the machine's resources: ``{{ 9 ** n }}``, a list or text that doubles in a
loop, nested ``range`` loops or ``"x"|center(10**9)`` can hang the app or exhaust its memory. The
only bound that holds for everything a template can do is an operating-system one, so rendering
happens in one long-lived worker process (``multiprocessing``, "spawn", started on first use):

* **time**: inside the worker a timer (``SIGALRM``, where the system has it) stops the render after
  ``TIME_LIMIT`` seconds and reports the template line it was on; the app itself waits at most
  ``TIME_LIMIT + HARD_MARGIN`` seconds and then kills the worker (Windows, or a long computation in
  C that no timer interrupts), and a new worker is started for the next letter;
* **memory**: the worker's address space is limited to ``MEMORY_LIMIT`` (``RLIMIT_AS``, where the
  system has it): a runaway template raises MemoryError there, never in the app;
* **output**: the render is consumed piece by piece and stopped past ``MAX_OUTPUT`` characters.

The worker answers with plain tuples; :mod:`commissie_app.documents.templating` turns them into
Dutch messages that name the template and the line.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
import traceback

TIME_LIMIT = 3.0  # seconds for one letter's text; a normal letter takes about a millisecond
HARD_MARGIN = 3.0  # then the app kills the worker
START_TIMEOUT = 60.0  # a busy machine may take a while to start a Python process
MEMORY_LIMIT = 1024 * 1024 * 1024  # bytes of address space of the worker
MAX_OUTPUT = 200_000  # characters of letter text; a letter has a few thousand
TEMPLATE_FILE = "<template>"  # the file name Jinja2 gives a template made from a string


class _TimeUp(Exception):
    pass


class _TooLong(Exception):
    pass


def _template_line(tb) -> int | None:
    """The innermost template line in a traceback (Jinja2 rewrites frames to the template's lines)."""
    line = None
    for frame, lineno in traceback.walk_tb(tb):
        if frame.f_code.co_filename == TEMPLATE_FILE:
            line = lineno
    return line


def _generator_line(generator, template) -> int | None:
    """The template line a paused render generator is on (the innermost template frame)."""
    line = None
    while generator is not None:
        frame = getattr(generator, "gi_frame", None)
        if frame is not None and frame.f_code.co_filename == TEMPLATE_FILE:
            line = template.get_corresponding_lineno(frame.f_lineno)
        generator = getattr(generator, "gi_yieldfrom", None)
    return line


def _render(template, context: dict, max_output: int) -> str:
    parts, size = [], 0
    generator = template.generate(context)
    for piece in generator:
        parts.append(piece)
        size += len(piece)
        if size > max_output:
            line = _generator_line(generator, template)
            generator.close()
            raise _TooLong(line)
    return "".join(parts)


def _answer(env_module, compiled: dict, request: tuple):
    """One request in the worker, all of it (parsing and compiling included: Jinja2 evaluates constant
    expressions when it compiles) under the time limit. ``("check", text, time, size)`` answers
    ``("checked", problems, unknown)``; ``("render", text, context, time, size)`` answers ``("ok", text)``;
    either may answer ``("missing", name, attribute, line)`` or ``("error", kind, detail, line)``."""
    from jinja2.exceptions import SecurityError, TemplateError

    op, text, context, time_limit, max_output = request
    timer = hasattr(signal, "setitimer")
    if timer:
        signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        if op == "check":
            return ("checked", *env_module.analyse(text))
        template = compiled.get(text)
        if template is None:
            template = compiled[text] = env_module.environment().from_string(text)
        return ("ok", _render(template, context, max_output))
    except env_module.MissingPlaceholder as e:
        return ("missing", e.name, e.attribute, _template_line(e.__traceback__))
    except _TimeUp as e:
        return ("error", "time", "", _template_line(e.__traceback__))
    except _TooLong as e:
        return ("error", "size", "", e.args[0])
    except MemoryError as e:
        return ("error", "memory", "", _template_line(e.__traceback__))
    except RecursionError as e:
        return ("error", "recursion", "", _template_line(e.__traceback__))
    except SecurityError as e:
        return ("error", "security", str(e), _template_line(e.__traceback__))
    except (TemplateError, ArithmeticError, ValueError, TypeError, LookupError, AttributeError) as e:
        return ("error", "template", f"{type(e).__name__}: {e}", _template_line(e.__traceback__))
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _worker_main(conn, memory_limit: int) -> None:  # pragma: no cover - runs in the worker process
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except (ImportError, ValueError, OSError):
        pass  # no such limit on this system: time and output are still bounded

    def time_up(signum, frame):
        raise _TimeUp()

    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, time_up)
    sys.setrecursionlimit(400)  # a recursive macro stops early, with the stack well within limits
    from commissie_app.documents import template_engine

    compiled: dict = {}
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            answer = _answer(template_engine, compiled, request)
        except MemoryError:
            answer = ("error", "memory", "", None)
        if len(compiled) > 64:
            compiled.clear()
        conn.send(answer)


class _Worker:
    """The one worker process of this app, started on first use and again after it was killed."""

    def __init__(self):
        self._lock = threading.Lock()
        self._process = None
        self._conn = None

    def _start(self) -> None:
        mp = multiprocessing.get_context("spawn")
        parent, child = mp.Pipe()
        process = mp.Process(target=_worker_main, args=(child, MEMORY_LIMIT), daemon=True,
                             name="commissie-briefsjablonen")
        process.start()
        child.close()
        if not parent.poll(START_TIMEOUT) or parent.recv() != "ready":
            process.kill()
            raise RuntimeError("the letter template worker did not start")
        self._process, self._conn = process, parent

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def ask(self, request: tuple) -> tuple:
        with self._lock:
            answer = self._ask(request)
            if answer[:2] == ("error", "crash"):  # a worker that had died since the last letter: once more, fresh
                answer = self._ask(request)
            return answer

    def _ask(self, request: tuple) -> tuple:
        if self._process is None or not self._process.is_alive():
            self._stop()
            self._start()
        try:
            self._conn.send(request)
            if self._conn.poll(request[3] + HARD_MARGIN):
                return self._conn.recv()
            answer = ("error", "time", "", None)
        except (EOFError, OSError):
            answer = ("error", "crash", "", None)  # the worker died (out of memory, killed)
        self._stop()
        return answer

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._process is not None and self._process.is_alive():
                try:
                    self._conn.send(None)
                    self._process.join(2)
                except OSError:
                    pass
            self._stop()


_worker = _Worker()


def render(text: str, context: dict, time_limit: float = TIME_LIMIT, max_output: int = MAX_OUTPUT) -> tuple:
    """Render template ``text`` with ``context`` in the worker; see :func:`_answer` for the answer."""
    return _worker.ask(("render", text, context, time_limit, max_output))


def check(text: str, time_limit: float = TIME_LIMIT) -> tuple:
    """Parse and analyse template ``text`` in the worker (``template_engine.analyse``)."""
    return _worker.ask(("check", text, None, time_limit, MAX_OUTPUT))


def shutdown() -> None:
    """Stop the worker (it also ends with the app)."""
    _worker.close()
