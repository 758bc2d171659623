"""Demo data for the bench board: the disks a bench reports, a wipe under way, recent outcomes.

Nothing runs behind it (no agent holds the demo bench's token): the running wipe stays
where the demo left it, so the board shows every state at once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from atelier_protocol.reasons import Message, english, say
from atelier_protocol.task import TaskProgress, TaskStatus
from workshop.models import Bench, BenchTask
from workshop.models.base import utcnow
from workshop.services import bench_tasks
from workshop.services.actors import Actor
from workshop.services.organisations import record_disks


def _disk(name: str, model: str, serial: str, size: int, transport: str, rotational: bool,
          protected: list[Message] | None = None) -> dict[str, Any]:  # fmt: skip
    said = protected or []
    return {
        "name": name,
        "path": f"/dev/{name}",
        "model": model,
        "serial": {"value": serial, "placeholder": False},
        "wwn": None,
        "size_bytes": size,
        "logical_sector_size": 512,
        "physical_sector_size": 4096 if rotational else 512,
        "rotational": rotational,
        "transport": transport,
        "removable": False,
        "protected": [reason.english() for reason in said],
        "protected_reasons": [reason.model_dump(mode="json") for reason in said],
    }


def _told(*reasons: Message) -> dict[str, Any]:
    """What a current agent sends: its reasons as codes and the same line in English."""
    return {"message": english(list(reasons)), "reasons": list(reasons)}


def load_bench_demo(session: Session, bench: Bench, staff: Actor) -> None:
    """Four disks on the bench; one wipe running, one passed, one refused, one diagnostic, and
    a diagnostic of the machine."""
    disks = [
        _disk(
            "nvme0n1",
            "Samsung SSD 970 EVO Plus 250GB",
            "S4EUNX0N1234",
            250_059_350_016,
            "nvme",
            False,
            [say("disk.holds_system", dev="nvme0n1p2", mountpoint="/")],
        ),  # fmt: skip
        _disk("sdb", "ST500DM002-1BD142", "Z3T5A1B2", 500_107_862_016, "sata", True),
        _disk("sdc", "TOSHIBA MQ01ABD100", "X3TRT0A7T", 1_000_204_886_016, "usb", True),
        _disk("sdd", "KINGSTON SA400S37240G", "50026B7782A1C0DE", 240_057_409_536, "sata", False),
    ]
    bench_actor = Actor(bench=bench)
    record_disks(session, bench_actor, disks=disks, observed_at=utcnow())
    now = utcnow()

    def ask(kind: str, disk: dict[str, Any], method: str = "auto") -> BenchTask:
        return bench_tasks.request_task(
            session,
            staff,
            bench.id or 0,
            kind=kind,
            disk_name=disk["name"],
            serial=disk["serial"]["value"],
            size_bytes=disk["size_bytes"],
            method=method,
        )

    def finish(task: BenchTask, state: str, minutes: int, **fields: Any) -> None:
        at = now - timedelta(minutes=minutes)
        started = TaskStatus(uid=task.uid, state="running", at=at - timedelta(minutes=40))
        bench_tasks.apply_status(session, bench_actor, started)
        ended = TaskStatus(uid=task.uid, state=state, at=at, **fields)  # type: ignore[arg-type]
        bench_tasks.apply_status(session, bench_actor, ended)

    finish(ask("wipe", disks[3]), "passed", 95, wipe_id="demo-wipe-sdd")
    finish(
        ask("diagnose", disks[2]),
        "failed",
        60,
        verdict="fail",
        **_told(
            say("diag.smart_fail"),
            say("diag.surface_failed"),
            say("smart.pending", count=24),
            say("wipe.read_failed", lba=1953504, error="Input/output error"),
        ),
    )
    finish(
        bench_tasks.request_machine_diagnostic(session, staff, bench.id or 0),
        "passed",
        30,
        verdict="B",
        **_told(
            say("diag.ram_passed"),
            say("diag.cpu_passed"),
            say("diag.disk_smart_pass", disk="nvme0n1"),
            say("diag.disk_smart_pass", disk="sdb"),
            say(
                "grade.rule_matched",
                reason=[say("grade.disk_hours")],
                fact="power_on_hours_max",
                value="52311",
                grade="B",
            ),
        ),
    )
    running = ask("wipe", disks[1], "zero")
    progress = TaskProgress(
        phase="pass 1/1", done_bytes=185_039_908_946, total_bytes=500_107_862_016,
        rate_bytes_per_s=161.4e6, eta_seconds=1952.0,
    )  # fmt: skip
    bench_tasks.record_progress(session, bench_actor, running.uid, progress)
