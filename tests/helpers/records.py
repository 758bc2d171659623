"""Records as a bench agent sends them, in the agents' wire formats, for server-side tests."""

from __future__ import annotations

import uuid
from typing import Any


def build_wipe(
    *,
    status: str = "passed",
    serial: str | None = None,
    model: str = "Samsung SSD 860 EVO 500GB",
    size: int = 500_107_862_016,
    host_serial: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A wipe record in the agent's wire format (atelier_protocol/wipe.py)."""
    passed = status in ("passed", "passed_with_reservations")
    record: dict[str, Any] = {
        "schema_version": 1,
        "wipe_id": uuid.uuid4().hex,
        "status": status,
        "disk": {
            "name": "sdb",
            "path": "/dev/sdb",
            "model": model,
            "serial": serial or "S3Z" + uuid.uuid4().hex[:8].upper(),
            "size_bytes": size,
            "logical_sector_size": 512,
            "physical_sector_size": 4096,
            "sectors": size // 512,
            "transport": "sata",
        },
        "host": {"system_serial": host_serial},
        "requested_method": "auto",
        "method": "clear",
        "technique": "overwrite aes-256-ctr",
        "tool": {"name": "atelier-wipe", "version": "0.1.0"},
        "passes": [
            {"number": 1, "pattern": "aes-256-ctr", "bytes_written": size, "complete": passed}
        ],
        "verification": {
            "mode": "full",
            "result": "passed" if passed else "not_run",
            "bytes_verified": size if passed else 0,
        },
        "bytes_written": size if passed else size // 3,
        "bytes_verified": size if passed else 0,
        "erased_bytes": size if passed else 0,
        "started_at": "2026-11-20T09:00:00+00:00",
        "ended_at": "2026-11-20T10:12:00+00:00",
        "errors": [] if passed else [{"kind": "io", "message": "write error", "lba": 123456}],
        "technician": "Camille (poste 2)",
    }
    return {**record, **(overrides or {})}
