"""An independent check of the disclosure audit, by plain enumeration.

Written without the audit's formulas: it lists every vector of non-negative
integers that matches what a published table says and collects, per hidden
category, the values it can take. Only for small totals.
"""

from __future__ import annotations


def hidden_values(table: dict, k: int, total: int) -> dict[str, set[int]]:
    """code -> possible values, for every category whose count is not published."""
    fixed: dict[str, int] = {}
    rows = []  # (members, low, high, member_high)
    for row in table["rows"]:
        members = list(row.get("members") or [row["code"]])
        low, high = (1, k - 1) if row["suppressed"] else (row["count"], row["count"])
        if len(members) == 1 and not row["suppressed"]:
            fixed[members[0]] = row["count"]
            continue
        member_high = k - 1 if row.get("members_below_threshold") else total
        rows.append((members, low, high, member_high))
    rest = total - sum(fixed.values())
    found: dict[str, set[int]] = {c: set() for members, *_ in rows for c in members}

    def fill(i: int, left: int, chosen: dict[str, int]) -> None:
        if i == len(rows):
            if left == 0:
                for code, value in chosen.items():
                    found[code].add(value)
            return
        members, low, high, member_high = rows[i]
        for part in _parts(len(members), low, min(high, left), member_high):
            chosen.update(zip(members, part))
            fill(i + 1, left - sum(part), chosen)
        for code in members:
            chosen.pop(code, None)

    fill(0, rest, {})
    return found


def _parts(n: int, low: int, high: int, cap: int):
    """Every tuple of n values in 0..cap whose sum lies in [low, high]."""

    def rec(n: int, budget: int):
        if n == 0:
            yield ()
            return
        for v in range(min(cap, budget) + 1):
            for tail in rec(n - 1, budget - v):
                yield (v,) + tail

    for part in rec(n, high):
        if low <= sum(part) <= high:
            yield part


def compositions(total: int, parts: int):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for tail in compositions(total - first, parts - 1):
            yield (first,) + tail
