"""The ledger of written reports and the re-issue check.

Every report that leaves the desk - any format, draft or final, from the
command line or the app, to a file or to standard output - is stored in the
index vault's ``report_ledger`` (org_id, year, issued, figures, digest, kind,
final, format): the published, language-neutral figures (what the employer
may have got) and a SHA-256 digest of them. Drafts count because any file may
reach the employer; they are marked as drafts in every format. The on-screen
preview writes nothing and is not recorded. Invoice specifications
(``kind = 'invoice'``) are kept in the same table (see ``invoice_conflicts``).

When a report for the same organisation and year is written again, its
figures are compared with every earlier written one. An outsider holding both
reports knows, for any set of categories, a range for its count in each
report, hence a range for the *difference*. A difference isolates fewer than
k cases when that range does not contain 0 and contains a value from 1 to k-1
(in either direction): "one late case, and it was sexual harassment". Such a
re-issue is refused. The ways out are explicit: keep the issued report (and
wait until the changes concern at least k cases), or issue again with every
case figure withheld (``disclosure.withhold_case_figures``; the hours on
cases are withheld with them).

Which sets are compared, and why that is complete
--------------------------------------------------
For a single-valued table a reader can add up any union of rows of either
report, and with the total also its complement; more generally, for *any* set
S of categories each report gives a range for the sum over S, and those ranges
are exact: the constraints form a laminar family (categories inside rows
inside the total), for which a greedy allocation is optimal (``sum_range``).
The check therefore looks at every set S of categories, with one reduction
that loses nothing: a category published on a row of its own with the same
count in both reports (0 included, and a category not listed at all counts
as a published 0) adds the same fixed number to S's range in both reports,
so S and S plus that category have exactly the same difference range. Every
subset of the remaining categories is checked (at most 2^9 for the largest
vocabulary table; usually a handful, since most rows do not change). Any set a
reader can compute - a row, a union of rows of either report, the hidden rest,
a row of one report minus a row of the other - is such an S, so no union can
be missed. A set is judged on its own knowledge only: when its difference range
is exactly the sum of the ranges of two disjoint parts (each checked itself),
it tells nothing beyond those parts ("bullying +5 exactly, harassment -3..3"
gives "both together +2..8" and singles no one out), so it is not refused for
that. ``tests/reports/bruteforce_reissue.py`` checks all of this by
enumerating every pair of worlds behind two publications.

Rows of the multi-valued tables (help, referrals) are not additive (a case
can be in several rows), so they are compared one by one, as are the scalars
(new cases, open at year end, contact moments).

Some things a reader holding an earlier report can use are not differences
of one figure: the quarter table being there in one report and not in the
other, a bound on "no outcome yet" from an earlier open count, and the hours
of invoice specifications beside "fewer than k" contact moments. ``earlier``
reads them from the ledger and ``disclosure.protect`` takes them into
account (disclosure.py, "Re-issues").

Hours on cases are a magnitude that reveals a frequency: a change between two
written reports of the same year says that casework on that year changed
("24.0 then 24.5": a late contact moment). A change of the published hours on
cases is an isolation unless the number of contact moments is published in
both reports and provably changed by at least k.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vp_desk.reports import disclosure
from vp_desk.reports.audit import Group, groups_of, hidden_values_multi, row_bounds

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
    final: bool = True
    fmt: str = ""
    kind: str = "report"


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


_COLUMNS = "id, org_id, year, issued, figures, digest, final, format, kind"


def _entry(r: tuple[Any, ...]) -> LedgerEntry:
    return LedgerEntry(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], bool(r[6]), r[7], r[8])


def entries(index: Connection, org_id: int, year: int, kind: str = "report") -> list[LedgerEntry]:
    """Every written report (or invoice specification) of an organisation and year."""
    rows = index.execute(
        f"SELECT {_COLUMNS} FROM report_ledger WHERE org_id = ? AND year = ? AND kind = ? "
        "ORDER BY id",
        (org_id, year, kind),
    ).fetchall()
    return [_entry(r) for r in rows]


def all_entries(index: Connection, org_id: int, kind: str) -> list[LedgerEntry]:
    rows = index.execute(
        f"SELECT {_COLUMNS} FROM report_ledger WHERE org_id = ? AND kind = ? ORDER BY id",
        (org_id, kind),
    ).fetchall()
    return [_entry(r) for r in rows]


def insert(
    index: Connection,
    org_id: int,
    year: int,
    issued: str,
    figures: dict[str, Any],
    *,
    final: bool = True,
    fmt: str = "",
    kind: str = "report",
) -> LedgerEntry:
    text = canonical(figures) if kind == "report" else _canonical_any(figures)
    dig = hashlib.sha256(text.encode()).hexdigest()
    cur = index.execute(
        "INSERT INTO report_ledger(org_id, year, issued, figures, digest, final, format, kind) "
        "VALUES (?,?,?,?,?,?,?,?)",
        (org_id, year, issued, text, dig, int(final), fmt, kind),
    )
    assert cur.lastrowid is not None  # an INSERT always sets it
    return LedgerEntry(cur.lastrowid, org_id, year, issued, json.loads(text), dig, final, fmt, kind)


def _canonical_any(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def distinct(previous: list[LedgerEntry]) -> list[LedgerEntry]:
    """The earliest entry of every distinct set of figures (identical ones add nothing)."""
    seen: set[str] = set()
    out = []
    for entry in previous:
        if entry.digest not in seen:
            seen.add(entry.digest)
            out.append(entry)
    return out


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


def _published_singles(table: dict[str, Any]) -> dict[str, int]:
    """Categories published on a row of their own, with their count."""
    out = {}
    for row in table["rows"]:
        members = row.get("members") or (row["code"],)
        if len(members) == 1 and not row.get("suppressed") and row.get("count") is not None:
            out[members[0]] = int(row["count"])
    return out


def _codes(table: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for row in table["rows"]:
        for c in row.get("members") or (row["code"],):
            if c not in out:
                out.append(c)
    return out


#: Above this many categories that differ, fall back to the rows, their
#: members and the hidden rest of either report (never reached with the
#: vocabulary's tables: the largest has 9 categories).
MAX_EXHAUSTIVE = 14


def relevant_codes(t_old: dict[str, Any], t_new: dict[str, Any]) -> list[str]:
    """The categories whose published value is not the same fixed number in both."""
    s_old, s_new = _published_singles(t_old), _published_singles(t_new)
    c_old, c_new = set(_codes(t_old)), set(_codes(t_new))
    out = []
    for c in _codes(t_old) + [c for c in _codes(t_new) if c not in c_old]:
        a = s_old.get(c, None if c in c_old else 0)
        b = s_new.get(c, None if c in c_new else 0)
        if a is None or b is None or a != b:
            out.append(c)
    return out


def _fallback_sets(table: dict[str, Any]) -> list[frozenset[str]]:
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


def candidate_sets(t_old: dict[str, Any], t_new: dict[str, Any]) -> list[frozenset[str]]:
    """Every set of categories whose difference must be checked (see the docstring)."""
    codes = relevant_codes(t_old, t_new)
    if t_old.get("multi") or t_new.get("multi"):
        return [frozenset((c,)) for c in codes]
    if len(codes) > MAX_EXHAUSTIVE:  # pragma: no cover - no table is that wide
        return list(dict.fromkeys(_fallback_sets(t_old) + _fallback_sets(t_new)))
    return [
        frozenset(c for i, c in enumerate(codes) if mask >> i & 1)
        for mask in range(1, 1 << len(codes))
    ]


class _Ranges:
    """``sum_range`` for one table, with the per-group work done once.

    A subset may be given as a set of codes or, after ``index(codes)``, as a
    bit mask over those codes; each group's share of the sums is cached by
    the part of the mask that falls in the group (most groups are a single
    category, so two values each).
    """

    def __init__(self, groups: list[Group], total: int | None):
        self.total = total
        self.groups = [(_own(g), tuple(zip(g.members, g.member_bounds))) for g in groups]
        self.everything = frozenset(c for g in groups for c in g.members)
        self.sum_a = sum(own[0] for own, _ in self.groups)
        self._bits: dict[str, int] = {}
        self._group_masks: list[int] = []
        self._cache: list[dict[int, tuple[int, int, int]]] = []

    def index(self, codes: list[str]) -> None:
        self._bits = {c: 1 << i for i, c in enumerate(codes)}
        self._group_masks = [
            sum(self._bits.get(c, 0) for c, _ in members) for _, members in self.groups
        ]
        self._cache = [{} for _ in self.groups]

    def _share(self, i: int, part: int) -> tuple[int, int, int]:
        """(least inside, free units, most inside) of group i for the bits ``part``."""
        cached = self._cache[i].get(part)
        if cached is None:
            (a, b), members = self.groups[i]
            l_in = u_out = u_in = 0
            for c, (lo, hi) in members:
                if self._bits.get(c, 0) & part:
                    l_in += lo
                    u_in += hi
                else:
                    u_out += hi
            cached = (max(l_in, a - u_out), max(0, min(b, l_in + u_out) - a), min(b, u_in))
            self._cache[i][part] = cached
        return cached

    def _least_mask(self, mask: int) -> tuple[int, int]:
        base = free = high = 0
        for i, gmask in enumerate(self._group_masks):
            least, spare, most = self._share(i, mask & gmask)
            base += least
            free += spare
            high += most
        if self.total is not None:
            base += max(0, self.total - self.sum_a - free)
        return base, high

    def range_mask(self, mask: int, full: int) -> tuple[int, int]:
        low, high = self._least_mask(mask)
        if self.total is not None:
            high = self.total - self._least_mask(full & ~mask)[0]
        return low, high

    def range(self, subset: frozenset[str]) -> tuple[int, int]:
        codes = sorted(self.everything)
        self.index(codes)
        mask = sum(self._bits[c] for c in subset if c in self._bits)
        return self.range_mask(mask, (1 << len(codes)) - 1)


def _table_total(table: dict[str, Any], figures: dict[str, Any]) -> int | None:
    if table.get("multi"):
        return None
    total = table.get("total")
    return total if total is not None else figures.get("new_cases")


def _hours_isolation(old: dict[str, Any], new: dict[str, Any], k: int) -> bool:
    h_old = (old.get("hours") or {}).get("cases")
    h_new = (new.get("hours") or {}).get("cases")
    if h_old is None or h_new is None or h_old == h_new:
        return False
    a, b = _scalar_range(old, "consultations"), _scalar_range(new, "consultations")
    if a is not None and b is not None:
        low, high = b[0] - a[1], b[1] - a[0]
        if low >= k or high <= -k:
            return False  # at least k contact moments more (or fewer): no one singled out
    return True


def isolations(old: dict[str, Any], new: dict[str, Any], issued: str = "") -> list[Isolation]:
    """Differences between two reports of one organisation and year that isolate < k cases."""
    k = max(int(old["threshold"]), int(new["threshold"]))
    found: list[Isolation] = []
    for name in ("new_cases", "open_at_year_end", "consultations"):
        a, b = _scalar_range(old, name), _scalar_range(new, name)
        if a is not None and b is not None and _isolates(a, b, k):
            found.append(Isolation(None, (name,), issued))
    if _hours_isolation(old, new, k):
        found.append(Isolation(None, ("hours_cases",), issued))
    old_tables, new_tables = _tables(old), _tables(new)
    for tid in [t for t in old_tables if t in new_tables]:
        t_old, t_new = old_tables[tid], new_tables[tid]
        r_old = _Ranges(groups_of(t_old, int(old["threshold"])), _table_total(t_old, old))
        r_new = _Ranges(groups_of(t_new, int(new["threshold"])), _table_total(t_new, new))
        subsets = _table_isolations(t_old, t_new, r_old, r_new, k)
        if t_old.get("multi") or t_new.get("multi"):
            subsets += _multi_gap_isolations(t_old, old, t_new, new, k, subsets)
        for subset in subsets:
            found.append(Isolation(tid, tuple(sorted(subset)), issued))
    return found


def _intervals(values: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for v in values:
        if out and out[-1][1] == v - 1:
            out[-1] = (out[-1][0], v)
        else:
            out.append((v, v))
    return out


def _multi_row_values(
    table: dict[str, Any], figures: dict[str, Any], code: str
) -> list[tuple[int, int]]:
    """What one row of a multi-valued table can hold, as intervals.

    A row shown as "hidden" holds 1..k-1 *or* more than total - k: two
    intervals with a gap, where the interval hull used for sums would
    wrongly allow every value in between.
    """
    k = int(figures["threshold"])
    total = table.get("total")
    if total is None:
        total = figures.get("new_cases")
    row = next((r for r in table["rows"] if (r.get("members") or [r["code"]]) == [code]), None)
    if row is None:
        return [(0, 0)]  # not listed: a published 0
    if row.get("suppressed") and row.get("suppressed_as") == "hidden" and total is not None:
        return _intervals(hidden_values_multi(k, int(total)))
    low, high = row_bounds(row, k, total, True)
    return [(low, high)]


def _multi_gap_isolations(
    t_old: dict[str, Any],
    old: dict[str, Any],
    t_new: dict[str, Any],
    new: dict[str, Any],
    k: int,
    already: list[frozenset[str]],
) -> list[frozenset[str]]:
    """Rows of a multi-valued table whose difference, taken over the exact
    value sets rather than their hull, excludes 0 yet allows a change of 1..k-1
    ("hidden" then 6: either 2..5 more, or 10 or more fewer)."""
    out = []
    for code in relevant_codes(t_old, t_new):
        if frozenset((code,)) in already:
            continue
        a = _multi_row_values(t_old, old, code)
        b = _multi_row_values(t_new, new, code)
        diffs = [(bl - ah, bh - al) for al, ah in a for bl, bh in b]
        if any(lo <= 0 <= hi for lo, hi in diffs):
            continue
        if any(min(abs(lo), abs(hi)) < k or lo < 0 < hi for lo, hi in diffs):
            out.append(frozenset((code,)))
    return out


def _table_isolations(
    t_old: dict[str, Any], t_new: dict[str, Any], r_old: _Ranges, r_new: _Ranges, k: int
) -> list[frozenset[str]]:
    """The sets whose difference isolates and says more than its parts.

    A set S whose difference range is exactly the sum of the ranges of two
    disjoint parts tells a reader nothing beyond those parts (each part is
    checked on its own). "Bullying rose by exactly 5, harassment by -3..3"
    gives "bullying + harassment rose by 2..8": no case is singled out by
    the union that the parts did not single out. Only sets whose range is
    tighter than any split of them - new knowledge - are judged.
    """
    codes = relevant_codes(t_old, t_new)
    multi = bool(t_old.get("multi") or t_new.get("multi"))
    if len(codes) > MAX_EXHAUSTIVE:  # pragma: no cover - no table is that wide
        out = []
        for subset in candidate_sets(t_old, t_new):
            a, b = r_old.range(subset), r_new.range(subset)
            if _isolates(a, b, k):
                out.append(subset)
        return out
    everything = sorted(r_old.everything | r_new.everything | set(codes))
    r_old.index(everything)
    r_new.index(everything)
    full = (1 << len(everything)) - 1
    bit = {c: 1 << everything.index(c) for c in codes}
    # masks over ``codes`` (0..2^n-1) -> masks over ``everything``
    n = len(codes)
    masks = [1 << i for i in range(n)] if multi else list(range(1, 1 << n))
    wide = {}
    for mask in masks:
        wide[mask] = sum(bit[codes[i]] for i in range(n) if mask >> i & 1)
    diffs: dict[int, tuple[int, int]] = {}
    for mask in masks:
        a = r_old.range_mask(wide[mask], full)
        b = r_new.range_mask(wide[mask], full)
        diffs[mask] = (b[0] - a[1], b[1] - a[0])
    out = []
    for mask in masks:
        low, high = diffs[mask]
        if low <= 0 <= high or min(abs(low), abs(high)) >= k:
            continue
        if mask & (mask - 1) and _splits_additively(mask, diffs):
            continue
        out.append(frozenset(codes[i] for i in range(n) if mask >> i & 1))
    return out


def _splits_additively(mask: int, diffs: dict[int, tuple[int, int]]) -> bool:
    low, high = diffs[mask]
    lowest = mask & -mask
    rest = mask ^ lowest
    part = rest
    while True:  # every sub-mask of ``rest``; the part holding the lowest bit
        if part != rest:
            one = part | lowest
            other = mask ^ one
            p, q = diffs[one], diffs[other]
            if p[0] + q[0] == low and p[1] + q[1] == high:
                return True
        if part == 0:
            return False
        part = (part - 1) & rest


def check_reissue(previous: list[LedgerEntry], figures: dict[str, Any]) -> list[Isolation]:
    """Every isolating difference against every earlier written report (empty: fine)."""
    found: list[Isolation] = []
    dig = digest(figures)
    for entry in distinct(previous):
        if entry.digest == dig:
            continue
        found += isolations(entry.figures, figures, entry.issued)
    return found


# -- what earlier written reports bind ---------------------------------------------------------


def earlier(
    reports: list[LedgerEntry], invoices: list[LedgerEntry], year: int
) -> disclosure.Earlier:
    """What the earlier reports and invoice specifications of one organisation
    bind in a report for ``year`` written now (``disclosure.Earlier``).

    - the quarter table: as the first written report with a breakdown had it
      (present or absent), so that neither its disappearance ("a quarter
      dropped below k") nor its appearance ("the small quarter grew") tells
      anything;
    - "no outcome yet" bounded: any report (not withheld) that published open
      at year end, as a number or as "fewer than k", or the outcome table's
      ``none`` on a row of its own; or exposed: in a combined row or "hidden";
    - the casework minutes of the year's months in invoice specifications
      (each month as first specified) and whether all twelve are covered.
    """
    quarters: bool | None = None
    none_bounded = none_exposed = False
    for entry in reports:
        figures = entry.figures
        if figures.get("withheld") or not figures.get("tables"):
            continue
        tables = _tables(figures)
        if quarters is None:
            quarters = "quarter" in tables
        outcome = tables.get("outcome")
        if outcome is not None and disclosure.none_exposed(outcome["rows"]):
            none_exposed = True
        elif figures.get("open_at_year_end") is not None or "open_at_year_end" in (
            figures.get("suppressed_figures") or ()
        ):
            none_bounded = True
        elif outcome is not None and any(row["code"] == "none" for row in outcome["rows"]):
            none_bounded = True
    prefix = f"{int(year):04d}-"
    months: dict[str, int] = {}
    for entry in invoices:
        for month, value in (entry.figures.get("months") or {}).items():
            if month.startswith(prefix):
                months.setdefault(month, int(value.get("cases", 0)))
    return disclosure.Earlier(
        quarters=quarters,
        none_bounded=none_bounded,
        none_exposed=none_exposed,
        invoiced_case_minutes=sum(months.values()) if months else None,
        year_invoiced=len(months) == 12,
    )


# -- invoice specifications -------------------------------------------------------------------


def invoice_conflicts(previous: list[LedgerEntry], months: dict[str, dict[str, Any]]) -> list[str]:
    """Months whose hours changed since an earlier specification that covered them.

    An invoice specification is a sum of whole months. Two specifications that
    share a month, with different hours for that month, tell the employer
    that work in that month was added (or removed) afterwards - a late
    contact moment of 30 minutes. Any linear combination a reader can form of
    the specifications only involves month totals, so if every month keeps
    the value it had in every earlier specification, nothing new is learnt
    about a month: the check is complete.
    """
    changed: list[str] = []
    for entry in previous:
        for month, value in (entry.figures.get("months") or {}).items():
            if month in months and months[month] != value and month not in changed:
                changed.append(month)
    return sorted(changed)
