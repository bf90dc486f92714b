"""The Jinja2 sandbox letter templates run in: the placeholders a template may use, the environment
(strict: a missing placeholder is named), and the analysis of a template text (syntax, unknown
placeholders, what a letter template may not do).

It runs inside the bounded worker process (:mod:`commissie_app.documents.template_sandbox`);
:mod:`commissie_app.documents.templating` is the side the app calls.
"""

from __future__ import annotations

import functools

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing

from commissie_app.i18n import _

#: Every placeholder a letter template may use, with the Dutch description shown
#: in docs/letters.md. Keep the two in step (a test checks it).
PLACEHOLDERS: dict[str, str] = {
    "kenmerk": "kenmerk (referentienummer) van het besluit, bijv. KIP-2026-001",
    "datum": "datum van de brief, lang geschreven: 23 november 2026",
    "besluit": "het besluit in woorden: toegekend, voorwaardelijk toegekend, afgewezen, aangehouden, ingetrokken",
    "organisatie": "naam van de organisatie",
    "contactpersoon": "naam van de contactpersoon",
    "straat": "straat en huisnummer",
    "postcode": "postcode",
    "plaats": "plaats",
    "kvk": "KvK-nummer van de organisatie",
    "criteria": "lijst van criteria; per criterium {{ c.code }} en {{ c.label }} (gebruik in {% for c in criteria %}); "
                "in een besluitbrief de criteria waaraan de organisatie volgens de commissie voldoet",
    "criteria_tekst": "de criteria in één zin: ‘A’, ‘A en B’ of ‘A, B en C’",
    "aangevraagde_criteria": "besluitbrief: de criteria waarop de aanvraag steunde (lijst met .code en .label)",
    "aangevraagde_criteria_tekst": "besluitbrief: de aangevraagde criteria in één zin",
    "formulier": "besluitbrief: titel van het beoordelingsformulier waarmee de commissie beoordeelde",
    "formulierversie": "besluitbrief: versie van dat beoordelingsformulier",
    "regelversie": "besluitbrief: versie van de regels van de commissie die golden bij het besluit",
    "regels_vastgesteld_op": "besluitbrief: de datum waarop de commissie die regels vaststelde",
    "aanleiding": "besluitbrief: ‘nieuw’, ‘omzetting’ (voorwaardelijke erkenning wordt volledig) of ‘verlenging’",
    "vorig_kenmerk": "besluitbrief bij omzetting of verlenging: kenmerk van het eerdere besluit over de erkenning",
    "vorig_besluit_datum": "besluitbrief bij omzetting of verlenging: datum van dat eerdere besluit",
    "bijlagen": "besluitbrief: lijst met de namen van de stukken bij de aanvraag (kan leeg zijn)",
    "bezwaar_mogelijk": "besluitbrief: waar of niet waar: of tegen dit besluit bezwaar kan worden gemaakt "
                        "(niet bij ‘aangehouden’)",
    "andere_criteria": "lijst van de criteria behalve de voorwaardelijke (startup/zzp’er), met .code en .label",
    "motivering": "motivering van het besluit (mag meer alinea’s bevatten)",
    "geldig_van": "SROI-badge geldig vanaf (datum)",
    "geldig_tot": "SROI-badge geldig tot en met (datum)",
    "termijn": "uiterste datum voor een voorwaardelijke erkenning",
    "voorwaarden": "wat de organisatie vóór de termijn moet aantonen (leeg als de commissie niets extra’s vraagt)",
    "einddatum": "intrekking: de datum waarop de SROI-badge vervalt",
    "ontvangen_op": "de datum waarop de aanvraag is ontvangen (‘uw aanvraag van …’)",
    "gevraagde_informatie": "informatieverzoek en besluit ‘aangehouden’: welke informatie de commissie nodig heeft",
    "inleverdatum": "informatieverzoek en besluit ‘aangehouden’: de datum waarop de informatie binnen moet zijn",
    "vergaderdatum": "datum van de vergadering waarin is besloten",
    "voorzitter": "naam van de voorzitter",
    "secretaris": "naam van de secretaris",
    "afzender": "naam van de afzender: Commissie Sociaal Inkopen",
    "afzender_adres": "postadres van de afzender op één regel",
    "afzender_telefoon": "telefoonnummer van de afzender",
    "afzender_email": "e-mailadres van de afzender",
    "afzender_website": "website van de afzender",
    "contact_naam": "naam van de contactpersoon van de commissie voor vragen over de brief",
    "contact_telefoon": "telefoonnummer van de contactpersoon van de commissie",
    "contact_email": "e-mailadres van de contactpersoon van de commissie",
    "onderwerp": "adviesmemo: het onderwerp van het advies",
    "advies": "adviesmemo: de tekst van het advies (mag meer alinea’s bevatten)",
    "gevraagd": "adviesmemo: waar als het Coördinatieteam om het advies vroeg, onwaar bij ongevraagd advies",
    "gevraagd_door": "adviesmemo: wie om het advies vroeg",
    "gevraagd_op": "adviesmemo: wanneer om het advies werd gevraagd (datum)",
    "agendapunt": "adviesmemo: het nummer van het agendapunt waarbij het advies is vastgesteld",
}


