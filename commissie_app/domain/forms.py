"""Assessment forms as data: the in-memory model, the strict loader and the diff of two versions.

The commission writes its own form (``forms/assessment/*.toml``; the format is described in
``docs/forms.md``). Loading is strict: a file with any problem is refused with *every* problem
listed (file, location, Dutch reason), so a form in use is always complete and consistent.
Evaluation of answers (visibility, validation, decision advice) lives in
:mod:`commissie_app.domain.form_advice`.

Pure module: no Qt, no SQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import enum
import functools
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Union

from commissie_app.domain.codes import Criterion, LabelledEnum
from commissie_app.domain.errors import DomainError
from commissie_app.domain.rules import FORMS_DIR
from commissie_app.domain.validation import parse_date
from commissie_app.i18n import _

ASSESSMENT_FORMS_DIR = FORMS_DIR / "assessment"

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
FORM_ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
RULE_ID_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 10_000

#: Limits of a form file itself: a form is a few dozen kB; anything far beyond is a mistake or an attack
#: and is refused with a problem instead of exhausting the parser (tomllib recurses per nesting level).
MAX_FILE_BYTES = 512 * 1024
MAX_TEXT_CHARS = 5_000  # any single text in the file (title, label, help, choice, reason, ...)
MAX_NESTING = 32  # tables and lists inside each other; the deepest real form needs about 12


class QuestionType(str, enum.Enum):
    YES_NO_UNKNOWN = "yes_no_unknown"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"
    DATE = "date"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    EVIDENCE = "evidence"


class AdviceOutcome(LabelledEnum):
    """What an advice rule yields. In the form file the Dutch word is written (see ``from_word``)."""

    GRANT = "grant"
    CONDITIONAL_GRANT = "conditional_grant"
    REJECT = "reject"
    DEFER = "defer"

    @classmethod
    def _labels(cls):
        return {
            cls.GRANT: "toekennen",
            cls.CONDITIONAL_GRANT: "voorwaardelijk toekennen",
            cls.REJECT: "afwijzen",
            cls.DEFER: "aanhouden",
        }

    @classmethod
    def from_word(cls, word: str) -> "AdviceOutcome":
        """The exact (untranslated) Dutch word used in form files; raises ValueError."""
        for member, label in cls._labels().items():
            if word == label:
                return member
        raise ValueError(word)


# Values of a yes_no_unknown question (stored value, Dutch label).
YES, NO, UNKNOWN = "ja", "nee", "onbekend"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class ScaleStep:
    value: int
    label: str


YES_NO_UNKNOWN_CHOICES = (Choice(YES, "ja"), Choice(NO, "nee"), Choice(UNKNOWN, "onbekend"))

# --- conditions -------------------------------------------------------------------------------

#: Operators of an answer condition and the question types they apply to.
OPERATORS: dict[str, tuple[QuestionType, ...]] = {
    "equals": (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE, QuestionType.SCALE),
    "not_equals": (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE, QuestionType.SCALE),
    "one_of": (QuestionType.YES_NO_UNKNOWN, QuestionType.SINGLE_CHOICE),
    "contains": (QuestionType.MULTIPLE_CHOICE,),
    "answered": tuple(QuestionType),
    "at_least": (QuestionType.SCALE,),
    "at_most": (QuestionType.SCALE,),
    "within_months": (QuestionType.DATE,),
    "older_than_months": (QuestionType.DATE,),
}
DATE_OPERATORS = ("within_months", "older_than_months")
GROUP_KINDS = ("all_of", "any_of", "none_of")

#: Periods a form may name instead of a number of months; values come from ``forms/rules.toml``.
NAMED_PERIODS = {"grace_period": "grace_period_months"}


@dataclass(frozen=True)
class AnswerCondition:
    """``{question = KEY, <op> = value}``; see ``OPERATORS``."""

    question: str
    op: str
    value: Any

    def question_keys(self) -> Iterator[str]:
        yield self.question


@dataclass(frozen=True)
class GroupCondition:
    """``{all_of = [...]}``, ``{any_of = [...]}`` or ``{none_of = [...]}``."""

    kind: str
    conditions: tuple["Condition", ...]

    def question_keys(self) -> Iterator[str]:
        for c in self.conditions:
            yield from c.question_keys()


Condition = Union[AnswerCondition, GroupCondition]


# --- the form ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    key: str
    type: QuestionType
    label: str
    help: str = ""
    required: bool = False
    show_if: Condition | None = None
    choices: tuple[Choice, ...] = ()
    scale: tuple[ScaleStep, ...] = ()
    criterion: Criterion | None = None
    max_length: int | None = None
    location: str = field(default="", compare=False)

    def choice_label(self, value: str) -> str:
        for c in self.choices:
            if c.value == value:
                return c.label
        return value

    def scale_label(self, value: int) -> str:
        for s in self.scale:
            if s.value == value:
                return s.label
        return str(value)

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)


@dataclass(frozen=True)
class Section:
    title: str
    questions: tuple[Question, ...]
    help: str = ""
    show_if: Condition | None = None
    location: str = field(default="", compare=False)


@dataclass(frozen=True)
class Deadline:
    """The deadline of an advice: the answer of a date question plus a number of months."""

    question: str
    add_months: int | str  # a number or a name from NAMED_PERIODS


@dataclass(frozen=True)
class AdviceRule:
    id: str
    outcome: AdviceOutcome
    reason: str  # template with {placeholders}
    when: Condition | None = None  # None: ``otherwise = true``
    deadline: Deadline | None = None


@dataclass(frozen=True)
class Form:
    form_id: str
    version: int
    title: str
    adopted_on: dt.date
    sections: tuple[Section, ...]
    rules: tuple[AdviceRule, ...]
    content_hash: str
    description: str = ""
    source_text: str = field(default="", compare=False, repr=False)
    source_name: str = field(default="", compare=False)

    @functools.cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    @functools.cached_property
    def question_map(self) -> dict[str, Question]:
        return {q.key: q for q in self.questions}

    def question(self, key: str) -> Question:
        return self.question_map[key]

    def section_of(self, key: str) -> Section:
        for s in self.sections:
            if any(q.key == key for q in s.questions):
                return s
        raise KeyError(key)

    @property
    def display_name(self) -> str:
        return _("{title} (versie {version})").format(title=self.title, version=self.version)


# --- problems ---------------------------------------------------------------------------------


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
        head = _("Het formulier {file} is niet in orde ({n} problemen); het is niet ingelezen.").format(
            file=", ".join(files), n=len(self.problems)
        )
        super().__init__(head + "\n" + "\n".join(f"- {p}" for p in self.problems))


def canonical_text(text: str) -> str:
    """The text whose hash identifies a form: no BOM, ``\\n`` line ends."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def content_hash(text: str) -> str:
    return hashlib.sha256(canonical_text(text).encode("utf-8")).hexdigest()


