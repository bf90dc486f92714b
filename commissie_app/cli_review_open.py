"""``commissie-app review open FILE`` and ``review key show``: the member's laptop (docs/offline-review.md).
No database is opened: the package is all the app needs."""

from __future__ import annotations

import sys
from pathlib import Path

from commissie_app.i18n import _


def cmd_open(args) -> int:
    """Start the desktop app with the review window on the package (the passphrase is asked there)."""
    from PySide6.QtWidgets import QApplication

    from commissie_app import APP_ID, APP_NAME
    from commissie_app.i18n import set_language
    from commissie_app.settings import LocalSettings
    from commissie_app.ui.errors import install_excepthook
    from commissie_app.ui.icon import app_icon
    from commissie_app.ui.review_window import open_review_package

    set_language(LocalSettings().get("language"))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    install_excepthook()
    window = open_review_package(Path(args.file))
    if window is None:
        return 1
    return app.exec()


def cmd_key_show(args) -> int:
    """Print this laptop's public key (one line) and its fingerprint, to give to the secretary."""
    from commissie_app.services.laptop_keys import laptop_public_key

    key = laptop_public_key()
    print(key.text())
    print(_("Vingerafdruk: {fingerprint}").format(fingerprint=key.fingerprint()))
    print(_("Geef deze sleutelregel aan de secretaris van de commissie, die hem bij uw gebruiker registreert; "
            "vergelijk de vingerafdruk samen (bijvoorbeeld telefonisch). Daarna kunnen beoordelingspakketten "
            "voor deze laptop worden versleuteld."))
    return 0
