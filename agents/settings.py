"""Settings of the bench agent: the enrollment file, overridden by `BENCH_*` variables.

`bench-agent enroll` writes the file (default /etc/atelier-bench/bench.json, mode
0600, root only: it holds the bench token). Every value can be overridden from the
environment, which is how tests and one-off runs point the agent elsewhere:

| variable | file key | default |
|---|---|---|
| BENCH_CONFIG | - | /etc/atelier-bench/bench.json |
| BENCH_SERVER_URL | server_url | (none: enroll first) |
| BENCH_TOKEN | token | (none) |
| BENCH_CA_FILE | ca_file | system CAs |
| BENCH_STATE_DIR | state_dir | /var/lib/atelier-bench (holds outbox.sqlite3) |
| BENCH_CONNECT_TIMEOUT / BENCH_READ_TIMEOUT | connect_timeout / read_timeout | 5 / 30 s |
| BENCH_HEARTBEAT_INTERVAL | heartbeat_interval | 30 s |
| BENCH_REMOTE_WIPE | remote_wipe | hotplugged |
| BENCH_DOCK_METHOD | dock_method | (none: no automatic wipe) |
| BENCH_DOCK_VERIFY | dock_verify | full |
| BENCH_MACHINE_RAM_MIB | machine_ram_mib | 256 |
| BENCH_MACHINE_CPU_SECONDS | machine_cpu_seconds | 10 |
| BENCH_PRINTER_FILE_DIR | printer_file_dir | (none: file:// printers are printer devices only) |

The bench's local policy (the server asks, the bench decides):

- `remote_wipe` says which disks a wipe asked from the web UI may touch: `off` (none),
  `hotplugged` (only disks plugged in after the daemon started: the disks present at
  start, the system's among them, are never wiped on request) or `any` (any disk that
  is not protected). Protected disks (mounted, system, RAID/LVM/dm members, swap,
  read-only) are refused whatever the policy.
- `dock_method` (`auto`, `zero`, `random` or `purge`) turns on disk-dock mode: the daemon
  wipes every disk that appears after start-up with that method, with `dock_verify`
  (`full` or `sample`) verification. Off unless set.

A diagnostic of the machine asked from the web UI tests that much RAM and loads every
core for that long (`machine_*`), like `bench-agent diagnose` with its defaults.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from agents.errors import AgentError

DEFAULT_CONFIG = "/etc/atelier-bench/bench.json"
DEFAULT_STATE_DIR = "/var/lib/atelier-bench"
_FLOATS = (
    "connect_timeout",
    "read_timeout",
    "heartbeat_interval",
    "machine_ram_mib",
    "machine_cpu_seconds",
)
_STRINGS = ("server_url", "token", "ca_file", "state_dir", "bench_name", "printer_file_dir")
_CHOICES = {
    "remote_wipe": ("off", "hotplugged", "any"),
    "dock_method": ("auto", "zero", "random", "purge"),
    "dock_verify": ("full", "sample"),
}


class SettingsError(AgentError):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class BenchSettings:
    """Everything the agent needs to reach the server and keep its outbox."""

    config_path: Path
    server_url: str | None = None
    token: str | None = None
    ca_file: str | None = None
    state_dir: str = DEFAULT_STATE_DIR
    bench_id: int | None = None
    bench_name: str | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    heartbeat_interval: float = 30.0
    remote_wipe: str = "hotplugged"
    dock_method: str | None = None
    dock_verify: str = "full"
    machine_ram_mib: float = 256.0
    machine_cpu_seconds: float = 10.0
    # Besides printer devices (/dev/usb/lp0), the folder whose files may be file:// printers.
    printer_file_dir: str | None = None

    @property
    def outbox_path(self) -> Path:
        """Path of the durable outbox database."""
        return Path(self.state_dir) / "outbox.sqlite3"

    def require_server(self) -> tuple[str, str]:
        """Return (server_url, token), or explain that the bench is not enrolled."""
        if not self.server_url or not self.token:
            raise SettingsError(
                "this bench is not enrolled: run `bench-agent enroll URL CODE` "
                "(or set BENCH_SERVER_URL and BENCH_TOKEN)",
                {"config": str(self.config_path)},
            )
        return self.server_url, self.token


def read_config_file(path: Path) -> dict[str, Any]:
    """The enrollment file's values ({} when it does not exist)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise SettingsError(f"cannot read {path}: {error.strerror}") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SettingsError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise SettingsError(f"{path} must hold a JSON object")
    return data


def check_url(url: str | None) -> None:
    """Refuse anything but an http(s) URL with a host."""
    if url is None:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"server_url must be an http:// or https:// URL, got {url!r}")


def _coerce(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value in (None, ""):
            continue
        try:
            if key in _FLOATS:
                out[key] = float(value)
                if out[key] <= 0:
                    raise ValueError("must be positive")
            elif key == "bench_id":
                out[key] = int(value)
            elif key in _STRINGS:
                out[key] = str(value)
            elif key in _CHOICES:
                if str(value) not in _CHOICES[key]:
                    raise ValueError(f"must be one of {', '.join(_CHOICES[key])}, not {value!r}")
                out[key] = str(value)
        except ValueError as error:
            raise SettingsError(f"setting {key!r}: {error}") from error
    return out


def load_settings(environ: Mapping[str, str] | None = None) -> BenchSettings:
    """Read the enrollment file, then apply BENCH_* overrides; validate."""
    env = os.environ if environ is None else environ
    path = Path(env.get("BENCH_CONFIG") or DEFAULT_CONFIG)
    values = _coerce(read_config_file(path))
    fields = (*_STRINGS, *_FLOATS, *_CHOICES, "bench_id")
    values.update(_coerce({key: env.get(f"BENCH_{key.upper()}") for key in fields}))
    settings = BenchSettings(config_path=path, **values)
    check_url(settings.server_url)
    if settings.server_url:
        settings = replace(settings, server_url=settings.server_url.rstrip("/"))
    if settings.ca_file and not os.path.isfile(settings.ca_file):
        raise SettingsError(f"ca_file {settings.ca_file!r} does not exist")
    return settings


def write_config(path: Path, values: Mapping[str, Any]) -> None:
    """Write the enrollment file atomically, readable by its owner only (mode 0600)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(dict(values), out, indent=2, sort_keys=True)
        out.write("\n")
        out.flush()
        os.fsync(out.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
