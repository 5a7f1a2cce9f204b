"""The ledger of issued reports and the re-issue check.

Every report issued with ``--final`` is stored in the index vault's
``report_ledger`` (org_id, year, issued, figures, digest): the published,
language-neutral figures (what the employer got) and a SHA-256 digest of them.

When a report for the same organisation and year is written again - final or
not, since any file may reach the employer - its figures are compared with
every issued one. An outsider holding both reports knows, for any set of
categories, a range for its count in each report, hence a range for the
*difference*. A difference isolates fewer than k cases when that range does
not contain 0 and contains a value from 1 to k-1 (in either direction): "one
late case, and it was sexual harassment". Such a re-issue is refused. The ways
out are explicit: keep the issued report (and wait until the changes concern
at least k cases), or issue again with every case figure withheld
(``disclosure.withhold_case_figures``).

Sets compared per single-valued table: every category, every row's member set
of either report, and the set of hidden categories of either report (its sum
is total minus the published rows, so it is exact). Ranges of sums over a set
are exact: the constraints form a laminar family (categories inside rows
inside the total), for which a greedy allocation is optimal (see
``sum_range``). Scalars (new cases, open at year end, contact moments) and the
rows of the multi-valued tables and quarters are compared one by one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vp_desk.reports.audit import Group, groups_of

FIGURE_KEYS = (
    "year",
    "threshold",
    "employees",
    "new_cases",
    "open_at_year_end",
    "consultations",
    "contacts_per_100_employees",
    "suppressed_figures",
    "small_organisation",
    "withheld",
    "tables",
    "activities",
    "hours",
)

if TYPE_CHECKING:
    from vp_desk.vault.sqlcipher import Connection


@dataclass(frozen=True)
class LedgerEntry:
    id: int
    org_id: int
    year: int
    issued: str
    figures: dict[str, Any]
    digest: str


@dataclass(frozen=True)
class Isolation:
    """A figure whose change since an issued report singles out fewer than k cases."""

    table: str | None  # None for a scalar figure
    codes: tuple[str, ...]  # the categories (or the scalar's name)
    issued: str


def ledger_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """What the ledger keeps: the published figures without notes or labels."""
    return {key: figures.get(key) for key in FIGURE_KEYS}


def canonical(figures: dict[str, Any]) -> str:
    return json.dumps(
        ledger_figures(figures), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def digest(figures: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(figures).encode()).hexdigest()


# -- storage (index vault) -----------------------------------------------------------------


def entries(index: Connection, org_id: int, year: int) -> list[LedgerEntry]:
    rows = index.execute(
        "SELECT id, org_id, year, issued, figures, digest FROM report_ledger "
        "WHERE org_id = ? AND year = ? ORDER BY id",
        (org_id, year),
    ).fetchall()
    return [LedgerEntry(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]


def insert(
    index: Connection, org_id: int, year: int, issued: str, figures: dict[str, Any]
) -> LedgerEntry:
    text = canonical(figures)
    dig = hashlib.sha256(text.encode()).hexdigest()
    cur = index.execute(
        "INSERT INTO report_ledger(org_id, year, issued, figures, digest) VALUES (?,?,?,?,?)",
        (org_id, year, issued, text, dig),
    )
    assert cur.lastrowid is not None  # an INSERT always sets it
    return LedgerEntry(cur.lastrowid, org_id, year, issued, json.loads(text), dig)


# -- ranges of sums -------------------------------------------------------------------------


def _own(g: Group) -> tuple[int, int]:
    return (
        max(g.low, sum(b[0] for b in g.member_bounds)),
        min(g.high, sum(b[1] for b in g.member_bounds)),
    )


def sum_range(groups: list[Group], total: int | None, subset: set[str]) -> tuple[int, int]:
    """Exact (min, max) of the sum of ``subset``'s counts under a table's constraints.

    Each group g has a sum G_g in [a_g, b_g] (its own bound and its members'),
    and the groups add up to ``total``. For a given G_g the least part inside
    the subset is ``max(sum l_in, G_g - sum u_out)``: zero cost up to
    ``sum l_in + sum u_out``, then one per extra unit. Minimising a sum of such
    convex functions under one total is greedy: every group starts at a_g and
    takes the remaining units where they cost nothing first.
    """

    def least(in_subset: set[str]) -> int:
        base = 0
        free = 0
        for g in groups:
            a, b = _own(g)
            l_in = sum(lo for c, (lo, _) in zip(g.members, g.member_bounds) if c in in_subset)
            u_out = sum(hi for c, (_, hi) in zip(g.members, g.member_bounds) if c not in in_subset)
            base += max(l_in, a - u_out)
            free += max(0, min(b, l_in + u_out) - a)
        if total is None:
            return base
        extra = total - sum(_own(g)[0] for g in groups)
        return base + max(0, extra - free)

    everything = {c for g in groups for c in g.members}
    low = least(subset & everything)
    if total is None:
        high = sum(
            min(
                _own(g)[1], sum(hi for c, (_, hi) in zip(g.members, g.member_bounds) if c in subset)
            )
            for g in groups
        )
    else:
        high = total - least(everything - subset)
    return low, high


# -- the re-issue check ---------------------------------------------------------------------


def _scalar_range(figures: dict[str, Any], name: str) -> tuple[int, int] | None:
    k = figures["threshold"]
    if figures.get("withheld"):
        return None
    value = figures.get(name)
    if value is not None:
        return value, value
    if name == "new_cases":
        return (0, k - 1) if figures.get("small_organisation") else None
    if name in (figures.get("suppressed_figures") or ()):
        return 1, k - 1
    return None


def _isolates(old: tuple[int, int], new: tuple[int, int], k: int) -> bool:
    low, high = new[0] - old[1], new[1] - old[0]
    if low <= 0 <= high:
        return False
    smallest = low if low > 0 else -high
    return smallest < k


def _tables(figures: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["id"]: t for t in figures.get("tables") or ()}


def _table_sets(table: dict[str, Any]) -> list[frozenset[str]]:
    sets = []
    hidden: set[str] = set()
    for row in table["rows"]:
        members = frozenset(row.get("members") or (row["code"],))
        sets.append(members)
        sets += [frozenset((c,)) for c in members]
        if row.get("suppressed") or len(members) > 1:
            hidden |= members
    if hidden:
        sets.append(frozenset(hidden))
    return sets


def isolations(old: dict[str, Any], new: dict[str, Any], issued: str = "") -> list[Isolation]:
    """Differences between two reports of one organisation and year that isolate < k cases."""
    k = max(int(old["threshold"]), int(new["threshold"]))
    found: list[Isolation] = []
    for name in ("new_cases", "open_at_year_end", "consultations"):
        a, b = _scalar_range(old, name), _scalar_range(new, name)
        if a is not None and b is not None and _isolates(a, b, k):
            found.append(Isolation(None, (name,), issued))
    old_tables, new_tables = _tables(old), _tables(new)
    for tid in old_tables.keys() & new_tables.keys():
        t_old, t_new = old_tables[tid], new_tables[tid]
        g_old = groups_of(t_old, int(old["threshold"]))
        g_new = groups_of(t_new, int(new["threshold"]))
        total_old = None if t_old.get("multi") else (t_old.get("total") or old.get("new_cases"))
        total_new = None if t_new.get("multi") else (t_new.get("total") or new.get("new_cases"))
        seen: set[frozenset[str]] = set()
        for subset in _table_sets(t_old) + _table_sets(t_new):
            if subset in seen:
                continue
            seen.add(subset)
            if t_old.get("multi") and len(subset) > 1:
                continue  # rows of a multi-valued table are not additive
            a = sum_range(g_old, total_old, set(subset))
            b = sum_range(g_new, total_new, set(subset))
            if _isolates(a, b, k):
                found.append(Isolation(tid, tuple(sorted(subset)), issued))
    return found


def check_reissue(previous: list[LedgerEntry], figures: dict[str, Any]) -> list[Isolation]:
    """Every isolating difference against every issued report (empty: fine)."""
    found: list[Isolation] = []
    for entry in previous:
        found += isolations(entry.figures, figures, entry.issued)
    return found
