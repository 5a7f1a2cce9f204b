"""Backup of the whole data folder into one sealed file, and restore.

A backup is a sealed archive (``vp_desk.services.archive``, kind "backup")
holding:

- ``keyfile.json``: the key file, freshly serialised from the unlocked ring;
- ``index.db`` and every ``org-<vault_id>.db``: each vault file read in place,
  byte for byte, while a read transaction on an empty WAL holds it still
  (``held_still``). They stay encrypted with their own data keys. Nothing is
  staged in the data folder, so a crash at any moment leaves no copy there
  (docs/threat-model.md);
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
import glob
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from vp_desk.errors import StorageFull, UsageError
from vp_desk.i18n import message
from vp_desk.platform import private_file
from vp_desk.services import archive
from vp_desk.vault.atomic import fsync_dir
from vp_desk.vault.keyfile import CURRENT, INDEX_VAULT, PREVIOUS
from vp_desk.vault.layout import INDEX_FILE
from vp_desk.vault.lock import LOCK_NAME
from vp_desk.vault.sqlcipher import (
    Connection,
    DatabaseError,
    checkpoint,
    is_disk_full,
    open_vault,
)
from vp_desk.vault.store import DataFolder, Vault, org_file_name

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

KIND = "backup"
LAST_BACKUP = "last_backup"
#: The file the last backup was written to: an interrupted one leaves its
#: sealed temp file beside it, which the next open removes.
LAST_TARGET = "last_backup_target"
TMP_PREFIX = ".backup-"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    vaults: int
    created: str


@contextmanager
def held_still(conn: Connection, path: Path) -> Iterator[None]:
    """Hold one open vault still so its file can be read as it lies on disk.

    The WAL is checkpointed into the main file and truncated, then a read
    transaction starts on an empty WAL: SQLite lets no checkpoint write to the
    main file while such a reader is open, so the file's bytes are one
    consistent state, encrypted with the vault's own data key, until the
    transaction ends. Nothing is copied to disk.
    """
    wal = Path(str(path) + "-wal")
    for _attempt in range(5):
        checkpoint(conn)
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if not wal.exists() or wal.stat().st_size == 0:
            break
        conn.execute("ROLLBACK")  # pragma: no cover - a commit slipped in between
    else:  # pragma: no cover - another writer keeps committing
        raise UsageError(key="err_folder_changing")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def _clean_stale_temps(folder: Path) -> None:
    """Staging folders of older versions (they copied the vaults here)."""
    for stale in folder.glob(TMP_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)


#: Settings that name the last file a backup or hand-over export was written to.
TARGET_SETTINGS = (LAST_TARGET, "last_handover_target")


def remember_target(desk: Desk, setting: str, out: Path) -> None:
    """Record where an archive is about to be written (before its temp file exists)."""
    vault: Vault = desk.vault
    with vault.transaction(vault.index):
        vault.index.execute(
            "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (setting, str(out))
        )


def partial_archives(desk: Desk) -> list[Path]:
    """Temp files of an interrupted backup or hand-over export beside its target."""
    found: list[Path] = []
    for setting in TARGET_SETTINGS:
        target = desk.get_setting(setting)
        if not target:
            continue
        out = Path(target)
        try:
            found += out.parent.glob(f".{glob.escape(out.name)}.*.tmp")
        except OSError:  # pragma: no cover - the disk is gone
            pass
    return sorted(set(found))


def remove_partial_archives(desk: Desk) -> list[Path]:
    """Remove what an interrupted backup left beside its target; returns what remains."""
    left = []
    for path in partial_archives(desk):
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            left.append(path)
    return left


def create_backup(desk: Desk, out: Path, progress: archive.Progress | None = None) -> BackupResult:
    """Write a backup of every vault of ``desk`` to ``out`` (which must not exist).

    Nothing decryptable is ever written into the data folder: the key file is
    serialised in memory and each vault is read in place while held still.
    The only temp file is the sealed archive beside ``out`` (0600); its
    location is recorded first, so the next open removes it after a crash.
    """
    vault: Vault = desk.vault
    out = Path(out).expanduser().absolute()
    if out.exists():
        raise UsageError(key="err_out_exists", path=out)
    if out == vault.path or vault.path in out.parents:
        raise UsageError(key="err_backup_inside")
    if not out.parent.is_dir():
        raise UsageError(key="err_no_folder", path=out.parent)
    _clean_stale_temps(vault.path)
    remove_partial_archives(desk)
    try:
        remember_target(desk, LAST_TARGET, out)
        members = [archive.Member("keyfile.json", data=vault.ring.serialise())]
        conns = [(INDEX_FILE, INDEX_VAULT, vault.path / INDEX_FILE)]
        for vault_id in vault.org_vault_ids():
            vault.org(vault_id)  # opened (and migrated) as the desk would
            conns.append((org_file_name(vault_id), vault_id, vault.org_path(vault_id)))
        created = datetime.now(UTC).isoformat(timespec="seconds")
        manifest = {
            "kind": KIND,
            "created": created,
            "app": _app_version(),
            "organisations": len(conns) - 1,
        }
        with ExitStack() as still:
            for name, vault_id, path in conns:
                # A private reader per vault: the desk's own connections stay free
                # for the app to write meanwhile (into the WAL, which no checkpoint
                # can copy into the main file while this reader is open).
                reader = open_vault(
                    path, vault.ring.keys[vault_id], part=message("part_vault_file", file=name)
                )
                still.callback(reader.close)
                still.enter_context(held_still(reader, path))
                extra = None if vault_id == INDEX_VAULT else {"vault_id": vault_id}
                members.append(archive.Member(name, path, extra))
            size = archive.write_archive(
                out, KIND, vault.ring.kek, vault.ring.kdf, manifest, members, progress
            )
    except DatabaseError as exc:
        if is_disk_full(exc):
            raise StorageFull(message("what_backup")) from exc
        raise
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFull(message("what_backup")) from exc
        raise
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
        raise UsageError(key="err_restore_not_empty", path=target)
    header = archive.read_header(Path(path), KIND)
    key = archive.open_with_passphrase(
        header,
        passphrase,
        "err_wrong_backup_passphrase",
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{glob.escape(target.name)}.restore-*"):
        shutil.rmtree(stale, ignore_errors=True)  # an interrupted restore into this folder
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
            raise StorageFull(message("what_restored")) from exc
        raise
    return sum(1 for n in names if n.startswith("org-"))
