"""The commission's rules file (``forms/rules.toml``), read strictly."""

from __future__ import annotations

import dataclasses
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pathvalidate import ValidationError as _PathError
from pathvalidate import validate_filename

from commissie_app.domain import kenmerk as kenmerk_rules
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _, ngettext


def _forms_dir() -> Path:
    """The commission's files: ``COMMISSIE_FORMS_DIR`` if set; else ``forms/`` next to the package (a
    checkout, an editable install, and the PyInstaller bundle, whose spec puts ``forms/`` beside
    ``commissie_app/`` in its folder); else the copy a wheel installs under ``<prefix>/share/commissie-app``."""
    override = os.environ.get("COMMISSIE_FORMS_DIR")
    if override:
        return Path(override)
    source = Path(__file__).resolve().parents[2] / "forms"
    if source.is_dir():
        return source
    return Path(sys.prefix) / "share" / "commissie-app" / "forms"


FORMS_DIR = _forms_dir()
RULES_FILE = FORMS_DIR / "rules.toml"


@dataclass(frozen=True)
class Rules:
    # who counts as a startup: founded at most this many months before the application was received
    startup_max_age_months: int = 24
    # how long a conditional recognition runs, counted from the decision date
    conditional_months: int = 24
    badge_validity_months: int = 24
    # the "Te doen" view and the expiry reminder look this many months ahead
    reminder_months: int = 3
    quorum_seats: int = 3
    tie_outcome: str = "aangehouden"
    kenmerk_pattern: str = "KIP-{jaar}-{volgnummer:03}"
    # offline review (docs/offline-review.md): how many days after the meeting a review package
    # expires, and whether a member's package carries the other members' final assessments
    review_package_days: int = 30
    review_share_assessments: bool = False
    # what an applicant brings per criterion, beyond the assessment form's own evidence help (the vooraf-check's
    # checklist, issue 15): (criterion code, text) pairs in the order of the file
    evidence_notes: tuple[tuple[str, str], ...] = ()


def load_rules(path: Path | None = None) -> Rules:
    """The rules of a rules file (by default the one shipped in ``forms/``), read strictly."""
    return parse_rules(read_rules_text(path), path or RULES_FILE)


def read_rules_text(path: Path | None = None) -> str:
    path = path or RULES_FILE
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DomainError(_("Het regelbestand {file} kan niet worden gelezen: {err}").format(file=path, err=e))


def parse_rules(text: str, where: Path | str) -> Rules:
    """The rules in the text of a rules file; a DomainError naming ``where`` and every problem at once."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise DomainError(_("Het regelbestand {file} kan niet worden gelezen: {err}").format(file=where, err=e))
    rec, meet, dec = data.get("recognition", {}), data.get("meeting", {}), data.get("decision", {})
    review, follow_up = data.get("review", {}), data.get("follow_up", {})
    return rules_from_values({
        **{k: rec[k] for k in ("startup_max_age_months", "conditional_months", LEGACY_PERIOD) if k in rec},
        "badge_validity_months": rec.get("badge_validity_months", Rules.badge_validity_months),
        "reminder_months": follow_up.get("reminder_months", Rules.reminder_months),
        "quorum_seats": meet.get("quorum_seats", Rules.quorum_seats),
        "tie_outcome": meet.get("tie_outcome", Rules.tie_outcome),
        "kenmerk_pattern": dec.get("kenmerk_pattern", Rules.kenmerk_pattern),
        "review_package_days": review.get("package_days_after_meeting", Rules.review_package_days),
        "review_share_assessments": review.get("share_other_assessments", Rules.review_share_assessments),
        "evidence_notes": data.get("evidence", Rules.evidence_notes),
    }, where)


#: The single period of before issue 12, which counted the conditional recognition from the founding date.
LEGACY_PERIOD = "grace_period_months"


def _recognition_periods(values: dict) -> dict:
    """The startup age and the conditional period; a rules file or an adopted set that has only the legacy
    ``grace_period_months`` keeps the commission's number for both (an explicit new key wins)."""
    legacy = values.get(LEGACY_PERIOD)
    return {key: values.get(key, Rules.__dataclass_fields__[key].default if legacy is None else legacy)
            for key in ("startup_max_age_months", "conditional_months")}


