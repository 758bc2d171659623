"""Atelier workshop server: `create_app` builds the Flask application."""

# Released with the protocol, the bench agent and the labels (one version for the four).
__version__ = "0.1.0"

from workshop.app import create_app  # noqa: E402 - the version is read without the app

__all__ = ["__version__", "create_app"]
