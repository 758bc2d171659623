"""Network boot of the bench image: the iPXE script and the files it loads, over HTTP, no login.

A PC's PXE firmware gets iPXE from a TFTP server (a dnsmasq proxy-DHCP next to the existing
router, see docs/bench-image.md), iPXE fetches ``GET /boot/ipxe``, which boots the bench image's
kernel and initramfs from this server; live-boot then downloads the whole ISO into RAM
(``fetch=``) and starts the same system as the USB stick. The files come from the folder
WORKSHOP_NETBOOT_DIR, which `make bench-image` fills (build/netboot/): vmlinuz, initrd.img,
atelier-bench.iso, cmdline.txt (the boot parameters: workshop URL, site secret, wipe mode) and
the iPXE binaries when Debian's ipxe package is installed. Sample::

    $ curl http://atelier.lan:5000/boot/ipxe
    #!ipxe
    kernel http://atelier.lan:5000/boot/vmlinuz initrd=initrd.img boot=live ... atelier.url=...
    initrd http://atelier.lan:5000/boot/initrd.img
    boot
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, request, send_from_directory

bp = Blueprint("netboot", __name__)

FILES = ("vmlinuz", "initrd.img", "atelier-bench.iso", "undionly.kpxe", "ipxe.efi", "snponly.efi")
KERNEL_ARGS = "boot=live noeject nopersistence quiet console=tty0 console=ttyS0,115200n8"
# Boot parameters are words of printable ASCII: nothing that could end the iPXE line.
_PARAMS = re.compile(r"[\x21-\x7e]+( [\x21-\x7e]+)*")


def _not_served(why: str) -> Response:
    return Response(f"network boot: {why}\n", status=404, mimetype="text/plain")


def _folder() -> Path | None:
    folder = current_app.config["WORKSHOP"].netboot_dir
    return Path(folder) if folder and Path(folder).is_dir() else None


def boot_parameters(folder: Path) -> str:
    """The atelier.* parameters of cmdline.txt (one line); ValueError when malformed."""
    path = folder / "cmdline.txt"
    text = " ".join(path.read_text(encoding="ascii").split()) if path.exists() else ""
    if text and not _PARAMS.fullmatch(text):
        raise ValueError("cmdline.txt must hold printable ASCII words only")
    return text


@bp.route("/boot/ipxe")
def ipxe_script() -> Any:
    """The iPXE script that boots the bench image from this server."""
    folder = _folder()
    if folder is None:
        return _not_served("WORKSHOP_NETBOOT_DIR is not set or is not a folder")
    try:
        params = boot_parameters(folder)
    except (ValueError, UnicodeDecodeError) as error:
        return Response(f"network boot: {error}\n", status=503, mimetype="text/plain")
    base = request.url_root.rstrip("/") + "/boot"
    script = (
        "#!ipxe\n"
        f"kernel {base}/vmlinuz initrd=initrd.img {KERNEL_ARGS} "
        f"fetch={base}/atelier-bench.iso {params}".rstrip()
        + "\n"
        f"initrd {base}/initrd.img\n"
        "boot\n"
    )
    return Response(script, mimetype="text/plain")


@bp.route("/boot/<name>")
def boot_file(name: str) -> Any:
    """One of the image's files (range requests and conditional GET supported)."""
    folder = _folder()
    if folder is None:
        return _not_served("WORKSHOP_NETBOOT_DIR is not set or is not a folder")
    if name not in FILES or not (folder / name).is_file():
        return _not_served(f"no file {name[:60]!r} here (files: {', '.join(FILES)})")
    return send_from_directory(folder, name, conditional=True, max_age=0)
