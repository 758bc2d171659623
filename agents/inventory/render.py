"""Human-readable summary of an inventory snapshot: one aligned section per kind of hardware."""

from __future__ import annotations

from typing import Any

PLACEHOLDER_MARK = " (placeholder: not an identity)"


def human_size(size: int | None) -> str:
    """Format a byte count with decimal units, as drive makers do (500.1 GB)."""
    if size is None:
        return "?"
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


def _ident(identifier: dict[str, Any] | None) -> str:
    if not identifier or identifier.get("value") is None:
        return "-"
    mark = PLACEHOLDER_MARK if identifier.get("placeholder") else ""
    return f"{identifier['value']}{mark}"


def _rows(rows: list[tuple[str, Any]]) -> list[str]:
    width = max(len(label) for label, _ in rows)
    return [f"  {label.ljust(width)}  {'-' if value is None else value}" for label, value in rows]


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]  # fmt: skip


def _system(snapshot: dict[str, Any]) -> list[str]:
    system = snapshot.get("system")
    if system is None:
        return ["  (no SMBIOS tables)"]
    return _rows(
        [
            ("Vendor", system.get("vendor")),
            ("Product", system.get("product")),
            ("Version", system.get("version")),
            ("Serial", _ident(system["serial"])),
            ("UUID", _ident(system["uuid"])),
            ("Chassis", system["chassis"].get("type")),
            ("Chassis serial", _ident(system["chassis"]["serial"])),
            ("Board", f"{system['board'].get('vendor')} {system['board'].get('product')}"),
            ("Board serial", _ident(system["board"]["serial"])),
            ("BIOS", f"{system['bios'].get('vendor')} {system['bios'].get('version')}"),
        ]
    )


def _cpu_memory(snapshot: dict[str, Any]) -> list[str]:
    cpu, memory = snapshot["cpu"], snapshot["memory"]
    lines = _rows(
        [
            ("CPU", cpu.get("model")),
            ("Cores/threads", f"{cpu.get('cores') or '?'}/{cpu.get('threads') or '?'}"),
            ("Max frequency", f"{cpu['max_mhz']} MHz" if cpu.get("max_mhz") else None),
            ("Memory", human_size(memory["total_bytes"])),
        ]
    )
    modules = memory.get("modules")
    if modules:
        lines += _table(
            [["Slot", "Size", "Type", "Speed", "Serial"]]
            + [
                [
                    m.get("locator") or "?",
                    human_size(m["size_bytes"]),
                    m.get("type") or "?",
                    f"{m['speed_mts']} MT/s" if m.get("speed_mts") else "?",
                    _ident(m["serial"]),
                ]
                for m in modules
            ]
        )
    elif modules is None:
        lines.append("  (memory modules unknown: see notes)")
    return lines


def _disks(snapshot: dict[str, Any]) -> list[str]:
    disks = snapshot["disks"]
    if not disks:
        return ["  (none)"]
    header = ["Device", "Transport", "Size", "Model", "Serial", "Sectors", "Kind"]
    rows = [header]
    for d in disks:
        kind = {True: "HDD", False: "SSD", None: "?"}[d.get("rotational")]
        if d["transport"] == "loop":
            kind = "file"  # the kernel calls every loop device rotational
        rows.append(
            [
                d["path"],
                d["transport"] + (" removable" if d.get("removable") else ""),
                human_size(d["size_bytes"]),
                d.get("model") or "-",
                _ident(d["serial"]),
                f"{d['logical_sector_size']}/{d['physical_sector_size']}",
                kind,
            ]
        )
    return _table(rows)


def _others(snapshot: dict[str, Any]) -> dict[str, list[str]]:
    batteries = [
        f"  {b['name']}: {b.get('manufacturer') or '?'} {b.get('model') or ''}".rstrip()
        + f", wear {b['wear_percent']} %" * (b.get("wear_percent") is not None)
        + f", {b['cycle_count']} cycles" * (b.get("cycle_count") is not None)
        for b in snapshot["batteries"]
    ]
    network = [
        f"  {n['name']:<12} {n['kind']:<8} {n.get('mac') or '-'}" for n in snapshot["network"]
    ]
    gpus = [
        f"  {g['pci_address']}  [{g['vendor_id']}:{g['device_id']}] "
        f"{g.get('vendor_name') or ''} {g.get('device_name') or ''}".rstrip()
        for g in snapshot["gpus"]
    ]
    return {"Batteries": batteries, "Network": network, "GPUs": gpus}


def render(snapshot: dict[str, Any]) -> str:
    """Render a snapshot dict as a readable multi-section text report."""
    sections: dict[str, list[str]] = {
        "System": _system(snapshot),
        "Processor and memory": _cpu_memory(snapshot),
        "Disks": _disks(snapshot),
    }
    sections.update(_others(snapshot))
    if snapshot.get("notes"):
        sections["Notes"] = [f"  - {note}" for note in snapshot["notes"]]
    out = []
    for title, lines in sections.items():
        out.append(title)
        out.extend(lines or ["  (none)"])
        out.append("")
    return "\n".join(out).rstrip() + "\n"
