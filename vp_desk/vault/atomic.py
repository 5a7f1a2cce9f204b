"""Crash-safe file writes: temp file, fsync, rename, fsync of the folder."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from vp_desk.errors import StorageFull
from vp_desk.i18n import message
from vp_desk.platform import fsync_folder

#: What a full disk kept from being written, by default (in the user's language).
WHAT_KEY_FILE = message("what_key_file")

#: Called with the name of each step before it runs. Tests replace it to
#: simulate a crash or a full disk at that step; production never does.
step_hook: Callable[[str], None] = lambda step: None


def fsync_dir(folder: Path) -> None:
    fsync_folder(folder)


@contextmanager
def atomic_output(path: Path, *, what: str = WHAT_KEY_FILE) -> Iterator[int]:
    """Yield a file descriptor of a new temp file beside ``path``; on a clean
    exit it is fsynced and renamed over ``path``, and the folder fsynced.

    A crash leaves old or new, never a mix. On any error the temp file is
    removed; a full disk becomes StorageFull, so the old file is untouched
    and no zero-byte file is left behind.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")  # no secrets import at start
    fd = -1
    try:
        step_hook("create")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        step_hook("write")
        yield fd
        step_hook("fsync")
        os.fsync(fd)
        os.close(fd)
        fd = -1
        step_hook("replace")
        os.replace(tmp, path)
        step_hook("fsync_dir")
        fsync_dir(path.parent)
    except BaseException as exc:
        if fd >= 0:
            os.close(fd)
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFull(what) from exc
        raise


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def atomic_write(path: Path, data: bytes, *, what: str = WHAT_KEY_FILE) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves old or new, never a mix."""
    with atomic_output(path, what=what) as fd:
        write_all(fd, data)
