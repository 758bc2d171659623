"""The bench image's session (`python -m agents.live`) run on this machine against a real server:
offline first (records wait in RAM, the console says so), then the server comes back and the
PC enrols with the site secret and sends everything. Inventory and the quick diagnostics (read
only), no wipe (atelier.wipe=no): this machine's disks are never written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.waiting import wait_for


def _console(path: Path) -> str:
    """The screen now: each redraw replaces the whole "device" content."""
    return path.read_text(encoding="utf-8", errors="replace")


def test_records_wait_offline_then_reach_the_server(tmp_path, workshop_server):
    secret = workshop_server.cli("create-site-secret", "Atelier test")
    workshop_server.kill()  # the network is away when the PC boots
    cmdline = tmp_path / "cmdline"
    cmdline.write_text(
        f"boot=live quiet atelier.url={workshop_server.url} atelier.secret={secret} atelier.wipe=no\n"
    )
    console = tmp_path / "tty1"
    console.write_text("")  # stands for the console device (the session never creates it)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
    env.update(
        ATELIER_CMDLINE=str(cmdline),
        ATELIER_CONSOLE=str(console),
        ATELIER_RAM_DIR=str(tmp_path / "ram"),
        BENCH_CONFIG=str(tmp_path / "session" / "bench.json"),
    )
    session = subprocess.Popen(
        [sys.executable, "-m", "agents.live"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(lambda: "serveur : hors ligne" in _console(console), "offline on the console")
        wait_for(lambda: "en attente du réseau" in _console(console), "waiting for the network")
        screen = _console(console)
        # The inventory and the diagnostic (RAM, CPU, disks' health) wait in RAM.
        assert "2 en attente\nConservés en mémoire vive (perdus si" in screen, screen
        assert "Diagnostic : mémoire réussi, processeur réussi" in screen, screen
        assert (tmp_path / "ram" / "outbox.sqlite3").exists()
        assert session.poll() is None
        workshop_server.start()
        output, _ = session.communicate(timeout=90)
    finally:
        if session.poll() is None:
            session.kill()
            session.communicate()
    assert session.returncode == 0, output
    assert "atelier-live: all records sent" in output
    screen = _console(console)
    assert "serveur : en ligne" in screen and "2 envoyé(s), 0 en attente" in screen, screen
    assert "█████" in screen  # the verdict in large type
    benches = workshop_server.api("/benches")
    session_bench = [b for b in benches if b["name"].startswith("Atelier test · ")]
    assert len(session_bench) == 1
    kinds = [r["kind"] for r in workshop_server.api(f"/benches/{session_bench[0]['id']}/records")]
    assert sorted(kinds) == ["diagnostic.result", "inventory.snapshot"]
