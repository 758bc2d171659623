"""Versioned wire formats exchanged between the bench agent and the workshop server."""
