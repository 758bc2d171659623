"""Pure parts of reservations: the bon de remise drawn from facts, and spec cards/filters."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from pypdf import PdfReader

from workshop.models import Component, ComponentKind, Device, DeviceType
from workshop.services.catalogue import CatalogueFilters, _card, _disk_kind, _matches
from workshop.services.handover_receipt import (
    PRICE_CAPS_EUR,
    ReceiptFacts,
    ReceiptLine,
    render_receipt,
)


def _facts(lines: list[ReceiptLine]) -> ReceiptFacts:
    return ReceiptFacts(
        reference="R-000042",
        workshop_name="Atelier Réemploi Armor",
        association_name="Les Clés du Goëlo <&>",
        association_address="1 rue du Port 22680 Binic",
        handed_over_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
        lines=lines,
        comment="remis au local",
    )


def test_receipt_lists_every_device_and_the_caps_that_apply():
    lines = [
        ReceiptLine(f"AAAA-{i:04d}-X", kind, "Dell Latitude", f"SN{i:05d}", "A")
        for i, kind in enumerate(
            [DeviceType.LAPTOP, DeviceType.TABLET, DeviceType.SCREEN, DeviceType.SMARTPHONE] * 15
        )
    ]
    reader = PdfReader(io.BytesIO(render_receipt(_facts(lines))))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2  # 60 lines do not fit on one page; headers repeat
    assert all(f"SN{i:05d}" in text for i in range(60))
    assert "R-000042" in text and "23/11/2026" in text
    assert "Les Clés du Goëlo <&>" in text  # escaped for reportlab, shown as typed
    for kind in (DeviceType.LAPTOP, DeviceType.TABLET, DeviceType.SCREEN):
        assert PRICE_CAPS_EUR[kind] in text
    assert DeviceType.SMARTPHONE not in PRICE_CAPS_EUR
    assert "remis au local" in text and text.count("Signature") == 2


def test_disk_kind_from_recorded_kind_or_inventory():
    assert _disk_kind({"kind": "SSD"}) == "ssd"
    assert _disk_kind({"transport": "nvme", "rotational": None}) == "ssd"
    assert _disk_kind({"transport": "sata", "rotational": False}) == "ssd"
    assert _disk_kind({"transport": "sata", "rotational": True}) == "hdd"
    assert _disk_kind({}) == "unknown"


def _device(type: DeviceType = DeviceType.LAPTOP) -> Device:
    return Device(id=1, asset_tag="AAAAAAAAA", type=type)


def _parts(wear: float | None) -> list[Component]:
    parts = [
        Component(device_id=1, kind=ComponentKind.CPU, model="Intel Core i5-8250U"),
        Component(device_id=1, kind=ComponentKind.MEMORY, capacity_bytes=4 * 1024**3),
        Component(device_id=1, kind=ComponentKind.MEMORY, capacity_bytes=4 * 1024**3),
        Component(
            device_id=1,
            kind=ComponentKind.DISK,
            capacity_bytes=256 * 1000**3,
            details=json.dumps({"transport": "nvme"}),
        ),
    ]
    if wear is not None:
        parts.append(
            Component(
                device_id=1, kind=ComponentKind.BATTERY, details=json.dumps({"wear_percent": wear})
            )
        )
    return parts


def test_card_sums_memory_and_filters_apply():
    card = _card(_device(), _parts(wear=35))
    assert (card.cpu, card.ram_gb, card.storage_gb, card.storage_kinds) == (
        "Intel Core i5-8250U",
        8.0,
        256,
        ["ssd"],
    )
    assert _matches(card, CatalogueFilters(min_ram_gb=8, storage_kind="ssd", cpu="I5"))
    assert not _matches(card, CatalogueFilters(min_ram_gb=8.5))
    assert not _matches(card, CatalogueFilters(min_storage_gb=500))
    assert not _matches(card, CatalogueFilters(storage_kind="hdd"))
    assert not _matches(card, CatalogueFilters(max_battery_wear=30))
    assert _matches(card, CatalogueFilters(max_battery_wear=35))


def test_battery_filter_on_devices_without_a_battery():
    desktop = _card(_device(DeviceType.DESKTOP), _parts(wear=None))
    laptop_unknown = _card(_device(), _parts(wear=None))
    assert _matches(desktop, CatalogueFilters(max_battery_wear=10))
    assert not _matches(laptop_unknown, CatalogueFilters(max_battery_wear=10))
