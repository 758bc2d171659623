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


def check_schema_version(value: str, supported_major: int) -> str:
    """A record's "MAJOR.MINOR" schema version, refused when its major is not the one read here
    (a newer minor only adds fields, which the models keep or ignore)."""
    major, _, minor = value.partition(".")
    if not (major.isdigit() and minor.isdigit()):
        raise ValueError(f"must look like MAJOR.MINOR, got {value!r}")
    if int(major) != supported_major:
        raise ValueError(
            f"major version {major} is not supported (this side reads {supported_major}.x)"
        )
    return value
