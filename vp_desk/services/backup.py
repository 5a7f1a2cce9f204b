"""Backup of the whole data folder into one sealed file, and restore.

A backup is a sealed archive (``vp_desk.services.archive``, kind "backup")
holding:

- ``keyfile.json``: the key file, freshly serialised from the unlocked ring;
- ``index.db`` and every ``org-<vault_id>.db``: consistent snapshots taken with
  SQLite's online backup API while a read transaction holds each vault still.
  The snapshots stay encrypted with their own data keys; they are written to
  a private temp folder inside the data folder (never plaintext) and removed;
- a manifest with the size and SHA-256 of each member.

The archive key is wrapped under the data folder's KEK, so the passphrase in
use on the day of the backup opens it, and nothing else is needed.

Restore goes into an empty data folder only: the whole file's checksum is
checked first, then everything is decrypted into a temp folder beside the
target and checked member by member against the manifest; only then is the
temp folder renamed into place. A single flipped bit leaves nothing behind.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from vp_desk.errors import StorageFull, UsageError
from vp_desk.platform import private_file
from vp_desk.services import archive
from vp_desk.vault.atomic import fsync_dir
from vp_desk.vault.keyfile import CURRENT, INDEX_VAULT, PREVIOUS
from vp_desk.vault.lock import LOCK_NAME
from vp_desk.vault.sqlcipher import Connection, DatabaseError, is_disk_full, open_vault
from vp_desk.vault.store import INDEX_FILE, DataFolder, Vault, org_file_name

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

KIND = "backup"
LAST_BACKUP = "last_backup"
TMP_PREFIX = ".backup-"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    vaults: int
    created: str


def snapshot(vault: Vault, conn: Connection, vault_id: str, target: Path) -> None:
    """A consistent copy of one open vault, encrypted with its own key.

    The backup API copies every page in one step inside a read transaction
    (so no commit can slip in half-way), re-encrypting each page for the
    target connection, which uses the same data key.
    """
    dest = open_vault(target, vault.ring.keys[vault_id], part="backup snapshot", create=True)
    try:
        conn.backup(dest, pages=-1)
    finally:
        dest.close()
    # Closing the last connection checkpoints and removes the snapshot's WAL.
    for suffix in ("-wal", "-shm"):
        if Path(str(target) + suffix).exists():  # pragma: no cover - defensive
            raise RuntimeError("snapshot left a WAL behind")


def _clean_stale_temps(folder: Path) -> None:
    for stale in folder.glob(TMP_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)


def create_backup(desk: Desk, out: Path, progress: archive.Progress | None = None) -> BackupResult:
    """Write a backup of every vault of ``desk`` to ``out`` (which must not exist)."""
    vault: Vault = desk.vault
    out = Path(out).expanduser().absolute()
    if out.exists():
        raise UsageError(f"{out} already exists. Choose another file name; nothing was written.")
    if out == vault.path or vault.path in out.parents:
        raise UsageError(
            "Write the backup outside the data folder (for example on another "
            "disk); nothing was written."
        )
    _clean_stale_temps(vault.path)
    tmp = vault.path / f"{TMP_PREFIX}{secrets.token_hex(6)}"
    tmp.mkdir(mode=0o700)
    try:
        key_path = tmp / "keyfile.json"
        key_path.write_bytes(vault.ring.serialise())
        members = [archive.Member("keyfile.json", key_path)]
        snapshot(vault, vault.index, INDEX_VAULT, tmp / INDEX_FILE)
        members.append(archive.Member(INDEX_FILE, tmp / INDEX_FILE))
        for vault_id in vault.org_vault_ids():
            name = org_file_name(vault_id)
            snapshot(vault, vault.org(vault_id), vault_id, tmp / name)
            members.append(archive.Member(name, tmp / name, {"vault_id": vault_id}))
        created = datetime.now(UTC).isoformat(timespec="seconds")
        manifest = {
            "kind": KIND,
            "created": created,
            "app": _app_version(),
            "organisations": len(members) - 2,
        }
        size = archive.write_archive(
            out, KIND, vault.ring.kek, vault.ring.kdf, manifest, members, progress
        )
    except DatabaseError as exc:
        if is_disk_full(exc):
            raise StorageFull("the backup") from exc
        raise
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):  # while taking the snapshots
            raise StorageFull("the backup") from exc
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    record_backup(desk, created)
    return BackupResult(out, size, len(members) - 1, created)


def record_backup(desk: Desk, when: str) -> None:
    """Remember the time of the last backup (for the reminder) with an audit row."""
    vault: Vault = desk.vault
    with vault.transaction(vault.index):
        vault.index.execute(
            "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (LAST_BACKUP, when)
        )
        vault.audit(vault.index, INDEX_VAULT, "backup")


def last_backup(desk: Desk) -> datetime | None:
    value = desk.get_setting(LAST_BACKUP)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _app_version() -> str:
    from vp_desk import __version__

    return __version__


def restore_backup(
    path: Path, data_dir: Path | None, passphrase: str, progress: archive.Progress | None = None
) -> int:
    """Restore ``path`` into the empty data folder ``data_dir``; returns the
    number of organisation vaults restored."""
    folder = DataFolder(data_dir)
    target = folder.path.absolute()
    if not folder.is_empty():
        raise UsageError(
            f"The data folder {target} is not empty. Restore only into an empty "
            "or new folder (use --data-dir); nothing was changed."
        )
    header = archive.read_header(Path(path), KIND)
    key = archive.open_with_passphrase(
        header,
        passphrase,
        "The passphrase does not open this backup. Use the passphrase "
        "that was in use when the backup was made; nothing was changed.",
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.restore-{secrets.token_hex(6)}"
    tmp.mkdir(mode=0o700)
    try:
        manifest = archive.read_archive(header, key, tmp, progress)
        names = {e["name"] for e in manifest["members"]}
        if "keyfile.json" not in names or INDEX_FILE not in names:
            raise archive._damaged(Path(path), "the backup file")
        (tmp / "keyfile.json").rename(tmp / CURRENT)
        shutil.copyfile(tmp / CURRENT, tmp / PREVIOUS)
        for name in (CURRENT, PREVIOUS):
            private_file(tmp / name)
            with open(tmp / name, "rb") as fh:
                os.fsync(fh.fileno())
        fsync_dir(tmp)
        # The target is empty (at most a lock file): swap the new folder in.
        if target.exists():
            lock = target / LOCK_NAME
            if lock.exists():
                lock.unlink()
            target.rmdir()
        os.rename(tmp, target)
        fsync_dir(target.parent)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFull("the restored data folder") from exc
        raise
    return sum(1 for n in names if n.startswith("org-"))
