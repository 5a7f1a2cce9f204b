"""An independent check of the re-issue check, by plain enumeration.

Written without the ledger's formulas: for two publications of one
single-valued table it lists every count vector behind each of them and, for
every set of categories, the smallest and largest possible difference of its
sum between the two reports (the two reports are independent worlds: late
cases, closings, deletions may change anything). Only for small totals.
"""

from __future__ import annotations

from itertools import combinations

from tests.reports.bruteforce import compositions


def worlds(rows: list[dict], codes: list[str], k: int, total: int):
    """Every count vector over ``codes`` consistent with the published rows and total."""
    for counts in compositions(total, len(codes)):
        world = dict(zip(codes, counts))
        ok = True
        listed = set()
        for row in rows:
            members = row.get("members") or [row["code"]]
            listed.update(members)
            value = sum(world[c] for c in members)
            if row["suppressed"] and row.get("suppressed_as") == "hidden":
                ok = ok and value >= k  # complementary suppression: a count of k or more
            elif row["suppressed"]:
                ok = ok and 1 <= value <= k - 1
            else:
                ok = ok and value == row["count"]
            if row.get("members_nonzero"):  # zeros shown beside: every member holds a case
                ok = ok and all(world[c] >= 1 for c in members)
            if row.get("members_below_threshold"):
                ok = ok and all(world[c] <= k - 1 for c in members)
            if not ok:
                break
        # a category that is not listed at all is known to be 0
        if ok and all(world[c] == 0 for c in codes if c not in listed):
            yield world


def subsets(codes: list[str]):
    for size in range(1, len(codes) + 1):
        yield from (frozenset(s) for s in combinations(codes, size))


def difference_ranges(
    old_rows: list[dict],
    new_rows: list[dict],
    codes: list[str],
    k_old: int,
    k_new: int,
    total_old: int,
    total_new: int,
) -> dict[frozenset[str], tuple[int, int]]:
    """Set of categories -> (least, greatest) change of its sum from old to new."""
    old = list(worlds(old_rows, codes, k_old, total_old))
    new = list(worlds(new_rows, codes, k_new, total_new))
    assert old and new, "each publication must be consistent with its own true table"
    out = {}
    for s in subsets(codes):
        old_sums = [sum(w[c] for c in s) for w in old]
        new_sums = [sum(w[c] for c in s) for w in new]
        out[s] = (min(new_sums) - max(old_sums), max(new_sums) - min(old_sums))
    return out


def isolates(rng: tuple[int, int], k: int) -> bool:
    low, high = rng
    return not (low <= 0 <= high) and min(abs(low), abs(high)) < k


def additive_split(s: frozenset[str], ranges: dict) -> bool:
    """Is the range of ``s`` exactly the sum of the ranges of two disjoint parts?"""
    items = sorted(s)
    for size in range(1, len(items)):
        for part in combinations(items, size):
            a, b = ranges[frozenset(part)], ranges[s - frozenset(part)]
            if (a[0] + b[0], a[1] + b[1]) == ranges[s]:
                return True
    return False
