"""Opening SQLCipher files safely (docs/architecture.md, "Security rules").

Every vault is opened with its raw 256-bit data key, so SQLCipher runs no KDF
of its own. The module refuses to work on a plain SQLite build, silences
SQLCipher's own logging (it writes to stderr, where Textual draws), and sets
the durability pragmas.
"""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from vp_desk.errors import DamagedFile, StorageFull, UnsafeSQLite
from vp_desk.platform import private_file

if TYPE_CHECKING:
    # sqlcipher3 ships no type information; its API is the standard library's sqlite3.
    from sqlite3 import Connection as Connection
    from sqlite3 import Cursor as Cursor
    from sqlite3 import DatabaseError as DatabaseError
else:
    DatabaseError = sqlcipher3.DatabaseError
    Connection = sqlcipher3.Connection
    Cursor = sqlcipher3.Cursor

_silenced = False
_silence_lock = threading.Lock()

#: Page cache per connection, in KiB (negative = KiB for SQLite). SQLCipher
#: decrypts each page it reads; a warm cache makes aggregates near plain speed.
CACHE_KIB = 65536


def ensure_sqlcipher() -> str:
    """Silence SQLCipher logging once per process and return its version.

    Raises UnsafeSQLite if the linked library is plain SQLite (which would
    silently ignore the key and write plaintext).
    """
    global _silenced
    with _silence_lock:
        conn = sqlcipher3.connect(":memory:")
        try:
            row = conn.execute("PRAGMA cipher_version").fetchone()
            if not row or not row[0]:
                raise UnsafeSQLite()
            if not _silenced:
                conn.execute("PRAGMA cipher_log = off")
                conn.execute("PRAGMA cipher_log_level = NONE")
                _silenced = True
            return str(row[0])
        finally:
            conn.close()


def open_vault(
    path: Path, key: bytes, *, part: str, create: bool = False, readonly: bool = False
) -> Connection:
    """Open (or create) the SQLCipher file at ``path`` with the raw ``key``.

    ``part`` names the file in error messages ("index vault", "vault of
    organisation 3"). A wrong key or damaged page 1 raises DamagedFile: the
    key was already authenticated by the key file, so a failure here is damage.
    """
    if len(key) != 32:
        raise ValueError("data keys are 256 bits")
    ensure_sqlcipher()
    path = Path(path)
    if not create and not path.exists():
        raise DamagedFile(part, key="err_part_missing", file=path.name)
    uri = f"file:{path}?mode={'ro' if readonly else ('rwc' if create else 'rw')}"
    try:
        conn: Connection = sqlcipher3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False, timeout=10.0
        )
    except sqlcipher3.OperationalError as exc:
        raise DamagedFile(part, key="err_part_cannot_open", file=path.name) from exc
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA cipher_memory_security = OFF")
        # Touch the schema: this reads and authenticates page 1.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if not readonly:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise DamagedFile(part)
        conn.execute("PRAGMA synchronous = FULL")
        # Checkpoint after every commit: the WAL then only ever holds frames
        # that are already in the main file (bar the one just committed), so
        # a damaged WAL frame, which SQLite silently treats as the end of the
        # log, cannot take acknowledged commits with it.
        conn.execute("PRAGMA wal_autocheckpoint = 1")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if hasattr(os, "uname") and os.uname().sysname == "Darwin":  # pragma: no cover
            conn.execute("PRAGMA fullfsync = ON")
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if is_disk_full(exc) or _no_room(path):
            raise StorageFull() from exc
        raise DamagedFile(part) from exc
    if create:
        try:
            private_file(path)
        except OSError:
            pass
    return conn


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    text = str(exc).lower()
    return "database or disk is full" in text or "disk i/o error" in text and "full" in text


def _no_room(path: Path) -> bool:
    """Opening in WAL mode creates -wal and -shm files; on a full disk that
    fails with an I/O error that is not damage."""
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 256 * 1024
    except OSError:
        return False


def checkpoint(conn: Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def integrity_problems(conn: Connection) -> list[str]:
    """Run SQLite's and SQLCipher's integrity checks; empty list when clean.

    ``cipher_integrity_check`` reads only the main file, so the WAL is
    checkpointed first.
    """
    checkpoint(conn)
    problems: list[str] = []
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        problems.extend(str(r[0]) for r in rows)
    problems.extend(str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall())
    return problems
