"""Disk reading from sysfs trees rebuilt from real machines' dumps."""

from __future__ import annotations

from agents.inventory.disks import detect_transport, list_disks, parse_vpd_pg80, parse_wwid


def test_sata_serial_comes_from_vpd_page_80_without_udev(sysfs_from_dump):
    root = sysfs_from_dump("sysfs/sata-ssd_vpd_pg80-serial_f31-nanobox.dump")

    disks = list_disks(root)

    # sdb is a card reader without media (size 0); dm-* are holders, not drives.
    assert [d.name for d in disks] == ["sda"]
    sda = disks[0]
    assert sda.serial == "S14CNEAD233615F"
    assert sda.sources["serial"] == "sysfs:vpd_pg80"
    assert sda.model == "Samsung SSD 840"  # the truncated 16-char SCSI INQUIRY field
    assert sda.vendor == "ATA"
    assert sda.transport == "sata"
    assert sda.size_bytes == 234441648 * 512
    assert sda.firmware == "7B0Q"
    assert sda.removable is False
    assert sda.path == "/dev/sda"


def test_nvme_serial_is_stripped_of_padding(sysfs_from_dump):
    root = sysfs_from_dump("sysfs/nvme_serial-padded_ubuntu-dell-xps.dump")

    disks = list_disks(root, dev_root="/dev")

    assert [d.name for d in disks] == ["nvme0n1"]  # loop0..9 are detached (no size)
    nvme = disks[0]
    assert nvme.serial == "S29NNXAH146772"
    assert nvme.model == "PM951 NVMe SAMSUNG 256GB"
    assert nvme.transport == "nvme"
    assert nvme.firmware == "BXV77D0Q"
    assert nvme.size_bytes == 256060514304  # udisksctl's Size in the same capture


def test_missing_queue_attributes_fall_back_to_512_and_unknown_rotation(sysfs_from_dump):
    root = sysfs_from_dump("sysfs/nvme_serial-padded_ubuntu-dell-xps.dump")

    nvme = list_disks(root)[0]

    assert (nvme.logical_sector_size, nvme.physical_sector_size) == (512, 512)
    assert nvme.rotational is None


def test_queue_attributes_and_wwid_are_read(sysfs_from_dump):
    root = sysfs_from_dump("sysfs/sata-ssd_vpd_pg80-serial_f31-nanobox.dump")
    queue = root / "block/sda/queue"
    queue.mkdir()
    (queue / "logical_block_size").write_text("512\n")
    (queue / "physical_block_size").write_text("4096\n")
    (queue / "rotational").write_text("0\n")
    # The WWN udisks showed for this disk (by-id/wwn-0x50025385501f214f).
    (root / "block/sda/device/wwid").write_text("naa.50025385501F214F\n")

    sda = list_disks(root)[0]

    assert (sda.logical_sector_size, sda.physical_sector_size) == (512, 4096)
    assert sda.rotational is False
    assert sda.wwn == "0x50025385501f214f"


def test_vpd_page_80_parser_checks_the_page_code_and_length():
    assert parse_vpd_pg80(b"\x00\x80\x00\x05ABCDE trailing") == "ABCDE"
    assert parse_vpd_pg80(b"\x00\x83\x00\x05ABCDE") is None  # page 0x83, not 0x80
    assert parse_vpd_pg80(b"\x00\x80") is None
    assert parse_vpd_pg80(b"\x00\x80\x00\x04    ") is None


def test_wwid_keeps_only_real_world_wide_names():
    assert parse_wwid("eui.0025384161B4BF61") == "eui.0025384161b4bf61"
    assert parse_wwid("t10.ATA     Samsung SSD 840 Series  S14CNEAD233615F") is None
    assert parse_wwid("nvme.144d-5332394e-504d393531-00000001") is None
    assert parse_wwid(None) is None


def test_transport_of_a_usb_disk_is_read_from_its_device_path(tmp_path):
    usb = tmp_path / "devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/block/sdc"
    usb.mkdir(parents=True)
    (usb / "device").mkdir()
    (usb / "device/vendor").write_text("ATA     \n")  # a SATA disk behind a bridge
    block = tmp_path / "block"
    block.mkdir()
    (block / "sdc").symlink_to(usb)

    assert detect_transport(block / "sdc", "sdc") == "usb"


def test_nvme_under_native_multipath_reads_the_subsystem_attributes(tmp_path):
    # Layout of a namespace with CONFIG_NVME_MULTIPATH: no device/serial, the subsystem has it.
    subsystem = tmp_path / "devices/virtual/nvme-subsystem/nvme-subsys0"
    namespace = subsystem / "nvme0n1"
    namespace.mkdir(parents=True)
    (namespace / "size").write_text("1000215216\n")
    (subsystem / "serial").write_text("S4EWNX0N123456      \n")
    (subsystem / "model").write_text("Samsung SSD 970 EVO Plus 500GB          \n")
    (subsystem / "firmware_rev").write_text("2B2QEXM7\n")
    (tmp_path / "block").mkdir()
    (tmp_path / "block/nvme0n1").symlink_to(namespace)

    disk = list_disks(tmp_path)[0]

    assert disk.transport == "nvme"
    assert disk.serial == "S4EWNX0N123456"
    assert disk.model == "Samsung SSD 970 EVO Plus 500GB"
    assert disk.firmware == "2B2QEXM7"
