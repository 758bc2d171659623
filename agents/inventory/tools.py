"""Running optional external tools (smartctl, hdparm, nvme, dmidecode) without ever crashing.

Every call has a timeout. A missing tool, a timeout or a failure adds a note
saying what could not be read, and the caller gets None: the inventory
degrades, it does not stop.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Collection


class ToolRunner:
    """Runs external commands with a timeout and collects notes about what failed."""

    def __init__(self, extra_path: str = "/usr/sbin:/sbin:/usr/bin:/bin") -> None:
        self.notes: list[str] = []
        self._extra_path = extra_path
        self._missing: set[str] = set()

    def note(self, message: str) -> None:
        """Record a note for the report, once."""
        if message not in self.notes:
            self.notes.append(message)

    def which(self, tool: str) -> str | None:
        """Return the executable path of `tool`, looking in the sbin directories too."""
        return shutil.which(tool) or shutil.which(tool, path=self._extra_path)

    def run(
        self,
        argv: list[str],
        timeout: float,
        ok_codes: Collection[int] | None = (0,),
    ) -> str | None:
        """Run argv and return its stdout; None (and a note) if missing, timed out or failed.

        `ok_codes=None` accepts any exit status (smartctl's status is a bit mask).
        """
        tool = argv[0]
        if tool in self._missing:
            return None
        executable = self.which(tool)
        if executable is None:
            self._missing.add(tool)
            self.note(f"{tool} is not installed: what only it can tell was not read")
            return None
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell
                [executable, *argv[1:]],
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            self.note(f"{' '.join(argv)} timed out after {timeout:g} s")
            return None
        except OSError as error:
            self.note(f"{' '.join(argv)} could not run: {error.strerror}")
            return None
        if ok_codes is not None and done.returncode not in ok_codes:
            self.note(f"{' '.join(argv)} failed with exit status {done.returncode}")
            return None
        return done.stdout.decode("utf-8", errors="replace")
