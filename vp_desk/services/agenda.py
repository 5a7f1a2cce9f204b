"""What is due, across every organisation: the agenda on the overview.

- follow-ups overdue (before today) and due (today up to the end of this week);
- open cases without a contact moment for N weeks (setting ``agenda.quiet_weeks``;
  the opening date counts as the first contact);
- cases past retention (one line per organisation, to the retention review);
- the backup reminder;
- appointment terms that end soon or have ended (``services.contracts``), with
  the hand-over they call for.

Case codes, dates and organisation names only: never notes. Every query is
answered from an index of the organisation's vault (migration 3 and the
consultations index), so the overview's first frame does not wait for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import TYPE_CHECKING

from vp_desk.errors import DamagedFile
from vp_desk.services.desk import add_months
from vp_desk.vault.sqlcipher import DatabaseError

if TYPE_CHECKING:
    from vp_desk.domain.models import Organisation
    from vp_desk.services.desk import Desk

QUIET_SETTING = "agenda.quiet_weeks"
DEFAULT_QUIET_WEEKS = 6
MIN_QUIET_WEEKS, MAX_QUIET_WEEKS = 1, 52
#: A contract end shows this many days ahead.
CONTRACT_NOTICE_DAYS = 60
#: At most this many case lines per kind and organisation; the rest is one
#: "more" line that opens the organisation's case list by follow-up date.
PER_ORG_LIMIT = 3

#: Order of the kinds on the agenda.
KINDS = ("overdue", "due", "quiet", "more", "retention", "contract", "backup")


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # one of KINDS
    day: date | None  # the date the item is about (follow-up, last contact, contract end)
    org_id: int | None = None
    org_name: str = ""
    case_id: int | None = None
    code: str = ""
    count: int = 0  # retention/more: how many cases; backup: days since the last one (-1: never)
    of: str = ""  # "more": the kind of the cases not listed


def quiet_weeks(desk: Desk) -> int:
    try:
        value = int(desk.get_setting(QUIET_SETTING) or DEFAULT_QUIET_WEEKS)
    except ValueError:
        return DEFAULT_QUIET_WEEKS
    return min(MAX_QUIET_WEEKS, max(MIN_QUIET_WEEKS, value))


def _case_items(desk: Desk, org: Organisation, today: date, quiet_days: int) -> list[AgendaItem]:
    conn = desk.vault.org(org.vault_id)
    week_end = today + timedelta(days=6 - today.weekday())
    items: list[AgendaItem] = []
    bounds = {
        "overdue": ("follow_up < ?", today.isoformat()),
        "due": ("follow_up >= ? AND follow_up <= ?", today.isoformat(), week_end.isoformat()),
    }
    for kind, (clause, *params) in bounds.items():
        rows = conn.execute(
            f"SELECT id, code, follow_up FROM cases WHERE status = 'open' AND {clause} "
            "ORDER BY follow_up, code LIMIT ?",
            (*params, PER_ORG_LIMIT + 1),
        ).fetchall()
        for case_id, code, follow_up in rows[:PER_ORG_LIMIT]:
            items.append(
                AgendaItem(kind, date.fromisoformat(follow_up), org.id, org.name, case_id, code)
            )
        if len(rows) > PER_ORG_LIMIT:
            total = conn.execute(
                f"SELECT count(*) FROM cases WHERE status = 'open' AND {clause}", params
            ).fetchone()[0]
            items.append(_more(org, kind, total - PER_ORG_LIMIT))
    quiet_before = (today - timedelta(days=quiet_days)).isoformat()
    # Index-only (cases_status holds the rowid, consultations_case_date the dates):
    # no page of the cases table is read until the few codes that are shown.
    quiet = conn.execute(
        "SELECT c.id, max(c.opened, coalesce(max(k.date), '')) AS last "
        "FROM cases c LEFT JOIN consultations k ON k.case_id = c.id "
        "WHERE c.status = 'open' AND c.opened < ? GROUP BY c.id HAVING last < ? "
        "ORDER BY last, c.id",
        (quiet_before, quiet_before),
    ).fetchall()
    for case_id, last in quiet[:PER_ORG_LIMIT]:
        code = conn.execute("SELECT code FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
        items.append(AgendaItem("quiet", date.fromisoformat(last), org.id, org.name, case_id, code))
    if len(quiet) > PER_ORG_LIMIT:
        items.append(_more(org, "quiet", len(quiet) - PER_ORG_LIMIT))
    cutoff = add_months(today, -org.retention_months).isoformat()
    past = conn.execute(
        "SELECT count(*), min(closed) FROM cases WHERE status = 'closed' AND legal_hold = 0 "
        "AND destroyed IS NULL AND closed <= ?",
        (cutoff,),
    ).fetchone()
    if past[0]:
        items.append(
            AgendaItem(
                "retention",
                add_months(date.fromisoformat(past[1]), org.retention_months),
                org.id,
                org.name,
                count=past[0],
            )
        )
    return items


def _more(org: Organisation, kind: str, count: int) -> AgendaItem:
    return AgendaItem("more", None, org.id, org.name, count=count, of=kind)


def agenda(desk: Desk, today: date, *, with_backup: bool = True) -> list[AgendaItem]:
    """Every item due, most urgent kind first, then by date."""
    from vp_desk.services import contracts

    quiet_days = 7 * quiet_weeks(desk)
    items: list[AgendaItem] = []
    terms = contracts.all_terms(desk)
    for org in desk.organisations():
        try:
            items += _case_items(desk, org, today, quiet_days)
        except (DamagedFile, DatabaseError):  # shown as a damaged row on the overview
            pass
        t = terms.get(org.id)
        if (
            t is not None
            and t.end is not None
            and t.end <= today + timedelta(days=CONTRACT_NOTICE_DAYS)
        ):
            items.append(AgendaItem("contract", t.end, org.id, org.name))
    if with_backup:
        item = backup_item(desk, today)
        if item is not None:
            items.append(item)
    order = {k: i for i, k in enumerate(KINDS)}
    items.sort(key=lambda i: (order[i.kind], i.day or date.min, i.org_name.casefold(), i.code))
    return items


def backup_item(desk: Desk, today: date) -> AgendaItem | None:
    from vp_desk.services import backup
    from vp_desk.services.reminders import BACKUP_DAYS

    last = backup.last_backup(desk)
    if last is None:
        return AgendaItem("backup", None, count=-1)
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    day = last.astimezone(UTC).date()
    days = (today - day).days
    if days > BACKUP_DAYS:
        return AgendaItem("backup", day, count=days)
    return None
