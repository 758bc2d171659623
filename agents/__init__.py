"""Bench agent: inventory, disk wipes, diagnostics and a durable link to the workshop server."""
