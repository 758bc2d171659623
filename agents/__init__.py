"""Bench agent: inventory, disk wipes, diagnostics and a durable link to the workshop server."""

# The four distributions (protocol, bench, labels, workshop) are released together, one version.
__version__ = "0.1.0"