class MissingPlaceholder(UndefinedError):
    def __init__(self, name: str | None, attribute: bool, message: str | None = None):
        super().__init__(message)
        self.name = name or "?"
        self.attribute = attribute


class _LetterUndefined(StrictUndefined):
    """StrictUndefined that remembers which name was missing."""

    __slots__ = ()

    def __init__(self, hint=None, obj=missing, name=None, exc=UndefinedError):
        super().__init__(hint, obj, name, exc=functools.partial(MissingPlaceholder, name, obj is not missing))


class _LetterEnvironment(SandboxedEnvironment):
    """The sandbox, with the power operator refused also at run time (the check refuses it up front)."""

    intercepted_binops = frozenset({"**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            raise SecurityError(_("machtsverheffen (**) is in een briefsjabloon niet toegestaan"))
        return super().call_binop(context, operator, left, right)


_env = _LetterEnvironment(
    undefined=_LetterUndefined,
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)


def environment() -> SandboxedEnvironment:
    """The Jinja2 sandbox letter templates run in (used inside the template worker process)."""
    return _env


_FORBIDDEN_TAGS = {
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from … import %}",
    nodes.Extends: "{% extends %}",
}


def at_line(line: int | None, problem: str) -> str:
    return _("regel {line}: {problem}").format(line=line, problem=problem) if line else problem


def _static_problems(ast: nodes.Template) -> list[str]:
    """What no letter template may do, found without running it: other templates, powers, recursion."""
    problems = []
    for node in ast.find_all(tuple(_FORBIDDEN_TAGS)):
        problems.append(at_line(node.lineno, _("{tag} is in een briefsjabloon niet toegestaan: een briefsjabloon is "
                                               "één bestand").format(tag=_FORBIDDEN_TAGS[type(node)])))
    for node in ast.find_all(nodes.Pow):
        problems.append(at_line(node.lineno, _("machtsverheffen (**) is in een briefsjabloon niet toegestaan")))
    macros = {m.name: m for m in ast.find_all(nodes.Macro)}
    calls = {name: {c.node.name for c in m.find_all(nodes.Call)
                    if isinstance(c.node, nodes.Name) and c.node.name in macros} for name, m in macros.items()}
    for name, macro in macros.items():
        seen, todo = set(), list(calls[name])
        while todo:
            callee = todo.pop()
            if callee not in seen:
                seen.add(callee)
                todo.extend(calls[callee])
        if name in seen:
            problems.append(at_line(macro.lineno, _("de macro ‘{name}’ roept zichzelf aan (direct of via een andere "
                                                    "macro), zonder einde").format(name=name)))
    return sorted(problems)


def analyse(text: str) -> tuple[list[str], list[str]]:
    """(problems, unknown placeholder names) of a template text: syntax, placeholders, what a letter
    template may not do. Runs inside the worker process (see template_sandbox)."""
    problems: list[str] = []
    unknown: list[str] = []
    try:
        ast = _env.parse(text)
    except TemplateSyntaxError as e:
        problems.append(
            _("fout in de opmaak op regel {line}: {err}").format(line=e.lineno, err=e.message or str(e))
        )
    else:
        unknown = sorted(meta.find_undeclared_variables(ast) - PLACEHOLDERS.keys())
        problems.extend(
            _("onbekend veld ‘{name}’ (de bekende velden staan in docs/letters.md).").format(name=n) for n in unknown
        )
        problems.extend(_static_problems(ast))
    return problems, unknown
