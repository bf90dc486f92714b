"""The screens the projector view can go to, which one it takes by default, and the last one chosen.

A ``Display`` is what the choice needs of a screen (its name, where it is, its resolution); ``displays()``
reads them from Qt. The default is the screen chosen last time when it is still connected, else a screen
other than the main window's (the projector), else the main window's own screen. The last choice is kept
per machine next to the main window's geometry (``window.ini``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QRect, QSettings
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QMenu, QWidget

from commissie_app.i18n import _
from commissie_app.paths import config_dir

SCREEN_KEY = "presentation/screen"


class Display(NamedTuple):
    name: str
    geometry: QRect  # logical pixels, in the virtual desktop
    available: QRect  # without task bars and docks
    resolution: tuple[int, int]  # device pixels
    screen: QScreen | None = None  # None for a stand-in (tests)

    @property
    def label(self) -> str:
        """'HDMI-1 — 1920 × 1080'"""
        width, height = self.resolution
        return _("{name} — {w} × {h}").format(name=self.name or _("Scherm"), w=width, h=height)


def display_of(screen: QScreen) -> Display:
    ratio = screen.devicePixelRatio()
    size = screen.geometry().size()
    return Display(screen.name(), screen.geometry(), screen.availableGeometry(),
                   (round(size.width() * ratio), round(size.height() * ratio)), screen)


def displays() -> list[Display]:
    return [display_of(s) for s in QGuiApplication.screens()]


def default_display(shown: list[Display], main: QRect | None, remembered: str = "") -> Display:
    """The screen chosen last time if it is still there; else the first screen that does not hold the main
    window's centre (the projector beside the laptop); else the first (the only) screen."""
    chosen = next((d for d in shown if remembered and d.name == remembered), None)
    if chosen is None and main is not None:
        chosen = next((d for d in shown if not d.geometry.contains(main.center())), None)
    return chosen or shown[0]


def _settings() -> QSettings:
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def remembered_screen() -> str:
    return str(_settings().value(SCREEN_KEY, "") or "")


def remember_screen(display: Display) -> None:
    s = _settings()
    s.setValue(SCREEN_KEY, display.name)
    s.sync()


def screen_menu(parent: QWidget, shown: list[Display], current: Display | None,
                picked: Callable[[Display], None]) -> QMenu:
    """'Presentatie op scherm': one checkable entry per screen, ``current`` checked and active (Enter
    takes it); choosing one calls ``picked`` with it."""
    menu = QMenu(_("Presentatie op scherm"), parent)
    menu.addSection(_("Presentatie op scherm"))
    for display in shown:
        action = menu.addAction(display.label)
        action.setCheckable(True)
        action.setChecked(current is not None and display.name == current.name)
        action.triggered.connect(lambda _checked=False, d=display: picked(d))
        if action.isChecked():
            menu.setActiveAction(action)
    return menu
