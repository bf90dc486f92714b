"""reportlab rendering of the commission's documents (decision letters first).

The names below are imported when first used (PEP 562), so that a process that needs only the
templates (the template sandbox worker) does not load reportlab.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "DecisionType": "letter_content",
    "LetterData": "letter_content",
    "LetterSettings": "letter_content",
    "RenderedLetter": "letter_content",
    "render_letter": "letters",
    "render_letter_document": "letters",
    "template_version": "letter_content",
    "LetterTemplateError": "templating",
    "PLACEHOLDERS": "template_engine",
    "validate_template": "templating",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
