"""Per-machine preferences, declared once with type, default and label.

Commission-wide settings (shared by every machine) live in the database table
``settings`` instead; see commissie_app/services/settings.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NamedTuple

from commissie_app.paths import config_dir


class Option(NamedTuple):  # not a dataclass: ``dataclasses`` stays off the start-up path
    key: str
    type: type
    default: Any
    label: str


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in [
        Option("user_name", str, "", "Naam van de gebruiker"),
        Option("language", str, "nl", "Taal van de interface"),
        Option("search_delay_ms", int, 120, "Wachttijd zoeken tijdens typen (ms)"),
        Option("checklist_hidden", list, [], "Databases waarvoor de startlijst is verborgen"),
    ]
}


class LocalSettings:
    """A small JSON file in the user's config directory, written atomically."""

    def __init__(self, path: Path | None = None):
        self.path = path or (config_dir() / "settings.json")
        self._values: dict[str, Any] = {}
        try:
            self._values = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._values = {}

    def get(self, key: str) -> Any:
        opt = OPTIONS[key]
        value = self._values.get(key, opt.default)
        try:
            return opt.type(value)
        except (TypeError, ValueError):
            return opt.default

    def set(self, key: str, value: Any) -> None:
        opt = OPTIONS[key]
        self._values[key] = opt.type(value)
        self.save()

    def save(self) -> None:
        import tempfile  # only when saving: not on the start-up path

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self._values, f, indent=2, ensure_ascii=False)
        os.replace(tmp, self.path)
