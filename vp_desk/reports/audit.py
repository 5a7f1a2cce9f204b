"""The disclosure audit: can anything hidden be worked out from what is published?

``audit(figures)`` looks only at the PUBLISHED figures of a report (the
language-neutral dict that every output format is rendered from) and at the
public vocabulary. For every count that is not published on its own - a row
shown as "fewer than k", or a category folded into a merged row - it computes
the range of values that is consistent with everything published, and reports
a problem if that range is a single value. It also re-checks the primary rules
(every published count is 0 or at least k, no breakdown below k new cases,
quarters only when every quarter reaches k). ``ensure_safe`` raises on any
problem; the report service calls it before every report is written.

The constraints an outsider has
--------------------------------
For a single-valued table (each case in exactly one row; the rows add up to
the table's total, which is ``new_cases`` - published whenever a breakdown is):

- a published row: its categories add up to that number;
- a "fewer than k" row: its categories add up to a number from 1 to k-1
  (0 is always published, so a hidden count is never 0);
- a merged row ("other categories combined") lists its member categories. When
  ``members_below_threshold`` is true each member is known to be 0..k-1 (that
  is the public merge rule); otherwise a member can be anything from 0 to the
  row's count;
- all counts are non-negative integers and the rows add up to the total.

The rows are disjoint groups of categories, so the system is a box of
integer intervals cut by one equation per group and one for the total. Sums of
integer intervals are integer intervals, which makes the following exact
(no linear programming needed):

1. group g can take ``[a_g, b_g]`` = its own bound intersected with the sum of
   its members' bounds;
2. with the total T: ``G_g in [max(a_g, T - sum_{h != g} b_h), min(b_g, T - sum_{h != g} a_h)]``;
3. a member c of g: ``x_c in [max(l_c, Gmin - sum_{others} u), min(u_c, Gmax - sum_{others} l)]``.

Tables share nothing but their total, which is published, so tables can be
audited one at a time: no cross-tabulation is ever published.

Multi-valued tables (help, referrals: a case can be in several rows, or in
none) give each row only ``0 <= count <= total``; there is no equation tying
the rows together, so a hidden row ranges over 1..min(k-1, total): at least
two values because k >= 3 and the total is at least k. (That is also why the
report has no "no referral" row: it would add exactly such an equation.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vp_desk.domain.models import MIN_THRESHOLD

INF = 10**9


@dataclass(frozen=True)
class CellRange:
    table: str
    code: str  # a category code, or "row:<code>" for a whole row
    low: int
    high: int

    @property
    def single(self) -> bool:
        return self.low == self.high


@dataclass
class AuditResult:
    ranges: list[CellRange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class DisclosureRisk(Exception):
    """Raised by ``ensure_safe``; the report must not be written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


# -- one table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """One published row: members, the row's bound and each member's bound."""

    row: str
    members: tuple[str, ...]
    low: int
    high: int
    member_bounds: tuple[tuple[int, int], ...]
    hidden: bool  # the row's own count is not published


def groups_of(table: dict[str, Any], k: int) -> list[Group]:
    groups = []
    for row in table["rows"]:
        members = tuple(row.get("members") or (row["code"],))
        if row.get("suppressed"):
            low, high = 1, k - 1
        else:
            low = high = int(row["count"])
        if len(members) == 1:
            bounds: tuple[tuple[int, int], ...] = ((low, high),)
        elif row.get("members_below_threshold"):
            bounds = tuple((0, min(k - 1, high)) for _ in members)
        else:
            bounds = tuple((0, high) for _ in members)
        groups.append(Group(row["code"], members, low, high, bounds, bool(row.get("suppressed"))))
    return groups


def single_table_ranges(
    groups: list[Group], total: int | None, table_id: str = ""
) -> tuple[list[CellRange], list[CellRange], bool]:
    """(row ranges, category ranges, feasible) for a single-valued table."""
    own = []
    for g in groups:
        low = max(g.low, sum(b[0] for b in g.member_bounds))
        high = min(g.high, sum(b[1] for b in g.member_bounds))
        own.append((low, high))
    feasible = all(lo <= hi for lo, hi in own)
    sum_low = sum(lo for lo, _ in own)
    sum_high = sum(hi for _, hi in own)
    if total is not None:
        feasible = feasible and sum_low <= total <= sum_high
    rows: list[CellRange] = []
    cells: list[CellRange] = []
    for g, (lo, hi) in zip(groups, own):
        if total is not None:
            lo, hi = max(lo, total - (sum_high - hi)), min(hi, total - (sum_low - lo))
        rows.append(CellRange(table_id, f"row:{g.row}", lo, hi))
        b_low = sum(b[0] for b in g.member_bounds)
        b_high = sum(b[1] for b in g.member_bounds)
        for code, (l_c, u_c) in zip(g.members, g.member_bounds):
            c_lo = max(l_c, lo - (b_high - u_c))
            c_hi = min(u_c, hi - (b_low - l_c))
            cells.append(CellRange(table_id, code, c_lo, c_hi))
    feasible = feasible and all(r.low <= r.high for r in rows + cells)
    return rows, cells, feasible


