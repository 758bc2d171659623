"""`atelier-label`: render, preview and print device labels on ESC/POS printers.

Sample run:

    $ atelier-label render --tag K7QX-4M2P-H --url https://atelier.example.org/d/K7QX-4M2P-H \\
        --specs "i5-4590 · 8 Go · SSD 240 Go" --grade A --wipe-status passed \\
        --wipe-date 2026-11-12 --profile tm-t20ii --media 58mm -o label.bin
    label.bin: 173 bytes, profile tm-t20ii, media 58mm, QR native
    $ atelier-label render ... --qr image --png label.png
    label.png: preview of a 2909-byte job, profile tm-t20ii, media 58mm, QR image
    $ atelier-label print ... --printer tcp://192.168.1.50:9100 --check-status
    sent 173 bytes to tcp://192.168.1.50:9100
    $ atelier-label print ... --printer tcp://192.168.1.51
    error: tcp://192.168.1.51:9100: no answer within 5 s (printer off, wrong address or a firewall)

Exit status: 0 done, 1 printer error, 2 bad input (nothing was sent).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from labels.catalogue import MEDIA, PROFILES, get_media, get_profile
from labels.data import LabelData, parse_date, parse_wipe_status
from labels.encode import QrMode, choose_qr_mode, encode_job
from labels.errors import LabelError, PrinterError, PrinterURIError
from labels.transport import Timeouts, open_printer


def _label_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tag", required=True, help="asset tag, e.g. K7QX-4M2P-H")
    parser.add_argument("--url", required=True, help="public URL of the device (QR content)")
    parser.add_argument("--specs", default="", help="one line: CPU, RAM, storage")
    parser.add_argument("--grade", default="", help="cosmetic/functional grade, e.g. A")
    parser.add_argument("--wipe-status", help="passed, failed or not-wiped")
    parser.add_argument("--wipe-date", help="YYYY-MM-DD or DD/MM/YYYY")
    parser.add_argument("--profile", default="default", help="printer profile (see `profiles`)")
    parser.add_argument("--media", default="58mm", help="58mm, 80mm or 50x30")
    parser.add_argument("--qr", choices=[m.value for m in QrMode], help="default: native if able")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its three sub-commands."""
    parser = argparse.ArgumentParser(prog="atelier-label", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="write the ESC/POS job or a PNG preview")
    _label_options(render)
    output = render.add_mutually_exclusive_group(required=True)
    output.add_argument("-o", "--output", help="ESC/POS job file ('-' for standard output)")
    output.add_argument("--png", help="PNG preview of the job, decoded back from its bytes")
    send = commands.add_parser("print", help="send the label to a printer")
    _label_options(send)
    send.add_argument("--printer", required=True, help="tcp://, file://, cups:// or usb:// URI")
    send.add_argument("--timeout", type=float, default=10.0, help="seconds (default 10)")
    send.add_argument("--check-status", action="store_true", help="tcp only: check paper first")
    send.add_argument(
        "--file-dir",
        type=Path,
        help="folder whose files may be file:// printers (default: printer devices only)",
    )
    commands.add_parser("profiles", help="list printer profiles and media")
    return parser


def _label(args: argparse.Namespace) -> LabelData:
    status = parse_wipe_status(args.wipe_status) if args.wipe_status else None
    when = parse_date(args.wipe_date) if args.wipe_date else None
    return LabelData(args.tag, args.url, args.specs, args.grade, status, when)


def _job(args: argparse.Namespace) -> tuple[bytes, str]:
    profile, media = get_profile(args.profile), get_media(args.media)
    wanted = QrMode(args.qr) if args.qr else None
    data = _label(args)
    mode = choose_qr_mode(profile, media, wanted)
    job = encode_job(data, profile, media, mode)
    return job, f"profile {profile.name}, media {media.name}, QR {mode.value}"


def _render(args: argparse.Namespace) -> int:
    job, summary = _job(args)
    if args.png:
        from labels.preview import job_preview_png

        png = job_preview_png(job, get_profile(args.profile), get_media(args.media))
        Path(args.png).write_bytes(png)
        print(f"{args.png}: preview of a {len(job)}-byte job, {summary}")
    elif args.output == "-":
        sys.stdout.buffer.write(job)
        sys.stdout.buffer.flush()
    else:
        Path(args.output).write_bytes(job)
        print(f"{args.output}: {len(job)} bytes, {summary}")
    return 0


def _print(args: argparse.Namespace) -> int:
    timeouts = Timeouts(connect=min(5.0, args.timeout), send=args.timeout)
    transport = open_printer(
        args.printer, timeouts, check_status=args.check_status, file_dir=args.file_dir
    )
    job, summary = _job(args)
    try:
        transport.send(job)
    finally:
        transport.close()
    print(f"sent {len(job)} bytes to {transport.uri} ({summary})")
    return 0


def _profiles() -> int:
    print("Printer profiles:")
    for profile in PROFILES.values():
        print(f"  {profile.describe()}")
    print("Media:")
    for media in MEDIA.values():
        print(f"  {media.describe()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "profiles":
            return _profiles()
        if args.command == "render":
            return _render(args)
        return _print(args)
    except PrinterURIError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except PrinterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (LabelError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
