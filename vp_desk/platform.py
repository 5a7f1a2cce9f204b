"""Everything that differs between POSIX (Linux, macOS) and Windows, in one place.

The rest of vp_desk calls these and never ``fcntl``, ``chmod`` or POSIX-only
``os`` flags directly (``tests/test_platform.py`` checks that).

- The single-instance lock uses the ``filelock`` library: ``flock`` on POSIX,
  ``msvcrt.locking`` on Windows; the operating system drops it when the
  process dies, so a lock left by a crash is never stale.
- Private files and folders: mode 0600/0700 on POSIX. On Windows the mode
  bits mean nothing; the data folder lives under the user's profile
  (``platformdirs``), whose access list already admits only that user.
- Syncing a folder after a rename: POSIX ``fsync`` on the folder; Windows
  cannot open a folder for that, and NTFS journals the rename itself.
- ``NOFOLLOW``: ``os.O_NOFOLLOW`` where it exists (POSIX), else 0.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

IS_WINDOWS = sys.platform == "win32"

#: Add to ``os.open`` flags to refuse a symbolic link as the last path part (0 on Windows).
NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)


class InstanceLockHeld(Exception):
    """Another process holds the lock."""


class InstanceLock:
    """An exclusive, non-blocking lock on ``path``, held until ``release`` or process exit.

    Nothing is ever written into the lock file, and it is left in place on release:
    taking the lock does not change the data folder.
    """

    def __init__(self, path: Path) -> None:
        from filelock import FileLock

        self.path = Path(path)
        self._lock = FileLock(
            self.path,
            timeout=0,
            mode=0o600,
            thread_local=False,  # the app may release from another thread than it took it
            fallback_to_soft=False,  # a soft lock would outlive a crash: refuse instead
            preserve_lock_file=True,
        )

    @property
    def held(self) -> bool:
        return bool(self._lock.is_locked)

    def acquire(self) -> None:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise InstanceLockHeld(str(self.path)) from None

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)


def private_file(path: Path) -> None:
    """Make ``path`` readable and writable by its owner only (POSIX: 0600)."""
    if not IS_WINDOWS:
        os.chmod(path, 0o600)


def private_folder(path: Path) -> None:
    """Make the folder ``path`` accessible to its owner only (POSIX: 0700)."""
    if not IS_WINDOWS:
        os.chmod(path, 0o700)


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (POSIX); a no-op on Windows."""
    if IS_WINDOWS:
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - a file system that cannot open folders
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