def rules_to_values(rules: Rules) -> dict:
    """The rules as plain JSON values (as the database keeps an adopted set): pairs as lists."""
    values = dataclasses.asdict(rules)
    values["evidence_notes"] = [list(pair) for pair in rules.evidence_notes]
    return values


def rules_from_values(values: dict, where: Path | str) -> Rules:
    """Rules from plain values (a rules file's, or an adopted set's), checked as a rules file is."""
    problems = []
    clean: dict = {}
    # a problem in a period read from the legacy key is named by that key (the one the file has)
    names = {key: LEGACY_PERIOD for key in ("startup_max_age_months", "conditional_months")
             if key not in values and LEGACY_PERIOD in values}
    values = {**values, **_recognition_periods(values)}
    for f in dataclasses.fields(Rules):
        value = values.get(f.name, f.default)
        if f.name == "evidence_notes":
            clean[f.name], found = _evidence_notes(value)
            problems += found
            continue
        if f.type == "bool":
            if not isinstance(value, bool):
                problems.append(_("{key} moet true of false zijn").format(key=f.name))
                value = f.default
            clean[f.name] = value
            continue
        try:
            if f.type == "int" and isinstance(value, bool):
                raise TypeError(value)
            clean[f.name] = int(value) if f.type == "int" else str(value)
        except (TypeError, ValueError):
            problems.append(_("{key} moet een geheel getal zijn").format(key=f.name))
            clean[f.name] = f.default
    rules = Rules(**clean)
    for key in ("startup_max_age_months", "conditional_months", "badge_validity_months"):
        if not 1 <= getattr(rules, key) <= 120:
            problems.append(_("{key} moet tussen 1 en 120 liggen").format(key=names.get(key, key)))
    if not 0 <= rules.reminder_months <= 24:
        problems.append(_("reminder_months moet tussen 0 en 24 liggen"))
    if not 1 <= rules.quorum_seats <= 5:
        problems.append(_("quorum_seats moet tussen 1 en 5 liggen"))
    if rules.tie_outcome not in ("aangehouden", "afgewezen"):
        problems.append(_("tie_outcome moet ‘aangehouden’ of ‘afgewezen’ zijn"))
    if not 1 <= rules.review_package_days <= 365:
        problems.append(_("package_days_after_meeting moet tussen 1 en 365 liggen"))
    problems += _kenmerk_pattern_problems(rules.kenmerk_pattern)
    if problems:
        problems = list(dict.fromkeys(problems))
        raise DomainError(_("Fouten in {file}:").format(file=where) + "\n" + "\n".join(f"- {p}" for p in problems))
    return rules


#: The longest note on the evidence of one criterion.
EVIDENCE_NOTE_MAX = 500


def _evidence_notes(value) -> tuple[tuple[tuple[str, str], ...], list[str]]:
    """The ``[evidence]`` table of a rules file (criterion code = text), or the pairs of an adopted set."""
    pairs = value.items() if isinstance(value, dict) else value
    try:
        pairs = [(str(code), text) for code, text in pairs]
    except (TypeError, ValueError):
        return (), [_("[evidence] moet een tabel zijn: criterium = \"tekst\"")]
    problems, clean = [], []
    codes = {c.value for c in Criterion}
    for code, text in pairs:
        if code not in codes:
            problems.append(_("[evidence] kent geen criterium ‘{code}’; mogelijk: {codes}").format(
                code=code, codes=", ".join(c.value for c in Criterion)))
        elif not isinstance(text, str) or not text.strip() or len(text) > EVIDENCE_NOTE_MAX:
            problems.append(_("[evidence] {code} moet een tekst van 1 tot {n} tekens zijn").format(
                code=code, n=EVIDENCE_NOTE_MAX))
        else:
            clean.append((code, " ".join(text.split())))
    return tuple(clean), problems


