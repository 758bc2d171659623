"""The device lifecycle (DESIGN.md): states and the one rule for moving between them."""

from enum import StrEnum


class DeviceStatus(StrEnum):
    RECEIVED = "received"
    INVENTORIED = "inventoried"
    TESTED = "tested"
    WIPED = "wiped"
    WIPE_FAILED = "wipe_failed"
    GRADED = "graded"
    REFURBISHED = "refurbished"
    AVAILABLE = "available"
    RESERVED = "reserved"
    HANDED_OVER = "handed_over"
    PARTS = "parts"
    RECYCLED = "recycled"


S = DeviceStatus
_EXITS = {S.PARTS, S.RECYCLED}

# Main path, each state's forward steps; the exits to parts/recycled are added below
# for every state before handover.
_FORWARD: dict[DeviceStatus, set[DeviceStatus]] = {
    S.RECEIVED: {S.INVENTORIED},
    S.INVENTORIED: {S.TESTED},
    S.TESTED: {S.WIPED, S.WIPE_FAILED, S.GRADED},
    # A drive found not erased after all (a later failed record) takes the device back out.
    S.WIPED: {S.GRADED, S.WIPE_FAILED},
    S.GRADED: {S.REFURBISHED, S.AVAILABLE},
    S.REFURBISHED: {S.AVAILABLE},
    S.AVAILABLE: {S.RESERVED},
    S.RESERVED: {S.HANDED_OVER, S.AVAILABLE},
    # A drive that could not be erased goes to recycling with its device, unless it is wiped
    # again or destroyed on its own: once every drive is accounted for, the device is wiped.
    S.WIPE_FAILED: {S.WIPED, S.RECYCLED},
    S.PARTS: {S.RECYCLED},
    S.HANDED_OVER: set(),
    S.RECYCLED: set(),
}

# States that are already an exit (or past handover) get no extra exits.
_NO_EXIT = {S.WIPE_FAILED, S.PARTS, S.HANDED_OVER, S.RECYCLED}

TRANSITIONS: dict[DeviceStatus, frozenset[DeviceStatus]] = {
    state: frozenset(targets if state in _NO_EXIT else targets | _EXITS)
    for state, targets in _FORWARD.items()
}

# States in which a device still holds donor data, or might: it must be wiped before grading.
UNWIPED = frozenset({S.RECEIVED, S.INVENTORIED, S.TESTED})
TERMINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)


def allowed_targets(current: DeviceStatus | str) -> frozenset[DeviceStatus]:
    """The states a device in `current` may move to."""
    return TRANSITIONS[DeviceStatus(current)]


def is_allowed(current: DeviceStatus | str, target: DeviceStatus | str) -> bool:
    """Whether the lifecycle allows `current` → `target`."""
    return DeviceStatus(target) in TRANSITIONS[DeviceStatus(current)]
