"""The audit trail: an HMAC chain of events, never their content (docs/architecture.md, "Security rules").

Each vault keeps its own chain in its own file, so every row is written in
the same SQLite transaction as the change it records, and shredding or handing
over an organisation takes its chain with it. The HMAC key is derived from the
vault's data key (not the passphrase), so a passphrase change keeps the chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from vp_desk.vault.sqlcipher import Connection


@dataclass(frozen=True)
class AuditRow:
    seq: int
    time: str
    event: str
    subject: str
    prev_tag: str
    tag: str


def _canonical(seq: int, time: str, event: str, subject: str, prev_tag: str) -> bytes:
    return json.dumps(
        [seq, time, event, subject, prev_tag], separators=(",", ":"), ensure_ascii=True
    ).encode()


def _tag(key: bytes, seq: int, time: str, event: str, subject: str, prev_tag: str) -> str:
    return hmac.new(
        key, _canonical(seq, time, event, subject, prev_tag), hashlib.sha256
    ).hexdigest()


def append(conn: Connection, key: bytes, event: str, subject: str = "") -> AuditRow:
    """Add a row; call inside the transaction that makes the change."""
    last = conn.execute("SELECT seq, tag FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq = (last[0] + 1) if last else 1
    prev_tag = last[1] if last else ""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    tag = _tag(key, seq, now, event, subject, prev_tag)
    conn.execute(
        "INSERT INTO audit(seq, time, event, subject, prev_tag, tag) VALUES (?,?,?,?,?,?)",
        (seq, now, event, subject, prev_tag, tag),
    )
    # The head is kept apart so that cutting rows off the end is noticed too.
    conn.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('audit_head', ?)", (f"{seq}:{tag}",)
    )
    return AuditRow(seq, now, event, subject, prev_tag, tag)


def reseal(conn: Connection, old_key: bytes, new_key: bytes) -> int:
    """Re-tag a chain under ``new_key`` after checking it under ``old_key``.

    For a vault that moves to another data key (a hand-over): the chain is
    verified first (ValueError if broken), then every tag is recomputed in
    order; times, events and subjects stay as they were. Call inside a
    transaction. Returns the number of rows.
    """
    problems = verify(conn, old_key)
    if problems:
        raise ValueError(problems[0])
    prev_tag = ""
    count = 0
    for seq, time, event, subject in conn.execute(
        "SELECT seq, time, event, subject FROM audit ORDER BY seq"
    ).fetchall():
        tag = _tag(new_key, seq, time, event, subject, prev_tag)
        conn.execute("UPDATE audit SET prev_tag = ?, tag = ? WHERE seq = ?", (prev_tag, tag, seq))
        prev_tag = tag
        count = seq
    if count:
        conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('audit_head', ?)",
            (f"{count}:{prev_tag}",),
        )
    return count


def rows(conn: Connection, limit: int | None = None) -> list[AuditRow]:
    sql = "SELECT seq, time, event, subject, prev_tag, tag FROM audit ORDER BY seq DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [AuditRow(*r) for r in conn.execute(sql).fetchall()]


def verify(conn: Connection, key: bytes) -> list[str]:
    """Problems found in the chain (empty when intact). Changed, deleted or
    reordered rows all break either a tag, a link or the sequence. Each is a
    ``vp_desk.i18n.Message`` (English as a ``str``)."""
    from vp_desk.i18n import message

    problems: list[str] = []
    expected_seq = 1
    prev_tag = ""
    for seq, time, event, subject, stored_prev, tag in conn.execute(
        "SELECT seq, time, event, subject, prev_tag, tag FROM audit ORDER BY rowid"
    ):
        if seq != expected_seq:
            problems.append(message("audit_missing", seq=expected_seq))
            break
        if stored_prev != prev_tag:
            problems.append(message("audit_unlinked", seq=seq, previous=seq - 1))
            break
        if not hmac.compare_digest(_tag(key, seq, time, event, subject, stored_prev), str(tag)):
            problems.append(message("audit_changed", seq=seq))
            break
        prev_tag = tag
        expected_seq += 1
    if not problems:
        head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
        last = f"{expected_seq - 1}:{prev_tag}" if expected_seq > 1 else None
        if (head[0] if head else None) != last:
            problems.append(message("audit_cut"))
    return problems
