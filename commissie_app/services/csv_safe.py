"""Every CSV file the app writes, with cells a spreadsheet cannot run as a formula.

OWASP's "CSV Injection" guidance: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return is read by Excel or LibreOffice as a formula (``=HYPERLINK(...)``,
``+cmd|' /C calc'!A0``, ``@SUM(...)``). Such a cell is written with a single quote in front, which
makes the spreadsheet show it as text. The app's own import removes that one quote again
(:func:`unprotect`), so an exported file imports back to the original values. A value that
itself begins with quotes followed by such a character gets one quote more, so the round trip is
exact for every value.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")

DELIMITER = ";"  # what Dutch Excel expects


def protect(text: str) -> str:
    """``text`` as a cell no spreadsheet runs as a formula."""
    return "'" + text if _FORMULA_START.match(text) else text


def unprotect(text: str) -> str:
    """The value :func:`protect` was given (a cell of any other origin is left as it is, but for one quote
    in front of a formula character, which is what Excel itself means by it)."""
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text) else text


def write_csv(target: Path, header: Iterable[str], rows: Iterable[Iterable[str]]) -> int:
    """Write a header and text rows as Excel opens them well; returns the number of rows written.

    UTF-8 with a byte order mark (so Excel recognises the encoding) and ``;`` as delimiter. The rows
    are written as they come, so an iterator of any length needs no more memory than one row.
    """
    count = 0
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=DELIMITER)
        writer.writerow([protect(h) for h in header])
        for row in rows:
            writer.writerow([protect(cell) for cell in row])
            count += 1
    return count
