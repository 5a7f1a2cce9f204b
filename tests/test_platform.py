"""The platform module (issue 14, item 7): every POSIX-only call behind it,
a single-instance lock that works the same on every platform, and the
Windows branches exercised here as far as Linux allows."""

from __future__ import annotations

import ast
import multiprocessing
import os
import stat
from pathlib import Path

import pytest

import vp_desk
from vp_desk import platform
from vp_desk.errors import AlreadyRunning
from vp_desk.vault.lock import FolderLock

PACKAGE = Path(vp_desk.__file__).parent
POSIX_ONLY_MODULES = {"fcntl", "msvcrt", "signal", "pwd", "grp", "termios"}
POSIX_ONLY_CALLS = {"chmod", "fchmod", "lchmod", "chown", "getuid", "geteuid", "killpg"}
POSIX_ONLY_FLAGS = {"O_NOFOLLOW", "O_DIRECTORY", "O_CLOEXEC"}


def test_no_posix_only_call_outside_the_platform_module() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "platform.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module.split(".")[0]]
            if POSIX_ONLY_MODULES & set(names):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} imports {names}")
            if isinstance(node, ast.Attribute) and (
                node.attr in POSIX_ONLY_CALLS or node.attr in POSIX_ONLY_FLAGS
            ):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} uses {node.attr}")
    assert not found, "POSIX-only calls belong in vp_desk/platform.py:\n" + "\n".join(found)


def _try_lock(folder: str, queue) -> None:
    try:
        FolderLock(Path(folder)).acquire()
        queue.put("acquired")
    except AlreadyRunning:
        queue.put("refused")


def test_the_lock_is_enforced_across_processes_and_leaves_the_folder_as_it_was(
    tmp_path: Path,
) -> None:
    lock = FolderLock(tmp_path).acquire()
    assert lock.held
    with pytest.raises(AlreadyRunning):
        FolderLock(tmp_path).acquire()
    queue = multiprocessing.get_context("spawn").Queue()
    child = multiprocessing.get_context("spawn").Process(
        target=_try_lock, args=(str(tmp_path), queue)
    )
    child.start()
    child.join(60)
    assert queue.get(timeout=5) == "refused"
    lock_file = tmp_path / ".lock"
    assert lock_file.read_bytes() == b""  # nothing is written into it
    if not platform.IS_WINDOWS:
        assert stat.S_IMODE(lock_file.stat().st_mode) == 0o600
    lock.release()
    assert lock_file.exists() and not lock.held
    FolderLock(tmp_path).acquire().release()  # free again once released


def test_private_files_and_folders(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"x")
    folder = tmp_path / "d"
    folder.mkdir(mode=0o755)
    platform.private_file(target)
    platform.private_folder(folder)
    platform.fsync_folder(folder)
    if not platform.IS_WINDOWS:
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert platform.NOFOLLOW == getattr(os, "O_NOFOLLOW", 0)


def test_the_windows_branches_do_not_touch_modes(tmp_path: Path, monkeypatch) -> None:
    """On Windows the mode bits mean nothing: the calls must be harmless no-ops."""
    monkeypatch.setattr(platform, "IS_WINDOWS", True)
    target = tmp_path / "f"
    target.write_bytes(b"x")
    os.chmod(target, 0o644)
    platform.private_file(target)
    platform.private_folder(tmp_path)
    platform.fsync_folder(tmp_path)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_the_windows_lock_class_excludes_like_the_posix_one(tmp_path: Path, monkeypatch) -> None:
    """The Windows branch (``filelock``) still works and, where both run (here:
    ``flock`` underneath), each refuses a lock the other holds."""
    monkeypatch.setattr(platform, "IS_WINDOWS", True)
    windows = platform.InstanceLock(tmp_path / ".lock")
    monkeypatch.setattr(platform, "IS_WINDOWS", False)
    posix = platform.InstanceLock(tmp_path / ".lock")
    windows.acquire()
    assert windows.held
    with pytest.raises(platform.InstanceLockHeld):
        posix.acquire()
    windows.release()
    posix.acquire()
    with pytest.raises(platform.InstanceLockHeld):
        platform.InstanceLock(tmp_path / ".lock").acquire()
    posix.release()
    assert not posix.held and (tmp_path / ".lock").read_bytes() == b""
