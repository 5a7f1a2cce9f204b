"""Everything that differs between POSIX (Linux, macOS) and Windows, in one place.

The rest of vp_desk calls these and never ``fcntl``, ``chmod`` or POSIX-only
``os`` flags directly (``tests/test_platform.py`` checks that).

- The single-instance lock: ``flock`` on POSIX (one system call, so the
  ``filelock`` library's ~7-10 ms of imports stay off the start-up path; see
  docs/performance.md), ``msvcrt.locking`` through the ``filelock`` library on
  Windows. The operating system drops it when the process dies, so a lock left
  by a crash is never stale.
- Private files and folders: mode 0600/0700 on POSIX. On Windows the mode
  bits mean nothing; the data folder lives under the user's profile
  (``platformdirs``), whose access list already admits only that user.
- Syncing a folder after a rename: POSIX ``fsync`` on the folder; Windows
  cannot open a folder for that, and NTFS journals the rename itself.
- ``NOFOLLOW``: ``os.O_NOFOLLOW`` where it exists (POSIX), else 0.
"""

from __future__ import annotations

import errno
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
    taking the lock does not change the data folder. The app may release it from
    another thread than the one that took it.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._impl: _FlockLock | _WindowsLock = (
            _WindowsLock(self.path) if IS_WINDOWS else _FlockLock(self.path)
        )

    @property
    def held(self) -> bool:
        return self._impl.held

    def acquire(self) -> None:
        self._impl.acquire()

    def release(self) -> None:
        self._impl.release()


class _FlockLock:
    """POSIX: ``flock(LOCK_EX | LOCK_NB)`` on a descriptor of the lock file.

    The lock belongs to the open file description, not to a thread, and the
    kernel drops it when the process dies. The descriptor is not inherited by
    child processes (``os.open`` makes it non-inheritable), so a program started
    from the app cannot keep the folder locked after the app has gone. A file
    system without ``flock`` raises ``OSError``: refused, never a soft lock that
    would outlive a crash.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        import fcntl

        if self._fd is not None:
            return
        # Opened for reading (``flock`` needs no more), created empty if missing;
        # an existing lock file keeps its contents and its inode.
        fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise InstanceLockHeld(str(self.path)) from None
        except OSError as exc:
            os.close(fd)
            if exc.errno == errno.EACCES:  # some file systems report contention so
                raise InstanceLockHeld(str(self.path)) from None
            raise
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the only descriptor drops the flock


class _WindowsLock:
    """Windows: ``msvcrt.locking`` through the ``filelock`` library."""

    def __init__(self, path: Path) -> None:
        from filelock import FileLock

        self._lock = FileLock(
            path,
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
            raise InstanceLockHeld(str(self._lock.lock_file)) from None

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
