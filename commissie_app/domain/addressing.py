"""How a letter addresses the organisation's contact person (issue 14): the form of address chosen in the
organisation form and the salutation it gives ("Geachte mevrouw Van Dijk,").

Dutch surnames often start with a prefix (tussenvoegsel: van, de, van der, ...). Written after a title
("mevrouw", "de heer") the first prefix takes a capital ("mevrouw Van Dijk", "de heer De Boer"); written after
a first name it stays small ("Lotte van Dijk").
"""

from __future__ import annotations

from commissie_app.domain.codes import LabelledEnum
from commissie_app.i18n import _


class FormOfAddress(LabelledEnum):
    """The contact person's form of address; neutral uses the full name (no title)."""

    MRS = "mrs"
    MR = "mr"
    NEUTRAL = "neutral"

    @classmethod
    def _labels(cls):
        return {
            cls.MRS: "mevrouw",
            cls.MR: "de heer",
            cls.NEUTRAL: "neutraal (voor- en achternaam)",
        }


#: The prefixes of Dutch (and some Flemish, French, German, Arabic) surnames, lower case.
PREFIXES = frozenset({
    "van", "de", "der", "den", "het", "'t", "te", "ten", "ter", "in", "op", "aan", "uit", "onder", "bij", "over",
    "voor", "la", "le", "les", "du", "des", "d'", "di", "da", "del", "della", "von", "vom", "zu", "zum", "el", "al",
})


def surname(full_name: str) -> str:
    """The surname of a full name as written ("Lotte van Dijk" -> "van Dijk", "L. de Boer-Jansen" ->
    "de Boer-Jansen"): from the first prefix after the first word, else the last word."""
    words = full_name.split()
    if len(words) <= 1:
        return " ".join(words)
    for i, word in enumerate(words[1:-1], start=1):
        if word.lower() in PREFIXES:
            return " ".join(words[i:])
    return words[-1]


def _capitalise_first(name: str) -> str:
    return name[:1].upper() + name[1:]


def salutation(full_name: str, form: FormOfAddress | str | None) -> str:
    """The salutation line: "Geachte mevrouw Van Dijk," / "Geachte heer De Boer," / "Geachte Lotte van Dijk,".
    Without a name: "Geachte heer, mevrouw,"."""
    name = " ".join((full_name or "").split())
    form = FormOfAddress(getattr(form, "value", form) or FormOfAddress.NEUTRAL.value)
    if not name:
        return _("Geachte heer, mevrouw,")
    if form is FormOfAddress.MRS:
        return _("Geachte mevrouw {surname},").format(surname=_capitalise_first(surname(name)))
    if form is FormOfAddress.MR:
        return _("Geachte heer {surname},").format(surname=_capitalise_first(surname(name)))
    return _("Geachte {name},").format(name=name)
