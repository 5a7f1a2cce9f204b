"""The data folder: key file + index vault + one vault per organisation.

``DataFolder`` knows where things are; ``Vault`` is an unlocked data folder
holding the key ring and open connections. Nothing here knows about cases:
that is the services layer.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from vp_desk.errors import DamagedFile, NotInitialised, StorageFull, UsageError
from vp_desk.platform import private_folder
from vp_desk.vault.layout import CURRENT, INDEX_VAULT, ORG_PREFIX, PREVIOUS
from vp_desk.vault.layout import INDEX_FILE as INDEX_FILE
from vp_desk.vault.lock import FolderLock

if TYPE_CHECKING:  # the crypto and SQLCipher modules load on first use (fast UI start)
    from vp_desk.vault.keyfile import KdfParams, KeyFileStore, KeyRing
    from vp_desk.vault.sqlcipher import Connection

ENV_HOME = "VP_DESK_HOME"


def _sql() -> ModuleType:
    from vp_desk.vault import sqlcipher

    return sqlcipher


def _migrate(conn: Connection, kind: str, **kwargs: Any) -> int:
    from vp_desk.vault.migrations import migrate

    return migrate(conn, kind, **kwargs)


def default_data_dir() -> Path:
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("vp_desk", appauthor=False))


def org_file_name(vault_id: str) -> str:
    return f"{ORG_PREFIX}{vault_id}.db"


class DataFolder:
    """A data folder on disk, locked or not."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path).expanduser() if path else default_data_dir()
        self.lock = FolderLock(self.path)
        self._keyfile: KeyFileStore | None = None

    @property
    def keyfile(self) -> KeyFileStore:
        if self._keyfile is None:
            from vp_desk.vault.keyfile import KeyFileStore

            self._keyfile = KeyFileStore(self.path)
        return self._keyfile

    def is_initialised(self) -> bool:
        """A key file, or vault files whose key file has gone missing."""
        if (self.path / CURRENT).exists() or (self.path / PREVIOUS).exists():
            return True
        return self.path.is_dir() and any(self.path.glob(f"{ORG_PREFIX}*.db"))

    def _remove_aborted_setup(self) -> None:
        """A setup that died before writing the key file leaves an index vault
        nobody can open; it holds nothing yet, so it is removed."""
        if self.path.is_dir() and not self.is_initialised():
            _remove_db_files(self.path / INDEX_FILE)

    def is_empty(self) -> bool:
        return not self.path.exists() or not any(p.name != ".lock" for p in self.path.iterdir())

    def acquire_lock(self) -> None:
        """Take the single-instance lock (before asking for a passphrase)."""
        if not self.path.exists():
            return
        self.lock.acquire()

    def create(self, passphrase: str, kdf: KdfParams | None = None) -> Vault:
        """Set up a new data folder; returns it unlocked."""
        from vp_desk.vault.keyfile import KeyRing, calibrate

        _sql().ensure_sqlcipher()
        if self.is_initialised():
            raise UsageError(f"There is already a vp_desk data folder at {self.path}.")
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
        private_folder(self.path)
        self.lock.acquire()
        self._remove_aborted_setup()
        kdf = kdf or calibrate()
        ring = KeyRing.create(passphrase, kdf)
        index = _sql().open_vault(
            self.path / INDEX_FILE, ring.keys[INDEX_VAULT], part="index vault", create=True
        )
        _migrate(index, "index", part="index vault")
        vault = Vault(self, ring, index)
        vault.audit(index, INDEX_VAULT, "datafolder.create")
        # The key file comes last: a folder without one is not initialised,
        # so a crash here leaves nothing that asks for a passphrase.
        self.keyfile.write(ring)
        return vault

    def unlock(self, passphrase: str) -> Vault:
        """Unlock with ``passphrase``. WrongPassphrase / DamagedFile on failure.

        Nothing is written on a wrong passphrase: no database is opened until
        the key file has authenticated the passphrase.
        """
        _sql().ensure_sqlcipher()
        if not self.is_initialised():
            raise NotInitialised(str(self.path))
        self.lock.acquire()
        try:
            ring = self.keyfile.unlock(passphrase)
            index = _sql().open_vault(
                self.path / INDEX_FILE, ring.keys[INDEX_VAULT], part="index vault"
            )
            _migrate(index, "index", part="index vault")
        except BaseException:
            self.lock.release()
            raise
        return Vault(self, ring, index)


