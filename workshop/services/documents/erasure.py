"""Certificat d'effacement: each drive of a donation, how it was erased, or what was done instead.

The drives are those of workshop/services/erasure_state.py: every disk the inventory found in a
device plus every disk of its wipe records, each decided by its latest record. A drive is listed
as erased only when that record passed (with reservations: only those the workshop's policy
accepts, named on the line). Failed, interrupted or not-yet-wiped drives are listed as such with
the destruction that replaced the wipe (and its witness) when recorded. Data-bearing devices with
no drive known at all are listed too: a certificate never stays silent.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from reportlab.platypus import Flowable
from sqlmodel import Session

from workshop.errors import Conflict, NotFound
from workshop.i18n import _
from workshop.models import Device, DocumentKind, Donation, WipeRecord
from workshop.models.devices import DATA_BEARING_TYPES
from workshop.services import asset_tags
from workshop.services.documents import KINDS, Kind, pdf
from workshop.services.documents.common import (
    donation_devices,
    donation_facts,
    donor_facts,
    french_date,
    workshop_facts,
    workshop_rows,
    workshop_zone,
)
from workshop.services.erasure_state import DriveState, erasure_state
from workshop.services.wipes import bench_names
from workshop.settings import accepted_wipe_reservations
from workshop.wipe_terms import in_french

METHODS = {"clear": "NIST SP 800-88 Clear", "purge": "NIST SP 800-88 Purge"}
RESULTS = {
    "passed": "effacé",
    "passed_with_reservations": "effacé avec réserves",
    "failed": "échec",
    "interrupted": "interrompu",
    "not_wiped": "non effacé",
}
# What each reservation means on the certificate (atelier_protocol/wipe.py Reservation).
RESERVATIONS = {
    "hidden_sectors_not_erased": "secteurs cachés non effacés",
    "sampled_verification": "vérification par échantillonnage",
}
# Each drive's outcome in the narrow result column of the table.
SHORT = {
    "erased": "EFFACÉ",
    "erased_with_reservations": "EFFACÉ AVEC RÉSERVES",
    "reserved": "NON CERTIFIÉ (RÉSERVES)",
    "destroyed": "DÉTRUIT",
    "failed": "ÉCHEC",
    "interrupted": "INTERROMPU",
    "not_wiped": "NON EFFACÉ",
}
# Each drive's outcome (erasure_state.Outcome) as the certificate states it in full.
OUTCOMES = {
    "erased": "effacé",
    "erased_with_reservations": "effacé avec réserves acceptées par l'atelier",
    "reserved": "effacé avec réserves non acceptées : non certifié",
    "destroyed": "détruit",
    "failed": "échec de l'effacement",
    "interrupted": "effacement interrompu",
    "not_wiped": "aucun effacement enregistré",
}
VERIFICATION = {"full": "complète", "sample": "par échantillonnage", "none": "aucune"}
VERDICT = {"passed": "réussie", "failed": "échouée", "not_run": "non faite"}


def _iso(value: datetime | None) -> str:
    return value.replace(microsecond=0).isoformat() if value else ""


def _size(size_bytes: int) -> str:
    return f"{size_bytes // 1_000_000_000} Go" if size_bytes >= 1_000_000_000 else f"{size_bytes} o"


def _instead(drive: DriveState) -> str:
    row = drive.record
    if drive.outcome in ("erased", "erased_with_reservations"):
        return ""
    if row is not None and row.destroyed_at is not None:
        return (
            f"disque détruit physiquement le {french_date(_iso(row.destroyed_at))} "
            f"(témoin : {row.destruction_witness})"
        )
    return "aucune destruction enregistrée : disque conservé par l'atelier, jamais remis"


def _no_record(drive: DriveState) -> dict[str, Any]:
    """The record part of a drive line for a drive the inventory found and nobody wiped."""
    return {
        "wipe_record_id": None,
        "method": "",
        "technique": "",
        "purge": "",
        "fallback_reason": "",
        "tool": "",
        "passes": 0,
        "verification": "",
        "hidden_bytes_not_erased": 0,
        "hidden_area": "",
        "started_at": "",
        "ended_at": "",
        "result": "not_wiped",
        "technician": "",
        "bench": "",
        "validated_by": "",
        "validated_at": "",
    }


def _record(row: WipeRecord, bench: str) -> dict[str, Any]:
    """The record part of a drive line: how the drive was treated."""
    return {
        "wipe_record_id": row.id,
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
        "technician": row.technician or "",
        "bench": bench,
        "validated_by": row.validated_by or "",
        "validated_at": _iso(row.validated_at),
    }


def _outcome_text(drive: DriveState) -> str:
    if drive.outcome == "destroyed" and drive.record is not None:
        result = str(drive.record.result)
        return f"{RESULTS.get(result, result)}, disque détruit"
    return OUTCOMES[drive.outcome]


def drive_line(drive: DriveState, device: Device | None, bench: str) -> dict[str, Any]:
    """One drive as the certificate states it."""
    row = drive.record
    return {
        "disk": {
            # A drive counted in the case that no bench has seen yet has no identity.
            "model": "disque compté dans le boîtier, non vu par l'établi"
            if drive.declared
            else drive.model,
            "serial": drive.serial,
            "size_bytes": drive.size_bytes,
            "size": "—" if drive.declared else _size(drive.size_bytes),
        },
        "host": {
            "asset_tag": asset_tags.display(device.asset_tag) if device else "",
            "serial": (device.serial or "") if device else "",
        },
        **(_record(row, bench) if row is not None else _no_record(drive)),
        "outcome": drive.outcome,
        "outcome_text": _outcome_text(drive),
        "reservations": [RESERVATIONS.get(r, r) for r in drive.reservations],
        "erased": drive.outcome in ("erased", "erased_with_reservations"),
        "destroyed": drive.outcome == "destroyed",
        "instead": _instead(drive),
    }


def facts(session: Session, donation: Donation, part: int | None = None) -> dict[str, Any]:
    """What the certificate states; `part` restricts it to one wipe record's drive."""
    devices = sorted(donation_devices(session, donation), key=lambda d: d.asset_tag)
    accepted = accepted_wipe_reservations()  # one policy for the whole certificate
    states = {d.id: erasure_state(session, d, accepted) for d in devices}
    rows = [dr.record for st in states.values() for dr in st.drives if dr.record is not None]
    names = bench_names(session, {r.bench_id for r in rows if r.bench_id})
    drives = [
        drive_line(drive, device, names.get(drive.record.bench_id or 0, "") if drive.record else "")
        for device in devices
        for drive in states[device.id].drives
    ]
    if part is not None:
        drives = [d for d in drives if d["wipe_record_id"] == part]
        if not drives:
            raise NotFound(_("No wipe record %(id)s.", id=part), field="wipe_id")
    if not drives:
        # Nothing to certify: a signed certificate of no drive would read like a clean bill.
        raise Conflict(
            _(
                "No drive of this donation is known yet: there is no erasure to certify. "
                "Inventory or wipe its devices first, or give the number of drives of a device "
                "on its page."
            ),
            field="donation",
        )
    unrecorded = [
        asset_tags.display(d.asset_tag)
        for d in devices
        if d.type in DATA_BEARING_TYPES and not states[d.id].drives
    ]
    passed = sum(1 for d in drives if d["erased"])
    return {
        "workshop": workshop_facts(session),
        "donor": donor_facts(session, donation),
        "donation": donation_facts(donation),
        "drives": drives,
        "totals": {"drives": len(drives), "passed": passed, "failed": len(drives) - passed},
        "devices_without_wipe": [] if part is not None else unrecorded,
        "reservations_accepted": [RESERVATIONS.get(r, r) for r in sorted(accepted)],
    }


