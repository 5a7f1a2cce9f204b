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
        if not row["suppressed"]:
            low = high = row["count"]
        elif row.get("suppressed_as") == "hidden":  # complementary: k or more
            low, high = k, total
        else:
            low, high = 1, k - 1
        if len(members) == 1 and not row["suppressed"]:
            fixed[members[0]] = row["count"]
            continue
        member_high = k - 1 if row.get("members_below_threshold") else total
        member_low = 1 if row.get("members_nonzero") else 0
        rows.append((members, low, high, member_low, member_high))
    rest = total - sum(fixed.values())
    found: dict[str, set[int]] = {c: set() for members, *_ in rows for c in members}

    def fill(i: int, left: int, chosen: dict[str, int]) -> None:
        if i == len(rows):
            if left == 0:
                for code, value in chosen.items():
                    found[code].add(value)
            return
        members, low, high, member_low, member_high = rows[i]
        for part in _parts(len(members), low, min(high, left), member_high):
            if min(part) < member_low:
                continue
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


def rule_knowing_reader(rule, n: int, totals, k: int) -> dict:
    """Every table of ``n`` categories with a total in ``totals``, grouped by what
    ``rule(codes, counts, k)`` publishes: a reader who knows the rule learns only
    that the true table is one of its group.

    Returns counts over all (table, category not published exactly):
    ``hidden`` cells, ``pinned`` (one value in every table of the group),
    ``narrow`` (the group's values span fewer than ``interval`` values,
    ``interval`` given by the caller through ``rule.interval``), ``group``
    (categories, published or not, that hold more than total - k cases in every
    table of the group: group disclosure) and the smallest span and number of
    distinct values seen.
    """
    codes = [f"c{i}" for i in range(n)]
    interval = getattr(rule, "interval", lambda k: 2)(k)
    out = {
        "tables": 0,
        "hidden": 0,
        "pinned": 0,
        "narrow": 0,
        "group": 0,
        "min_span": None,
        "min_values": None,
    }
    for total in totals:
        groups: dict[str, list[tuple[int, ...]]] = {}
        shown_of: dict[str, set[str]] = {}
        for counts in compositions(total, n):
            rows = rule(codes, dict(zip(codes, counts)), k)
            key = repr(rows)
            groups.setdefault(key, []).append(counts)
            if key not in shown_of:
                shown_of[key] = {
                    r["code"] for r in rows if not r["suppressed"] and not r.get("members")
                }
        for key, worlds in groups.items():
            out["tables"] += len(worlds)
            for i, code in enumerate(codes):
                if min(w[i] for w in worlds) > total - k:
                    out["group"] += len(worlds)  # surely all but fewer than k in one category
                if code in shown_of[key]:
                    continue
                values = {w[i] for w in worlds}
                span = max(values) - min(values) + 1
                out["hidden"] += len(worlds)
                if len(values) == 1:
                    out["pinned"] += len(worlds)
                if span < interval:
                    out["narrow"] += len(worlds)
                if out["min_span"] is None or span < out["min_span"]:
                    out["min_span"] = span
                if out["min_values"] is None or len(values) < out["min_values"]:
                    out["min_values"] = len(values)
    return out