class Vault:
    """An unlocked data folder. Close it (or use ``with``) to drop the keys."""

    def __init__(self, folder: DataFolder, ring: KeyRing, index: Connection):
        self.folder = folder
        self.ring = ring
        self.index = index
        self._orgs: dict[str, Connection] = {}

    @property
    def path(self) -> Path:
        return self.folder.path

    @property
    def recovered_key_file(self) -> bool:
        return self.ring.recovered_from_previous

    # -- organisation vaults -------------------------------------------------
    def org_vault_ids(self) -> list[str]:
        return sorted(k for k in self.ring.keys if k != INDEX_VAULT)

    def org_path(self, vault_id: str) -> Path:
        return self.path / org_file_name(vault_id)

    def org(self, vault_id: str) -> Connection:
        conn = self._orgs.get(vault_id)
        if conn is None:
            key = self.ring.keys.get(vault_id)
            if key is None:
                raise DamagedFile(
                    "key file",
                    "The key of this organisation's vault is missing "
                    "from the key file. Restore the data folder from a backup.",
                )
            part = f"vault {org_file_name(vault_id)}"
            conn = _sql().open_vault(self.org_path(vault_id), key, part=part)
            _migrate(conn, "org", part=part)
            self._orgs[vault_id] = conn
        return conn

    def create_org_vault(self, *, migrate_to: int | None = None) -> str:
        """A new, empty organisation vault with its own data key."""
        vault_id = secrets.token_hex(8)
        key = self.ring.new_vault_key(vault_id)
        part = f"vault {org_file_name(vault_id)}"
        conn = None
        try:
            conn = _sql().open_vault(self.org_path(vault_id), key, part=part, create=True)
            _migrate(conn, "org", target=migrate_to, part=part)
            self.audit(conn, vault_id, "vault.create")
            self.folder.keyfile.write(self.ring)
        except BaseException as exc:
            if conn is not None:
                conn.close()
            self.ring.keys.pop(vault_id, None)
            _remove_db_files(self.org_path(vault_id))
            if isinstance(exc, _sql().DatabaseError) and _sql().is_disk_full(exc):
                raise StorageFull() from exc
            raise
        self._orgs[vault_id] = conn
        return vault_id

    def shred_org_vault(self, vault_id: str) -> None:
        """Crypto-shred: the key leaves every key-file generation, then the files go."""
        conn = self._orgs.pop(vault_id, None)
        if conn is not None:
            conn.close()
        self.ring.keys.pop(vault_id, None)
        self.folder.keyfile.write(self.ring)
        _remove_db_files(self.org_path(vault_id))

    def audit(self, conn: Connection, vault_id: str, event: str, subject: str = "") -> None:
        from vp_desk.vault import audit

        audit.append(conn, self.ring.audit_key(vault_id), event, subject)

    @contextmanager
    def transaction(self, conn: Connection) -> Iterator[Connection]:
        """BEGIN IMMEDIATE ... COMMIT; rolled back on any error."""
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
        except _sql().DatabaseError as exc:
            if _sql().is_disk_full(exc):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise StorageFull() from exc
            raise

    # -- passphrase ------------------------------------------------------------
    def change_passphrase(self, new_passphrase: str) -> None:
        self.ring.rekey(new_passphrase)
        self.folder.keyfile.write(self.ring)
        with self.transaction(self.index):
            self.audit(self.index, INDEX_VAULT, "passphrase.change")

    # -- lifetime ----------------------------------------------------------------
    def close(self) -> None:
        for conn in list(self._orgs.values()) + [self.index]:
            try:
                conn.close()
            except _sql().DatabaseError:  # pragma: no cover
                pass
        self._orgs.clear()
        self.ring.drop()
        self.folder.lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            Path(str(path) + suffix).unlink()
        except FileNotFoundError:
            pass
    if sys.platform != "win32":
        from vp_desk.vault.atomic import fsync_dir

        fsync_dir(path.parent)
