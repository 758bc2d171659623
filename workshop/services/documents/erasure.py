"""Certificat d'effacement: each drive of a donation, how it was erased, or what was done instead.

A drive is listed as erased only when its latest wipe record passed. Failed or interrupted drives
are listed as such with the destruction that replaced the wipe (and its witness) when recorded.
Data-bearing devices with no wipe record at all are listed too: a certificate never stays silent.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from reportlab.platypus import Flowable
from sqlmodel import Session, col, select

from workshop.errors import NotFound
from workshop.i18n import _
from workshop.models import Device, DocumentKind, Donation, WipeRecord, WipeResult
from workshop.models.devices import DATA_BEARING_TYPES
from workshop.services import asset_tags
from workshop.services.documents import KINDS, Kind, pdf
from workshop.services.documents.common import (
    donation_devices,
    donation_facts,
    donor_facts,
    french_date,
    workshop_facts,
)
from workshop.services.wipes import bench_names

METHODS = {"clear": "NIST SP 800-88 Clear", "purge": "NIST SP 800-88 Purge"}
RESULTS = {"passed": "effacé", "failed": "échec", "interrupted": "interrompu"}
VERIFICATION = {"full": "complète", "sample": "par échantillonnage", "none": "aucune"}
VERDICT = {"passed": "réussie", "failed": "échouée", "not_run": "non faite"}


def _iso(value: datetime | None) -> str:
    return value.replace(microsecond=0).isoformat() if value else ""


def _size(size_bytes: int) -> str:
    return f"{size_bytes // 1_000_000_000} Go" if size_bytes >= 1_000_000_000 else f"{size_bytes} o"


def _instead(row: WipeRecord) -> str:
    if row.result == WipeResult.PASSED:
        return ""
    if row.destroyed_at is not None:
        return (
            f"disque détruit physiquement le {french_date(_iso(row.destroyed_at))} "
            f"(témoin : {row.destruction_witness})"
        )
    return "aucune destruction enregistrée : disque conservé par l'atelier, jamais remis"


def drive_line(row: WipeRecord, device: Device | None, bench: str) -> dict[str, Any]:
    """One drive as the certificate states it."""
    return {
        "wipe_record_id": row.id,
        "disk": {
            "model": row.disk_model or "",
            "serial": row.disk_serial or "",
            "size_bytes": row.disk_size_bytes,
            "size": _size(row.disk_size_bytes),
        },
        "host": {
            "asset_tag": asset_tags.display(device.asset_tag) if device else "",
            "serial": (device.serial or "") if device else "",
        },
        "method": METHODS.get(row.method, row.method),
        "technique": row.technique,
        "purge": _purge_text(row.purge_summary),
        "fallback_reason": row.fallback_reason or "",
        "tool": f"{row.tool} {row.tool_version}",
        "passes": row.passes,
        "verification": f"{VERIFICATION.get(row.verification_mode, row.verification_mode)}, "
        f"{VERDICT.get(row.verification_result, row.verification_result)}",
        "hidden_bytes_not_erased": row.hidden_bytes_not_erased,
        "hidden_area": row.hidden_area,
        "started_at": _iso(row.started_at),
        "ended_at": _iso(row.ended_at),
        "result": str(row.result),
        "erased": row.result == WipeResult.PASSED,
        "technician": row.technician or "",
        "bench": bench,
        "validated_by": row.validated_by or "",
        "validated_at": _iso(row.validated_at),
        "instead": _instead(row),
    }


def latest_per_drive(rows: list[WipeRecord]) -> list[WipeRecord]:
    """The latest wipe attempt of each drive."""
    # The latest attempt on each drive decides (a failed attempt followed by a pass is erased).
    latest: dict[tuple[Any, ...], WipeRecord] = {}
    for row in sorted(rows, key=lambda r: (r.started_at, r.id or 0)):
        key = (row.device_id, row.disk_serial or row.wipe_uid, row.disk_model, row.disk_size_bytes)
        latest[key] = row
    return list(latest.values())


def facts(session: Session, donation: Donation, part: int | None = None) -> dict[str, Any]:
    """What the certificate states; `part` restricts it to one wipe record's drive."""
    devices = {d.id: d for d in donation_devices(session, donation)}
    query = select(WipeRecord).where(col(WipeRecord.device_id).in_(list(devices)))
    rows = latest_per_drive(list(session.exec(query)))
    if part is not None:
        rows = [r for r in rows if r.id == part]
        if not rows:
            raise NotFound(_("No wipe record %(id)s.", id=part), field="wipe_id")
    names = bench_names(session, {r.bench_id for r in rows if r.bench_id})
    drives = [
        drive_line(r, devices.get(r.device_id), names.get(r.bench_id or 0, ""))
        for r in sorted(rows, key=lambda r: (devices[r.device_id].asset_tag, r.id or 0))
    ]
    wiped_hosts = {r.device_id for r in rows}
    unrecorded = [
        asset_tags.display(d.asset_tag)
        for d in devices.values()
        if d.type in DATA_BEARING_TYPES and d.id not in wiped_hosts
    ]
    passed = sum(1 for d in drives if d["erased"])
    return {
        "workshop": workshop_facts(session),
        "donor": donor_facts(session, donation),
        "donation": donation_facts(donation),
        "drives": drives,
        "totals": {"drives": len(drives), "passed": passed, "failed": len(drives) - passed},
        "devices_without_wipe": [] if part is not None else unrecorded,
    }


