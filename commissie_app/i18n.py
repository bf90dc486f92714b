"""The one translation mechanism for every user-visible string: gettext.

Message ids are the Dutch texts (Dutch is the language that ships); an English
catalogue can be added under ``commissie_app/locale/en/LC_MESSAGES`` later
without touching the code. Qt's ``tr()`` is deliberately not used.

Every call passes literal text, so that ``xgettext`` finds all of it: ``_("…")``
for a text, ``ngettext("… {n} aanvraag", "… {n} aanvragen", n)`` for one that
counts (Dutch and English both have a singular and a plural form; the number
picks one), never ``_(variable)``, an f-string, or ``_()`` inside an f-string.
Labels of code lists are mappings built from literal calls (``LabelledEnum._labels``).
``make test`` checks this (``scripts/i18n_extract.py``); ``make pot`` writes the
template ``build/commissie_app.pot`` a translator starts from.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
_translation: gettext.NullTranslations = gettext.NullTranslations()


def set_language(lang: str | None) -> None:
    """Select the UI language ('nl' is the built-in default)."""
    global _translation
    if not lang or lang == "nl":
        _translation = gettext.NullTranslations()
        return
    _translation = gettext.translation("commissie_app", LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
