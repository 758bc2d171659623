"""Versioned wire formats exchanged between the bench agent and the workshop server."""

# Version of the inventory snapshot (agents.protocol.snapshot), kept here so the
# agent can stamp it without importing pydantic.
INVENTORY_SCHEMA_VERSION = "1.0"
