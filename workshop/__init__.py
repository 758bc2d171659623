"""Atelier workshop server."""
