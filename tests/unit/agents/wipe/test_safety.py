"""The protection walk on a small fake sysfs: partitions, dm holders, system mounts, swap, ro."""

from __future__ import annotations

from pathlib import Path

from agents.safety import SystemPaths, assess, read_mounts


def fake_system(root: Path, mounts: list[str], swaps: list[str] = ()) -> SystemPaths:
    """sda (sda1, sda2 -> dm-0 LUKS -> mounted /), sdb free, sdc read-only."""

    def dev(path: Path, number: str, partition: bool = False) -> None:
        path.mkdir(parents=True, exist_ok=True)
        (path / "dev").write_text(number + "\n")
        (path / "holders").mkdir(exist_ok=True)
        if partition:
            (path / "partition").write_text("1\n")

    block, cls = root / "block", root / "class" / "block"
    for name, number in (("sda", "8:0"), ("sdb", "8:16"), ("sdc", "8:32"), ("dm-0", "253:0")):
        dev(block / name, number)
    dev(block / "sda" / "sda1", "8:1", partition=True)
    dev(block / "sda" / "sda2", "8:2", partition=True)
    (block / "sda" / "sda2" / "holders" / "dm-0").mkdir()
    (block / "sdc" / "ro").write_text("1\n")
    cls.mkdir(parents=True)
    for name in ("sda", "sdb", "sdc", "dm-0"):
        (cls / name).symlink_to(block / name)
    for part in ("sda1", "sda2"):
        (cls / part).symlink_to(block / "sda" / part)
    (root / "mountinfo").write_text("".join(line + "\n" for line in mounts))
    (root / "swaps").write_text("Filename Type Size Used Priority\n" + "".join(swaps))
    return SystemPaths(root, root / "mountinfo", root / "swaps")


ROOT_ON_DM = "26 1 253:0 / / rw,relatime shared:1 - ext4 /dev/mapper/root rw"
EFI = "27 26 8:1 / /boot/efi rw,relatime shared:2 - vfat /dev/sda1 rw"
USB = r"40 26 8:16 / /media/tech/CL\040USB rw,nosuid shared:9 - vfat /dev/sdb1 rw"


def test_system_disk_is_found_through_a_dm_holder_and_the_efi_partition(tmp_path):
    paths = fake_system(tmp_path, [ROOT_ON_DM, EFI])
    reasons = assess("sda", paths).reasons
    assert "holds the running system: dm-0 mounted at /" in reasons
    assert "holds the running system: sda1 mounted at /boot/efi" in reasons
    assert "member of md/LVM/dm: sda2 is held by dm-0" in reasons
    assert assess("sdb", paths).allowed


def test_mount_points_with_spaces_and_swap_and_read_only(tmp_path):
    paths = fake_system(tmp_path, [ROOT_ON_DM, USB], ["/dev/sda1 partition 8388604 0 -2\n"])
    assert assess("sdb", paths).reasons == ["mounted: sdb at /media/tech/CL USB"]
    assert "swap in use: /dev/sda1 (on sda1)" in assess("sda", paths).reasons
    assert assess("sdc", paths).reasons == ["sdc is read-only"]


def test_mountinfo_parsing_keeps_devno_mountpoint_and_source(tmp_path):
    (tmp_path / "mi").write_text(ROOT_ON_DM + "\n" + USB + "\n")
    mounts = read_mounts(tmp_path / "mi")
    assert [(m.devno, m.mountpoint, m.source) for m in mounts] == [
        ("253:0", "/", "/dev/mapper/root"),
        ("8:16", "/media/tech/CL USB", "/dev/sdb1"),
    ]
