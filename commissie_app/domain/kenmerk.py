"""Kenmerk (reference number) of a decision, e.g. ``KIP-2026-007``.

The pattern comes from ``rules.kenmerk_pattern`` (or the commission's settings) and uses two
placeholders in Python format syntax: ``{jaar}`` (the year of the decision) and ``{volgnummer}``
(a sequence number per year, with an optional format such as ``{volgnummer:03}``).

Numbers are sequential per year and never reused: the next number is one more than the highest
number ever issued in that year, so a gap left by a cancelled decision stays a gap. The service
keeps the issued (year, number) pairs; this module only computes and checks.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _

PLACEHOLDERS = ("jaar", "volgnummer")
_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Kenmerk:
    year: int
    number: int
    text: str

    def __str__(self) -> str:
        return self.text


def _fields(pattern: str) -> list[tuple[str, str | None, str, str | None]]:
    try:
        return list(_FORMATTER.parse(pattern))
    except ValueError:
        raise DomainError(
            _("Het kenmerkpatroon ‘{p}’ heeft een losse accolade. Gebruik {{jaar}} en {{volgnummer}}; "
              "schrijf een letterlijke accolade dubbel ({{{{ of }}}}).").format(p=pattern)
        ) from None


def validate_pattern(pattern: str) -> str:
    """Return ``pattern`` when it is usable; otherwise raise DomainError naming the problem."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise DomainError(_("Vul een kenmerkpatroon in, bijvoorbeeld KIP-{jaar}-{volgnummer:03}."))
    seen: set[str] = set()
    for _literal, name, spec, conversion in _fields(pattern):
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            raise DomainError(
                _("Het kenmerkpatroon bevat een onbekend veld {{{name}}}; alleen {{jaar}} en {{volgnummer}} "
                  "kunnen worden gebruikt.").format(name=name)
            )
        if conversion or (spec and "{" in spec):
            raise DomainError(
                _("Het veld {{{name}}} in het kenmerkpatroon heeft een ongeldige opmaak.").format(name=name)
            )
        try:
            format(1, spec or "")
        except ValueError:
            raise DomainError(
                _("De opmaak ‘{spec}’ van het veld {{{name}}} in het kenmerkpatroon is ongeldig; gebruik "
                  "bijvoorbeeld {{volgnummer:03}} voor drie cijfers.").format(spec=spec, name=name)
            ) from None
        seen.add(name)
    if "volgnummer" not in seen:
        raise DomainError(
            _("Het kenmerkpatroon moet {volgnummer} bevatten, anders krijgen besluiten hetzelfde kenmerk.")
        )
    if "jaar" not in seen:
        raise DomainError(
            _("Het kenmerkpatroon moet {jaar} bevatten: het volgnummer begint elk jaar opnieuw bij 1.")
        )
    return pattern


def format_kenmerk(pattern: str, year: int, number: int) -> str:
    validate_pattern(pattern)
    if number < 1:
        raise DomainError(_("Een volgnummer is 1 of hoger."))
    return pattern.format(jaar=year, volgnummer=number)


def next_kenmerk(pattern: str, year: int, used: Iterable[int] | int | None = None) -> Kenmerk:
    """The next kenmerk of ``year``.

    ``used`` is either the numbers already issued in that year or the highest one (None or 0: none yet).
    """
    if used is None:
        last = 0
    elif isinstance(used, int):
        last = used
    else:
        last = max(used, default=0)
    if last < 0:
        raise DomainError(_("Een volgnummer is 1 of hoger."))
    number = last + 1
    return Kenmerk(year, number, format_kenmerk(pattern, year, number))


def parse_kenmerk(pattern: str, text: str) -> tuple[int, int] | None:
    """(year, number) of a kenmerk written with ``pattern``, or None if it does not fit the pattern."""
    validate_pattern(pattern)
    regex, named = [], set()
    for literal, name, _spec, _conversion in _fields(pattern):
        regex.append(re.escape(literal))
        if name is not None:
            regex.append(f"(?P={name})" if name in named else rf"(?P<{name}>\s*\d+)")
            named.add(name)
    m = re.fullmatch("".join(regex), text.strip())
    if not m:
        return None
    year, number = int(m["jaar"]), int(m["volgnummer"])
    if number < 1 or format_kenmerk(pattern, year, number) != text.strip():
        return None
    return year, number
