"""Hand-over: one organisation's dossiers for a successor VP.

Export writes a sealed archive (``vp_desk.services.archive``, kind
"handover") that holds ONE organisation and nothing of any other:

- ``vault.db``: a compact copy of its vault (``sqlcipher_export``, so no free
  pages of the original travel along) under a fresh random export key;
- a manifest with the organisation's row (name and settings), its ledger of
  issued reports, the export key and its repeat-subject key. The audit chain's
  key stays home: the chain is checked before export.

The archive is opened by a new one-time passphrase (160 random bits in
base32 groups), derived with Argon2id like the data folder's own. Import on
the other install checks the file and the vault's schema against its own
migrations (refusing any extra table, trigger, view or index), builds a new
vault under a NEW data key of that install with its own migrations, copies
only the rows of the known tables and columns, starts a new audit chain under
its own key, and adds the organisation with a new vault id.
"""

from __future__ import annotations

import base64
import functools
import math
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vp_desk.domain.models import Organisation, OrganisationInput, validate_organisation
from vp_desk.errors import DamagedFile, UsageError
from vp_desk.i18n import message
from vp_desk.platform import private_file
from vp_desk.services import archive
from vp_desk.vault import audit
from vp_desk.vault.keyfile import INDEX_VAULT, KdfParams
from vp_desk.vault.migrations import ORG_MIGRATIONS, migrate, schema_version
from vp_desk.vault.sqlcipher import Connection, DatabaseError, is_disk_full, open_vault
from vp_desk.vault.store import Vault

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

KIND = "handover"
ENV_PASSPHRASE = "VP_DESK_HANDOVER_PASSPHRASE"
TMP_PREFIX = ".handover-"
#: Index setting naming the vault of an import in progress.
PENDING_IMPORT = "handover_import_pending"
#: How a damaged hand-over file is named.
HANDOVER_FILE = message("part_handover_file")

#: The message of a wrong one-time passphrase (vp_desk/i18n.py).
WRONG = "err_wrong_handover_passphrase"


@dataclass(frozen=True)
class HandoverResult:
    path: Path
    passphrase: str
    organisation: str
    cases: int
    size: int