def _span(started_at: str, ended_at: str) -> str:
    """When a wipe ran, in the workshop's time (the record is in UTC): 20/11/2026 10:30 → 11:12.

    The end carries its date too when the wipe ran past midnight."""
    if not started_at:
        return "—"
    zone = workshop_zone()
    start = datetime.fromisoformat(started_at).astimezone(zone)
    text = start.strftime("%d/%m/%Y %H:%M")
    if not ended_at:
        return text
    end = datetime.fromisoformat(ended_at).astimezone(zone)
    same_day = end.date() == start.date()
    return f"{text} → {end.strftime('%H:%M' if same_day else '%d/%m/%Y %H:%M')}"


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
    if d["passes"] == 0 and d["result"] in ("passed", "passed_with_reservations"):
        return "effacement par le disque lui-même, sans passe de l'établi"
    return f"{d['passes']} passe(s)"


def _row(d: dict[str, Any]) -> list[Any]:
    disk, host = d["disk"], d["host"]
    validated = (
        f"{d['validated_by']} {french_date(d['validated_at'])}" if d["validated_by"] else "—"
    )
    result = SHORT[d["outcome"]]
    if d["outcome"] == "destroyed" and d["result"] == "failed":
        result = "ÉCHEC, DÉTRUIT"
    if d["result"] == "not_wiped":
        cells = [
            f"{disk['model']} / {disk['serial'] or '—'} / {disk['size']}",
            f"{host['asset_tag']} / {host['serial'] or '—'}",
            "—",
            "—",
            "—",
            result,
            "—",
            "—",
        ]
        return [pdf.para(c, "cell") for c in cells]
    cells = [
        f"{disk['model']} / {disk['serial']} / {disk['size']}",
        f"{host['asset_tag']} / {host['serial'] or '—'}",
        f"{d['method'].removeprefix('NIST SP 800-88 ')} : {in_french(d['technique'])}"
        + (f" ({d['purge']})" if d.get("purge") else ""),
        f"{d['tool']}, {_passes(d)}, vérification {d['verification']}",
        _span(d["started_at"], d["ended_at"]),
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
        "Début / fin (heure locale)",
        "Résultat",
        "Technicien / établi",
        "Validé par",
    ]
    story: list[Flowable] = [
        pdf.facts_table(
            [
                *workshop_rows(facts["workshop"]),
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
        pdf.grid(header, [_row(d) for d in facts["drives"]], [36, 32, 22, 28, 21, 24, 24, 21]),
    ]
    failed = [d for d in facts["drives"] if not d["erased"] and not d["reservations"]]
    if failed:
        story.append(pdf.para("Disques non effacés et mesure prise à la place", "h2"))
        for d in failed:
            line = f"{d['disk']['model']} n° {d['disk']['serial']} ({d['host']['asset_tag']}) : "
            story.append(pdf.para(line + d["outcome_text"] + " — " + d["instead"]))
    reserved = [d for d in facts["drives"] if d["reservations"]]
    if reserved:
        story.append(pdf.para("Réserves", "h2"))
        for d in reserved:
            line = f"{d['disk']['model']} n° {d['disk']['serial']} ({d['host']['asset_tag']}) : "
            story.append(
                pdf.para(line + d["outcome_text"] + " — " + ", ".join(d["reservations"]) + ".")
            )
    hidden = [d for d in facts["drives"] if d["hidden_area"] or d["hidden_bytes_not_erased"]]
    if hidden:
        story.append(pdf.para("Zones cachées (HPA/DCO)", "h2"))
        for d in hidden:
            story.append(
                pdf.para(
                    f"{d['disk']['serial']} : {d['hidden_area'] or 'zone cachée'} ; "
                    + (
                        f"zone cachée non effacée : {d['hidden_bytes_not_erased']} octets"
                        if d["hidden_bytes_not_erased"]
                        else "octets non effacés : 0"
                    )
                )
            )
    if facts.get("reservations_accepted"):
        story.append(
            pdf.para(
                "Politique de l'atelier : un disque effacé avec ces réserves compte comme effacé : "
                + ", ".join(facts["reservations_accepted"])
                + ".",
                "small",
            )
        )
    if facts["devices_without_wipe"]:
        story.append(pdf.para("Appareils sans effacement enregistré (non certifiés)", "h2"))
        story.append(pdf.para(", ".join(facts["devices_without_wipe"])))
    story.append(
        pdf.para(
            "Seuls les disques marqués EFFACÉ ont été entièrement réécrits puis vérifiés par "
            "relecture de chaque secteur ; EFFACÉ AVEC RÉSERVES nomme ce qui n'a pas été couvert "
            "(secteurs cachés, relecture par échantillonnage). Méthodes selon NIST SP 800-88 "
            "(Clear : réécriture de tous les secteurs "
            "adressables ; Purge : commande d'effacement du disque).",
            "small",
        )
    )
    return story


KINDS[DocumentKind.ERASURE] = Kind("Certificat d'effacement des données", facts, body)
