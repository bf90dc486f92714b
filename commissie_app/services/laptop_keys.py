"""The key pair of this laptop (docs/offline-review.md): made by the app the first time it is needed and
kept in the user's config folder, readable by the user only. Review packages are encrypted to its public
key; return packages and the encrypted working copy are signed and encrypted with it. It never touches
the commission's database."""

from __future__ import annotations

import json
import os
from pathlib import Path

from commissie_app.domain.errors import DomainError
from commissie_app.domain.review_crypto import KeyPair, PublicKey
from commissie_app.i18n import _
from commissie_app.paths import config_dir

KEY_FILE_NAME = "beoordelingssleutel.json"


def key_path() -> Path:
    return config_dir() / KEY_FILE_NAME


def laptop_keys(*, create: bool = True) -> KeyPair | None:
    """This laptop's key pair; made and stored (mode 0600) when there is none and ``create`` is set."""
    path = key_path()
    try:
        return KeyPair.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        if not create:
            return None
    except (OSError, ValueError) as err:
        raise DomainError(_("Het sleutelbestand van deze laptop ({path}) kan niet worden gelezen: {err}")
                          .format(path=path, err=err)) from None
    keys = KeyPair.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(keys.to_json(), f)
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(tmp, path)  # never replaces a key another window made at the same moment
    except FileExistsError:
        os.unlink(tmp)
        return laptop_keys(create=False)
    os.unlink(tmp)
    return keys


def laptop_public_key() -> PublicKey:
    """The one line the member gives the secretary to register ('Mijn sleutel')."""
    return laptop_keys().public()