def evidence_note(rules: Rules, criterion_code: str) -> str:
    """What the rules add to the form's help on the evidence of a criterion ("" when nothing)."""
    return next((text for code, text in rules.evidence_notes if code == criterion_code), "")


def rule_lines(rules: Rules) -> list[tuple[str, str]]:
    """The rules as (Dutch label, value) pairs, to show them."""
    def months(n: int) -> str:
        return ngettext("{n} maand", "{n} maanden", n).format(n=n)

    return [
        (_("Start-up: opgericht ten hoogste"),
         ngettext("{n} maand voor de aanvraag", "{n} maanden voor de aanvraag",
                  rules.startup_max_age_months).format(n=rules.startup_max_age_months)),
        (_("Looptijd voorwaardelijke erkenning"),
         ngettext("{n} maand na het besluit", "{n} maanden na het besluit",
                  rules.conditional_months).format(n=rules.conditional_months)),
        (_("Geldigheid van de SROI-badge"), months(rules.badge_validity_months)),
        (_("Herinnering vooraf"), months(rules.reminder_months)),
        (_("Quorum"), _("{n} van de 5 zetels aanwezig").format(n=rules.quorum_seats)),
        (_("Bij staking van stemmen"), rules.tie_outcome),
        (_("Kenmerk"), rules.kenmerk_pattern),
        (_("Beoordelingspakket verloopt"),
         ngettext("{n} dag na de vergadering", "{n} dagen na de vergadering",
                  rules.review_package_days).format(n=rules.review_package_days)),
        (_("Beoordelingen van andere leden in het pakket"),
         _("ja (alleen definitieve)") if rules.review_share_assessments else _("nee")),
    ] + [(_("Bewijs bij {criterion}").format(criterion=Criterion(code).short_label), text)
         for code, text in rules.evidence_notes]


def kenmerk_file_name(kenmerk: str, suffix: str = ".pdf") -> str:
    """``kenmerk + suffix`` when that is a plain file name on every system (no folder, no ``..``,
    no character Windows refuses); otherwise a DomainError. Letters are written under this name."""
    name = f"{kenmerk}{suffix}"
    problem = _file_name_problem(name)
    if problem:
        raise DomainError(_("Het kenmerk ‘{k}’ kan geen bestandsnaam zijn ({why}); de brief wordt niet "
                            "geschreven.").format(k=kenmerk, why=problem))
    return name


def _file_name_problem(name: str) -> str | None:
    if any(sep in name for sep in "/\\"):
        return _("bevat een / of \\ en zou in een andere map terechtkomen")
    if name != name.strip() or name.startswith("."):
        return _("begint of eindigt met een spatie of punt")
    try:
        validate_filename(name, platform="universal")
    except _PathError:
        return _("bevat een teken of naam die niet in een bestandsnaam mag (zoals : * ? \" < > | of CON)")
    return None


def _kenmerk_pattern_problems(pattern: str) -> list[str]:
    """The pattern is checked when the rules are read: a usable pattern whose kenmerken are plain file
    names (a kenmerk names the letter's file: ``../`` would write outside the chosen folder)."""
    try:
        kenmerk_rules.validate_pattern(pattern)
        samples = [kenmerk_rules.format_kenmerk(pattern, year, number)
                   for year, number in ((2026, 1), (1, 1), (9999, 99999))]
    except DomainError as e:
        return [_("kenmerk_pattern: {err}").format(err=e)]
    for sample in samples:
        problem = _file_name_problem(f"{sample}.pdf")
        if problem:
            return [_("kenmerk_pattern ‘{p}’ geeft kenmerk ‘{k}’, dat {why}; een kenmerk is ook de naam van het "
                      "briefbestand en mag geen map of bijzondere tekens bevatten").format(
                p=pattern, k=sample, why=problem)]
    return []
