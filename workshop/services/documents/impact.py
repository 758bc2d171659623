"""Bilan d'impact: devices reused, weight diverted from waste, CO2e avoided, per donation or per
year (the donor's donations received that year).

Weights: the weighed value when the device was weighed, otherwise a typical weight per type, and
the document says which. CO2e avoided: the manufacturing + distribution footprint of a new
equivalent device, from a named and versioned factor set; a type without a factor is counted as
zero and listed as such. Payload numbers are integers (grams, kg CO2e).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable
from sqlmodel import Session, col, select

from workshop.models import Device, DeviceStatus, DeviceType, DocumentKind, Donation
from workshop.services.documents import KINDS, Kind, pdf
from workshop.services.documents.common import TYPE_FR, donation_facts, donor_facts

FACTOR_SET = {
    "name": "ADEME / Arcep 2022, via ImpactCO2 (fabrication + distribution)",
    "version": "2022",
}
# kg CO2e per device (manufacturing + distribution), as published in the factor set above.
CO2E_KG = {
    DeviceType.LAPTOP: 183,
    DeviceType.DESKTOP: 204,
    DeviceType.SCREEN: 66,
    DeviceType.SMARTPHONE: 85,
}
# Typical weights (grams) used when a device was not weighed: the workshop's own estimates.
TYPICAL_GRAMS = {
    DeviceType.LAPTOP: 2000,
    DeviceType.DESKTOP: 7000,
    DeviceType.ALL_IN_ONE: 8000,
    DeviceType.SERVER: 15000,
    DeviceType.TABLET: 500,
    DeviceType.SMARTPHONE: 200,
    DeviceType.SCREEN: 4500,
    DeviceType.PRINTER: 6000,
    DeviceType.DISK: 500,
    DeviceType.PERIPHERAL: 500,
    DeviceType.OTHER: 1000,
}


def _grams(device: Device) -> tuple[int, bool]:
    """(weight in grams, weighed?) for a device."""
    if device.weight_kg is not None and device.weight_measured:
        return int(round(device.weight_kg * 1000)), True
    return TYPICAL_GRAMS[DeviceType(device.type)], False


def impact_of(devices: list[Device]) -> dict[str, Any]:
    """The figures for a set of devices: only reused (handed over) ones count."""
    reused = [d for d in devices if d.status == DeviceStatus.HANDED_OVER]
    by_type: dict[str, dict[str, int]] = {}
    weighed = typical = co2e = 0
    for device in reused:
        kind = DeviceType(device.type)
        grams, measured = _grams(device)
        weighed += grams if measured else 0
        typical += 0 if measured else grams
        factor = CO2E_KG.get(kind, 0)
        co2e += factor
        line = by_type.setdefault(TYPE_FR[kind], {"count": 0, "factor_kg": factor, "co2e_kg": 0})
        line["count"] += 1
        line["co2e_kg"] += factor
    return {
        "devices": len(devices),
        "reused": len(reused),
        "weight_weighed_g": weighed,
        "weight_typical_g": typical,
        "co2e_avoided_kg": co2e,
        "by_type": by_type,
        "factor_set": FACTOR_SET,
        "factors_kg": {TYPE_FR[k]: v for k, v in CO2E_KG.items()},
    }


def facts(session: Session, donation: Donation, part: int | None = None) -> dict[str, Any]:
    """The impact of one donation."""
    devices = list(session.exec(select(Device).where(Device.donation_id == donation.id)))
    return {
        "scope": "donation",
        "donor": donor_facts(session, donation),
        "donation": donation_facts(donation),
        "impact": impact_of(devices),
    }


def yearly_facts(session: Session, donor_id: int, year: int) -> dict[str, Any]:
    """The impact of the donor's donations received in `year`."""
    donations = [
        d
        for d in session.exec(select(Donation).where(Donation.donor_id == donor_id))
        if d.received_on.year == year
    ]
    ids = [d.id for d in donations]
    devices = list(session.exec(select(Device).where(col(Device.donation_id).in_(ids))))
    donor = donor_facts(session, donations[0]) if donations else {"name": "", "address": ""}
    return {
        "scope": "year",
        "year": year,
        "donor": donor,
        "donations": sorted(d.reference for d in donations),
        "impact": impact_of(devices),
    }


def _kg(grams: int) -> str:
    return f"{grams // 1000},{(grams % 1000) // 100} kg"


def body(facts: dict[str, Any]) -> list[Flowable]:
    """The summary: scope, figures, the factor set and the weights' origin."""
    i = facts["impact"]
    scope = (
        ("Don", facts["donation"]["reference"])
        if facts["scope"] == "donation"
        else ("Année", f"{facts['year']} ({len(facts['donations'])} dons)")
    )
    rows = [
        [t, str(v["count"]), f"{v['factor_kg']} kg", f"{v['co2e_kg']} kg"]
        for t, v in sorted(i["by_type"].items())
    ]
    factors = " ; ".join(f"{t} {v} kg CO2e" for t, v in i["factors_kg"].items())
    return [
        pdf.facts_table(
            [
                ("Donateur", facts["donor"]["name"]),
                scope,
                ("Équipements donnés", str(i["devices"])),
                ("Équipements réemployés", str(i["reused"])),
                ("Poids détourné (pesé)", _kg(i["weight_weighed_g"])),
                ("Poids détourné (poids typiques estimés)", _kg(i["weight_typical_g"])),
                ("CO2e évité (fabrication + distribution)", f"{i['co2e_avoided_kg']} kg CO2e"),
            ]
        ),
        pdf.para("Détail par type d'équipement réemployé", "h2"),
        pdf.grid(["Type", "Réemployés", "Facteur", "CO2e évité"], rows, [60, 30, 40, 40]),
        pdf.para(
            f"Facteurs d'émission : {i['factor_set']['name']}, version "
            f"{i['factor_set']['version']} — {factors} (ordinateur fixe : modèle professionnel ; "
            "écran : 24 pouces) ; les autres types ne sont pas comptés (0 kg). Les poids non "
            "pesés sont des poids typiques par type, estimés par l'atelier, et présentés "
            "séparément des poids pesés.",
            "small",
        ),
    ]


KINDS[DocumentKind.IMPACT] = Kind("Bilan d'impact du réemploi", facts, body)