def single_table_safe(groups: list[Group], total: int | None) -> bool:
    """True when no hidden row or folded category can be pinned to one value."""
    rows, cells, feasible = single_table_ranges(groups, total)
    if not feasible:
        return False
    hidden_rows = {g.row for g in groups if g.hidden}
    folded = {c for g in groups if len(g.members) > 1 for c in g.members}
    hidden_cells = {g.members[0] for g in groups if g.hidden and len(g.members) == 1} | folded
    if any(r.single for r in rows if r.code[4:] in hidden_rows):
        return False
    return not any(c.single for c in cells if c.code in hidden_cells)


# -- the whole report -----------------------------------------------------------------------


def audit(figures: dict[str, Any]) -> AuditResult:
    """Audit the published figures of one report (see the module docstring)."""
    result = AuditResult()
    problems = result.problems
    k = int(figures.get("threshold") or 0)
    if k < MIN_THRESHOLD:
        problems.append(f"the threshold is {k}; it must be at least {MIN_THRESHOLD}")
        return result
    new_cases = figures.get("new_cases")
    suppressed_figures = set(figures.get("suppressed_figures") or ())

    def check_count(where: str, value: int | None) -> None:
        if value is not None and 0 < value < k:
            problems.append(f"{where}: a published count is below the threshold")

    if new_cases is not None and new_cases < k:
        problems.append("new cases: published although fewer than the threshold")
    for name in ("open_at_year_end", "consultations"):
        check_count(name, figures.get(name))
        if name in suppressed_figures and figures.get(name) is not None:
            problems.append(f"{name}: marked as fewer than the threshold but published")
    if new_cases is None and figures.get("contacts_per_100_employees") is not None:
        problems.append("cases per 100 employees: would give away the hidden number of new cases")
    tables = figures.get("tables") or []
    if new_cases is None and tables:
        problems.append(
            "a breakdown is published although there were fewer new cases than "
            "the threshold (small-organisation rule)"
        )
    for table in tables:
        tid = table["id"]
        total = table.get("total")
        if total is None:
            total = new_cases
        elif new_cases is not None and not table.get("multi") and total != new_cases:
            problems.append(f"table {tid}: its total differs from the number of new cases")
        for row in table["rows"]:
            if row.get("suppressed"):
                if row.get("count") is not None:
                    problems.append(f"table {tid}: a suppressed row still shows its count")
            else:
                check_count(f"table {tid}", row.get("count"))
        if tid == "quarter":
            if any(r.get("suppressed") or (r.get("count") or 0) < k for r in table["rows"]):
                problems.append(
                    "quarters: published although a quarter has fewer cases than the threshold"
                )
        if table.get("multi"):
            _audit_multi(table, k, total, result)
        else:
            _audit_single(table, k, total, result)
    return result


def _audit_multi(table: dict[str, Any], k: int, total: int | None, result: AuditResult) -> None:
    tid = table["id"]
    top = total if total is not None else INF
    for row in table["rows"]:
        if row.get("members"):
            result.problems.append(
                f"table {tid}: merged rows are not allowed in a table where "
                "a case can be in several rows"
            )
            continue
        if row.get("suppressed"):
            rng = CellRange(tid, row["code"], 1, min(k - 1, top))
            result.ranges.append(rng)
            if rng.single or rng.low > rng.high:
                result.problems.append(
                    f"table {tid}: the hidden count of '{row['code']}' can be worked out"
                )


def _audit_single(table: dict[str, Any], k: int, total: int | None, result: AuditResult) -> None:
    tid = table["id"]
    groups = groups_of(table, k)
    rows, cells, feasible = single_table_ranges(groups, total, tid)
    if not feasible:
        result.problems.append(f"table {tid}: the published numbers contradict each other")
        return
    hidden_rows = {g.row for g in groups if g.hidden}
    for r in rows:
        if r.code[4:] in hidden_rows:
            result.ranges.append(r)
            if r.single:
                result.problems.append(
                    f"table {tid}: the hidden count of '{r.code[4:]}' can be "
                    "worked out from the other numbers"
                )
    for g in groups:
        if len(g.members) < 2:
            continue
        for c in cells:
            if c.code in g.members:
                result.ranges.append(c)
                if c.single:
                    result.problems.append(
                        f"table {tid}: the count of '{c.code}' inside '{g.row}' can be worked out"
                    )


def ensure_safe(figures: dict[str, Any]) -> AuditResult:
    result = audit(figures)
    if not result.ok:
        raise DisclosureRisk(result.problems)
    return result
