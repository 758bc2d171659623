"""`bench-agent diagnose`: disk health verdicts, self-test, surface scan, RAM, CPU, grade.

Sample run (this VM: one virtio disk, which has no SMART)::

    $ bench-agent diagnose --cpu-seconds 3
    Disks
      /dev/vda  virtio  274.9 GB  -
        verdict UNAVAILABLE; action: check by hand (surface scan)
        SMART: unavailable
          info     virtio disk: a virtual device has no SMART
          info     smartctl: /dev/vda: Unable to detect device type
          smartctl exit status 1 (bits: command_line_error)
        self-test: skipped (virtio disk: virtual, no SMART self-test)
        surface scan: skipped (not asked: use --surface)

    Machine
      RAM: passed, 256 MiB, patterns 0x55 0xaa aes-256-ctr aes-256-ctr-complement (1.94 s)
      CPU: passed, 2 threads for 3 s, 4619 SHA-256 rounds (1614.2 MB/s), 0 wrong
      Batteries: none

    Grade suggestion: B (rules 2026-11-22.1, builtin)
      - the health of a disk is unknown (no SMART) (disks_unavailable 1: B at best)

    $ bench-agent diagnose --smart-json sdb.json
    sdb.json: FAIL (WDC WD5000AAKS-00UU3A0, usbjmicron)
      fail     67 pending sectors (attribute 197)
      info     1 reallocated sectors (attribute 5)
      info     20520 power-on hours
      smartctl exit status 0 (bits: none)
      action: destroy

Exit status: 0 nothing failed, 1 a disk, the RAM or the CPU failed (or --send could
not queue the result), 2 bad input (unknown device, unreadable rules or smartctl file).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add the `diagnose` subcommand."""
    parser = subparsers.add_parser(
        "diagnose", help="check disk health (SMART), RAM, CPU, battery and suggest a grade"
    )
    parser.add_argument("devices", nargs="*", metavar="DEVICE", help="disks (default: every disk)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--send", action="store_true", help="queue the result for the server")
    parser.add_argument("--asset-tag", help="with --send: the device's asset tag")
    parser.add_argument("--smart-json", metavar="FILE", help="judge a saved smartctl --json output")
    parser.add_argument("--rules", metavar="PATH", help="grading rules file (JSON)")
    parser.add_argument("--surface", action="store_true", help="read every sector (slow)")
    parser.add_argument("--no-self-test", action="store_true", help="skip the SMART self-test")
    parser.add_argument(
        "--self-test-limit", type=float, default=300.0, metavar="S", help="abort after S s (300)"
    )
    parser.add_argument(
        "--ram-mib", type=int, default=256, metavar="N", help="MiB of RAM to test (0: skip)"
    )
    parser.add_argument(
        "--ram-time-limit", type=float, default=60.0, metavar="S", help="RAM test bound (60 s)"
    )
    parser.add_argument(
        "--cpu-seconds", type=float, default=10.0, metavar="S", help="CPU check length (0: skip)"
    )
    parser.add_argument("--sys-root", default="/sys", help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def _fail(message: str, status: int = 2) -> int:
    print(f"bench-agent: {message}", file=sys.stderr)
    return status


def judge_file(path: str, as_json: bool, rules: Any) -> int:
    """`--smart-json FILE`: judge a saved report; exit 1 when the verdict is fail."""
    import json  # noqa: PLC0415

    from agents.diagnostics.render import render_health  # noqa: PLC0415
    from agents.diagnostics.smart import judge_report  # noqa: PLC0415

    try:
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
    except OSError as exc:
        return _fail(f"{path}: {exc.strerror or exc}")
    except json.JSONDecodeError as exc:
        return _fail(f"{path} is not JSON: {exc.msg} (line {exc.lineno})")
    health = judge_report(report, rules.smart)
    action = rules.disk_actions.get(health.verdict)
    if as_json:
        out = {"source": path, "action": action, "rules_version": rules.version}
        print(json.dumps({**out, "health": health.model_dump(mode="json")}, indent=2))
    else:
        sys.stdout.write(render_health(path, health, action))
    return 1 if health.verdict == "fail" else 0


def _disks(args: argparse.Namespace) -> list[Any]:
    from agents.inventory.disks import list_disks  # noqa: PLC0415
    from agents.wipe.device import resolve_disk  # noqa: PLC0415

    if args.devices:
        return [resolve_disk(device) for device in args.devices]
    return list_disks(args.sys_root)


def _options(args: argparse.Namespace) -> Any:
    from agents.diagnostics.run import MiB, Options  # noqa: PLC0415

    return Options(
        self_test=not args.no_self_test,
        self_test_limit=args.self_test_limit,
        surface=args.surface,
        ram_bytes=max(0, args.ram_mib) * MiB,
        ram_time_limit=args.ram_time_limit,
        cpu_seconds=args.cpu_seconds,
        sys_root=args.sys_root,
        say=lambda line: print(line, file=sys.stderr),
    )


def failed(result: Any) -> bool:
    """The machine's RAM or CPU check failed, or a disk is failing."""
    machine = (result.memory.status, result.cpu.status)
    return "failed" in machine or any(disk.verdict == "fail" for disk in result.disks)


def run(args: argparse.Namespace) -> int:
    """Diagnose the named disks (or all) and the machine, or judge one saved report."""
    from agents.diagnostics.errors import DiagnosticError  # noqa: PLC0415
    from agents.diagnostics.rules import load_rules  # noqa: PLC0415
    from agents.errors import AgentError  # noqa: PLC0415

    try:
        rules = load_rules(args.rules)
        if args.smart_json:
            return judge_file(args.smart_json, args.json, rules)
        disks = _disks(args)
    except DiagnosticError as error:
        return _fail(error.message)
    except AgentError as error:  # an unknown device or a partition
        return _fail(error.message)
    from agents.diagnostics.render import render_result  # noqa: PLC0415
    from agents.diagnostics.run import diagnose  # noqa: PLC0415

    result = diagnose(disks, _options(args), rules)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        sys.stdout.write(render_result(result))
    status = 1 if failed(result) else 0
    if args.send:
        sent, message = send_result(result.model_dump(mode="json"), asset_tag=args.asset_tag)
        print(message, file=sys.stderr if args.json or sent else sys.stdout)
        status = status or sent
    return status


def send_result(payload: dict[str, Any], *, asset_tag: str | None = None) -> tuple[int, str]:
    """Queue the result as a `diagnostic.result` record, try to send it; (exit status, line)."""
    from agents.sync.record_send import queue_records  # noqa: PLC0415
    from atelier_protocol.diagnostic import KIND  # noqa: PLC0415

    queued, message = queue_records(KIND, [payload], asset_tag=asset_tag)
    return (0, message) if queued else (1, f"bench-agent: {message}")
