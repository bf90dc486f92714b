"""What the laptop keeps of a review (docs/offline-review-design.md): the member's work on a package in an
encrypted working copy, and the commission keys this laptop has seen (pinned per database id).

The working copy is sealed with age to the laptop's own key and signed by it
(``review_crypto.seal(..., signer=laptop keys, recipients=[laptop public key])``) and written atomically:
the encrypted bytes go to a file next to it that is then moved into place. Nothing of a package is ever
written to disk unencrypted, not even for a moment. The commission keys are public keys, not secrets.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from pathlib import Path

from commissie_app.domain.errors import DomainError
from commissie_app.domain.review_crypto import KeyPair, PackageRefused, open_sealed, seal
from commissie_app.i18n import _
from commissie_app.paths import config_dir, data_dir

WORKING_COPY_SUFFIX = ".werkkopie"
WORKING_COPY_ENTRY = "werkkopie.json"
PINS_FILE_NAME = "beoordeling-commissiesleutels.json"


class WorkingCopyDamaged(DomainError):
    """The working copy of a package cannot be read (damaged, or made by another laptop's key)."""

    def __init__(self, package_id: uuid.UUID, path: Path):
        self.package_id = package_id
        super().__init__(_("De werkkopie {path} is beschadigd of niet door deze laptop gemaakt; het werk erin kan "
                           "niet worden gelezen.").format(path=path))


def working_copy_dir() -> Path:
    return data_dir() / "beoordeling"


def working_copy_path(package_id: uuid.UUID) -> Path:
    return working_copy_dir() / f"{package_id}{WORKING_COPY_SUFFIX}"


def write_atomically(target: Path, blob: bytes) -> Path:
    """Write ``blob`` next to ``target`` (mode 0600), flush it to disk and move it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def save_working_copy(package_id: uuid.UUID, state: dict, keys: KeyPair) -> None:
    """Encrypt ``state`` (plain JSON values) to this laptop's key and store it; a failure is a Dutch error."""
    blob = seal({WORKING_COPY_ENTRY: json.dumps(state, ensure_ascii=False).encode("utf-8")},
                signer=keys, recipients=[keys.public()])
    path = working_copy_path(package_id)
    try:
        write_atomically(path, blob)
    except OSError as err:
        raise DomainError(_("Uw werk kon niet worden opgeslagen in {path} ({reason}). Het staat nog in het venster; "
                            "maak ruimte vrij en probeer het opnieuw.").format(path=path, reason=err.strerror or err)) from None


def load_working_copy(package_id: uuid.UUID, keys: KeyPair) -> dict | None:
    """The member's work on this package as stored on this laptop, None when there is none yet."""
    path = working_copy_path(package_id)
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise DomainError(_("De werkkopie {path} kan niet worden gelezen ({reason}).").format(
            path=path, reason=err.strerror or err)) from None
    damaged = WorkingCopyDamaged(package_id, path)
    try:
        opened = open_sealed(blob, identity=keys)
        state = json.loads(opened.entries[WORKING_COPY_ENTRY].decode("utf-8"))
    except (PackageRefused, KeyError, UnicodeDecodeError, ValueError):
        raise damaged from None
    if opened.signer != keys.public().verify_key or not isinstance(state, dict) \
            or state.get("package_id") != str(package_id):
        raise damaged
    return state


def delete_working_copy(package_id: uuid.UUID) -> None:
    working_copy_path(package_id).unlink(missing_ok=True)


# --- the commission keys this laptop trusts ------------------------------------------------------

def _pins_path() -> Path:
    return config_dir() / PINS_FILE_NAME


def pinned_commission_key(database_id: uuid.UUID) -> str | None:
    """The commission key (public key text) first seen in a package of this database on this laptop."""
    try:
        pins = json.loads(_pins_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        raise DomainError(_("Het bestand met de sleutels van de commissie ({path}) kan niet worden gelezen: {err}")
                          .format(path=_pins_path(), err=err)) from None
    value = pins.get(str(database_id)) if isinstance(pins, dict) else None
    return value if isinstance(value, str) else None


def pin_commission_key(database_id: uuid.UUID, key_text: str) -> None:
    """Remember the commission key of a database (first use); a later package must carry the same one."""
    path = _pins_path()
    try:
        pins = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pins = {}
    if not isinstance(pins, dict):
        pins = {}
    pins[str(database_id)] = key_text
    try:
        write_atomically(path, json.dumps(pins, indent=1, sort_keys=True).encode("utf-8"))
    except OSError as err:
        raise DomainError(_("De sleutel van de commissie kan niet worden onthouden in {path} ({reason}).").format(
            path=path, reason=err.strerror or err)) from None