def one_time_passphrase() -> str:
    """160 random bits as 8 groups of 4 base32 characters (easy to read out)."""
    text = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _export_copy(conn: Connection, target: Path, key: bytes) -> None:
    """A compact copy of ``conn``'s database under ``key`` (sqlcipher_export)."""
    version = schema_version(conn)
    conn.execute(f"ATTACH DATABASE ? AS handover KEY \"x'{key.hex()}'\"", (str(target),))
    try:
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT sqlcipher_export('handover')")
            conn.execute(f"PRAGMA handover.user_version = {int(version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("DETACH DATABASE handover")
    private_file(target)


def _ledger_rows(vault: Vault, org_id: int) -> list[dict[str, Any]]:
    columns = [r[1] for r in vault.index.execute("PRAGMA table_info(report_ledger)")]
    rows = vault.index.execute(
        f"SELECT {', '.join(columns)} FROM report_ledger WHERE org_id = ? ORDER BY id", (org_id,)
    ).fetchall()
    return [{c: v for c, v in zip(columns, row) if c not in ("id", "org_id")} for row in rows]


def export_organisation(
    desk: Desk, org_id: int, out: Path, passphrase: str | None = None, *, record: bool = True
) -> HandoverResult:
    """Write the hand-over file ``out``; with ``record`` the audit rows follow.

    The command line passes ``record=False``: it shows the one-time
    passphrase first and calls ``record_export`` only once that worked, or
    removes the file again, so a passphrase nobody saw never leaves a file
    that cannot be opened, nor an audit row for it.
    """
    vault: Vault = desk.vault
    org = desk.organisation(org_id)
    conn = vault.org(org.vault_id)
    old_audit_key = vault.ring.audit_key(org.vault_id)
    if audit.verify(conn, old_audit_key):
        raise DamagedFile(message("part_audit_trail"), key="err_handover_audit_out")
    out = Path(out).expanduser().absolute()
    if out.exists():
        raise UsageError(key="err_out_exists", path=out)
    from vp_desk.services.backup import remember_target

    remember_target(desk, "last_handover_target", out)  # a crash's temp file goes at open
    passphrase = passphrase or one_time_passphrase()
    export_key = secrets.token_bytes(32)
    subject_key = desk.subject_key(org)
    tmp = vault.path / f"{TMP_PREFIX}{secrets.token_hex(6)}"
    tmp.mkdir(mode=0o700)
    try:
        _export_copy(conn, tmp / "vault.db", export_key)
        cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        manifest = {
            "kind": KIND,
            "organisation": {
                "name": org.name,
                "employees": org.employees,
                "threshold": org.threshold,
                "retention_months": org.retention_months,
                "lang": org.lang,
            },
            "ledger": _ledger_rows(vault, org_id),
            "data_key": export_key.hex(),
            "subject_key": subject_key.hex(),
            "cases": cases,
        }
        kdf = KdfParams.from_env()
        size = archive.write_archive(
            out,
            KIND,
            kdf.derive(passphrase),
            kdf,
            manifest,
            [archive.Member("vault.db", tmp / "vault.db")],
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if record:
        try:
            record_export(desk, org_id)
        except BaseException:
            out.unlink(missing_ok=True)
            raise
    return HandoverResult(out, passphrase, org.name, cases, size)


def record_export(desk: Desk, org_id: int) -> None:
    """The audit rows of a hand-over export (organisation vault and index)."""
    desk.record_event(org_id, "handover.export")
    desk.record_event(None, "handover.export", f"org {org_id}")


def read_handover(path: Path, passphrase: str, folder: Path) -> dict[str, Any]:
    """Check and decrypt a hand-over file into ``folder``; returns its manifest.

    The manifest's shape is checked here (keys of the right length, an
    organisation, ledger rows of plain values): a file that fails is damaged
    or crafted, and is refused with DamagedFile before anything is written.
    """
    header = archive.read_header(Path(path), KIND)
    key = archive.open_with_passphrase(header, passphrase, WRONG)
    return read_opened(header, key, folder)


def read_opened(header: archive.Header, key: bytes, folder: Path) -> dict[str, Any]:
    """Decrypt an opened hand-over file into ``folder`` and check its manifest."""
    path = header.path
    manifest = archive.read_archive(header, key, folder)
    bad = archive._damaged(Path(path), "the hand-over file")
    if [m.get("name") for m in manifest.get("members", [])] != ["vault.db"]:
        raise bad
    organisation = manifest.get("organisation")
    if not isinstance(organisation, dict):
        raise bad
    for field in ("data_key", "subject_key"):
        _hex_key(manifest.get(field), bad)
    if manifest.get("audit_key") is not None:  # files made before the chain stayed home
        _hex_key(manifest["audit_key"], bad)
    ledger = manifest.get("ledger") or []
    if not isinstance(ledger, list) or not all(
        isinstance(row, dict) and all(isinstance(k, str) and _plain(v) for k, v in row.items())
        for row in ledger
    ):
        raise bad
    if not all(_plain(v) for v in organisation.values()):
        raise bad
    manifest["created"] = header.created
    return manifest


def _plain(value: object) -> bool:
    """A value SQLite stores as it is: text, a 64-bit whole number, a finite number."""
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return isinstance(value, float) and math.isfinite(value)


def _hex_key(value: object, bad: Exception) -> bytes:
    """A 256-bit key written as 64 hex digits, or ``bad`` is raised."""
    if not isinstance(value, str) or len(value) != 64:
        raise bad
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise bad from None


def _schema(conn: Connection, db: str = "main") -> list[tuple[Any, ...]]:
    """Every schema object as SQLite stores it (type, name, table, SQL)."""
    return sorted(
        tuple(r)
        for r in conn.execute(
            f"SELECT type, name, tbl_name, sql FROM {db}.sqlite_master "
            "WHERE name NOT LIKE 'sqlite_stat%'"
        )
    )


@functools.lru_cache(maxsize=32)
def expected_schema(version: int, kind: str = "org") -> tuple[tuple[Any, ...], ...]:
    """The schema this install's own migrations make for a vault of ``kind``."""
    import sqlcipher3

    from vp_desk.vault.migrations import migrate

    conn = sqlcipher3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn, kind, target=version)
        return tuple(_schema(conn))
    finally:
        conn.close()


def schema_problems(conn: Connection, kind: str = "org") -> list[str]:
    """Schema objects of a vault that its migrations do not make (or that are
    missing or changed); empty when the schema is exactly this install's."""
    from vp_desk.vault.migrations import MIGRATIONS

    version = schema_version(conn)
    if not 1 <= version <= len(MIGRATIONS[kind]):
        return [message("schema_unknown_version", version=version)]
    have = set(_schema(conn))
    want = set(expected_schema(version, kind))
    problems: list[str] = [
        message("schema_unexpected", kind=kind_, name=name)
        for kind_, name, _t, _s in sorted(have - want)
    ]
    problems += [
        message("schema_changed", kind=kind_, name=name)
        for kind_, name, _t, _s in sorted(want - have)
    ]
    return problems


#: Tables whose rows travel; the audit chain stays with the sender (the
#: receiving vault starts its own), ``meta`` is written here.
_NOT_COPIED = {"audit", "meta"}
_AFFINITY = {"INTEGER": ("integer",), "TEXT": ("text",)}


def _copy_rows(conn: Connection, version: int) -> None:
    """Copy the rows of every known table and column from the attached
    ``handover`` database into ``conn`` (both at schema ``version``).

    Column names come from this install's migrations, never from the file;
    a value of the wrong type is refused.
    """
    tables = [
        name
        for kind, name, _t, _s in _ordered_objects(conn)
        if kind == "table" and not name.startswith("sqlite_") and name not in _NOT_COPIED
    ]
    for table in tables:
        columns = conn.execute(f'PRAGMA main.table_info("{table}")').fetchall()
        names = [c[1] for c in columns]
        for _cid, column, declared, _notnull, _default, _pk in columns:
            allowed = _AFFINITY.get(str(declared).upper())
            if allowed is None:
                continue
            wrong = conn.execute(
                f'SELECT count(*) FROM handover."{table}" WHERE "{column}" IS NOT NULL '
                f'AND typeof("{column}") NOT IN ({", ".join(repr(a) for a in allowed)})'
            ).fetchone()[0]
            if wrong:
                raise ValueError(f"{table}.{column}")
        quoted = ", ".join(f'"{n}"' for n in names)
        conn.execute(
            f'INSERT INTO main."{table}"({quoted}) SELECT {quoted} FROM handover."{table}"'
        )


#: Rows the app could not read back (a date it cannot parse, an unknown
#: status, minutes out of range): counted per check after the copy.
_ROW_CHECKS = {
    "cases.opened": "SELECT count(*) FROM cases WHERE date(opened) IS NOT opened",
    "cases.closed": "SELECT count(*) FROM cases WHERE closed IS NOT NULL "
    "AND date(closed) IS NOT closed",
    "cases.follow_up": "SELECT count(*) FROM cases WHERE follow_up IS NOT NULL "
    "AND follow_up != '' AND date(follow_up) IS NOT follow_up",
    "cases.status": "SELECT count(*) FROM cases WHERE status NOT IN ('open', 'closed')",
    "consultations.date": "SELECT count(*) FROM consultations WHERE date(date) IS NOT date "
    "OR minutes < 0 OR minutes > 1440",
    "activities.date": "SELECT count(*) FROM activities WHERE date(date) IS NOT date "
    "OR minutes < 0 OR minutes > 1440",
}
_ROW_CHECKS_V2 = {
    "cases.destroyed": "SELECT count(*) FROM cases WHERE destroyed IS NOT NULL "
    "AND destroyed != '' AND date(destroyed) IS NOT destroyed",
}


def _check_rows(conn: Connection, version: int) -> None:
    """ValueError naming the first column whose copied rows the app could not read."""
    checks = dict(_ROW_CHECKS)
    if version >= 2:
        checks.update(_ROW_CHECKS_V2)
    for column, sql in checks.items():
        if conn.execute(sql).fetchone()[0]:
            raise ValueError(column)


def _ordered_objects(conn: Connection) -> list[tuple[Any, ...]]:
    """Schema objects in creation order (parents before the tables that refer to them)."""
    return [
        tuple(r) for r in conn.execute("SELECT type, name, tbl_name, sql FROM main.sqlite_master")
    ]


def import_organisation(
    desk: Desk, path: Path, passphrase: str, name: str | None = None
) -> Organisation:
    """Add the organisation in hand-over file ``path`` to this data folder.

    Only rows travel: the new vault is built by this install's own migrations
    and the data of its known tables and columns is copied in. A file whose
    schema differs in any way (an extra table, trigger, view or index) is
    refused. The audit chain starts afresh under this install's key, its
    first row after the vault's creation saying where the data came from.
    """
    vault: Vault = desk.vault
    tmp = vault.path / f"{TMP_PREFIX}{secrets.token_hex(6)}"
    tmp.mkdir(mode=0o700)
    vault_id = None
    try:
        manifest = read_handover(path, passphrase, tmp)
        settings = dict(manifest["organisation"])
        if name:
            settings["name"] = name
        values = validate_organisation(
            OrganisationInput(
                settings.get("name", ""),
                settings.get("employees", 0),
                settings.get("threshold", 5),
                settings.get("retention_months", 12),
                settings.get("lang", "nl"),
            )
        )
        if any(o.name.casefold() == values["name"].casefold() for o in desk.organisations()):
            raise UsageError(key="err_handover_name_taken", name=values["name"])
        data_key = bytes.fromhex(manifest["data_key"])
        source = open_vault(tmp / "vault.db", data_key, part=message("part_handover_vault"))
        try:
            version = schema_version(source)
            if version > len(ORG_MIGRATIONS):
                raise UsageError(key="err_handover_newer")
            if schema_problems(source):
                raise DamagedFile(HANDOVER_FILE, key="err_handover_schema")
            if manifest.get("audit_key") and audit.verify(
                source, bytes.fromhex(manifest["audit_key"])
            ):
                raise DamagedFile(HANDOVER_FILE, key="err_handover_audit_in")
        finally:
            source.close()
        vault_id = vault.create_org_vault(migrate_to=version)
        # The intent: if the import dies before the organisation row is
        # committed, the next open shreds this vault again (leftovers.py).
        with vault.transaction(vault.index):
            vault.index.execute(
                "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                (PENDING_IMPORT, vault_id),
            )
        conn = vault.org(vault_id)
        conn.execute(
            f"ATTACH DATABASE ? AS handover KEY \"x'{data_key.hex()}'\"", (str(tmp / "vault.db"),)
        )
        try:
            with vault.transaction(conn):
                try:
                    _copy_rows(conn, version)
                    _check_rows(conn, version)
                except (ValueError, DatabaseError) as exc:
                    if isinstance(exc, DatabaseError) and is_disk_full(exc):
                        raise
                    raise DamagedFile(HANDOVER_FILE, key="err_handover_data") from None
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('subject_key', ?)",
                    (str(manifest["subject_key"]).lower(),),
                )
                vault.audit(
                    conn,
                    vault_id,
                    "handover.import",
                    f"hand-over file made {str(manifest.get('created', ''))[:25]}",
                )
        finally:
            conn.execute("DETACH DATABASE handover")
        migrate(conn, "org", part=message("part_vault_file", file=vault_id))
    except BaseException:
        if vault_id is not None:
            _forget(vault, vault_id)
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    try:
        with vault.transaction(vault.index):
            cur = vault.index.execute(
                "INSERT INTO organisations(vault_id, name, employees, threshold, "
                "retention_months, lang, created) VALUES (?,?,?,?,?,?,?)",
                (
                    vault_id,
                    values["name"],
                    values["employees"],
                    values["threshold"],
                    values["retention_months"],
                    values["lang"],
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ),
            )
            org_id = cur.lastrowid
            assert org_id is not None  # an INSERT always sets it
            vault.index.execute("DELETE FROM settings WHERE key = ?", (PENDING_IMPORT,))
            try:
                _insert_ledger(vault, org_id, manifest.get("ledger") or [])
            except DatabaseError as exc:
                if is_disk_full(exc):
                    raise
                raise DamagedFile(HANDOVER_FILE, key="err_handover_ledger") from None
            vault.audit(vault.index, INDEX_VAULT, "handover.import", f"org {org_id}")
    except BaseException:
        _forget(vault, vault_id)
        raise
    return desk.organisation(org_id)


