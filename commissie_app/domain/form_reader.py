"""Reading a form file's TOML: the problems found (all of them, never only the first) and
checked values (keys, texts, numbers, dates, lists of tables), for :mod:`commissie_app.domain.form_loader`.

Pure module: no Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from commissie_app.domain.errors import DomainError
from commissie_app.domain.form_model import Question
from commissie_app.domain.validation import parse_date
from commissie_app.i18n import _, ngettext

#: Limits of a form file itself: a form is a few dozen kB; anything far beyond is a mistake or an attack
#: and is refused with a problem instead of exhausting the parser (tomllib recurses per nesting level).
MAX_FILE_BYTES = 512 * 1024
MAX_TEXT_CHARS = 5_000  # any single text in the file (title, label, help, choice, reason, ...)
MAX_NESTING = 32  # tables and lists inside each other; the deepest real form needs about 12


# ---------------------------------------------------------------- problems


@dataclass(frozen=True)
class FormProblem:
    file: str
    location: str  # e.g. ``sections[2].questions[4].type`` (1-based) or ``regel 3, kolom 5``
    message: str
    question: str | None = None  # key of the question the location lies in, when known

    def __str__(self) -> str:
        where = self.location
        if self.question:
            where += " " + _("(vraag {key})").format(key=self.question)
        return f"{self.file}: {where}: {self.message}"


class FormDefinitionError(DomainError):
    """A form file is refused; ``problems`` lists every problem found."""

    def __init__(self, problems: list[FormProblem]):
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        head = ngettext("Het formulier {file} is niet in orde ({n} probleem); het is niet ingelezen.",
                        "Het formulier {file} is niet in orde ({n} problemen); het is niet ingelezen.",
                        len(self.problems)).format(
            file=", ".join(files), n=len(self.problems)
        )
        super().__init__(head + "\n" + "\n".join(f"- {p}" for p in self.problems))


# ---------------------------------------------------------------- reading


MISSING = object()
_QUESTION_LOC_RE = re.compile(r"^sections\[\d+\]\.questions\[\d+\]")


def join_location(base: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{base}[{part}]"
    return f"{base}.{part}" if base else part


def too_deep_line(text: str) -> int | None:
    """The line where brackets first nest deeper than MAX_NESTING (strings and comments skipped), to
    point at the place tomllib gave up on; None if not found."""
    depth, line, quote, i = 0, 1, "", 0
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            line += 1
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            while i + 1 < len(text) and text[i + 1] != "\n":
                i += 1
        elif ch in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return line
        elif ch in "]}":
            depth -= 1
        i += 1
    return None


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return _("waar/onwaar")
    if isinstance(value, int):
        return _("getal")
    if isinstance(value, str):
        return _("tekst")
    if isinstance(value, list):
        return _("lijst")
    if isinstance(value, dict):
        return _("tabel")
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return _("datum/tijd")
    return type(value).__name__


class TableReader:
    """Checks the parsed TOML tables of one form file, collecting every problem instead of stopping at the first."""

    def __init__(self, source_name: str):
        self.source = source_name
        self.problems: list[FormProblem] = []
        # key -> (flat index, Question or None when the question itself is broken, location)
        self.keys: dict[str, tuple[int, Question | None, str]] = {}
        self.loc_keys: dict[str, str] = {}  # question location -> its key, to name it in problems

    def problem(self, location: str, message: str) -> None:
        m = _QUESTION_LOC_RE.match(location)
        key = self.loc_keys.get(m.group(0)) if m else None
        self.problems.append(FormProblem(self.source, location, message, key))

    def check_keys(self, table: dict, loc: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> None:
        for key in table:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                if hint:
                    msg = _("onbekend attribuut ‘{key}’ (bedoelt u ‘{hint}’?)").format(key=key, hint=hint[0])
                else:
                    msg = _("onbekend attribuut ‘{key}’; toegestaan zijn: {allowed}").format(
                        key=key, allowed=", ".join(allowed)
                    )
                self.problem(join_location(loc, key), msg)
        for key in required:
            if key not in table:
                self.problem(join_location(loc, key), _("verplicht attribuut ‘{key}’ ontbreekt").format(key=key))

    def text(self, table: dict, key: str, loc: str, *, required: bool = True, pattern: re.Pattern | None = None,
             pattern_hint: str = "") -> str | None:
        value = table.get(key, MISSING)
        where = join_location(loc, key)
        if value is MISSING:
            return None  # a missing required attribute is reported by check_keys
        if not isinstance(value, str):
            self.problem(where, _("moet tekst zijn, niet {kind}").format(kind=type_name(value)))
            return None
        if required and not value.strip():
            self.problem(where, _("mag niet leeg zijn"))
            return None
        if pattern is not None and not pattern.match(value):
            self.problem(where, _("‘{value}’ is ongeldig: {hint}").format(value=value, hint=pattern_hint))
            return None
        return value

    def boolean(self, table: dict, key: str, loc: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.problem(join_location(loc, key), _("moet true of false zijn, niet {kind}").format(kind=type_name(value)))
            return default
        return value

    def integer(self, value: Any, where: str, minimum: int, maximum: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(where, _("moet een geheel getal zijn, niet {kind}").format(kind=type_name(value)))
            return None
        if not minimum <= value <= maximum:
            self.problem(where, _("moet tussen {lo} en {hi} liggen (nu {value})").format(
                lo=minimum, hi=maximum, value=value))
            return None
        return value

    def table_list(self, table: dict, key: str, loc: str) -> list[tuple[str, dict]]:
        """A non-empty array of tables, as (location, table) pairs with 1-based indices."""
        value = table.get(key, MISSING)
        where = join_location(loc, key)
        if value is MISSING:
            return []
        if not isinstance(value, list) or not value:
            self.problem(where, _("moet een niet-lege lijst van tabellen zijn ([[{key}]])").format(key=where))
            return []
        out = []
        for i, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                self.problem(join_location(where, i), _("moet een tabel zijn, niet {kind}").format(kind=type_name(item)))
            else:
                out.append((join_location(where, i), item))
        return out

    def date(self, value: Any, where: str) -> dt.date | None:
        if isinstance(value, dt.datetime) or isinstance(value, dt.time):
            self.problem(where, _("moet een datum zijn zonder tijd, bijvoorbeeld 2026-01-15"))
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return parse_date(value)
            except ValueError:
                self.problem(where, _("‘{value}’ is geen geldige datum; schrijf bijvoorbeeld 2026-01-15").format(
                    value=value))
                return None
        self.problem(where, _("moet een datum zijn, niet {kind}").format(kind=type_name(value)))
        return None
