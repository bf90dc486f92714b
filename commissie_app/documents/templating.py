"""Letter templates: Jinja2 text in a sandbox, strict placeholders, simple markup.

A template is plain UTF-8 text the secretary can edit (``forms/letters/<type>.txt``).
Placeholders are ``{{ naam }}``; ``{% if %}`` and ``{% for %}`` work as in Jinja2.
An unknown placeholder, or a known one without a value for this letter, is an
error that names it (:class:`LetterTemplateError`); a letter never goes out with
an empty gap. The markup (documented in docs/letters.md):

* ``Onderwerp: ...`` as the first line sets the subject of the letter;
* a blank line starts a new paragraph; lines of one paragraph are joined;
* ``# Kop`` on its own line is a heading;
* ``- tekst`` at the start of a line is a bullet item;
* ``**vet**`` is bold.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from commissie_app.documents import template_sandbox
from commissie_app.documents.template_engine import PLACEHOLDERS, at_line
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _


class LetterTemplateError(DomainError):
    """A letter template cannot be used; ``problems`` lists what is wrong (Dutch)."""

    def __init__(self, template: str, problems: list[str], placeholder: str | None = None):
        self.template = template
        self.problems = list(problems)
        self.placeholder = placeholder
        if len(self.problems) == 1:
            message = _("Het briefsjabloon ‘{template}’ is niet bruikbaar: {problem}").format(
                template=template, problem=self.problems[0]
            )
        else:
            message = _("Het briefsjabloon ‘{template}’ is niet bruikbaar:").format(template=template) + "".join(
                f"\n- {p}" for p in self.problems
            )
        super().__init__(message)


def _problem_for(name: str, attribute: bool) -> str:
    if not attribute and name in PLACEHOLDERS:
        return _("het veld ‘{name}’ heeft voor deze brief geen waarde.").format(name=name)
    return _("onbekend veld ‘{name}’ (de bekende velden staan in docs/letters.md).").format(name=name)


_cache_lock = threading.Lock()
_validated: dict[str, tuple[list[str], list[str]]] = {}
_trials: dict[str, list[str]] = {}
#: Values for a trial render of a template when it is checked: every placeholder filled.
SAMPLE_CONTEXT: dict = {
    **{name: "Voorbeeld" for name in PLACEHOLDERS},
    "datum": "23 november 2026",
    "criteria": [{"code": c.value, "label": c.label} for c in Criterion],
    "andere_criteria": [{"code": c.value, "label": c.label} for c in Criterion if not c.is_conditional],
    "voorwaarden": "",
}


def _sandbox_problem(answer: tuple) -> tuple[str, str | None]:
    """The Dutch problem (with the line where known) and the placeholder, for a worker's answer."""
    if answer[0] == "missing":
        _kind, name, attribute, line = answer
        return at_line(line, _problem_for(name, attribute)), name
    _kind, error, detail, line = answer
    text = {
        "time": _("het sjabloon is na {s:g} seconden afgebroken: een lus of berekening die (bijna) niet "
                  "ophoudt").format(s=template_sandbox.TIME_LIMIT),
        "size": _("het sjabloon levert meer dan {n} tekens op; een brief is veel korter (een lus die te vaak "
                  "herhaalt?)").format(n=f"{template_sandbox.MAX_OUTPUT:,}".replace(",", ".")),
        "memory": _("het sjabloon gebruikt te veel geheugen (een lijst of tekst die in een lus blijft groeien?)"),
        "crash": _("het sjabloon liep vast of gebruikte te veel geheugen en is gestopt"),
        "recursion": _("het sjabloon is te diep genest of een macro roept zichzelf steeds opnieuw aan"),
        "security": _("niet toegestaan in een sjabloon: {err}").format(err=detail),
    }.get(error) or _("fout bij het invullen: {err}").format(err=detail)
    return at_line(line, text), None