def _insert_ledger(vault: Vault, org_id: int, rows: list[dict[str, Any]]) -> None:
    columns = {r[1] for r in vault.index.execute("PRAGMA table_info(report_ledger)")}
    for row in rows:
        fields = [c for c in row if c in columns and c not in ("id", "org_id")]
        vault.index.execute(
            f"INSERT INTO report_ledger(org_id, {', '.join(fields)}) "
            f"VALUES (?, {', '.join('?' for _ in fields)})",
            [org_id] + [row[c] for c in fields],
        )


def finish_interrupted_import(desk: Desk) -> None:
    """At open: shred the vault of an import that died before its organisation
    row was committed (its key would otherwise stay in the key file for good)."""
    vault: Vault = desk.vault
    vault_id = desk.get_setting(PENDING_IMPORT)
    if not vault_id:
        return
    known = vault.index.execute(
        "SELECT 1 FROM organisations WHERE vault_id = ?", (vault_id,)
    ).fetchone()
    if not known and vault_id in vault.ring.keys:
        vault.shred_org_vault(vault_id)
    with vault.transaction(vault.index):
        vault.index.execute("DELETE FROM settings WHERE key = ?", (PENDING_IMPORT,))


def _forget(vault: Vault, vault_id: str) -> None:
    """Undo a half-done import: the new vault's key and files go again."""
    try:
        vault.shred_org_vault(vault_id)
    except Exception:  # e.g. the disk is still full: at least drop the key and files
        vault.ring.keys.pop(vault_id, None)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(vault.org_path(vault_id)) + suffix).unlink(missing_ok=True)
