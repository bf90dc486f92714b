"""Embedded TrueType fonts for every document the app renders.

reportlab's bundled Bitstream Vera fonts are registered once as the family
``Vera`` (regular, bold, italic, bold italic). TrueType fonts are always
embedded (as subsets, ``/FontFile2``) with a ToUnicode map, so the text of a
letter is selectable and searchable and Dutch characters (é, ë, ö, €, ‘ ’ “ ”)
come back when the PDF is read.
"""

from __future__ import annotations

import threading
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "Vera"
REGULAR = "Vera"
BOLD = "Vera-Bold"
ITALIC = "Vera-Italic"
BOLD_ITALIC = "Vera-BoldItalic"

FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
_FILES = {
    REGULAR: "Vera.ttf",
    BOLD: "VeraBd.ttf",
    ITALIC: "VeraIt.ttf",
    BOLD_ITALIC: "VeraBI.ttf",
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the Vera family (idempotent, thread-safe); returns the family name."""
    global _registered
    if _registered:
        return FAMILY
    with _lock:
        if not _registered:
            for name, file in _FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
            for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
                addMapping(FAMILY, bold, italic, name)
            pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
            _registered = True
    return FAMILY
