"""The disclosure audit: can anything hidden be worked out from what is published?

``audit(figures)`` looks only at the PUBLISHED figures of a report (the
language-neutral dict that every output format is rendered from) and at the
public vocabulary. For every count that is not published on its own - a row
shown as "fewer than k", or a category folded into a merged row - it computes
the range of values that is consistent with everything published, and reports
a problem if that range is a single value or holds fewer values than the
**protection interval** ``k // 2 + 1``, or if a category is known to hold all
cases or all but fewer than k (**group disclosure**). For the forms of a
single-valued table that tell a reader who knows the rule more than the
numbers do (a row shown as "hidden", zeros beside a combined row) it redoes
the rule-knowing check from the published rows (``rule_knowing_problems``).
It also re-checks the primary rules (every published count is 0 or at least
k, no breakdown below k new cases, quarters only when every quarter reaches
k). ``ensure_safe`` raises on any problem; the report service calls it before
every report is written. disclosure.py explains the rules.

The constraints an outsider has
--------------------------------
For a single-valued table (each case in exactly one row; the rows add up to
the table's total, which is ``new_cases`` - published whenever a breakdown is):

- a published row: its categories add up to that number;
- a "fewer than k" row: its categories add up to a number from 1 to k-1
  (0 is always published, so a hidden count is never 0);
- a row shown as "hidden" (``suppressed_as == "hidden"``, complementary
  suppression): k or more, up to the total;
- a merged row ("other categories combined") lists its member categories. When
  ``members_below_threshold`` is true each member is known to be 0..k-1 (that
  is the public merge rule); otherwise a member can be anything from 0 to the
  row's count, or from 1 when ``members_nonzero`` (zeros beside a combined
  row: the empty categories are published as 0, so every member holds a case);
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
the rows together. A published row is 0 or from k to total - k; a row shown
as "hidden" is 1..k-1 or total-k+1..total (at least k values); an older
"fewer than k" row ranges over 1..min(k-1, total). (That is also why the
report has no "no referral" row: it would add exactly such an equation.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vp_desk.domain.models import MIN_THRESHOLD

INF = 10**9
#: ``suppressed_as`` of a row shown as "hidden" rather than "fewer than k".
HIDDEN = "hidden"


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


def protection_interval(k: int) -> int:
    """The fewest values the range of a hidden count may hold: ``k // 2 + 1``.

    3 for k = 5 (so never "1 or 2"), 2 for k = 3 (a "fewer than 3" may never
    be narrowed at all), 4 for k = 6 and 7.
    """
    return k // 2 + 1


def row_bounds(
    row: dict[str, Any], k: int, total: int | None, multi: bool = False
) -> tuple[int, int]:
    """What the public rule says a row's count can be, before any arithmetic."""
    if not row.get("suppressed"):
        return int(row["count"]), int(row["count"])
    top = total if total is not None else INF
    if row.get("suppressed_as") == HIDDEN:
        if multi:  # 1..k-1 or more than total - k: the hull of hidden_values_multi
            return 1, top
        return k, top  # complementary suppression hides only counts of k or more
    return 1, k - 1


def groups_of(table: dict[str, Any], k: int, total: int | None = None) -> list[Group]:
    if total is None:
        total = table.get("total")
    groups = []
    for row in table["rows"]:
        members = tuple(row.get("members") or (row["code"],))
        low, high = row_bounds(row, k, total, bool(table.get("multi")))
        floor = 1 if row.get("members_nonzero") else 0
        if len(members) == 1:
            bounds: tuple[tuple[int, int], ...] = ((low, high),)
        elif row.get("members_below_threshold"):
            bounds = tuple((floor, min(k - 1, high)) for _ in members)
        else:
            bounds = tuple((floor, high) for _ in members)
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


def check_single(
    table: dict[str, Any], k: int, total: int | None
) -> tuple[list[CellRange], list[str]]:
    """(ranges of every hidden count, problems) of one single-valued table.

    Problems: contradictory numbers; a hidden row or folded category whose
    range is a single value (pinned) or holds fewer values than the
    protection interval; a published category holding every case, or all but
    fewer than k of them (group disclosure, see disclosure.py).
    """
    tid = table.get("id", "")
    groups = groups_of(table, k, total)
    rows, cells, feasible = single_table_ranges(groups, total, tid)
    if not feasible:
        return [], [f"table {tid}: the published numbers contradict each other"]
    problems: list[str] = []
    ranges: list[CellRange] = []
    p = protection_interval(k)
    hidden_rows = {g.row for g in groups if g.hidden}
    for r in rows:
        if r.code[4:] in hidden_rows:
            ranges.append(r)
            if r.single:
                problems.append(
                    f"table {tid}: the hidden count of '{r.code[4:]}' can be "
                    "worked out from the other numbers"
                )
            elif r.high - r.low + 1 < p:
                problems.append(
                    f"table {tid}: the hidden count of '{r.code[4:]}' can be narrowed "
                    f"to {r.low}..{r.high}, fewer than {p} values"
                )
    for g in groups:
        if len(g.members) < 2:
            continue
        for c in cells:
            if c.code in g.members:
                ranges.append(c)
                if c.single:
                    problems.append(
                        f"table {tid}: the count of '{c.code}' inside '{g.row}' can be worked out"
                    )
                elif c.high - c.low + 1 < p:
                    problems.append(
                        f"table {tid}: the count of '{c.code}' inside '{g.row}' can be "
                        f"narrowed to {c.low}..{c.high}, fewer than {p} values"
                    )
    if total is not None:
        for g in groups:
            if len(g.members) == 1 and not g.hidden and g.low > 0 and total - g.low < k:
                problems.append(
                    f"table {tid}: '{g.row}' holds all cases or all but fewer than "
                    f"{k} (group disclosure)"
                )
        for r in ranges:
            if r.low > total - k:
                problems.append(
                    f"table {tid}: '{r.code.removeprefix('row:')}' is known to hold all but "
                    f"fewer than {k} cases (group disclosure)"
                )
    return ranges, problems


