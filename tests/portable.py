"""What the tests need to run on Windows and macOS as well as Linux.

File modes mean little on Windows (``os.chmod`` only sets read-only there), so the
tests check privacy bits on POSIX only; ``vp_desk/platform.py`` documents what the
app does on each platform. A hard kill is ``Popen.kill()``: SIGKILL on POSIX,
TerminateProcess on Windows, both ending the process without any cleanup.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

POSIX = os.name == "posix"

posix_only = pytest.mark.skipif(not POSIX, reason="POSIX file modes or signals")


def assert_mode(path: Path, mode: int) -> None:
    """The permission bits of ``path`` are exactly ``mode`` (POSIX only)."""
    if POSIX:
        actual = stat.S_IMODE(path.stat().st_mode)
        assert actual == mode, f"{path.name}: {oct(actual)} != {oct(mode)}"


def assert_private(path: Path) -> None:
    """Neither group nor others have any access to ``path`` (POSIX only)."""
    if POSIX:
        assert path.stat().st_mode & 0o077 == 0, path.name


def kill_hard(proc: subprocess.Popen) -> None:
    """End ``proc`` at once, without cleanup (kill -9 on POSIX)."""
    proc.kill()
