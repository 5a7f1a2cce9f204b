"""One running vp_desk per data folder, with the real ``vp-desk`` command in a terminal.

The app takes the folder lock before its unlock screen shows (issue 13 moved the
lock to ``flock`` on POSIX and the bare command off click, to start faster): while
it shows the passphrase field, a command line run on the same folder and a second
app are refused with the documented sentence (exit code 1 for the command line),
and once the app has gone the folder opens again.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from vp_desk.platform import IS_WINDOWS
from vp_desk.services.desk import Desk

pytestmark = pytest.mark.skipif(IS_WINDOWS, reason="needs a POSIX pseudo-terminal")

ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")
REFUSAL = "vp_desk is already open on the data folder"  # the command line
APP_REFUSAL = "vp_desk is already open on this data folder"  # the unlock screen


class Terminal:
    """``vp-desk`` (the real command) running in a 120x36 pseudo-terminal."""

    def __init__(self, *args: str) -> None:
        import fcntl
        import pty
        import struct
        import termios

        env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
        env.update(VP_DESK_KDF="minimum", TERM="xterm-256color", LANG="C.UTF-8")
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "vp_desk", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.seen = b""

    def text(self) -> str:
        return ANSI.sub(b"", self.seen).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in " ".join(self.text().split()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"{needle!r} not shown; the screen:\n{self.text()[-2000:]}")
            if select.select([self.master], [], [], 0.2)[0]:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:
                    pass

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            while select.select([self.master], [], [], 0.2)[0] and os.read(self.master, 65536):
                pass
        except OSError:
            pass
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:  # pragma: no cover
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.master)


@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "data"
    with Desk.create(path, PASSPHRASE) as desk:
        from vp_desk.domain.models import OrganisationInput

        desk.add_organisation(OrganisationInput("Stichting Eén", employees=40))
    return path


def test_while_the_app_shows_its_unlock_screen_no_other_process_opens_the_folder(folder):
    first = Terminal("--data-dir", str(folder), "--lang", "en")
    try:
        first.wait_for("Passphrase")  # the unlock screen's field: the lock is held by now
        result = run_cli("org", "list", data_dir=folder)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert REFUSAL in " ".join(result.stderr.split())
        assert "Stichting" not in result.stdout + result.stderr

        dutch = run_cli("--lang", "nl", "org", "list", data_dir=folder)
        assert dutch.returncode == 1
        assert "vp_desk is al geopend op de datamap" in " ".join(dutch.stderr.split())

        second = Terminal("--data-dir", str(folder), "--lang", "en")
        try:
            second.wait_for(APP_REFUSAL)
        finally:
            second.close()
        assert "Passphrase" in " ".join(first.text().split())
        assert first.proc.poll() is None  # the first one runs on, untouched
    finally:
        first.close()
    result = run_cli("org", "list", data_dir=folder)  # the app has gone: free again
    assert result.returncode == 0, result.stderr
    assert "Stichting Eén" in result.stdout


def test_the_lock_file_is_not_handed_to_programs_the_app_starts(tmp_path):
    """A child process (a PDF viewer, a file manager) must not keep the folder
    locked after the app has gone: the lock's descriptor is not inherited."""
    from vp_desk.errors import AlreadyRunning
    from vp_desk.vault.lock import FolderLock

    lock = FolderLock(tmp_path).acquire()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], close_fds=False)
    try:
        with pytest.raises(AlreadyRunning):
            FolderLock(tmp_path).acquire()
        lock.release()
        # Free while the child still runs (it sleeps 30 s). Linux drops a descriptor
        # closed at exec a moment after the parent's Popen returns: allow that moment.
        deadline = time.monotonic() + 5
        while True:
            try:
                FolderLock(tmp_path).acquire().release()
                break
            except AlreadyRunning:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        assert child.poll() is None
    finally:
        child.kill()
        child.wait()
