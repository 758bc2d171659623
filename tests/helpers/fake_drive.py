"""A fake ATA / NVMe drive *firmware* over a real loop device, reached as `hdparm` and `nvme`.

Why a fake: this machine has no ATA or NVMe drive, only loop devices, which
answer no ATA or NVMe command. The drive's firmware is the one edge the tests
cannot reach, so it is emulated, and only it: the agent runs its real code and
calls `hdparm` / `nvme` by name through PATH in a real subprocess, exactly as on
a bench. `install()` writes two small executables named `hdparm` and `nvme` into
a directory the test puts first on PATH; they load this module and answer
from a JSON state file.

What is real: the media. The loop device's backing file is the drive's user
area, and the erase commands really rewrite it (random bytes for crypto erase,
0xFF for block erase, the pattern for overwrite, zeros for a normal security
erase), progressively, one slice per status poll, while the status says "in
progress" with percentages. A host protected area is a second file holding the
hidden sectors; `-N p<native>` appends it to the backing file and runs
`losetup -c`, so the kernel really sees the loop device grow.

What is imitated: the text the tools print, copied from their sources (hdparm
9.65 `sanitize_normal_output`, `-N`; nvme-cli 2.x `json_sanitize_log`), and
`hdparm -I` taken from a real capture (tests/fixtures/hardware/hdparm) with the
security flags and the SANITIZE feature lines set to the emulated state.

Misbehaviours (`behaviour`): "honest"; "reject" (erase command refused);
"idle_liar" (accepts, does nothing, and its status says "completed without
error", as an idle drive does after an old sanitize); "fail" (goes in
progress, then reports a failed sanitize); "partial" (reports completion with
half of the media untouched); "erase_fails" (SECURITY ERASE fails
and the drive is left locked with the password); "password_stuck" (as
erase_fails, and the password cannot be removed either).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hardware" / "hdparm"
IDENTIFY = FIXTURE / "I_not-frozen_samsung-PM830-mSATA.txt"
REPO = Path(__file__).parents[2]
SECTOR = 512
SANITIZE_LINES = {
    "crypto-scramble": "CRYPTO_SCRAMBLE_EXT command",
    "block-erase": "BLOCK_ERASE_EXT command",
    "overwrite": "OVERWRITE_EXT command",
}


@dataclass
class FakeDrive:
    """Handle on an installed fake drive: its tool directory and its state."""

    bin_dir: Path
    state_path: Path

    def state(self) -> dict[str, Any]:
        """The drive's current emulated state."""
        return json.loads(self.state_path.read_text())

    def update(self, **values: Any) -> None:
        """Change the emulated state (e.g. freeze the drive)."""
        _save(self.state_path, {**self.state(), **values})

    def calls(self) -> list[list[str]]:
        """Every command line the tools received, in order."""
        return self.state()["calls"]

    @property
    def path(self) -> str:
        """A PATH value that finds the fake tools first."""
        return f"{self.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"


def install(
    directory: Path,
    *,
    device: str,
    backing: Path,
    kind: str = "ata",
    behaviour: str = "honest",
    sanitize: tuple[str, ...] = ("crypto-scramble", "block-erase", "overwrite"),
    security: bool = True,
    frozen: bool = False,
    solid_state: bool = True,
    previously_sanitized: bool = False,
    polls: int = 3,
    hidden: bytes = b"",
    hpa_removable: bool = True,
    kernel_follows: bool = True,
    dco_real_sectors: int | None = None,
    sanicap: int = 0b111,
    oacs: int = 0b10,
    fna: int = 0b100,
    namespaces: int = 1,
) -> FakeDrive:
    """Write the fake `hdparm` and `nvme` into `directory` for the drive behind `device`."""
    directory.mkdir(parents=True, exist_ok=True)
    store = directory / "hidden-sectors.img"
    store.write_bytes(hidden)
    visible = backing.stat().st_size // SECTOR
    state = {
        "device": device,
        "backing": str(backing),
        "hidden_store": str(store),
        "kind": kind,
        "behaviour": behaviour,
        "sanitize": list(sanitize),
        "security": security,
        "frozen": frozen,
        "solid_state": solid_state,
        "enabled": False,
        "locked": False,
        "password": None,
        "current": visible,
        "native": visible + len(hidden) // SECTOR,
        "hpa_removable": hpa_removable,
        "kernel_follows": kernel_follows,
        "dco_real": dco_real_sectors,
        "sanicap": sanicap,
        "oacs": oacs,
        "fna": fna,
        "namespaces": namespaces,
        "polls": polls,
        "job": None,
        "last": "completed" if previously_sanitized else "never",
        "calls": [],
    }
    state_path = directory / "drive.json"
    _save(state_path, state)
    for tool in ("hdparm", "nvme"):
        script = directory / tool
        script.write_text(
            f"#!{sys.executable}\n"
            "import sys\n"
            f"sys.path.insert(0, {str(REPO)!r})\n"
            "from tests.helpers.fake_drive import firmware_main\n"
            f"sys.exit(firmware_main({tool!r}, {str(state_path)!r}, sys.argv[1:]))\n"
        )
        script.chmod(0o755)
    return FakeDrive(directory, state_path)


