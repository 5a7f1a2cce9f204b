"""The data folder: key file + index vault + one vault per organisation.

``DataFolder`` knows where things are; ``Vault`` is an unlocked data folder
holding the key ring and open connections. Nothing here knows about cases:
that is the services layer.

Two operations span several files and are made to finish once begun (their
intent is in the MACed key file; ``DataFolder.unlock`` rolls them forward):

- a passphrase change (``Vault.change_passphrase``) gives every vault a fresh
  data key; the key file is its single commit point;
- shredding an organisation (``Vault.shred_org_vault``) takes its key out of
  the key file first, then erases its index rows and its files.

Rollback of a single vault or of the key file is caught at open: every vault
keeps an epoch in its ``meta`` table that is raised at each close after a
write, and the key file records it; the index vault records the key file's
generation (``docs/threat-model.md``).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from vp_desk.errors import DamagedFile, NotInitialised, StorageFull, UsageError, VpDeskError
from vp_desk.i18n import Message, message
from vp_desk.platform import private_file, private_folder
from vp_desk.vault.layout import CURRENT, INDEX_FILE, INDEX_VAULT, ORG_PREFIX, PREVIOUS
from vp_desk.vault.lock import FolderLock

if TYPE_CHECKING:  # the crypto and SQLCipher modules load on first use (fast UI start)
    from vp_desk.vault.keyfile import KdfParams, KeyFileStore, KeyRing
    from vp_desk.vault.sqlcipher import Connection

ENV_HOME = "VP_DESK_HOME"
#: Suffix of a vault re-encrypted under a new data key, waiting to replace it.
REKEY_SUFFIX = ".rekey"
#: ``meta`` keys of the rollback check (every vault) and of the key file's
#: generation (index vault only).
EPOCH_KEY = "epoch"
SEALED_KEY = "sealed"
KEYFILE_GENERATION_KEY = "keyfile_generation"

#: Called with the vault's id after each COMMIT of ``Vault.transaction``,
#: before the session records it. Tests replace it to simulate a kill at that
#: point (the crash steps of ``vault.atomic.step_hook`` stay as they are);
#: production never does.
after_commit: Callable[[str], None] = lambda vault_id: None


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


def vault_file_name(vault_id: str) -> str:
    return INDEX_FILE if vault_id == INDEX_VAULT else org_file_name(vault_id)


#: How messages name the key file and the index vault (in the user's language).
KEY_FILE = message("part_key_file")
INDEX_PART = message("part_index")


def vault_part(vault_id: str) -> str:
    """How error messages name a vault (a ``Message``: English as a ``str``)."""
    if vault_id == INDEX_VAULT:
        return INDEX_PART
    return message("part_vault_file", file=org_file_name(vault_id))


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
            raise UsageError(key="err_folder_exists", path=self.path)
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
        private_folder(self.path)
        self.lock.acquire()
        self._remove_aborted_setup()
        kdf = kdf or calibrate()
        ring = KeyRing.create(passphrase, kdf)
        index = _sql().open_vault(
            self.path / INDEX_FILE, ring.keys[INDEX_VAULT], part=INDEX_PART, create=True
        )
        _migrate(index, "index", part=INDEX_PART)
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
        vault = None
        try:
            ring = self.keyfile.unlock(passphrase)
            self.keyfile.settle(ring)
            _remove_rekey_leftovers(self.path, keep=bool(ring.rekey_pending))
            _remove_keyfile_temps(self.path)
            if ring.rekey_pending:
                self._finish_rekey(ring)
            finish_created_vaults(self.path, set(ring.keys))
            index = _sql().open_vault(
                self.path / INDEX_FILE, ring.keys[INDEX_VAULT], part=INDEX_PART
            )
            vault = Vault(self, ring, index)
            vault._opened(INDEX_VAULT, index, "index")
            vault._check_keyfile_generation()
            if ring.shred_pending:
                vault._finish_shreds()
            vault._drop_unfinished_org_vaults()
        except BaseException:
            if vault is not None:
                vault._close_connections()
            self.lock.release()
            raise
        return vault

    def _finish_rekey(self, ring: KeyRing) -> None:
        """Roll a committed passphrase change forward: every re-encrypted
        vault replaces its live file, then the key file forgets the intent."""
        from vp_desk.vault.atomic import fsync_dir, step_hook

        for vault_id in ring.rekey_pending:
            live = self.path / vault_file_name(vault_id)
            staged = live.with_name(live.name + REKEY_SUFFIX)
            if not staged.exists():
                continue  # already swapped before the crash
            step_hook("rekey_swap")
            # The live file's WAL belongs to the old key and must not be
            # replayed onto the new file.
            for suffix in ("-wal", "-shm", "-journal"):
                try:
                    Path(str(live) + suffix).unlink()
                except FileNotFoundError:
                    pass
            os.replace(staged, live)
            fsync_dir(self.path)
        ring.rekey_pending = []
        step_hook("rekey_done")
        self.keyfile.write(ring)


class Vault:
    """An unlocked data folder. Close it (or use ``with``) to drop the keys."""

    def __init__(self, folder: DataFolder, ring: KeyRing, index: Connection):
        self.folder = folder
        self.ring = ring
        self._index: Connection | None = index
        self._orgs: dict[str, Connection] = {}
        #: Per open connection: total_changes right after opening, and
        #: whether this session already marked the vault unsealed.
        self._baseline: dict[str, int] = {}
        self._unsealed: set[str] = set()

    @property
    def index(self) -> Connection:
        """The index vault's connection (closed vaults have none)."""
        if self._index is None:
            raise RuntimeError("the vault is closed")
        return self._index

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
                raise DamagedFile(KEY_FILE, key="err_vault_key_missing")
            part = vault_part(vault_id)
            conn = _sql().open_vault(self.org_path(vault_id), key, part=part)
            try:
                self._opened(vault_id, conn, "org")
            except BaseException:
                conn.close()
                raise
            self._orgs[vault_id] = conn
        return conn

    # -- rollback check ------------------------------------------------------------
    def _opened(self, vault_id: str, conn: Connection, kind: str) -> None:
        """Migrate a freshly opened vault and refuse it if it was rolled back."""
        from vp_desk.vault.migrations import schema_version

        part = vault_part(vault_id)
        before = schema_version(conn)
        after = _migrate(conn, kind, part=part)
        check_epoch(conn, self.ring, vault_id)
        if after != before:
            self._mark_unsealed(vault_id, conn)
        elif _meta_text(conn, SEALED_KEY) == "0":
            # Written in a session that never closed (killed after a COMMIT):
            # this session's close seals it again, so ``verify`` compares it
            # with a digest from then on.
            self._unsealed.add(vault_id)
        self._baseline[vault_id] = conn.total_changes

    def _check_keyfile_generation(self) -> None:
        row = self.index.execute(
            "SELECT value FROM meta WHERE key = ?", (KEYFILE_GENERATION_KEY,)
        ).fetchone()
        recorded = _as_int(row[0]) if row else 0
        # The index records the generation a close is about to write, in the
        # same transaction as its epoch: one ahead means a crash at that close.
        if recorded > self.ring.generation + 1:
            raise DamagedFile(
                KEY_FILE,
                key="err_key_file_rolled_back",
                file=CURRENT,
                generation=self.ring.generation,
                expected=recorded - 1,
            )

    def _mark_unsealed(self, vault_id: str, conn: Connection) -> None:
        """The vault was written outside ``transaction`` (a migration at open):
        until the next close its file no longer matches the digest in the key
        file (``verify`` then skips it)."""
        if vault_id in self._unsealed:
            return
        self._in_tx(conn, _UNSEAL_SQL, (SEALED_KEY,))
        self._unsealed.add(vault_id)

    @staticmethod
    def _in_tx(conn: Connection, sql: str, params: tuple[object, ...]) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(sql, params)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _vault_id_of(self, conn: Connection) -> str | None:
        if conn is self.index:
            return INDEX_VAULT
        for vault_id, c in self._orgs.items():
            if c is conn:
                return vault_id
        return None

    def seal(self) -> None:
        """At close: every vault written in this session gets a new epoch and
        the digest of its file, both recorded in the key file. A copy of a
        vault taken before this point is then refused at open (the epoch), and
        a page spliced in from one is found by ``verify`` (the digest)."""
        from vp_desk.vault.sqlcipher import checkpoint

        conns = {INDEX_VAULT: self.index, **self._orgs}
        dirty = [
            v
            for v, c in conns.items()
            if c is not None and (c.total_changes > self._baseline.get(v, 0) or v in self._unsealed)
        ]
        if not dirty:
            return
        if INDEX_VAULT not in dirty:
            dirty.append(INDEX_VAULT)  # it records the key file's generation
        for vault_id in dirty:
            conn = conns[vault_id]
            current = _meta_int(conn, EPOCH_KEY)
            epoch = max(current, self.ring.epochs.get(vault_id, 0)) + 1
            rows = [(EPOCH_KEY, str(epoch)), (SEALED_KEY, "1")]
            if vault_id == INDEX_VAULT:
                rows.append((KEYFILE_GENERATION_KEY, str(self.ring.generation + 1)))
            with self.transaction(conn):
                conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", rows)
            checkpoint(conn)
            self.ring.epochs[vault_id] = epoch
            self.ring.digests[vault_id] = file_digest(self.path / vault_file_name(vault_id))
        self.folder.keyfile.write(self.ring)

    def create_org_vault(self, *, migrate_to: int | None = None) -> str:
        """A new, empty organisation vault with its own data key.

        The vault is made under a temporary name (``org-<id>.db.new``) and
        takes its real name only after its key is in the key file. A crash
        before that leaves a ``.new`` file no key opens, removed at the next
        open; a crash after it leaves the key and the ``.new`` file, and the
        next open finishes the rename (``finish_created_vaults``). So no live
        vault file is ever without its key.
        """
        import secrets

        from vp_desk.vault.atomic import fsync_dir

        vault_id = secrets.token_hex(8)
        key = self.ring.new_vault_key(vault_id)
        part = vault_part(vault_id)
        path = self.org_path(vault_id)
        new = Path(str(path) + NEW_SUFFIX)
        conn = None
        try:
            conn = _sql().open_vault(new, key, part=part, create=True)
            _migrate(conn, "org", target=migrate_to, part=part)
            self.audit(conn, vault_id, "vault.create")
            conn.close()  # the last connection checkpoints and removes the WAL
            conn = None
            self.folder.keyfile.write(self.ring)
            os.replace(new, path)
            fsync_dir(self.path)
            conn = _sql().open_vault(path, key, part=part)
        except BaseException as exc:
            if conn is not None:
                conn.close()
            self.ring.keys.pop(vault_id, None)
            _remove_db_files(new)
            _remove_db_files(path)
            if isinstance(exc, _sql().DatabaseError) and _sql().is_disk_full(exc):
                raise StorageFull() from exc
            raise
        self._orgs[vault_id] = conn
        self._baseline[vault_id] = 0  # new: sealed (epoch recorded) at close
        return vault_id

    def shred_org_vault(self, vault_id: str) -> None:
        """Crypto-shred one organisation, in an order that always finishes.

        1. The key leaves the key file, which records the intent
           (``shred_pending``) in the same write: from here on the vault is
           undecryptable and the shred is committed.
        2. Every index row about the organisation goes, with an audit row.
        3. Its files are deleted; the key file forgets the intent.

        A crash after step 1 is rolled forward at the next open
        (``_finish_shreds``); before it, nothing changed.
        """
        from vp_desk.vault.atomic import step_hook

        conn = self._orgs.pop(vault_id, None)
        if conn is not None:
            conn.close()
        self._baseline.pop(vault_id, None)
        self._unsealed.discard(vault_id)
        self.ring.keys.pop(vault_id, None)
        self.ring.epochs.pop(vault_id, None)
        self.ring.digests.pop(vault_id, None)
        if vault_id not in self.ring.shred_pending:
            self.ring.shred_pending.append(vault_id)
        self.folder.keyfile.write(self.ring)
        step_hook("shred_committed")
        self._finish_shreds()

    def _drop_unfinished_org_vaults(self) -> None:
        """An organisation whose adding was cut short (killed after its vault
        and key were written, before its index row) is rolled back: its vault
        holds nothing but its creation, and no command can reach it. A vault
        without an organisation that holds anything else is left alone and
        reported by ``verify``."""
        known = {r[0] for r in self.index.execute("SELECT vault_id FROM organisations")}
        for vault_id in self.org_vault_ids():
            if vault_id in known:
                continue
            if not self.org_path(vault_id).exists():
                self.shred_org_vault(vault_id)  # a key whose vault was never made
                continue
            try:
                conn = self.org(vault_id)
                empty = (
                    conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
                    and conn.execute("SELECT count(*) FROM activities").fetchone()[0] == 0
                    and conn.execute(
                        "SELECT count(*) FROM audit WHERE event != 'vault.create'"
                    ).fetchone()[0]
                    == 0
                )
            except (VpDeskError, _sql().DatabaseError):
                continue
            if empty:
                self.shred_org_vault(vault_id)

    def _finish_shreds(self) -> None:
        from vp_desk.vault.atomic import step_hook

        for vault_id in list(self.ring.shred_pending):
            erase_org_rows(self, vault_id)
            step_hook("shred_rows")
            _remove_db_files(self.org_path(vault_id))
        self.ring.shred_pending = []
        step_hook("shred_files")
        self.folder.keyfile.write(self.ring)

    def audit(self, conn: Connection, vault_id: str, event: str, subject: str = "") -> None:
        from vp_desk.vault import audit

        audit.append(conn, self.ring.audit_key(vault_id), event, subject)

    @contextmanager
    def transaction(self, conn: Connection) -> Iterator[Connection]:
        """BEGIN IMMEDIATE ... COMMIT; rolled back on any error.

        The first write of a session to a vault also marks its file unsealed
        (``meta.sealed = 0``), in the same transaction: the mark is on disk
        exactly when the write is. The session remembers the mark only after
        the COMMIT (a rolled-back first write leaves neither the mark nor the
        memory of it, so the next write marks again), and a rolled-back write
        does not count as a write at close (``seal``). A kill between the
        COMMIT and the session's memory leaves a marked file, which ``verify``
        does not compare with the digest of the last close
        (docs/reliability.md).
        """
        vault_id = self._vault_id_of(conn)
        changes_before = conn.total_changes
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if vault_id is not None and vault_id not in self._unsealed:
                    conn.execute(_UNSEAL_SQL, (SEALED_KEY,))
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if vault_id is not None and vault_id in self._baseline:
                # Rolled back: its changes are not a write that ``seal`` records.
                self._baseline[vault_id] += conn.total_changes - changes_before
            if isinstance(exc, _sql().DatabaseError) and _sql().is_disk_full(exc):
                raise StorageFull() from exc
            raise
        if vault_id is not None:
            after_commit(vault_id)
            self._unsealed.add(vault_id)

    # -- passphrase ------------------------------------------------------------
    def change_passphrase(
        self,
        new_passphrase: str,
        progress: Callable[[int, int], None] | None = None,
        *,
        kdf: KdfParams | None = None,
    ) -> None:
        """New passphrase AND a fresh data key for every vault.

        Each vault is copied with ``sqlcipher_export`` into ``<file>.rekey``
        under a new random key (its audit chain re-sealed under the key
        derived from it, its repeat-subject key kept in ``meta``). Only then
        is the key file written, with the new passphrase, the new keys and the
        list of files to swap (``rekey_pending``): that write is the single
        commit point. Then each ``.rekey`` file replaces its vault, and the
        key file forgets the list.

        Why ``sqlcipher_export`` into a new file rather than ``PRAGMA rekey``
        in place: the live file is never touched until the key file has
        committed, so a crash before that leaves exactly the old folder (the
        ``.rekey`` files, under keys written nowhere, are removed at the next
        open) and a crash after it is finished by a rename per file at the
        next open -- no state needs both keys. An in-place rekey rewrites
        every page of the live file through its journal, so the folder would
        hold vaults under old and new keys at once, and recovery would need
        both keys kept in the key file. The new file is also compact: free
        pages, which may hold fragments of deleted notes under the old key,
        do not travel. It costs free space of one copy of the data folder,
        checked first. ``progress(done, total)`` is called after each vault.
        ``kdf``: the new passphrase's Argon2id settings (default: the current
        ones with a new salt).
        """
        from vp_desk.vault.atomic import step_hook
        from vp_desk.vault.keyfile import KdfParams

        vault_ids = [INDEX_VAULT, *self.org_vault_ids()]
        _check_room_for_copy(self.path, vault_ids)
        _remove_rekey_leftovers(self.path, keep=False)
        new_keys: dict[str, bytes] = {}
        digests: dict[str, str] = {}
        staged: list[Path] = []
        total = len(vault_ids)
        if progress is not None:
            progress(0, total)
        try:
            for done, vault_id in enumerate(vault_ids, 1):
                conn = self.index if vault_id == INDEX_VAULT else self.org(vault_id)
                live = self.path / vault_file_name(vault_id)
                target = live.with_name(live.name + REKEY_SUFFIX)
                staged.append(target)
                step_hook("rekey_export")
                new_keys[vault_id], digests[vault_id] = _export_rekeyed(
                    conn, target, vault_id, self.ring.keys[vault_id]
                )
                if progress is not None:
                    progress(done, total)
            kdf = kdf or KdfParams.new(
                self.ring.kdf.memory_kib, self.ring.kdf.iterations, self.ring.kdf.lanes
            )
            kek = kdf.derive(new_passphrase)
        except BaseException as exc:
            for target in staged:
                _remove_db_files(target)
            if isinstance(exc, _sql().DatabaseError) and _sql().is_disk_full(exc):
                raise StorageFull() from exc
            raise
        # Close every connection to the old files before they are replaced.
        self._close_connections()
        old = (
            self.ring.kdf,
            self.ring.kek,
            dict(self.ring.keys),
            self.ring.generation,
            dict(self.ring.digests),
        )
        self.ring.kdf, self.ring.kek = kdf, kek
        self.ring.keys.clear()
        self.ring.keys.update(new_keys)
        self.ring.digests.update(digests)
        self.ring.rekey_pending = list(vault_ids)
        try:
            self.folder.keyfile.write(self.ring)
        except BaseException:
            if not self.folder.keyfile.committed():
                # Not committed (a full disk before the current copy was
                # replaced): back to exactly the old state.
                self.ring.kdf, self.ring.kek = old[0], old[1]
                self.ring.keys.clear()
                self.ring.keys.update(old[2])
                self.ring.generation = old[3]
                self.ring.digests.clear()
                self.ring.digests.update(old[4])
                self.ring.rekey_pending = []
                for target in staged:
                    _remove_db_files(target)
                self._reopen_index()
                raise
        self.folder._finish_rekey(self.ring)
        self._reopen_index()
        with self.transaction(self.index):
            self.audit(self.index, INDEX_VAULT, "passphrase.change")

    def _reopen_index(self) -> None:
        index = _sql().open_vault(
            self.path / INDEX_FILE, self.ring.keys[INDEX_VAULT], part=INDEX_PART
        )
        self._index = index
        self._opened(INDEX_VAULT, index, "index")

    # -- lifetime ----------------------------------------------------------------
    def _close_connections(self) -> None:
        for conn in [*self._orgs.values(), *([self._index] if self._index is not None else [])]:
            if conn is None:
                continue
            try:
                conn.close()
            except _sql().DatabaseError:  # pragma: no cover
                pass
        self._orgs.clear()
        self._baseline.clear()
        self._unsealed.clear()
        self._index = None

    def close(self) -> None:
        if self._index is not None and self.ring.kek:
            try:
                self.seal()
            except (OSError, VpDeskError, _sql().DatabaseError):
                pass  # best effort: the data is safe, only the rollback record lags
        self._close_connections()
        self.ring.drop()
        self.folder.lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: Marks a vault as written since its last close (``seal`` sets it back to 1).
