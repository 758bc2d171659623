"""Network boot files served at /boot/ (no login): the iPXE script and the image's files."""

from __future__ import annotations

import pytest


@pytest.fixture
def netboot(app, tmp_path, monkeypatch):
    folder = tmp_path / "netboot"
    folder.mkdir()
    (folder / "vmlinuz").write_bytes(b"kernel" * 1000)
    (folder / "initrd.img").write_bytes(b"initrd")
    (folder / "cmdline.txt").write_text(
        "atelier.wipe=ask atelier.url=http://atelier.lan:5000\n atelier.secret=ABCD-EFGH-JKMN-PQRS-TVWX\n"
    )
    settings = app.config["WORKSHOP"].model_copy(update={"netboot_dir": folder})
    monkeypatch.setitem(app.config, "WORKSHOP", settings)
    return folder


def test_the_ipxe_script_boots_the_image_from_this_server(app, netboot):
    response = app.test_client().get("/boot/ipxe", base_url="http://atelier.lan:5000")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == (
        "#!ipxe\n"
        "kernel http://atelier.lan:5000/boot/vmlinuz initrd=initrd.img boot=live noeject "
        "nopersistence quiet console=tty0 console=ttyS0,115200n8 "
        "fetch=http://atelier.lan:5000/boot/atelier-bench.iso atelier.wipe=ask "
        "atelier.url=http://atelier.lan:5000 atelier.secret=ABCD-EFGH-JKMN-PQRS-TVWX\n"
        "initrd http://atelier.lan:5000/boot/initrd.img\n"
        "boot\n"
    )


def test_files_are_served_with_ranges_and_nothing_else(app, netboot):
    client = app.test_client()
    whole = client.get("/boot/vmlinuz")
    assert whole.status_code == 200 and whole.data == b"kernel" * 1000
    part = client.get("/boot/vmlinuz", headers={"Range": "bytes=6-11"})
    assert part.status_code == 206 and part.data == b"kernel"
    for name in ("cmdline.txt", "atelier-bench.iso"):  # not a boot file; a file not there
        refused = client.get(f"/boot/{name}")
        assert refused.status_code == 404, name
        assert refused.get_data(as_text=True).startswith("network boot: no file")
    for path in ("/boot/..%2Fcmdline.txt", "/boot/%2Fetc%2Fpasswd", "/boot/../netboot/cmdline.txt"):
        assert client.get(path).status_code == 404, path


def test_a_malformed_cmdline_or_no_folder_is_said_plainly(app, netboot, monkeypatch):
    (netboot / "cmdline.txt").write_text("atelier.wipe=yes\n#!ipxe\nshell\x07")
    response = app.test_client().get("/boot/ipxe")
    assert response.status_code == 503
    assert "printable ASCII" in response.get_data(as_text=True)
    settings = app.config["WORKSHOP"].model_copy(update={"netboot_dir": None})
    monkeypatch.setitem(app.config, "WORKSHOP", settings)
    for path in ("/boot/ipxe", "/boot/vmlinuz"):
        off = app.test_client().get(path)
        assert off.status_code == 404 and "WORKSHOP_NETBOOT_DIR" in off.get_data(as_text=True)
