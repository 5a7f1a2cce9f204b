"""Two ways a single case leaves the desk before its retention ends.

- ``delete_case``: a case logged by mistake (a test entry, the wrong
  organisation, a double). The case, its coded fields, its contact moments,
  its repeat-subject hash and any draft of it are removed; an audit row keeps
  the case code only. It is never counted again in any report: the annual
  report, the portfolio and the hours read the cases table, where it no longer
  is. Its code is not handed out again (a letter may already mention it).
- ``destroy_on_request``: the melder asks for erasure (AVG art. 17). The notes
  are destroyed the way retention destroys them (``retention.destroy_cases``:
  notes and contact notes blanked, subject hash and drafts removed, a
  destruction-log row, then every touched vault vacuumed and its WAL
  truncated so no old page image survives) and a statistical tombstone stays:
  the coded fields, so the counts of reports already issued do not change
  (docs/en/retention-and-access.md). An open case is closed first, on the
  day of the request; its outcome stays as it was (none recorded, if so), so
  the outcome table of the year it was opened in does not change either.

A report issued before either action is re-checked like any other change:
the ledger compares the figures when the report is written again.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from vp_desk.errors import NotFound, UsageError
from vp_desk.services import retention
from vp_desk.vault.sqlcipher import Connection

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

#: meta key (in the organisation's vault) with the highest sequence number
#: ever handed out in a year, so the code of a deleted case is never reused.
SEQ_KEY = "seq_floor:{year}"


def _case_row(conn: Connection, case_id: int) -> tuple[Any, ...]:
    row = conn.execute(
        "SELECT code, year, seq, status, legal_hold, destroyed, opened, outcome "
        "FROM cases WHERE id = ?",
        (case_id,),
    ).fetchone()
    if row is None:
        raise NotFound(key="err_no_case")  # as retention says it
    return tuple(row)


def seq_floor(conn: Connection, year: int) -> int:
    """The highest case number of ``year`` ever used (deleted cases included)."""
    row = conn.execute(
        "SELECT value FROM meta WHERE key = ?", (SEQ_KEY.format(year=year),)
    ).fetchone()
    return int(row[0]) if row else 0


def delete_case(desk: Desk, org_id: int, case_id: int) -> str:
    """Remove a case logged by mistake; returns its code.

    Refused for a case on legal hold (the hold says it must be kept).
    """
    org = desk.organisation(org_id)
    conn = desk.vault.org(org.vault_id)
    row = _case_row(conn, case_id)
    code, year, seq, _status, hold, _destroyed, _opened, _outcome = row
    if hold:
        raise UsageError(key="err_hold_delete", code=code)
    with desk.org_tx(org, "case.delete", str(code)):
        floor = max(seq_floor(conn, year), seq)
        conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
            (SEQ_KEY.format(year=year), str(floor)),
        )
        # case_values, consultations and subject_hashes go with it (ON DELETE CASCADE).
        conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))
    dropped = retention._drop_drafts(desk, org_id, {case_id})
    retention.scrub(conn)
    if dropped:
        retention.scrub(desk.index)
    return str(code)


def destroy_on_request(desk: Desk, org_id: int, case_id: int, today: date) -> str:
    """Destroy a case's notes now, at the melder's request; returns its code.

    Refused for a case on legal hold and for one already destroyed.
    """
    org = desk.organisation(org_id)
    conn = desk.vault.org(org.vault_id)
    row = _case_row(conn, case_id)
    code, _year, _seq, status, hold, destroyed, opened, _outcome = row
    if destroyed:
        raise UsageError(key="err_already_destroyed", code=code)
    if hold:
        raise UsageError(key="err_hold_destroy", code=code)
    if status != "closed":
        last = conn.execute(
            "SELECT max(date) FROM consultations WHERE case_id = ?", (case_id,)
        ).fetchone()[0]
        closed = max(d for d in (today.isoformat(), opened, last) if d)
        with desk.org_tx(org, "case.close", str(code)):
            conn.execute(
                "UPDATE cases SET status = 'closed', closed = ?, follow_up = NULL WHERE id = ?",
                (closed, case_id),
            )
    retention.destroy_cases(desk, org_id, [case_id], today, event="case.destroy_request")
    return str(code)
