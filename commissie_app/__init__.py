"""Commissie-app: the desktop application of the Commissie Sociaal Inkopen (KIP)."""

__version__ = "0.1.0"
APP_NAME = "Commissie-app"
APP_ID = "commissie-app"
