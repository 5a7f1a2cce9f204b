"""Retention: what is due, legal holds, and destruction that leaves a tombstone.

docs/architecture.md ("Domain rules", retention): per organisation a retention period after closing;
per case a legal hold with a reason; destruction only with the VP's
confirmation. Destruction keeps the coded fields (dates, codes, the
behaviours/help/referrals values, the dates, minutes and channels of the
contact moments) so past reports stay exactly the same, and removes the
notes, the notes of every contact moment, any draft that refers to the case
and the repeat-subject hash. A destruction-log row keeps the date and the
case code only.

"Removed" means removed from the bytes on disk too: the vaults run with
``secure_delete`` on (freed cells and pages are zeroed), and after a
destruction every touched vault is vacuumed and checkpointed with TRUNCATE,
so no old page image survives in the WAL or in free pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from vp_desk.domain.models import MAX_HOLD_REASON
from vp_desk.errors import NotFound, UsageError, ValidationError
from vp_desk.services.desk import add_months
from vp_desk.textsafe import clean_line
from vp_desk.vault.sqlcipher import Connection, checkpoint

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk


@dataclass(frozen=True)
class RetentionItem:
    """A closed, not yet destroyed case, as the retention review shows it (never notes)."""

    org_id: int
    org_name: str
    case_id: int
    code: str
    closed: date
    retention_months: int
    legal_hold: bool
    hold_reason: str

    @property
    def due_on(self) -> date:
        """Roughly the first day it is past retention (for display)."""
        return add_months(self.closed, self.retention_months)

    def is_due(self, today: date) -> bool:
        # The same rule as Desk.org_stats: closed on or before today minus the period.
        return not self.legal_hold and self.closed <= add_months(today, -self.retention_months)


def review(desk: Desk, today: date, org_id: int | None = None) -> list[RetentionItem]:
    """Every closed case that is due or on hold, oldest due first."""
    items: list[RetentionItem] = []
    orgs = [desk.organisation(org_id)] if org_id is not None else desk.organisations()
    for org in orgs:
        conn = desk.vault.org(org.vault_id)
        # Only what is due or held: the same rule as Desk.org_stats, in SQL, so a
        # large vault does not pass every closed case through Python.
        cutoff = add_months(today, -org.retention_months).isoformat()
        for case_id, code, closed, hold, reason in conn.execute(
            "SELECT id, code, closed, legal_hold, hold_reason FROM cases "
            "WHERE status = 'closed' AND closed IS NOT NULL AND destroyed IS NULL "
            "AND (legal_hold = 1 OR closed <= ?) ORDER BY closed, code",
            (cutoff,),
        ):
            closed_day = date.fromisoformat(closed)
            item = RetentionItem(
                org.id,
                org.name,
                case_id,
                code,
                closed_day,
                org.retention_months,
                bool(hold),
                reason,
            )
            if item.legal_hold or item.is_due(today):
                items.append(item)
    items.sort(key=lambda i: (i.legal_hold, i.due_on, i.org_name.casefold(), i.code))
    return items


def due_cases(desk: Desk, today: date, org_id: int | None = None) -> list[RetentionItem]:
    """Cases past retention and not on hold: what ``--apply`` would destroy."""
    return [i for i in review(desk, today, org_id) if i.is_due(today)]


def _case_row(conn: Connection, case_id: int) -> tuple[Any, ...]:
    row = conn.execute(
        "SELECT code, status, legal_hold, destroyed FROM cases WHERE id = ?", (case_id,)
    ).fetchone()
    if row is None:
        raise NotFound(key="err_no_case")
    return tuple(row)


def set_legal_hold(desk: Desk, org_id: int, case_id: int, reason: str) -> None:
    """Put a case on legal hold: it is never due while the hold lasts."""
    text = clean_line(reason or "")
    if not text:
        raise ValidationError({"hold_reason": "required"})
    if len(text) > MAX_HOLD_REASON:
        raise ValidationError({"hold_reason": "too_long"}, max=MAX_HOLD_REASON)

    def holdable(conn: Connection) -> str:
        code, _status, _hold, destroyed = _case_row(conn, case_id)
        if destroyed:
            raise UsageError(key="err_hold_after_destroy", code=code)
        return str(code)

    with desk.org_tx(org_id, "case.hold", holdable) as tx:
        tx.conn.execute(
            "UPDATE cases SET legal_hold = 1, hold_reason = ?, updated = ? WHERE id = ?",
            (text, _now(), case_id),
        )


def clear_legal_hold(desk: Desk, org_id: int, case_id: int) -> None:
    with desk.org_tx(org_id, "case.unhold", lambda conn: str(_case_row(conn, case_id)[0])) as tx:
        tx.conn.execute(
            "UPDATE cases SET legal_hold = 0, hold_reason = '', updated = ? WHERE id = ?",
            (_now(), case_id),
        )


def destroy_cases(
    desk: Desk, org_id: int, case_ids: Iterable[int], today: date, *, event: str = "case.destroy"
) -> list[str]:
    """Destroy the given closed, not held cases of one organisation; returns their codes.

    Everything happens in one transaction on the organisation's vault (all
    or nothing), then drafts are dropped from the index and both vaults are
    vacuumed and checkpointed so the text is gone from every byte on disk.
    """
    org = desk.organisation(org_id)
    conn = desk.vault.org(org.vault_id)
    ids = list(dict.fromkeys(int(i) for i in case_ids))
    codes: list[str] = []
    for case_id in ids:
        code, status, hold, destroyed = _case_row(conn, case_id)
        if destroyed:
            raise UsageError(key="err_already_destroyed", code=code)
        if status != "closed":
            raise UsageError(key="err_destroy_open", code=code)
        if hold:
            raise UsageError(key="err_hold_first", code=code)
        codes.append(code)
    if not ids:
        return []
    day = today.isoformat()
    with desk.vault.transaction(conn):
        for case_id, code in zip(ids, codes):
            conn.execute(
                "UPDATE cases SET notes = '', hold_reason = '', destroyed = ?, "
                "updated = ? WHERE id = ?",
                (day, _now(), case_id),
            )
            conn.execute("UPDATE consultations SET notes = '' WHERE case_id = ?", (case_id,))
            conn.execute("DELETE FROM subject_hashes WHERE case_id = ?", (case_id,))
            conn.execute("INSERT INTO destruction_log(date, code) VALUES (?, ?)", (day, code))
            desk.vault.audit(conn, org.vault_id, event, code)
    dropped = _drop_drafts(desk, org_id, set(ids))
    scrub(conn)
    if dropped:
        scrub(desk.index)
    return codes


def destroy_due(desk: Desk, today: date) -> list[RetentionItem]:
    """Destroy everything that is due today (after the caller's confirmation)."""
    items = due_cases(desk, today)
    by_org: dict[int, list[RetentionItem]] = {}
    for item in items:
        by_org.setdefault(item.org_id, []).append(item)
    for org_id, group in by_org.items():
        destroy_cases(desk, org_id, [i.case_id for i in group], today)
    return items


def _draft_refers(draft_id: str, payload: object, org_id: int, case_ids: set[int]) -> bool:
    for case_id in case_ids:
        prefix = f"org{org_id}:case{case_id}"
        if draft_id == prefix or draft_id.startswith(prefix + ":"):
            return True
    if not isinstance(payload, dict):
        return False
    org: Any = payload.get("org_id")  # whatever a draft holds; bad values fail below
    case: Any = payload.get("case_id")
    try:
        return int(org) == org_id and int(case) in case_ids
    except (TypeError, ValueError):
        return False


def _drop_drafts(desk: Desk, org_id: int, case_ids: set[int]) -> int:
    """Delete unsaved forms (kept over a lock) that belong to destroyed cases."""
    index = desk.vault.index
    doomed = []
    for draft_id, payload in index.execute("SELECT id, payload FROM drafts").fetchall():
        try:
            data = json.loads(payload)
        except ValueError:
            data = None
        if _draft_refers(draft_id, data, org_id, case_ids):
            doomed.append(draft_id)
    if doomed:
        with desk.index_tx("draft.destroy", f"{len(doomed)} drafts"):
            index.executemany("DELETE FROM drafts WHERE id = ?", [(d,) for d in doomed])
    return len(doomed)


def scrub(conn: Connection) -> None:
    """Leave no old page image anywhere: rebuild the file, then empty the WAL.

    secure_delete already zeroes freed cells and pages; VACUUM rewrites every
    page, and the TRUNCATE checkpoint copies the WAL back and cuts it to zero
    bytes, so stale frames holding the old text are gone as well.
    """
    checkpoint(conn)
    conn.execute("VACUUM")
    checkpoint(conn)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
