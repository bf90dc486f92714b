"""Loading assessment forms: the strict loader of a form file (or its stored text).

Loading is strict: a file with any problem is refused with *every* problem listed (file, location,
Dutch reason), so a form in use is always complete and consistent.

Pure module: no Qt, no SQL.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

from commissie_app.domain.codes import Criterion
from commissie_app.domain.form_logic_reader import LogicReader
from commissie_app.domain.form_model import (
    ASSESSMENT_FORMS_DIR,
    FORM_ID_RE,
    KEY_RE,
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    YES_NO_UNKNOWN_CHOICES,
    Choice,
    Form,
    Question,
    QuestionType,
    ScaleStep,
    Section,
)
from commissie_app.domain.form_reader import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_TEXT_CHARS,
    MISSING,
    FormDefinitionError,
    FormProblem,
    join_location,
    too_deep_line,
)
from commissie_app.i18n import _


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


# ---------------------------------------------------------------- the loader


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


class _Loader(LogicReader):
    """Walks the parsed TOML once, collecting every problem instead of stopping at the first."""

    # -- the whole file

    def load(self, text: str) -> Form:
        if len(text) > MAX_FILE_BYTES:
            raise FormDefinitionError([FormProblem(self.source, "-", _(
                "de tekst is {size} kB groot; een formulier is hoogstens {max} kB").format(
                size=len(text) // 1024, max=MAX_FILE_BYTES // 1024))])
        try:
            data = tomllib.loads(text)
        except RecursionError:
            line = too_deep_line(text)
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
                stack.extend((join_location(loc, k), v, depth + 1) for k, v in items)

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
                            pattern_hint=_("gebruik kleine letters, cijfers en ‘-’, beginnend met een letter"))
        version = None
        if "version" in table:
            version = self.integer(table["version"], "form.version", 1, 10_000)
        title = self.text(table, "title", loc)
        description = self.text(table, "description", loc, required=False) or ""
        adopted_on = None
        if "adopted_on" in table:
            adopted_on = self.date(table["adopted_on"], "form.adopted_on")
        return form_id, version, title, adopted_on, description

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
                        self.problem(join_location(qloc, "key"), _("de sleutel ‘{key}’ komt al voor bij {other}").format(
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
                sec_cond = self.condition(table["show_if"], join_location(loc, "show_if"), before=first_index,
                                          relative_dates=False, own_key=None)
            built = []
            for n, (qloc, qtable, q) in enumerate(questions):
                cond = None
                if "show_if" in qtable:
                    own = qtable.get("key") if isinstance(qtable.get("key"), str) else None
                    cond = self.condition(qtable["show_if"], join_location(qloc, "show_if"), before=first_index + n,
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
        qtype_raw = table.get("type", MISSING)
        qtype = None
        if qtype_raw is not MISSING:
            try:
                qtype = QuestionType(qtype_raw)
            except (ValueError, TypeError):
                self.problem(join_location(loc, "type"), _("onbekend vraagtype ‘{type}’; kies uit: {types}").format(
                    type=qtype_raw, types=", ".join(t.value for t in QuestionType)))
        if qtype is None:
            self.check_keys(table, loc, _ALL_QUESTION_KEYS, ("key", "type", "label"))
        else:
            allowed = _COMMON_QUESTION_KEYS + _TYPE_KEYS[qtype]
            for key in table:
                if key in _ALL_QUESTION_KEYS and key not in allowed:
                    self.problem(join_location(loc, key), _("attribuut ‘{key}’ hoort niet bij vraagtype ‘{type}’").format(
                        key=key, type=qtype.value))
            self.check_keys({k: v for k, v in table.items() if k not in _ALL_QUESTION_KEYS or k in allowed}, loc,
                            allowed, ("key", "type", "label") + _required_type_keys(qtype))
        key = self.text(table, "key", loc, pattern=KEY_RE,
                        pattern_hint=_("gebruik kleine letters, cijfers en ‘_’, beginnend met een letter"))
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
            choices = self.choices(table["choices"], join_location(loc, "choices"))
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
                self.problem(join_location(loc, "criterion"), _("onbekend criterium ‘{value}’; kies uit: {codes}").format(
                    value=raw, codes=", ".join(c.value for c in Criterion)))
        elif qtype in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
            top = SHORT_TEXT_MAX if qtype is QuestionType.SHORT_TEXT else LONG_TEXT_MAX
            extra["max_length"] = top
            if "max_length" in table:
                n = self.integer(table["max_length"], join_location(loc, "max_length"), 1, top)
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
            iloc = join_location(where, i)
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
                self.problem(iloc, _("de keuze ‘{value}’ komt dubbel voor").format(value=choice_value))
                ok = False
                continue
            seen.add(choice_value)
            out.append(Choice(choice_value, label))
        return tuple(out) if ok else None

    def scale(self, table: dict, loc: str) -> tuple[ScaleStep, ...] | None:
        labels = table["labels"]
        where = join_location(loc, "labels")
        start = 1
        if "min" in table:
            start = self.integer(table["min"], join_location(loc, "min"), 0, 100)
            if start is None:
                return None
        if not isinstance(labels, list) or len(labels) < 2:
            self.problem(where, _("een schaal heeft een lijst met ten minste twee labels nodig, één per stap"))
            return None
        ok = True
        for i, label in enumerate(labels, start=1):
            if not isinstance(label, str) or not label.strip():
                self.problem(join_location(where, i), _("elk label van de schaal moet een niet-lege tekst zijn"))
                ok = False
        if not ok:
            return None
        return tuple(ScaleStep(start + i, label) for i, label in enumerate(labels))


def _required_type_keys(qtype: QuestionType) -> tuple[str, ...]:
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        return ("choices",)
    if qtype is QuestionType.SCALE:
        return ("labels",)
    return ()


def _replace(q: Question, **changes) -> Question:
    return dataclasses.replace(q, **changes)
