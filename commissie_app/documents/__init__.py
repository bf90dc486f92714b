"""reportlab rendering of the commission's documents (decision letters first)."""

from commissie_app.documents.letters import (
    DecisionType,
    LetterData,
    LetterSettings,
    RenderedLetter,
    render_letter,
    render_letter_document,
    template_version,
)
from commissie_app.documents.templating import PLACEHOLDERS, LetterTemplateError, validate_template

__all__ = [
    "DecisionType",
    "LetterData",
    "LetterSettings",
    "LetterTemplateError",
    "PLACEHOLDERS",
    "RenderedLetter",
    "render_letter",
    "render_letter_document",
    "template_version",
    "validate_template",
]