def _save(path: Path, state: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state))
    os.replace(tmp, path)


# ---- the media ---------------------------------------------------------------------------


def _fill(state: dict[str, Any], how: str, start: int, end: int) -> None:
    """Rewrite bytes [start, end) of the user area as the erase `how` leaves them."""
    with open(state["backing"], "r+b") as media:
        media.seek(start)
        for offset in range(start, end, 1 << 20):
            length = min(1 << 20, end - offset)
            if how == "random":
                data = os.urandom(length)
            else:
                unit = bytes.fromhex(how)
                data = (unit * (length // len(unit) + 1))[:length]
            media.write(data)
        media.flush()
        os.fsync(media.fileno())


def _start_job(state: dict[str, Any], how: str) -> None:
    state["job"] = {"how": how, "done": 0}
    state["last"] = "in_progress"
    if state["polls"] == 0:
        _advance(state, all_at_once=True)


def _advance(state: dict[str, Any], all_at_once: bool = False) -> None:
    """One status poll's worth of work: erase the next slice of the media."""
    job = state["job"]
    size = os.path.getsize(state["backing"])
    total = max(1, state["polls"])
    slices = range(job["done"], total) if all_at_once else [job["done"]]
    for index in slices:
        end = size if index == total - 1 else size * (index + 1) // total
        _fill(state, job["how"], size * index // total, end)
        job["done"] = index + 1
    if state["behaviour"] == "partial" and job["done"] >= max(1, total // 2):
        job["done"] = total  # claims completion with half of the media untouched
    if job["done"] >= total:
        state["job"] = None
        state["last"] = "failed" if state["behaviour"] == "fail" else "completed"


# ---- hdparm ------------------------------------------------------------------------------


def _identify(state: dict[str, Any]) -> str:
    text = IDENTIFY.read_text().replace("/dev/sda:", f"{state['device']}:")
    if not state["solid_state"]:
        text = text.replace("Solid State Device", "7200")
    for flag in ("enabled", "locked", "frozen"):
        if state[flag]:
            text = text.replace(f"\tnot\t{flag}\n", f"\t\t{flag}\n")
    if state["sanitize"]:
        lines = ["\t   *\tSANITIZE feature set"]
        lines += [f"\t   *\t{SANITIZE_LINES[name]}" for name in state["sanitize"]]
        anchor = "Data Set Management TRIM supported (limit 8 blocks)\n"
        text = text.replace(anchor, anchor + "\n".join(lines) + "\n")
    if not state["security"]:
        head, _, tail = text.partition("Security: \n")
        text = head + tail[tail.index("Logical Unit WWN") :]
    return text


def _max_sectors(state: dict[str, Any]) -> str:
    hpa = "enabled" if state["current"] < state["native"] else "disabled"
    return f" max sectors   = {state['current']}/{state['native']}, HPA is {hpa}\n"


def _set_max(state: dict[str, Any], value: str) -> tuple[int, str, str]:
    native = int(value.lstrip("p"))
    if not state["hpa_removable"] or native != state["native"]:
        return 5, "", "SET_MAX_ADDRESS failed: Input/output error\n"
    with open(state["backing"], "ab") as media:
        media.write(Path(state["hidden_store"]).read_bytes())
        media.flush()
        os.fsync(media.fileno())
    Path(state["hidden_store"]).write_bytes(b"")
    state["current"] = native
    if state["kernel_follows"]:
        subprocess.run(["losetup", "-c", state["device"]], check=True)
    out = f" setting max visible sectors to {native} (permanent)\n" + _max_sectors(state)
    return 0, out, ""


def _dco(state: dict[str, Any]) -> str:
    real = state["dco_real"] or state["native"]
    return (
        "DCO Revision: 0x0002\n"
        "The following features can be selectively disabled via DCO:\n"
        "\tTransfer modes:\n\t\t mdma0 mdma1 mdma2\n\t\t udma0 udma1 udma2 udma3 udma4 udma5 udma6\n"
        f"\tReal max sectors: {real}\n"
        "\tATA command/feature sets:\n\t\t SMART self_test error_log security HPA 48_bit\n"
    )


def _sanitize_status(state: dict[str, Any]) -> tuple[int, str, str]:
    if state["job"] is not None:
        _advance(state)
    out = "Issuing SANITIZE_STATUS command\nSanitize status:\n"
    if state["last"] == "failed":
        err = (
            "SANITIZE failed: Input/output error\n"
            "SANITIZE device error reason: Last Sanitize Command completed unsuccessfully\n"
            "Drive in SD3 Sanitize Operation Failed state\n"
        )
        return 5, "Issuing SANITIZE_STATUS command\n", err
    if state["frozen"]:
        return 0, out + "    State:    SD1 Sanitize Frozen\n", ""
    if state["job"] is not None:
        done = state["job"]["done"] * 0xFFFF // max(1, state["polls"])
        percent = 100 * (done + 1) // 0xFFFF
        out += "    State:    SD2 Sanitize operation In Process\n"
        return 0, out + f"    Progress: 0x{done:x} ({percent}%)\n", ""
    out += "    State:    SD0 Sanitize Idle\n"
    if state["last"] == "completed":
        out += "    Last Sanitize Operation Completed Without Error\n"
    return 0, out, ""


def _sanitize(state: dict[str, Any], args: list[str]) -> tuple[int, str, str]:
    action = next(
        a for a in args if a.startswith("--sanitize-") and a != "--sanitize-overwrite-passes"
    )
    if action == "--sanitize-status":
        return _sanitize_status(state)
    if "--yes-i-know-what-i-am-doing" not in args:
        return (
            1,
            "",
            f"Use of {action} is VERY DANGEROUS.\nPlease supply the --yes-i-know-what-i-am-doing flag if you really want this.\n",
        )
    name = action.removeprefix("--sanitize-")
    if not state["sanitize"] or name not in state["sanitize"]:
        return 22, "", "SANITIZE feature set is not supported\n"
    issued = f"Issuing SANITIZE_{name.upper().replace('-', '_')} command\n"
    if state["behaviour"] == "reject" or state["frozen"]:
        err = "SANITIZE failed: Input/output error\nSANITIZE device error reason: Device in FROZEN state\n"
        return 5, issued, err
    if state["behaviour"] != "idle_liar":
        how = {"crypto-scramble": "random", "block-erase": "ff"}.get(name)
        if how is None:
            how = args[args.index("--sanitize-overwrite") + 1].removeprefix("hex:")
        _start_job(state, how)
    elif state["last"] == "never":
        state["last"] = "completed"  # the liar's status: an old sanitize, long done
    out = (
        issued
        + "Operation started in background\nYou may use `--sanitize-status` to check progress\n"
    )
    return 0, out, ""


def _security(state: dict[str, Any], args: list[str]) -> tuple[int, str, str]:
    command = next(a for a in args if a.startswith("--security-"))
    password = args[args.index(command) + 1]
    name = command.removeprefix("--security-").upper().replace("-", "_")
    out = (
        f'security_password: "{password}"\n\n{state["device"]}:\n Issuing SECURITY_{name} command\n'
    )
    if state["frozen"] or not state["security"]:
        return 5, out, f"SECURITY_{name}: Input/output error\n"
    if command == "--security-set-pass":
        state.update(enabled=True, password=password)
        return 0, out, ""
    if password != state["password"]:
        return 5, out, f"SECURITY_{name}: Input/output error\n"
    if command in ("--security-erase", "--security-erase-enhanced"):
        if state["behaviour"] in ("erase_fails", "password_stuck"):
            state["locked"] = True
            return 5, out, "SECURITY_ERASE: Input/output error\n"
        _fill(
            state,
            "00" if command == "--security-erase" else "a5",
            0,
            os.path.getsize(state["backing"]),
        )
        state.update(enabled=False, locked=False, password=None)
        return 0, out, ""
    if state["behaviour"] == "password_stuck":
        return 5, out, f"SECURITY_{name}: Input/output error\n"
    state["locked"] = False
    if command == "--security-disable":
        state.update(enabled=False, password=None)
    return 0, out, ""


def _hdparm(state: dict[str, Any], args: list[str]) -> tuple[int, str, str]:
    if args == ["-V"]:
        return 0, "hdparm v9.65 (atelier fake drive)\n", ""
    head = f"\n{state['device']}:\n"
    if "-I" in args:
        return 0, _identify(state), ""
    if "--dco-identify" in args:
        return 0, head + _dco(state), ""
    if "-N" in args:
        value = args[args.index("-N") + 1]
        if value == state["device"]:
            return 0, head + _max_sectors(state), ""
        if "--yes-i-know-what-i-am-doing" not in args:
            return (
                1,
                "",
                "Use of -Nnnnnn is VERY DANGEROUS.\nPlease supply the --yes-i-know-what-i-am-doing flag if you really want this.\n",
            )
        status, out, err = _set_max(state, value)
        return status, head + out, err
    if any(a.startswith("--sanitize-") for a in args):
        status, out, err = _sanitize(state, args)
        return status, head + out, err
    if any(a.startswith("--security-") for a in args):
        return _security(state, args)
    return 22, "", f"fake hdparm: unsupported command {args}\n"


# ---- nvme --------------------------------------------------------------------------------

_NVME_STATUS = {
    "never": "(0) NVM Subsystem has never been sanitized.",
    "completed": "(1) Most Recent Sanitize Command Completed Successfully.",
    "in_progress": "(2) Sanitize in Progress.",
    "failed": "(3) Most Recent Sanitize Command Failed.",
}


def _nvme_log(state: dict[str, Any]) -> str:
    if state["job"] is not None:
        _advance(state)
    last = "in_progress" if state["job"] is not None else state["last"]
    sprog = 65535
    if state["job"] is not None:
        sprog = state["job"]["done"] * 65536 // max(1, state["polls"])
    body = {
        "sprog": sprog,
        "sstat": {
            "global_erased": 1 if last == "completed" else 0,
            "no_cmplted_passes": 0,
            "status": _NVME_STATUS[last],
        },
        "cdw10_info": 0,
        "time_over_write": 4294967295,
        "time_block_erase": 4294967295,
        "time_crypto_erase": 4294967295,
    }
    return json.dumps({os.path.basename(state["device"]): body}, indent=2) + "\n"


def _nvme(state: dict[str, Any], args: list[str]) -> tuple[int, str, str]:
    command = args[0] if args else ""
    options = {k: v for k, _, v in (a.partition("=") for a in args[1:] if "=" in a)}
    if command == "version":
        return 0, "nvme version 2.3 (atelier fake drive)\n", ""
    if command == "id-ctrl":
        data = {
            "mn": "FAKE NVME",
            "sn": "FAKE0001",
            **{k: state[k] for k in ("sanicap", "oacs", "fna")},
        }
        return 0, json.dumps(data) + "\n", ""
    if command == "list-ns":
        return 0, "".join(f"[{i:4}]:{i + 1:#x}\n" for i in range(state["namespaces"])), ""
    if command == "sanitize-log":
        return 0, _nvme_log(state), ""
    if command == "sanitize":
        sanact = options.get("--sanact")
        if sanact == "1":
            state["last"] = "never" if state["last"] == "failed" else state["last"]
            return 0, "", ""
        if state["behaviour"] == "reject" or state["job"] is not None:
            return (
                2,
                "",
                "NVMe status: INVALID_FIELD: A reserved coded value or an unsupported value in a defined field(0x2)\n",
            )
        if state["behaviour"] == "idle_liar":
            state["last"] = "completed"
            return 0, "", ""
        pattern = int(options.get("--ovrpat", "0")).to_bytes(4, "little").hex()
        _start_job(state, {"2": "ff", "3": pattern, "4": "random"}[sanact or ""])
        return 0, "", ""
    if command == "format":
        if state["behaviour"] == "reject":
            return (
                1,
                "",
                "NVMe status: INVALID_FORMAT: The LBA Format specified is not supported(0xa)\n",
            )
        if state["behaviour"] != "idle_liar":
            how = "random" if options.get("--ses") == "2" else "00"
            _fill(state, how, 0, os.path.getsize(state["backing"]))
        return 0, "Success formatting namespace:1\n", ""
    return 22, "", f"fake nvme: unsupported command {args}\n"


def firmware_main(tool: str, state_path: str, args: list[str]) -> int:
    """Entry point of the fake `hdparm` / `nvme` executables."""
    path = Path(state_path)
    state = json.loads(path.read_text())
    state["calls"].append([tool, *args])
    handler = _hdparm if tool == "hdparm" else _nvme
    status, out, err = handler(state, args)
    _save(path, state)
    sys.stdout.write(out)
    sys.stderr.write(err)
    return status
