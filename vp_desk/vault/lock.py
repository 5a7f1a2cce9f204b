"""One running instance per data folder, on every platform.

An exclusive lock on ``.lock`` in the data folder (``vp_desk.platform``:
``flock`` on POSIX, ``msvcrt.locking`` through ``filelock`` on Windows).
The operating system releases it when the process dies, so a lock left by a
killed process is never stale.
"""

from __future__ import annotations

from pathlib import Path

from vp_desk.errors import AlreadyRunning
from vp_desk.platform import InstanceLock, InstanceLockHeld

LOCK_NAME = ".lock"


class FolderLock:
    def __init__(self, folder: Path):
        self.path = Path(folder) / LOCK_NAME
        self._lock: InstanceLock | None = None

    @property
    def held(self) -> bool:
        return self._lock is not None

    def acquire(self) -> FolderLock:
        if self._lock is not None:
            return self
        lock = InstanceLock(self.path)
        try:
            lock.acquire()
        except InstanceLockHeld:
            raise AlreadyRunning(str(self.path.parent)) from None
        # Nothing is written into the file: taking the lock must not change
        # the data folder (a wrong passphrase leaves every byte as it was).
        self._lock = lock
        return self

    def release(self) -> None:
        if self._lock is None:
            return
        self._lock.release()
        self._lock = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