PURGE_RESULTS = {
    "completed": "terminée",
    "failed": "échouée",
    "unconfirmed": "non confirmée",
    "not_run": "non lancée",
}


def _purge_text(summary: str) -> str:
    """The drive's own erase as the certificate states it (French), from the stored summary."""
    if not summary:
        return ""
    facts = json.loads(summary)
    outcome = PURGE_RESULTS.get(facts["result"], facts["result"])
    text = f"commande du disque via {facts['utility']} : {outcome}"
    if facts.get("states_seen"):
        text += f", états vus : {' → '.join(facts['states_seen'])}"
    if facts.get("sectors_sampled"):
        text += (
            f", {facts['sectors_sampled']} secteurs témoins dont "
            f"{facts.get('sectors_unchanged') or 0} inchangé(s)"
        )
    if facts.get("cleared"):
        text += ", puis réécriture vérifiée"
    return text


def _passes(d: dict[str, Any]) -> str:
    """Overwrite passes written by the bench; a Purge done by the drive itself says so."""
    if d["passes"] == 0 and d["result"] == "passed":
        return "effacement par le disque lui-même, sans passe de l'établi"
    return f"{d['passes']} passe(s)"


def _row(d: dict[str, Any]) -> list[Any]:
    disk, host = d["disk"], d["host"]
    validated = (
        f"{d['validated_by']} {french_date(d['validated_at'])}" if d["validated_by"] else "—"
    )
    result = "EFFACÉ" if d["erased"] else RESULTS.get(d["result"], d["result"]).upper()
    if d["erased"] and d["hidden_bytes_not_erased"]:
        result += f" (zone cachée non effacée : {d['hidden_bytes_not_erased']} o)"
    cells = [
        f"{disk['model']} / {disk['serial']} / {disk['size']}",
        f"{host['asset_tag']} / {host['serial'] or '—'}",
        f"{d['method'].removeprefix('NIST SP 800-88 ')} : {d['technique']}"
        + (f" ({d['purge']})" if d.get("purge") else ""),
        f"{d['tool']}, {_passes(d)}, vérification {d['verification']}",
        f"{d['started_at'][:16].replace('T', ' ')} → {d['ended_at'][11:16]}",
        result,
        f"{d['technician'] or '—'} / {d['bench'] or '—'}",
        validated,
    ]
    return [pdf.para(c, "cell") for c in cells]


def body(facts: dict[str, Any]) -> list[Flowable]:
    """The certificate: parties, one line per drive, totals, failures and what replaced them."""
    donor, donation, totals = facts["donor"], facts["donation"], facts["totals"]
    header = [
        "Disque (modèle / n° série / taille)",
        "Appareil (étiquette / n° série)",
        "Méthode",
        "Outil, passes, vérification",
        "Début / fin (UTC)",
        "Résultat",
        "Technicien / établi",
        "Validé par",
    ]
    story: list[Flowable] = [
        pdf.facts_table(
            [
                ("Organisme", facts["workshop"]["name"] or "—"),
                ("Donateur", donor["name"]),
                ("Référence du don", donation["reference"]),
                ("Date de prise en charge", french_date(donation["received_on"])),
                ("Disques traités", str(totals["drives"])),
                ("Disques effacés", str(totals["passed"])),
                ("Disques non effacés", str(totals["failed"])),
            ]
        ),
        pdf.para("Disques", "h2"),
        # The tag column fits the widest tag (WWWW-WWWW-W) on one line: never split mid-tag.
        pdf.grid(header, [_row(d) for d in facts["drives"]], [36, 32, 22, 32, 21, 20, 24, 21]),
    ]
    failed = [d for d in facts["drives"] if not d["erased"]]
    if failed:
        story.append(pdf.para("Disques non effacés et mesure prise à la place", "h2"))
        for d in failed:
            line = f"{d['disk']['model']} n° {d['disk']['serial']} ({d['host']['asset_tag']}) : "
            story.append(pdf.para(line + RESULTS.get(d["result"], "") + " — " + d["instead"]))
    hidden = [d for d in facts["drives"] if d["hidden_area"] or d["hidden_bytes_not_erased"]]
    if hidden:
        story.append(pdf.para("Zones cachées (HPA/DCO)", "h2"))
        for d in hidden:
            story.append(
                pdf.para(
                    f"{d['disk']['serial']} : {d['hidden_area'] or 'zone cachée'} ; "
                    f"octets non effacés : {d['hidden_bytes_not_erased']}"
                )
            )
    if facts["devices_without_wipe"]:
        story.append(pdf.para("Appareils sans effacement enregistré (non certifiés)", "h2"))
        story.append(pdf.para(", ".join(facts["devices_without_wipe"])))
    story.append(
        pdf.para(
            "Seuls les disques marqués EFFACÉ ont été entièrement réécrits puis vérifiés par "
            "relecture. Méthodes selon NIST SP 800-88 (Clear : réécriture de tous les secteurs "
            "adressables ; Purge : commande d'effacement du disque).",
            "small",
        )
    )
    return story


KINDS[DocumentKind.ERASURE] = Kind("Certificat d'effacement des données", facts, body)
