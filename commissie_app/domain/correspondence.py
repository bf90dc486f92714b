"""The letters that are not decisions (issue 12): acknowledgement of receipt, request for information and
expiry reminder. Each is tied to an application or a recognition and made from a template of its own in
``forms/letters/`` (the value's Dutch name, ``ontvangstbevestiging.txt`` ...)."""

from __future__ import annotations

from commissie_app.domain.codes import LabelledEnum


class LetterKind(LabelledEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    INFO_REQUEST = "info_request"
    REMINDER = "reminder"

    @classmethod
    def _labels(cls):
        return {
            cls.ACKNOWLEDGEMENT: "ontvangstbevestiging",
            cls.INFO_REQUEST: "informatieverzoek",
            cls.REMINDER: "herinnering",
        }

    @property
    def template_name(self) -> str:
        """The template file's name without ``.txt`` (the Dutch name, never translated)."""
        return self._labels()[self]

    @property
    def of_recognition(self) -> bool:
        """A reminder belongs to a recognition; the other letters to an application."""
        return self is LetterKind.REMINDER
