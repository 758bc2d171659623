"""Atelier workshop server: `create_app` builds the Flask application."""

from workshop.app import create_app

__all__ = ["create_app"]