_UNSEAL_SQL = "INSERT OR REPLACE INTO meta(key, value) VALUES (?, '0')"

#: Suffix of an organisation vault being created, before its key is written.
NEW_SUFFIX = ".new"


def finish_created_vaults(folder: Path, keys: set[str]) -> None:
    """After a crash during an organisation's creation: a ``.new`` vault whose
    key made it into the key file takes its real name; one without a key
    (nothing can open it, it holds nothing yet) is removed."""
    for new in sorted(folder.glob(f"{ORG_PREFIX}*.db{NEW_SUFFIX}")):
        vault_id = new.name[len(ORG_PREFIX) : -len(".db" + NEW_SUFFIX)]
        live = folder / org_file_name(vault_id)
        if vault_id in keys and not live.exists():
            os.replace(new, live)
        else:
            _remove_db_files(new)


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            Path(str(path) + suffix).unlink()
        except FileNotFoundError:
            pass
    if sys.platform != "win32":
        from vp_desk.vault.atomic import fsync_dir

        fsync_dir(path.parent)


def _as_int(value: object) -> int:
    try:
        return max(0, int(str(value)))
    except ValueError:
        return 0


def _meta_int(conn: Connection, key: str) -> int:
    return _as_int(_meta_text(conn, key) or 0)


def _meta_text(conn: Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def check_epoch(conn: Connection, ring: KeyRing, vault_id: str) -> None:
    """Refuse a vault whose epoch is below the one the key file recorded at its
    last close: an older copy of the file was put back (docs/threat-model.md)."""
    recorded = ring.epochs.get(vault_id, 0)
    if recorded and _meta_int(conn, EPOCH_KEY) < recorded:
        part = vault_part(vault_id)
        name = vault_file_name(vault_id)
        label = part if name in part else message("verify_file_of", part=part, file=name)
        raise DamagedFile(part, key="err_rolled_back", label=label)


def file_digest(path: Path) -> str:
    """The file's salt (its first 16 bytes, hex) followed by its SHA-256.

    The salt tells this physical file from another one under the same key (a
    restored backup snapshot, a re-encrypted copy): only a file with the
    recorded salt can be compared with the recorded digest. A spliced page
    must come from a file with the same salt, or its HMAC would not verify.
    """
    import hashlib  # not on the way to the unlock screen (issue 13)

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        salt = fh.read(16)
        digest.update(salt)
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return salt.hex().rjust(32, "0") + digest.hexdigest()


def sealed_digest_problem(
    conn: Connection, ring: KeyRing, vault_id: str, path: Path
) -> Message | None:
    """For ``verify``: a vault closed cleanly and not written since must match
    the digest recorded at that close, byte for byte. A page spliced in from
    an older copy passes every page check but not this one."""
    from vp_desk.vault.sqlcipher import checkpoint

    recorded = ring.digests.get(vault_id)
    if not recorded or _meta_int(conn, EPOCH_KEY) != ring.epochs.get(vault_id, 0):
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (SEALED_KEY,)).fetchone()
    if not row or row[0] != "1":
        return None  # written since (or a crash before the close): nothing to compare
    checkpoint(conn)
    actual = file_digest(path)
    if actual[:32] != recorded[:32]:
        return None  # another physical file (a restore, a re-encryption): not comparable
    if actual != recorded:
        return message("verify_digest", file=vault_file_name(vault_id))
    return None