def load_form(path: str | Path) -> Form:
    """Read and check a form file; raises FormDefinitionError listing every problem."""
    path = Path(path)
    try:
        size = path.stat().st_size if path.is_file() else 0
        raw = b"" if size > MAX_FILE_BYTES else path.read_bytes()  # a huge file is refused unread
    except FileNotFoundError:
        raise FormDefinitionError([FormProblem(str(path), "-", _("het bestand bestaat niet"))])
    except IsADirectoryError:
        raise FormDefinitionError([FormProblem(str(path), "-", _("dit is een map, geen formulierbestand"))])
    except OSError as e:
        reason = e.strerror or str(e)
        raise FormDefinitionError(
            [FormProblem(str(path), "-", _("het bestand kan niet worden gelezen ({reason})").format(reason=reason))]
        )
    if size > MAX_FILE_BYTES:
        raise FormDefinitionError([FormProblem(str(path), "-", _(
            "het bestand is {size} kB groot; een formulierbestand is hoogstens {max} kB").format(
            size=size // 1024, max=MAX_FILE_BYTES // 1024))])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FormDefinitionError([FormProblem(str(path), "-", _("het bestand is geen UTF-8-tekst"))])
    return parse_form(text, str(path))


def parse_form(text: str, source_name: str = "<tekst>") -> Form:
    """Check a form given as text (e.g. the stored text of an adopted version)."""
    return _Loader(source_name).load(canonical_text(text))


def shipped_form_paths() -> list[Path]:
    """The form files that ship with the application, sorted by name."""
    return sorted(ASSESSMENT_FORMS_DIR.glob("*.toml"))


# --- the loader -------------------------------------------------------------------------------

_COMMON_QUESTION_KEYS = ("key", "type", "label", "help", "required", "show_if")
_TYPE_KEYS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.YES_NO_UNKNOWN: (),
    QuestionType.SINGLE_CHOICE: ("choices",),
    QuestionType.MULTIPLE_CHOICE: ("choices",),
    QuestionType.SCALE: ("labels", "min"),
    QuestionType.DATE: (),
    QuestionType.SHORT_TEXT: ("max_length",),
    QuestionType.LONG_TEXT: ("max_length",),
    QuestionType.EVIDENCE: ("criterion",),
}
_ALL_QUESTION_KEYS = _COMMON_QUESTION_KEYS + tuple(sorted({k for ks in _TYPE_KEYS.values() for k in ks}))

_MISSING = object()
_QUESTION_LOC_RE = re.compile(r"^sections\[\d+\]\.questions\[\d+\]")


def _join(base: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{base}[{part}]"
    return f"{base}.{part}" if base else part


def _too_deep_line(text: str) -> int | None:
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


def _type_name(value: Any) -> str:
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


class _Loader:
    """Walks the parsed TOML once, collecting every problem instead of stopping at the first."""

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

    # -- generic checks

    def check_keys(self, table: dict, loc: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> None:
        for key in table:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                if hint:
                    msg = _("onbekend attribuut '{key}' (bedoelt u '{hint}'?)").format(key=key, hint=hint[0])
                else:
                    msg = _("onbekend attribuut '{key}'; toegestaan zijn: {allowed}").format(
                        key=key, allowed=", ".join(allowed)
                    )
                self.problem(_join(loc, key), msg)
        for key in required:
            if key not in table:
                self.problem(_join(loc, key), _("verplicht attribuut '{key}' ontbreekt").format(key=key))

    def text(self, table: dict, key: str, loc: str, *, required: bool = True, pattern: re.Pattern | None = None,
             pattern_hint: str = "") -> str | None:
        value = table.get(key, _MISSING)
        where = _join(loc, key)
        if value is _MISSING:
            return None  # a missing required attribute is reported by check_keys
        if not isinstance(value, str):
            self.problem(where, _("moet tekst zijn, niet {kind}").format(kind=_type_name(value)))
            return None
        if required and not value.strip():
            self.problem(where, _("mag niet leeg zijn"))
            return None
        if pattern is not None and not pattern.match(value):
            self.problem(where, _("'{value}' is ongeldig: {hint}").format(value=value, hint=pattern_hint))
            return None
        return value

    def boolean(self, table: dict, key: str, loc: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.problem(_join(loc, key), _("moet true of false zijn, niet {kind}").format(kind=_type_name(value)))
            return default
        return value

    def integer(self, value: Any, where: str, minimum: int, maximum: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(where, _("moet een geheel getal zijn, niet {kind}").format(kind=_type_name(value)))
            return None
        if not minimum <= value <= maximum:
            self.problem(where, _("moet tussen {lo} en {hi} liggen (nu {value})").format(
                lo=minimum, hi=maximum, value=value))
            return None
        return value

    def table_list(self, table: dict, key: str, loc: str) -> list[tuple[str, dict]]:
        """A non-empty array of tables, as (location, table) pairs with 1-based indices."""
        value = table.get(key, _MISSING)
        where = _join(loc, key)
        if value is _MISSING:
            return []
        if not isinstance(value, list) or not value:
            self.problem(where, _("moet een niet-lege lijst van tabellen zijn ([[{key}]])").format(key=where))
            return []
        out = []
        for i, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                self.problem(_join(where, i), _("moet een tabel zijn, niet {kind}").format(kind=_type_name(item)))
            else:
                out.append((_join(where, i), item))
        return out

    # -- the whole file

    def load(self, text: str) -> Form:
        if len(text) > MAX_FILE_BYTES:
            raise FormDefinitionError([FormProblem(self.source, "-", _(
                "de tekst is {size} kB groot; een formulier is hoogstens {max} kB").format(
                size=len(text) // 1024, max=MAX_FILE_BYTES // 1024))])
        try:
            data = tomllib.loads(text)
        except RecursionError:
            line = _too_deep_line(text)
            loc = _("regel {line}").format(line=line) if line else "-"
            raise FormDefinitionError([FormProblem(self.source, loc, _(
                "te diep genest: meer dan {max} niveaus [ ] of {{ }} in elkaar").format(max=MAX_NESTING))]) from None
        except tomllib.TOMLDecodeError as e:
            msg = str(e)
            m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
            loc = _("regel {line}, kolom {col}").format(line=m.group(1), col=m.group(2)) if m else "-"
            detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
            raise FormDefinitionError([FormProblem(
                self.source, loc, _("ongeldige TOML-syntaxis: {detail}").format(detail=detail))])

        self.check_sizes(data)
        if self.problems:  # a too deep or too long value is not walked any further
            raise FormDefinitionError(self.problems)
        self.check_keys(data, "", ("form", "sections", "advice"), ("form", "sections", "advice"))
        header = self.header(data.get("form"))
        sections = self.sections(data)
        rules = self.advice(data.get("advice"))
        if self.problems:
            raise FormDefinitionError(self.problems)
        form_id, version, title, adopted_on, description = header
        return Form(
            form_id=form_id, version=version, title=title, adopted_on=adopted_on,
            sections=tuple(sections), rules=tuple(rules), content_hash=content_hash(text),
            description=description, source_text=text, source_name=self.source,
        )

    def check_sizes(self, data: dict) -> None:
        """Every text within MAX_TEXT_CHARS and nesting within MAX_NESTING, walked without recursion."""
        stack: list[tuple[str, Any, int]] = [("", data, 0)]
        while stack:
            loc, value, depth = stack.pop()
            if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
                self.problem(loc, _("de tekst is te lang ({n} tekens; hoogstens {max})").format(
                    n=len(value), max=MAX_TEXT_CHARS))
            elif isinstance(value, (dict, list)):
                if depth >= MAX_NESTING:
                    self.problem(loc, _("te diep genest: meer dan {max} niveaus in elkaar").format(max=MAX_NESTING))
                    continue
                items = value.items() if isinstance(value, dict) else enumerate(value, start=1)
                stack.extend((_join(loc, k), v, depth + 1) for k, v in items)

    def header(self, table: Any) -> tuple:
        loc = "form"
        if table is None:
            return (None,) * 5
        if not isinstance(table, dict):
            self.problem(loc, _("moet een tabel zijn ([form])"))
            return (None,) * 5
        self.check_keys(table, loc, ("id", "version", "title", "adopted_on", "description"),
                        ("id", "version", "title", "adopted_on"))
        form_id = self.text(table, "id", loc, pattern=FORM_ID_RE,
                            pattern_hint=_("gebruik kleine letters, cijfers en '-', beginnend met een letter"))
        version = None
        if "version" in table:
            version = self.integer(table["version"], "form.version", 1, 10_000)
        title = self.text(table, "title", loc)
        description = self.text(table, "description", loc, required=False) or ""
        adopted_on = None
        if "adopted_on" in table:
            adopted_on = self.date(table["adopted_on"], "form.adopted_on")
        return form_id, version, title, adopted_on, description

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
                self.problem(where, _("'{value}' is geen geldige datum; schrijf bijvoorbeeld 2026-01-15").format(
                    value=value))
                return None
        self.problem(where, _("moet een datum zijn, niet {kind}").format(kind=_type_name(value)))
        return None

    # -- sections and questions

    def sections(self, data: dict) -> list[Section]:
        raw_sections = self.table_list(data, "sections", "")
        parsed: list[tuple[str, dict, list[tuple[str, dict, Question | None]]]] = []
        index = 0
        for loc, table in raw_sections:
            self.check_keys(table, loc, ("title", "help", "show_if", "questions"), ("title", "questions"))
            questions = []
            for qloc, qtable in self.table_list(table, "questions", loc):
                if isinstance(qtable.get("key"), str):
                    self.loc_keys[qloc] = qtable["key"]
                q = self.question(qtable, qloc)
                key = qtable.get("key")
                if isinstance(key, str) and KEY_RE.match(key):
                    if key in self.keys:
                        self.problem(_join(qloc, "key"), _("de sleutel '{key}' komt al voor bij {other}").format(
                            key=key, other=self.keys[key][2]))
                    else:
                        self.keys[key] = (index, q, qloc)
                questions.append((qloc, qtable, q))
                index += 1
            parsed.append((loc, table, questions))

        # Second pass: conditions may only refer to questions that come earlier in the form,
        # so visibility is evaluated in one pass and can never go round in circles.
        sections: list[Section] = []
        first_index = 0
        for loc, table, questions in parsed:
            sec_cond = None
            if "show_if" in table:
                sec_cond = self.condition(table["show_if"], _join(loc, "show_if"), before=first_index,
                                          relative_dates=False, own_key=None)
            built = []
            for n, (qloc, qtable, q) in enumerate(questions):
                cond = None
                if "show_if" in qtable:
                    own = qtable.get("key") if isinstance(qtable.get("key"), str) else None
                    cond = self.condition(qtable["show_if"], _join(qloc, "show_if"), before=first_index + n,
                                          relative_dates=False, own_key=own)
                if q is not None:
                    built.append(_replace(q, show_if=cond))
            first_index += len(questions)
            title = self.text(table, "title", loc)
            help_text = self.text(table, "help", loc, required=False) or ""
            if title is not None:
                sections.append(Section(title=title, questions=tuple(built), help=help_text, show_if=sec_cond,
                                        location=loc))
        return sections

    def question(self, table: dict, loc: str) -> Question | None:
        qtype_raw = table.get("type", _MISSING)
        qtype = None
        if qtype_raw is not _MISSING:
            try:
                qtype = QuestionType(qtype_raw)
            except (ValueError, TypeError):
                self.problem(_join(loc, "type"), _("onbekend vraagtype '{type}'; kies uit: {types}").format(
                    type=qtype_raw, types=", ".join(t.value for t in QuestionType)))
        if qtype is None:
            self.check_keys(table, loc, _ALL_QUESTION_KEYS, ("key", "type", "label"))
        else:
            allowed = _COMMON_QUESTION_KEYS + _TYPE_KEYS[qtype]
            for key in table:
                if key in _ALL_QUESTION_KEYS and key not in allowed:
                    self.problem(_join(loc, key), _("attribuut '{key}' hoort niet bij vraagtype '{type}'").format(
                        key=key, type=qtype.value))
            self.check_keys({k: v for k, v in table.items() if k not in _ALL_QUESTION_KEYS or k in allowed}, loc,
                            allowed, ("key", "type", "label") + _required_type_keys(qtype))
        key = self.text(table, "key", loc, pattern=KEY_RE,
                        pattern_hint=_("gebruik kleine letters, cijfers en '_', beginnend met een letter"))
        label = self.text(table, "label", loc)
        help_text = self.text(table, "help", loc, required=False) or ""
        required = self.boolean(table, "required", loc, False)
        if qtype is None:
            return None
        ok = key is not None and label is not None
        extra: dict[str, Any] = {}
        if qtype is QuestionType.YES_NO_UNKNOWN:
            extra["choices"] = YES_NO_UNKNOWN_CHOICES
        elif qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE) and "choices" in table:
            choices = self.choices(table["choices"], _join(loc, "choices"))
            ok = ok and choices is not None
            extra["choices"] = choices or ()
        elif qtype is QuestionType.SCALE and "labels" in table:
            scale = self.scale(table, loc)
            ok = ok and scale is not None
            extra["scale"] = scale or ()
        elif qtype is QuestionType.EVIDENCE and "criterion" in table:
            raw = table["criterion"]
            try:
                extra["criterion"] = Criterion(raw)
            except (ValueError, TypeError):
                ok = False
                self.problem(_join(loc, "criterion"), _("onbekend criterium '{value}'; kies uit: {codes}").format(
                    value=raw, codes=", ".join(c.value for c in Criterion)))
        elif qtype in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
            top = SHORT_TEXT_MAX if qtype is QuestionType.SHORT_TEXT else LONG_TEXT_MAX
            extra["max_length"] = top
            if "max_length" in table:
                n = self.integer(table["max_length"], _join(loc, "max_length"), 1, top)
                ok = ok and n is not None
                extra["max_length"] = n
        if not ok or any(k not in table for k in _required_type_keys(qtype)):
            return None
        return Question(key=key, type=qtype, label=label, help=help_text, required=required, location=loc,
                        **extra)

    def choices(self, value: Any, where: str) -> tuple[Choice, ...] | None:
        if not isinstance(value, list) or len(value) < 2:
            self.problem(where, _("geef een lijst van ten minste twee keuzes"))
            return None
        out: list[Choice] = []
        ok = True
        seen: set[str] = set()
        for i, item in enumerate(value, start=1):
            iloc = _join(where, i)
            if isinstance(item, str):
                choice_value, label = item, item
            elif isinstance(item, dict):
                self.check_keys(item, iloc, ("value", "label"), ("value", "label"))
                choice_value, label = item.get("value"), item.get("label")
                if not isinstance(choice_value, str) or not isinstance(label, str):
                    if "value" in item and "label" in item:
                        self.problem(iloc, _("value en label moeten tekst zijn"))
                    ok = False
                    continue
            else:
                self.problem(iloc, _("een keuze is een tekst of een tabel { value = ..., label = ... }"))
                ok = False
                continue
            if not choice_value.strip() or choice_value != choice_value.strip() or not label.strip():
                self.problem(iloc, _("een keuze moet een niet-lege waarde zonder spaties aan het begin of eind "
                                     "en een niet-leeg label hebben"))
                ok = False
                continue
            if choice_value in seen:
                self.problem(iloc, _("de keuze '{value}' komt dubbel voor").format(value=choice_value))
                ok = False
                continue
            seen.add(choice_value)
            out.append(Choice(choice_value, label))
        return tuple(out) if ok else None

    def scale(self, table: dict, loc: str) -> tuple[ScaleStep, ...] | None:
        labels = table["labels"]
        where = _join(loc, "labels")
        start = 1
        if "min" in table:
            start = self.integer(table["min"], _join(loc, "min"), 0, 100)
            if start is None:
                return None
        if not isinstance(labels, list) or len(labels) < 2:
            self.problem(where, _("een schaal heeft een lijst met ten minste twee labels nodig, één per stap"))
            return None
        ok = True
        for i, label in enumerate(labels, start=1):
            if not isinstance(label, str) or not label.strip():
                self.problem(_join(where, i), _("elk label van de schaal moet een niet-lege tekst zijn"))
                ok = False
        if not ok:
            return None
        return tuple(ScaleStep(start + i, label) for i, label in enumerate(labels))

    # -- conditions

    def condition(self, raw: Any, loc: str, *, before: int | None, relative_dates: bool,
                  own_key: str | None) -> Condition | None:
        if not isinstance(raw, dict):
            self.problem(loc, _("een voorwaarde is een tabel, bijvoorbeeld { question = \"crit_pso30\", "
                                "equals = \"ja\" }"))
            return None
        kinds = [k for k in GROUP_KINDS if k in raw]
        if kinds:
            if len(raw) != 1:
                self.problem(loc, _("'{kind}' staat alleen in een eigen tabel; combineer het niet met {others}").format(
                    kind=kinds[0], others=", ".join(f"'{k}'" for k in raw if k != kinds[0])))
                return None
            kind = kinds[0]
            items = raw[kind]
            where = _join(loc, kind)
            if not isinstance(items, list) or not items:
                self.problem(where, _("moet een niet-lege lijst van voorwaarden zijn"))
                return None
            subs = [self.condition(item, _join(where, i), before=before, relative_dates=relative_dates,
                                   own_key=own_key) for i, item in enumerate(items, start=1)]
            if any(s is None for s in subs):
                return None
            return GroupCondition(kind, tuple(subs))

        self.check_keys(raw, loc, ("question",) + tuple(OPERATORS), ("question",))
        ops = [k for k in OPERATORS if k in raw]
        if len(ops) != 1:
            if not ops:
                self.problem(loc, _("geef precies één vergelijking: {ops}").format(ops=", ".join(OPERATORS)))
            else:
                self.problem(loc, _("geef precies één vergelijking per tabel, niet {ops}; gebruik all_of om te "
                                    "combineren").format(ops=" en ".join(ops)))
            return None
        op = ops[0]
        key = raw.get("question")
        if key is None:
            return None
        qloc = _join(loc, "question")
        if not isinstance(key, str):
            self.problem(qloc, _("moet de sleutel van een vraag zijn (tekst)"))
            return None
        if key == own_key:
            self.problem(qloc, _("een vraag kan niet van haar eigen antwoord afhangen"))
            return None
        if key not in self.keys:
            hint = difflib.get_close_matches(key, list(self.keys), n=1)
            extra = _(" (bedoelt u '{hint}'?)").format(hint=hint[0]) if hint else ""
            self.problem(qloc, _("de vraag '{key}' bestaat niet in dit formulier{extra}").format(key=key, extra=extra))
            return None
        index, question, qdef = self.keys[key]
        if before is not None and index >= before:
            self.problem(qloc, _("de vraag '{key}' staat pas later in het formulier ({where}); een voorwaarde mag "
                                 "alleen naar eerdere vragen verwijzen").format(key=key, where=qdef))
            return None
        if question is None:
            return None  # the question itself is broken; that problem is already listed
        return self.operand(question, op, raw[op], _join(loc, op), relative_dates)

    def operand(self, q: Question, op: str, value: Any, where: str, relative_dates: bool) -> Condition | None:
        if q.type not in OPERATORS[op]:
            self.problem(where, _("'{op}' kan niet bij vraag '{key}' van type '{type}'; wel bij: {types}").format(
                op=op, key=q.key, type=q.type.value, types=", ".join(t.value for t in OPERATORS[op])))
            return None
        if op == "answered":
            if not isinstance(value, bool):
                self.problem(where, _("moet true of false zijn"))
                return None
            return AnswerCondition(q.key, op, value)
        if op in DATE_OPERATORS:
            if not relative_dates:
                self.problem(where, _("een vergelijking met de datum van vandaag kan alleen in een adviesregel, "
                                      "niet in show_if"))
                return None
            months = self.months(value, where)
            return None if months is None else AnswerCondition(q.key, op, months)
        if q.type is QuestionType.SCALE:
            lo, hi = q.scale[0].value, q.scale[-1].value
            n = self.integer(value, where, lo, hi)
            return None if n is None else AnswerCondition(q.key, op, n)
        if op == "one_of":
            if not isinstance(value, list) or not value:
                self.problem(where, _("moet een niet-lege lijst van keuzes zijn"))
                return None
            checked = [self.choice_value(q, v, _join(where, i)) for i, v in enumerate(value, start=1)]
            if any(c is None for c in checked):
                return None
            return AnswerCondition(q.key, op, tuple(checked))
        checked = self.choice_value(q, value, where)
        return None if checked is None else AnswerCondition(q.key, op, checked)

    def choice_value(self, q: Question, value: Any, where: str) -> str | None:
        if not isinstance(value, str) or value not in q.choice_values:
            self.problem(where, _("'{value}' is geen keuze van vraag '{key}'; mogelijk: {values}").format(
                value=value, key=q.key, values=", ".join(q.choice_values)))
            return None
        return value

    def months(self, value: Any, where: str) -> int | str | None:
        if isinstance(value, str):
            if value in NAMED_PERIODS:
                return value
            self.problem(where, _("onbekende termijn '{value}'; gebruik een aantal maanden of: {names}").format(
                value=value, names=", ".join(NAMED_PERIODS)))
            return None
        return self.integer(value, where, 1, 1200)

    # -- advice rules

    def advice(self, table: Any) -> list[AdviceRule]:
        loc = "advice"
        if table is None:
            return []
        if not isinstance(table, dict):
            self.problem(loc, _("moet een tabel zijn ([advice] met [[advice.rules]])"))
            return []
        self.check_keys(table, loc, ("rules",), ("rules",))
        rules: list[AdviceRule] = []
        ids: dict[str, str] = {}
        raw_rules = self.table_list(table, "rules", loc)
        fallback_at: str | None = None
        for rloc, rtable in raw_rules:
            self.check_keys(rtable, rloc, ("id", "outcome", "reason", "when", "otherwise", "deadline"),
                            ("id", "outcome", "reason"))
            if fallback_at is not None:
                self.problem(rloc, _("deze regel wordt nooit bereikt: {other} geldt altijd (otherwise = true)").format(
                    other=fallback_at))
            rule_id = self.text(rtable, "id", rloc, pattern=RULE_ID_RE,
                                pattern_hint=_("gebruik kleine letters, cijfers, '-' en '_'"))
            if rule_id is not None:
                if rule_id in ids:
                    self.problem(_join(rloc, "id"), _("de regel '{id}' komt al voor bij {other}").format(
                        id=rule_id, other=ids[rule_id]))
                ids[rule_id] = rloc
            outcome = None
            if "outcome" in rtable:
                try:
                    outcome = AdviceOutcome.from_word(rtable["outcome"])
                except (ValueError, TypeError):
                    self.problem(_join(rloc, "outcome"), _("onbekende uitkomst '{value}'; kies uit: {words}").format(
                        value=rtable["outcome"], words=", ".join(AdviceOutcome._labels().values())))
            when = None
            has_when, has_otherwise = "when" in rtable, "otherwise" in rtable
            if has_when == has_otherwise:
                self.problem(rloc, _("geef precies één van 'when' (een voorwaarde) of 'otherwise = true'"))
            elif has_otherwise:
                if rtable["otherwise"] is not True:
                    self.problem(_join(rloc, "otherwise"), _("mag alleen true zijn; laat het anders weg"))
                fallback_at = rloc
            else:
                when = self.condition(rtable["when"], _join(rloc, "when"), before=None, relative_dates=True,
                                      own_key=None)
            deadline = None
            if "deadline" in rtable:
                deadline = self.deadline(rtable["deadline"], _join(rloc, "deadline"))
            reason = self.text(rtable, "reason", rloc)
            if reason is not None:
                self.placeholders(reason, _join(rloc, "reason"), has_deadline="deadline" in rtable)
            if rule_id and outcome and reason is not None and (when is not None or has_otherwise):
                rules.append(AdviceRule(rule_id, outcome, reason, when, deadline))
        if raw_rules and fallback_at is None:
            self.problem("advice.rules", _("de laatste regel moet 'otherwise = true' hebben, zodat er altijd een "
                                           "advies is"))
        return rules

    def deadline(self, raw: Any, loc: str) -> Deadline | None:
        if not isinstance(raw, dict):
            self.problem(loc, _("moet een tabel zijn: { question = \"...\", add_months = \"grace_period\" }"))
            return None
        self.check_keys(raw, loc, ("question", "add_months"), ("question", "add_months"))
        key = raw.get("question")
        months = self.months(raw["add_months"], _join(loc, "add_months")) if "add_months" in raw else None
        if key is None:
            return None
        entry = self.keys.get(key) if isinstance(key, str) else None
        if entry is None:
            self.problem(_join(loc, "question"), _("de vraag '{key}' bestaat niet in dit formulier").format(key=key))
            return None
        q = entry[1]
        if q is not None and q.type is not QuestionType.DATE:
            self.problem(_join(loc, "question"), _("de vraag '{key}' is geen datumvraag").format(key=key))
            return None
        return None if months is None or q is None else Deadline(key, months)

    def placeholders(self, template: str, where: str, has_deadline: bool) -> None:
        allowed = {"grace_period", "today"} | set(self.keys)
        if has_deadline:
            allowed.add("deadline")
        for name in PLACEHOLDER_RE.findall(template):
            if name not in allowed:
                if name == "deadline":
                    msg = _("'{deadline}' kan alleen in een regel met 'deadline'")
                else:
                    msg = _("onbekende plaatshouder '{{{name}}}'; mogelijk: {{deadline}}, {{grace_period}}, "
                            "{{today}} of de sleutel van een vraag").format(name=name)
                self.problem(where, msg)
        if "{" in PLACEHOLDER_RE.sub("", template) or "}" in PLACEHOLDER_RE.sub("", template):
            self.problem(where, _("losse accolade '{' of '}' in de tekst; plaatshouders schrijft u als {naam}"))


def _required_type_keys(qtype: QuestionType) -> tuple[str, ...]:
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        return ("choices",)
    if qtype is QuestionType.SCALE:
        return ("labels",)
    return ()


def _replace(q: Question, **changes) -> Question:
    return dataclasses.replace(q, **changes)


# --- difference between two versions ---------------------------------------------------------

_DIFF_ATTRIBUTES = {
    "label": "vraagtekst",
    "type": "type",
    "choices": "keuzes",
    "required": "verplicht",
    "help": "toelichting",
    "scale": "schaal",
    "show_if": "voorwaarde",
    "criterion": "criterium",
    "max_length": "maximale lengte",
    "section": "onderdeel",
}


@dataclass(frozen=True)
class FieldChange:
    attribute: str  # one of _DIFF_ATTRIBUTES
    old: Any
    new: Any

    @property
    def attribute_label(self) -> str:
        return _(_DIFF_ATTRIBUTES[self.attribute])


@dataclass(frozen=True)
class QuestionChange:
    key: str
    label: str
    changes: tuple[FieldChange, ...]

    def attributes(self) -> tuple[str, ...]:
        return tuple(c.attribute for c in self.changes)


@dataclass(frozen=True)
class FormDiff:
    old_version: int
    new_version: int
    added: tuple[Question, ...]
    removed: tuple[Question, ...]
    changed: tuple[QuestionChange, ...]
    rules_added: tuple[str, ...] = ()
    rules_removed: tuple[str, ...] = ()
    rules_changed: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.rules_added or self.rules_removed
                    or self.rules_changed)

    def lines(self) -> list[str]:
        """A Dutch summary, one line per change, for the screen or the minutes."""
        out = [_("Nieuwe vraag: {label} ({key})").format(label=q.label, key=q.key) for q in self.added]
        out += [_("Vervallen vraag: {label} ({key})").format(label=q.label, key=q.key) for q in self.removed]
        for c in self.changed:
            parts = []
            for f in c.changes:
                parts.append(_("{attr}: {old} → {new}").format(
                    attr=f.attribute_label, old=_show(f.old), new=_show(f.new)))
            out.append(_("Gewijzigde vraag {key}: {parts}").format(key=c.key, parts="; ".join(parts)))
        out += [_("Nieuwe adviesregel: {id}").format(id=r) for r in self.rules_added]
        out += [_("Vervallen adviesregel: {id}").format(id=r) for r in self.rules_removed]
        out += [_("Gewijzigde adviesregel: {id}").format(id=r) for r in self.rules_changed]
        return out


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, tuple) and value and isinstance(value[0], (Choice, ScaleStep)):
        return ", ".join(f"{c.value}={c.label}" if isinstance(c, ScaleStep) else c.value for c in value)
    if value is None or value == () or value == "":
        return "-"
    if isinstance(value, (AnswerCondition, GroupCondition)):
        return _("gewijzigd")
    return str(value)


def diff_forms(old: Form, new: Form) -> FormDiff:
    """Questions added, removed and changed (label, type, choices, required, ...) from ``old`` to ``new``."""
    old_q, new_q = old.question_map, new.question_map
    added = tuple(q for q in new.questions if q.key not in old_q)
    removed = tuple(q for q in old.questions if q.key not in new_q)
    changed = []
    for q in new.questions:
        before = old_q.get(q.key)
        if before is None:
            continue
        changes = []
        for attr in _DIFF_ATTRIBUTES:
            if attr == "section":
                a, b = old.section_of(q.key).title, new.section_of(q.key).title
            else:
                a, b = getattr(before, attr), getattr(q, attr)
            if a != b:
                changes.append(FieldChange(attr, a, b))
        if changes:
            changed.append(QuestionChange(q.key, q.label, tuple(changes)))
    old_r = {r.id: r for r in old.rules}
    new_r = {r.id: r for r in new.rules}
    return FormDiff(
        old_version=old.version,
        new_version=new.version,
        added=added,
        removed=removed,
        changed=tuple(changed),
        rules_added=tuple(r for r in new_r if r not in old_r),
        rules_removed=tuple(r for r in old_r if r not in new_r),
        rules_changed=tuple(r for r in new_r if r in old_r and new_r[r] != old_r[r]),
    )