def text_version(text: str) -> str:
    """SHA-256 of a template text (hex), archived with every letter rendered from it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def validate_template(text: str) -> list[str]:
    """Problems of a template text, in Dutch, each with its line where known; an empty list means it
    can be used. Besides the syntax and the placeholders, the template may not use other templates,
    powers or recursive macros, and a trial render with every placeholder filled (in the bounded
    worker, see template_sandbox) must finish in time, within memory and at a letter's length."""
    problems, _unknown = _check(text)
    if problems:
        return list(problems)
    key = text_version(text)
    trial = _trials.get(key)
    if trial is None:
        answer = template_sandbox.render(text, SAMPLE_CONTEXT)
        trial = [] if answer[0] == "ok" else [_sandbox_problem(answer)[0]]
        with _cache_lock:
            _trials[key] = trial
    return list(trial)


def _check(text: str) -> tuple[list[str], list[str]]:
    """(problems, unknown placeholder names), cached by the text's hash. The analysis runs in the
    bounded worker too: compiling a template evaluates its constant expressions."""
    key = text_version(text)
    cached = _validated.get(key)
    if cached is not None:
        return cached
    answer = template_sandbox.check(text)
    if answer[0] == "checked":
        problems, unknown = list(answer[1]), list(answer[2])
    else:
        problems, unknown = [_sandbox_problem(answer)[0]], []
    with _cache_lock:
        _validated[key] = (problems, unknown)
    return problems, unknown


def render_text(text: str, context: dict, template_name: str) -> str:
    """Validate and render a template text; raise LetterTemplateError naming what is wrong."""
    problems, unknown = _check(text)
    if problems:
        raise LetterTemplateError(template_name, problems, placeholder=unknown[0] if unknown else None)
    answer = template_sandbox.render(text, context)
    if answer[0] == "ok":
        return answer[1]
    problem, placeholder = _sandbox_problem(answer)
    raise LetterTemplateError(template_name, [problem], placeholder=placeholder)


# ---------------------------------------------------------------- markup


@dataclass
class Block:
    """One block of letter text: ``paragraph``, ``heading`` or ``bullets``.

    ``text`` and ``items`` are reportlab paragraph markup (already XML-escaped).
    """

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_SUBJECT = re.compile(r"^\s*onderwerp\s*:\s*(.*)$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-•]\s+(.*)$")


def inline(text: str) -> str:
    """Plain text to reportlab paragraph markup: escape, then ``**bold**``."""
    return _BOLD.sub(r"<b>\1</b>", escape(text))


def parse_markup(text: str) -> tuple[str | None, list[Block]]:
    """Split rendered template text into (subject or None, blocks)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    subject = None
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        m = _SUBJECT.match(line)
        if m:
            subject = " ".join(m.group(1).split())
            del lines[i]
        break

    blocks: list[Block] = []
    para: list[str] = []
    bullets: Block | None = None

    def flush_para():
        nonlocal para
        if para:
            blocks.append(Block("paragraph", inline(" ".join(para))))
            para = []

    def flush_bullets():
        nonlocal bullets
        if bullets is not None:
            bullets.items = [inline(item) for item in bullets.items]
            blocks.append(bullets)
            bullets = None

    for raw in lines:
        line = raw.strip()
        if not line:
            flush_para()
            flush_bullets()
            continue
        if line.startswith("# "):
            flush_para()
            flush_bullets()
            blocks.append(Block("heading", inline(line[2:].strip())))
            continue
        m = _BULLET.match(raw)
        if m:
            flush_para()
            if bullets is None:
                bullets = Block("bullets")
            bullets.items.append(" ".join(m.group(1).split()))
            continue
        if bullets is not None and raw[:1].isspace():
            bullets.items[-1] += " " + " ".join(line.split())  # indented continuation of an item
            continue
        flush_bullets()
        para.append(" ".join(line.split()))
    flush_para()
    flush_bullets()
    return subject, blocks
