"""The addressee in the window of a Dutch window envelope (EA5/5 or DL).

Every line of every field is kept: long names wrap and the size shrinks until the address fits
the window; when it cannot fit, a ValidationError names the field to shorten.
"""

from __future__ import annotations

import logging

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from commissie_app.documents import fonts
from commissie_app.documents.letter_content import LetterData
from commissie_app.documents.page_style import MARGIN_LEFT
from commissie_app.domain.errors import ValidationError
from commissie_app.i18n import _

log = logging.getLogger(__name__)

# Window envelope EA5/5 (A4 folded once) and DL: window 90 x 45 mm, 20-22 mm from the left
# edge and about 50 mm from the top of the sheet. The address is set 2-4 mm inside it.
WINDOW_X, WINDOW_TOP, WINDOW_W, WINDOW_H = 20 * mm, 50 * mm, 90 * mm, 45 * mm
ADDRESS_X = MARGIN_LEFT
RETURN_ADDRESS_BASELINE = 55 * mm  # from the top
ADDRESS_FIRST_BASELINE = 62 * mm
ADDRESS_LEADING = 4.6 * mm
ADDRESS_SIZES = (10, 9.5, 9, 8.5, 8)  # pt: shrunk step by step until the address fits the window
ADDRESS_WIDTH = WINDOW_X + WINDOW_W - ADDRESS_X - 2 * mm
ADDRESS_LAST_BASELINE = WINDOW_TOP + WINDOW_H - 3 * mm


# ---------------------------------------------------------------- address


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of at most ``width``; a word longer than a line is broken between characters."""
    out: list[str] = []
    for line in simpleSplit(" ".join(text.split()), font, size, width) or [""]:
        while stringWidth(line, font, size) > width:
            cut = max(1, next(i for i in range(len(line), 0, -1) if stringWidth(line[:i], font, size) <= width))
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


def address_block(data: LetterData) -> tuple[float, list[tuple[str, str]]]:
    """The addressee for the envelope window: (font size, [(line, font)]), every line of every field.

    Long names are wrapped and the size shrinks from 10 to 8 pt until all lines fit between the first
    baseline and the window's bottom; nothing is ever left out. When even 8 pt does not fit, a
    ValidationError names the field that takes the most lines."""
    fields = (
        ("organisation_name", _("naam van de organisatie"), data.organisation_name, fonts.BOLD),
        ("contact_person", _("contactpersoon"), _("t.a.v.") + " " + data.contact_person, fonts.REGULAR),
        ("street", _("straat en huisnummer"), data.street, fonts.REGULAR),
        ("place", _("plaats"), f"{data.postcode.strip().upper()}  {data.place.strip().upper()}", fonts.REGULAR),
    )
    for size in ADDRESS_SIZES:
        leading = ADDRESS_LEADING * size / ADDRESS_SIZES[0]
        room = int((ADDRESS_LAST_BASELINE - ADDRESS_FIRST_BASELINE) / leading + 1e-6) + 1
        wrapped = [(_wrap(text, font, size, ADDRESS_WIDTH), font) for _k, _l, text, font in fields]
        if sum(len(parts) for parts, _f in wrapped) <= room:
            if size != ADDRESS_SIZES[0]:
                log.info("Adres van %s in %s pt gezet om in het venster te passen", data.kenmerk, size)
            return size, [(part, font) for parts, font in wrapped for part in parts]
    key, label, _text, _font = max(zip(fields, wrapped), key=lambda fw: len(fw[1][0]))[0]
    raise ValidationError({key: _(
        "Het adres past niet in het venster van de envelop (hoogstens {room} regels): de {label} is te lang "
        "({n} tekens). Kort de {label} in (bij de gegevens van de organisatie) en maak de brief opnieuw.").format(
        room=room, label=label, n=len(str(getattr(data, key)).strip()))})