def erase_org_rows(vault: Vault, vault_id: str) -> None:
    """Every index row about the organisation of ``vault_id``, with one audit row.

    The organisation's number is never given out again (the ``organisations``
    table is AUTOINCREMENT), so nothing left elsewhere could be inherited.
    """
    index = vault.index
    row = index.execute("SELECT id FROM organisations WHERE vault_id = ?", (vault_id,)).fetchone()
    if row is None:
        return
    org_id = int(row[0])
    with vault.transaction(index):
        index.execute("DELETE FROM report_ledger WHERE org_id = ?", (org_id,))
        index.execute("DELETE FROM drafts WHERE id LIKE ?", (f"org{org_id}:%",))
        # its own choices (hours disclosed, invoice split); org_terms go by foreign key
        index.execute("DELETE FROM settings WHERE key LIKE ?", (f"org.{org_id}.%",))
        index.execute("DELETE FROM organisations WHERE id = ?", (org_id,))
        vault.audit(index, INDEX_VAULT, "org.shred", f"org {org_id}")


def _check_room_for_copy(folder: Path, vault_ids: list[str]) -> None:
    need = 0
    for vault_id in vault_ids:
        for suffix in ("", "-wal"):
            try:
                need += (folder / (vault_file_name(vault_id) + suffix)).stat().st_size
            except FileNotFoundError:
                pass
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if free < need + (1 << 20):
        raise StorageFull(message("what_rekey_copy"))