def single_table_safe(table: dict[str, Any], k: int, total: int | None) -> bool:
    return not check_single(table, k, total)[1]


def multi_publishable(count: int, k: int, total: int) -> bool:
    """A row of a multi-valued table is published when it is 0, or from k to total - k.

    Its complement (the cases without that kind of help) is a count too: a row
    of total - k + 1 or more would say "all but fewer than k", and a row equal
    to the total "every case" (group disclosure).
    """
    return count == 0 or k <= count <= total - k


def hidden_values_multi(k: int, total: int) -> list[int]:
    """What a hidden row of a multi-valued table can be, by the public rule."""
    return [v for v in range(1, total + 1) if not multi_publishable(v, k, total)]


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
        if tid == "quarter" and not table.get("kept"):
            # A quarter table kept because an earlier written report of the year
            # showed it is audited like any single-valued table (below).
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
        if not row.get("suppressed"):
            count = row.get("count") or 0
            if total is not None and count and not multi_publishable(count, k, total):
                result.problems.append(
                    f"table {tid}: '{row['code']}' holds all cases or all but fewer than "
                    f"{k} (group disclosure)"
                )
            continue
        if row.get("suppressed_as") == HIDDEN and total is not None:
            values = hidden_values_multi(k, total)
        else:
            values = list(range(1, min(k - 1, top) + 1))
        rng = CellRange(tid, row["code"], min(values, default=1), max(values, default=0))
        result.ranges.append(rng)
        if len(values) < 2:
            result.problems.append(
                f"table {tid}: the hidden count of '{row['code']}' can be worked out"
            )
        elif len(values) < protection_interval(k):
            result.problems.append(
                f"table {tid}: the hidden count of '{row['code']}' has fewer than "
                f"{protection_interval(k)} possible values"
            )


def _audit_single(table: dict[str, Any], k: int, total: int | None, result: AuditResult) -> None:
    ranges, problems = check_single(table, k, total)
    result.ranges.extend(ranges)
    result.problems.extend(problems)
    if total is not None and not problems:
        result.problems.extend(rule_knowing_problems(table, k, total))


def rule_knowing_problems(table: dict[str, Any], k: int, total: int) -> list[str]:
    """What a reader who knows the rule learns from the *form* of a single-valued table.

    The ranges above use only the published numbers. A table with a row shown
    as "hidden" (complementary suppression) or with a combined row of nonzero
    members beside zeros also tells the reader that the earlier forms failed;
    this redoes, from the published rows alone, the check that disclosure.py
    made when it chose the form (see its docstring).
    """
    from vp_desk.reports import disclosure  # late: disclosure imports this module

    tid = table.get("id", "")
    rows = table["rows"]
    hidden = [i for i, r in enumerate(rows) if r.get("suppressed_as") == HIDDEN]
    nonzero_merged = [r for r in rows if r.get("members") and r.get("members_nonzero")]
    problems: list[str] = []
    if hidden:
        small = [r for r in rows if r.get("suppressed") and r.get("suppressed_as") != HIDDEN]
        rest = total - sum(r["count"] for r in rows if not r.get("suppressed"))
        sets = disclosure.complementary_values(len(small), rest, total, k)
        later_large = any(
            not r.get("suppressed") and (r.get("count") or 0) >= k for r in rows[hidden[-1] + 1 :]
        )
        if len(hidden) != 1 or not small or later_large or sets is None:
            problems.append(f"table {tid}: a hidden row that the rule would not have produced")
        elif not all(disclosure.wide_enough(v, k, total) for v in sets):
            problems.append(
                f"table {tid}: knowing the rule, a reader can narrow a hidden count "
                f"to fewer than {protection_interval(k)} values"
            )
    if nonzero_merged:
        others = [r for r in rows if not r.get("members")]
        members = nonzero_merged[0]["members"]
        if (
            len(nonzero_merged) != 1
            or any(r.get("suppressed") or r.get("count") for r in others)
            or not disclosure.zeros_merged_fits(len(members), total, k)
        ):
            problems.append(
                f"table {tid}: knowing the rule, a reader can narrow a count inside "
                f"'{nonzero_merged[0]['code']}'"
            )
    return problems


def ensure_safe(figures: dict[str, Any]) -> AuditResult:
    result = audit(figures)
    if not result.ok:
        raise DisclosureRisk(result.problems)
    return result
