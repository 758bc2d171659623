"""Atelier's wire protocol: the versioned records a bench agent and the workshop server exchange.

Its own distribution (`atelier-protocol`, pydantic only), imported by both sides: the inventory
snapshot (`snapshot`), the wipe record (`wipe`), the diagnostic result (`diagnostic`), the bench
tasks (`task`), the placeholder-identity rule (`identity`) and their errors (`errors`). Neither
side's code is imported here, so a bench installs no server and the server no agent.
"""

# Released with the agent, the labels and the server (one version for the four distributions).
__version__ = "0.1.0"

# Version of the inventory snapshot (atelier_protocol.snapshot), kept here so the
# agent can stamp it without importing pydantic.
INVENTORY_SCHEMA_VERSION = "1.0"