def _remove_keyfile_temps(folder: Path) -> None:
    """A key-file write killed before its rename leaves ``.keyfile*.tmp``: a
    key-file copy that would keep opening with today's passphrase after it is
    changed. It is never live (the write renames it), so it goes at open."""
    for name in (CURRENT, PREVIOUS):
        for path in folder.glob(f".{name}.*.tmp"):
            try:
                path.unlink()
            except FileNotFoundError:
                pass


def _remove_rekey_leftovers(folder: Path, *, keep: bool) -> None:
    """Remove ``.rekey`` files of a passphrase change that did not commit
    (their keys were written nowhere); with ``keep`` only their side files."""
    if not folder.is_dir():
        return
    for path in folder.glob(f"*{REKEY_SUFFIX}*"):
        if keep and path.name.endswith(REKEY_SUFFIX):
            continue
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def _export_rekeyed(
    conn: Connection, target: Path, vault_id: str, old_key: bytes
) -> tuple[bytes, str]:
    """Copy one vault into ``target`` under a new random data key; returns it
    and the digest of the finished copy.

    The copy's audit chain is re-sealed under the audit key of the new data
    key (after checking it under the old one), and an organisation vault
    keeps its repeat-subject key in ``meta`` so names typed later still match.
    """
    import secrets

    from vp_desk.vault import audit
    from vp_desk.vault.keyfile import _sub_key, subject_key_for
    from vp_desk.vault.migrations import schema_version

    new_key = secrets.token_bytes(32)
    part = vault_part(vault_id)
    version = schema_version(conn)
    conn.execute(f"ATTACH DATABASE ? AS rekeyed KEY \"x'{new_key.hex()}'\"", (str(target),))
    try:
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT sqlcipher_export('rekeyed')")
            conn.execute(f"PRAGMA rekeyed.user_version = {int(version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("DETACH DATABASE rekeyed")
    private_file(target)
    copy = _sql().open_vault(target, new_key, part=part)
    try:
        copy.execute("BEGIN IMMEDIATE")
        try:
            if vault_id != INDEX_VAULT:
                copy.execute(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES ('subject_key', ?)",
                    (subject_key_for(old_key).hex(),),
                )
            # The copy is complete and closed below: sealed, with its digest.
            copy.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, '1')", (SEALED_KEY,))
            try:
                audit.reseal(copy, _sub_key(old_key, "audit"), _sub_key(new_key, "audit"))
            except ValueError:
                raise DamagedFile(part, key="err_rekey_audit") from None
            copy.execute("COMMIT")
        except BaseException:
            copy.execute("ROLLBACK")
            raise
    finally:
        copy.close()  # the last connection checkpoints and removes the WAL
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return new_key, file_digest(target)
