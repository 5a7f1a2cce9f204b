"""Hand-over: one organisation's dossiers for a successor VP.

Export writes a sealed archive (``vp_desk.services.archive``, kind
"handover") that holds ONE organisation and nothing of any other:

- ``vault.db``: a compact copy of its vault (``sqlcipher_export``, so no free
  pages of the original travel along) under a fresh random export key;
- a manifest with the organisation's row (name and settings), its ledger of
  issued reports, the export key, the key of its audit chain and its
  repeat-subject key.

The archive is opened by a new one-time passphrase (160 random bits in
base32 groups), derived with Argon2id like the data folder's own. Import on
the other install checks the file, verifies the audit chain with the key
that made it, copies the vault under a NEW data key of that install (so the
export key in the file opens nothing there), re-seals the chain under the new
key, and adds the organisation with a new vault id.
"""

from __future__ import annotations

import base64
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vp_desk.domain.models import Organisation, OrganisationInput, validate_organisation
from vp_desk.errors import DamagedFile, UsageError
from vp_desk.platform import private_file
from vp_desk.services import archive
from vp_desk.vault import audit
from vp_desk.vault.keyfile import INDEX_VAULT, KdfParams
from vp_desk.vault.migrations import ORG_MIGRATIONS, schema_version
from vp_desk.vault.sqlcipher import Connection, open_vault
from vp_desk.vault.store import Vault

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

KIND = "handover"
ENV_PASSPHRASE = "VP_DESK_HANDOVER_PASSPHRASE"
TMP_PREFIX = ".handover-"
WRONG = (
    "The one-time passphrase does not open this hand-over file. Check it with the "
    "adviser who made the file; nothing was changed."
)


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
    desk: Desk, org_id: int, out: Path, passphrase: str | None = None
) -> HandoverResult:
    vault: Vault = desk.vault
    org = desk.organisation(org_id)
    conn = vault.org(org.vault_id)
    old_audit_key = vault.ring.audit_key(org.vault_id)
    if audit.verify(conn, old_audit_key):
        raise DamagedFile(
            "audit trail",
            "The audit trail of this organisation is broken, so it "
            "cannot be handed over. Run 'vp-desk verify' for details.",
        )
    out = Path(out).expanduser().absolute()
    if out.exists():
        raise UsageError(f"{out} already exists. Choose another file name; nothing was written.")
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
            "audit_key": old_audit_key.hex(),
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
    with vault.transaction(conn):
        vault.audit(conn, org.vault_id, "handover.export")
    with vault.transaction(vault.index):
        vault.audit(vault.index, INDEX_VAULT, "handover.export", f"org {org.id}")
    return HandoverResult(out, passphrase, org.name, cases, size)


def read_handover(path: Path, passphrase: str, folder: Path) -> dict[str, Any]:
    """Check and decrypt a hand-over file into ``folder``; returns its manifest."""
    header = archive.read_header(Path(path), KIND)
    key = archive.open_with_passphrase(header, passphrase, WRONG)
    manifest = archive.read_archive(header, key, folder)
    if [m["name"] for m in manifest.get("members", [])] != ["vault.db"] or not isinstance(
        manifest.get("organisation"), dict
    ):
        raise archive._damaged(Path(path), "the hand-over file")
    return manifest


def import_organisation(
    desk: Desk, path: Path, passphrase: str, name: str | None = None
) -> Organisation:
    """Add the organisation in hand-over file ``path`` to this data folder."""
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
            raise UsageError(
                f"There is already an organisation called {values['name']} here. "
                "Give the new one another name with --name; nothing was "
                "changed."
            )
        source = open_vault(
            tmp / "vault.db",
            bytes.fromhex(manifest["data_key"]),
            part="vault in the hand-over file",
        )
        try:
            if schema_version(source) > len(ORG_MIGRATIONS):
                raise UsageError(
                    "The hand-over file was made by a newer vp_desk. Update "
                    "vp_desk first; nothing was changed."
                )
            if audit.verify(source, bytes.fromhex(manifest["audit_key"])):
                raise DamagedFile(
                    "hand-over file",
                    "The audit trail in the hand-over file is "
                    "broken; it was changed after it was made. Nothing was "
                    "changed here.",
                )
            vault_id = secrets.token_hex(8)
            while vault_id in vault.ring.keys:  # pragma: no cover - 64 random bits
                vault_id = secrets.token_hex(8)
            new_key = vault.ring.new_vault_key(vault_id)
            _export_copy(source, vault.org_path(vault_id), new_key)
        finally:
            source.close()
        conn = vault.org(vault_id)
        with vault.transaction(conn):
            audit.reseal(conn, bytes.fromhex(manifest["audit_key"]), vault.ring.audit_key(vault_id))
            conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('subject_key', ?)",
                (str(manifest["subject_key"]),),
            )
            vault.audit(conn, vault_id, "handover.import")
        vault.folder.keyfile.write(vault.ring)
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
            _insert_ledger(vault, org_id, manifest.get("ledger") or [])
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


def _forget(vault: Vault, vault_id: str) -> None:
    """Undo a half-done import: the new vault's key and files go again."""
    try:
        vault.shred_org_vault(vault_id)
    except Exception:  # e.g. the disk is still full: at least drop the key and files
        vault.ring.keys.pop(vault_id, None)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(vault.org_path(vault_id)) + suffix).unlink(missing_ok=True)
