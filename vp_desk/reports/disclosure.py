"""Disclosure control: from true counts to figures that may be published.

The rules (docs/architecture.md, "Domain rules"; docs/en/annual-report.md):

- **threshold k** per organisation, default 5, never below 3 (enforced here
  too: a lower stored value is raised to 3);
- **primary suppression**: every published count about cases is 0 or at least
  k; a count from 1 to k-1 is shown as "fewer than k";
- **small-organisation rule**: fewer than k new cases (0 included: an empty
  year looks the same as a year with one case) -> no breakdown at all: no
  tables, no quarters, no number of contact moments or open cases, no cases per
  100 employees (that number times the published employee count would give the
  hidden number back). Only "fewer than k", the prevention work, the hours and
  the recommendations;
- **group disclosure**: a published category that holds every case tells an
  employer who knows that X came to the adviser X's outcome, role or channel
  ("affected 12 of 12"). Statistical offices treat it as disclosive, and we
  treat the line next to it the same: *no reader who knows the rule may be
  sure that a category holds all cases or all but fewer than k of them*. The
  argument: the cases outside one category form a count too - the reader gets
  it as the total minus that category - and the primary rule says such a count
  is never known to be 0 or 1..k-1. So a category may be published exactly
  only when ``total - count >= k``; a hidden or combined category must keep a
  range whose lower end is at most ``total - k``. One consequence: when the
  total is exactly k, any category known to be nonzero holds all but fewer
  than k, so such a table is always combined (as before).
- **protection interval** ``p(k) = k // 2 + 1`` (2 for k = 3, 3 for k = 4
  and 5, 4 for k = 6 and 7): every hidden count - a row shown as "fewer than
  k" or "hidden", a category inside a combined row - keeps a range of at
  least p(k) values, both as the audit computes it from the published
  figures and for a reader who knows the rule. "Fewer than 5" can therefore
  never narrow to "1 or 2" (1 sexual harassment, 2 intimidation, 9 bullying,
  k = 5: the two hidden rows share 3 cases, so each is 1 or 2 - that table is
  no longer published plainly). For k = 3 it means "fewer than 3" is never
  narrowed at all. Why not more: a wider interval hides more tables (see
  docs/performance.md, the disclosure benchmark), and p(k) already leaves a
  hidden row more than half of the values 1..k-1.

**Single-valued tables** (each case in exactly one row; the rows add up to
``new_cases``, which is published). The rule is public, so the *form* a table
takes must not itself tell anything. Four forms; the first that fits is used:

1. **plain**: 0 and counts of k or more exactly, 1..k-1 as "fewer than k".
   With m hidden rows sharing R cases (R = total minus the published rows,
   which the reader computes), each hidden row ranges over
   ``[max(1, R-(m-1)(k-1)), min(k-1, R-(m-1))]``. It fits when that range has
   at least p(k) values, its low end is at most total - k, and no published
   count exceeds total - k. All of that depends only on what the plain form
   publishes, so a reader learns nothing from the fact that a table is plain.
2. **complementary suppression**: the plain rows, with the *last* category
   in vocabulary order holding k or more also hidden, shown as "hidden" (not
   "fewer than k": that would be false). Which category is hidden says nothing
   new: the rows after it are all published as 0 or "fewer than k" anyway.
   Here the reader knows more than the figures: that plain failed, so the
   hidden small rows' sum r is one for which plain would not fit. For every r
   from m to m(k-1) the check works out whether plain would have failed
   (``_complementary_sets``) and gathers the values each hidden row can take
   over those r; the form fits only if every hidden row keeps at least two
   values spanning p(k), with a low end at most total - k. That is exactly
   what the rule-knowing reader can deduce, computed from what the form
   publishes, so the choice is again a function of the output.
3. **zeros beside a combined row**: the empty categories as 0 and all the
   others in one row "all categories combined" (each member known to hold at
   least one case). The reader knows the number n of members, the total, and
   that plain and complementary failed. ``zeros_merged_fits`` enumerates
   every table of n nonzero counts with that total for which both fail and
   requires each member to keep two values spanning p(k) with a low end at
   most total - k. The answer depends only on (n, total, k), which this form
   publishes: every table that shows the same is decided the same way. The
   enumeration goes over multisets of counts, not every order of them
   (``zeros_merged_values``; the tests compare it with the plain enumeration),
   is capped (``ENUMERATION_LIMIT`` multisets, about 70 ms, cached per
   (n, total, k)), and beyond the cap the form is not used.
4. **everything combined**: one row, "all categories combined", equal to the
   total. Always safe: every category is 0 in some table that ends here and
   equal to the total in another (a table with a single nonzero category
   always ends here, by group disclosure).

A partial merge (small categories folded into "other") is not used: it
publishes what the plain form does (members, their sum, each below k), so it
adds nothing where plain fails. Every form is also passed through the
run-time audit (``audit.check_single``) before it is taken, and the whole
report again before it is written. We never hide a count of k or more
behind "fewer than k" (that would be false), and we never suppress the
total: it is ``new_cases``.

``tests/reports/bruteforce.rule_knowing_reader`` checks all of this against a
reader who knows the rule: every table of 3 to 9 categories with small
totals (k = 3..7; docs/performance.md lists the runs), grouped by what would
be published; no hidden category
takes one value in every table of its group, none spans fewer than p(k)
values, and no category is known to hold all but fewer than k cases.
``benchmarks/bench_disclosure.py`` runs it up to total 15 and measures how
much is published, beside tau-ARGUS.

- **multi-valued tables** (help, referrals): a case may be in several rows or
  in none, so the rows are not tied by an equation. A row and its complement
  (the cases without that kind of help: total minus the row) are both counts,
  so a row is published only when it is 0 or from k to total - k. A row above
  total - k ("all but fewer than k got advice", or every case) is hidden; so
  that "hidden" cannot mean "nearly everyone", every hidden row of these
  tables is shown as "hidden", not "fewer than k": the reader knows only that
  it is 1..k-1 or total-k+1..total. No "none" row is published because it
  would add an equation.
- **quarters** are published only when every quarter has at least k cases.

The published rows (the data model every renderer and the ledger read):

- ``{"code", "count": n, "suppressed": False}``: published exactly;
- ``{"code", "count": None, "suppressed": True}``: "fewer than k" (1..k-1);
- ``{..., "suppressed": True, "suppressed_as": "hidden"}``: shown as "hidden".
  In a single-valued table: complementary suppression, a count of k or more.
  In a multi-valued table: 1..k-1 or more than total - k;
- ``{"code": "merged", "count": n, "members": [...], "members_nonzero": b}``:
  a combined row; with ``members_nonzero`` true (zeros beside it) every
  member holds at least one case and the other rows are all 0, otherwise it
  is the whole table.

``audit.row_bounds`` and ``audit.groups_of`` turn a row into the bounds a
reader has; the re-issue check uses them.

Why hours, contact moments and open cases are handled as they are:

- *Hours* are not counts of people. A contact moment may last anything from 0
  to 24 hours, so no number of people follows from them. They are rounded to
  half hours. What hours on cases do reveal is *that* casework happened in the
  year (perhaps on a case from an earlier year) - the domain rules explicitly keep
  hours in the small-organisation report, for the parliamentary question on
  prevention time, and the rounding removes the exact-minute fingerprint.
- *Contact moments* are counted like cases: 0 or at least k, else "fewer than
  k", and left out under the small-organisation rule - one contact moment in a
  year would tell that exactly one person came. A contact moment lasts at most
  24 hours, so hours on cases bound their number from below ("72.0 hours" and
  "fewer than 5" leave 3 or 4; at k = 3, "24.5 hours" pins 2). When contact
  moments are shown as "fewer than k", the hours on cases are therefore not
  published - always, so that their absence says nothing that "fewer than k"
  does not say already.
- *Open at year end* is a count of cases (older cases included), so it follows
  the same rule. It is not a sum of any published table's rows (it includes
  earlier years' cases), but it is an upper bound on one row: a case without
  an outcome (``none`` in the outcome table) is still open, so it was open at
  the end of the year. Beside a combined outcome table that bound can narrow a
  member: {resolved, none} = 10 with "open: fewer than 5" gives resolved >= 6,
  all but fewer than k; beside a complementary "hidden" ``none`` (k or more)
  an exact open count cuts the hidden range, and pins it when it equals k.
  So when ``none`` is inside a combined row or is the "hidden" row, open at
  year end is not published at all - whatever its value, so that its absence
  says nothing beyond the table's form, which is published anyway. Anywhere
  else the bound adds nothing: ``none`` is then published exactly, or shown
  as "fewer than k" and so at most k-1 already, while a published open count
  is "fewer than k" (at most k-1) or exact and at least k.
- *Cases per 100 employees* is published only with ``new_cases`` itself.
- *Activities* are the adviser's own work (trainings, advice to management),
  not people, and are published in full with their hours.

Re-issues: what an earlier written report binds (``Earlier``)
-------------------------------------------------------------
The ledger (ledger.py) refuses a re-issue whose differences single out fewer
than k cases. Three things a reader holding an earlier report of the same
year (or its invoice specifications) can use are not differences of one
figure, so ``protect`` takes them as ``Earlier`` (built by ``ledger.earlier``
from the ledger):

(a) *"No outcome yet" bounded earlier.* Open at year end is withheld beside a
    combined or hidden ``none`` (above), but an earlier report may have given
    it ("fewer than k"), or ``none`` on its own row. A reader who assumes the
    open count did not change then has ``none <= k-1`` and narrows a combined
    row ({resolved, none} = 10 gives resolved >= 6). Once an earlier report
    bounded ``none``, a form that puts it in a partly combined row or hides
    it is replaced by everything combined (``outcome_rows``), and once an
    earlier report combined or hid it, so is a form that bounds it (the same
    attack backwards: the later bound narrows the earlier row). Every category
    still ranges from 0 to the total (another category may hold all cases),
    ``none`` from 0 to its old bound - nothing beyond what the earlier report
    said. The choice depends on the ledger (which that reader holds) and on
    the form, so a reader who knows the rule learns no more than from
    everything combined.
(b) *The quarter table's presence.* Its absence says "some quarter below k"
    and its appearance "every quarter at k or more now". The first written
    report of the year with a breakdown fixes it: shown then, a later report
    keeps it, and when a quarter has dropped below k the table is protected
    like any single-valued table (``protect_counts``; marked ``kept``, which
    the audit accepts), so the ledger compares the quarters as it compares
    rows; left out then, it stays out. With every quarter at k or more the
    kept table is the ordinary one, so an unchanged re-issue is identical.
(c) *Invoiced casework hours.* Invoice specifications give the casework
    minutes M of their months; a contact moment lasts at most 24 hours, so
    there were at least L = ceil(M / 24 h). Beside "fewer than k" contact
    moments that leaves L..k-1, which keeps the protection interval only
    while L <= k - p(k). Above that the number of contact moments is not
    published at all (whatever it is while it may be below k, so that its
    absence tells nothing; from L >= k it is at least k and published as
    usual when it is). The invoice side refuses a specification that would
    do the same beside a written report's "fewer than k"
    (``services.reporting``). When specifications cover all twelve months,
    the report gives the hours on cases too, also under the small-
    organisation rule: the employer has them already, withholding them
    protects nothing, and the note says that they were invoiced.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from vp_desk.domain.models import MIN_THRESHOLD
from vp_desk.reports.aggregate import MULTI_TABLES, NONE, SINGLE_TABLES, Aggregate, table_codes
from vp_desk.reports.audit import (
    HIDDEN,
    ensure_safe,
    multi_publishable,
    protection_interval,
    rule_knowing_problems,
    single_table_safe,
)

MERGED = "merged"  # code of the "all categories combined" row


def effective_threshold(k: int | None) -> int:
    return max(MIN_THRESHOLD, int(k or 5))


def round_half_hours(minutes: int) -> float:
    """Minutes to hours, rounded to the nearest half hour (halves round up)."""
    return (int(minutes) + 15) // 30 / 2


def _row(code: str, count: int, k: int) -> dict[str, Any]:
    if 1 <= count < k:
        return {"code": code, "count": None, "suppressed": True}
    return {"code": code, "count": count, "suppressed": False}


def listed_codes(tid: str, counts: dict[str, int]) -> list[str]:
    """The categories a table lists, in vocabulary order.

    The ``none`` pseudo-code of ``behaviour`` (a primary behaviour is always
    required) is listed only in the unexpected case that it is used.
    """
    return [c for c in table_codes(tid) if counts[c] or not (c == NONE and tid == "behaviour")]


def table_rows(tid: str, counts: dict[str, int], k: int) -> list[dict[str, Any]]:
    """Plain rows: each category, "fewer than k" for 1..k-1."""
    return [_row(c, counts[c], k) for c in listed_codes(tid, counts)]


def multi_rows(tid: str, counts: dict[str, int], k: int, total: int) -> list[dict[str, Any]]:
    """Rows of a multi-valued table: 0 or k..total-k exact, anything else "hidden"."""
    rows = []
    for c in listed_codes(tid, counts):
        if multi_publishable(counts[c], k, total):
            rows.append({"code": c, "count": counts[c], "suppressed": False})
        else:
            rows.append({"code": c, "count": None, "suppressed": True, "suppressed_as": HIDDEN})
    return rows


def _merged(members: list[str], count: int, nonzero: bool) -> dict[str, Any]:
    return {
        "code": MERGED,
        "count": count,
        "suppressed": False,
        "members": list(members),
        "members_below_threshold": False,
        "members_nonzero": nonzero,
    }


def _range_size(m: int, r: int, k: int) -> int:
    """How many values each of m "fewer than k" cells summing to r can take."""
    return min(k - 1, r - (m - 1)) - max(1, r - (m - 1) * (k - 1)) + 1


def plain_fits(values: list[int], k: int) -> bool:
    """Whether plain suppression passes for these counts (fast form of the audit)."""
    total = sum(values)
    small = [v for v in values if 0 < v < k]
    if any(v >= k and total - v < k for v in values):
        return False  # group disclosure: a published category holds all but < k
    if not small:
        return True
    m, r = len(small), sum(small)
    low = max(1, r - (m - 1) * (k - 1))
    return _range_size(m, r, k) >= protection_interval(k) and low <= total - k


def _complementary_sets(
    m: int, rest: int, total: int, k: int
) -> tuple[list[set[int]], set[int]] | None:
    """What a reader who knows the rule learns from the complementary form.

    m cells shown as "fewer than k" and one shown as "hidden" (k or more)
    share ``rest`` cases. The reader also knows that plain suppression failed:
    the m cells' sum r was pinned or too narrow, m = 1, or the hidden cell
    would have held all but fewer than k cases. Returns (values of a small
    cell, values of the hidden cell) over every such r.
    """
    small: set[int] = set()
    hidden: set[int] = set()
    for r in range(m, m * (k - 1) + 1):
        h = rest - r
        if h < k:
            continue
        if m > 1 and _range_size(m, r, k) >= protection_interval(k) and total - h >= k:
            continue  # plain suppression would have been published
        small.update(range(max(1, r - (m - 1) * (k - 1)), min(k - 1, r - (m - 1)) + 1))
        hidden.add(h)
    if not hidden:
        return None
    return [small] * m, hidden


def _wide(values: set[int], k: int, total: int) -> bool:
    """At least two values, spanning the protection interval, and not all above
    total - k (which would say: this category holds all but fewer than k)."""
    return (
        len(values) >= 2
        and max(values) - min(values) + 1 >= protection_interval(k)
        and min(values) <= total - k
    )


def complementary_fits(values: list[int], k: int) -> bool:
    """Whether the complementary form passes, rule-knowing reader included."""
    total = sum(values)
    large = [i for i, v in enumerate(values) if v >= k]
    small = [v for v in values if 0 < v < k]
    if not large or not small:
        return False
    pick = large[-1]
    if any(v >= k and total - v < k for i, v in enumerate(values) if i != pick):
        return False
    sets = complementary_values(len(small), sum(small) + values[pick], total, k)
    return sets is not None and all(_wide(v, k, total) for v in sets)


def complementary_values(m: int, rest: int, total: int, k: int) -> list[set[int]] | None:
    """The value sets of the m small rows and the hidden row, or None (the audit uses it)."""
    sets = _complementary_sets(m, rest, total, k)
    return None if sets is None else sets[0] + [sets[1]]


def wide_enough(values: set[int], k: int, total: int) -> bool:
    """At least two values spanning the protection interval, the lowest at most total - k."""
    return _wide(values, k, total)


def _complementary(codes: list[str], counts: dict[str, int], k: int) -> list[dict[str, Any]] | None:
    """Plain rows, and the last count of k or more in vocabulary order hidden as
    well, shown as "hidden" (which count is hidden then says nothing more than
    the rows after it, which are all published as 0 or "fewer than k")."""
    values = [counts[c] for c in codes]
    if not complementary_fits(values, k):
        return None
    pick = [c for c in codes if counts[c] >= k][-1]
    rows = [_row(c, counts[c], k) for c in codes]
    for r in rows:
        if r["code"] == pick:
            r.update({"count": None, "suppressed": True, "suppressed_as": HIDDEN})
    return rows


#: Largest number of multisets (partitions of the total into n parts) that the
#: zeros-beside-merged check enumerates.
ENUMERATION_LIMIT = 1_000  # about 70 ms once per (n, total, k), cached


def _fails_both(small: list[int], large: list[int], h: int | None, total: int, k: int) -> bool:
    """Plain and complementary both fail for a table with these small and large
    counts, ``h`` being the large count in the last large position (None: no large)."""
    if plain_fits(small + large, k):
        return False
    if h is None or not small:
        return True
    others = list(large)
    others.remove(h)
    if any(total - v < k for v in others):
        return True
    sets = _complementary_sets(len(small), sum(small) + h, total, k)
    return sets is None or not all(_wide(v, k, total) for v in sets[0] + [sets[1]])


def _partitions(total: int, parts: int, largest: int) -> Iterator[tuple[int, ...]]:
    """Non-increasing tuples of ``parts`` positive integers summing to ``total``."""
    if parts == 1:
        if 1 <= total <= largest:
            yield (total,)
        return
    for first in range(min(largest, total - parts + 1), 0, -1):
        if first * parts < total:
            break
        for tail in _partitions(total - first, parts - 1, first):
            yield (first,) + tail


def _partition_count(total: int, parts: int) -> int:
    """How many partitions of ``total`` into exactly ``parts`` positive parts."""
    table = [[0] * (parts + 1) for _ in range(total + 1)]
    table[0][0] = 1
    for t in range(1, total + 1):
        for p in range(1, min(parts, t) + 1):
            table[t][p] = table[t - 1][p - 1] + table[t - p][p]
    return table[total][parts]


@lru_cache(maxsize=4096)
def zeros_merged_fits(n: int, total: int, k: int) -> bool:
    """Whether n nonzero categories with this total may be shown merged beside the zeros.

    A reader who knows the rule sees which categories are empty, the total,
    and that plain suppression and the complementary form both failed. This
    goes through every table of n nonzero counts with that total for which
    both fail and requires every category to keep at least two values
    spanning the protection interval, the lowest at most total - k. The
    answer depends only on (n, total, k), which the merged form publishes,
    so choosing the form gives nothing away.

    Tables are taken as multisets: whether a form fits depends on the counts,
    and for the complementary form on which large count stands last (``h``).
    Position i can hold a small count x whenever the multiset fails for some
    h; a large x as the last large count when i >= (number of large) - 1,
    and before another large count h when i <= n - 2. Too many multisets
    (``ENUMERATION_LIMIT``) -> False: everything combined instead.
    """
    if n < 2 or n > total or total > 2 * ENUMERATION_LIMIT:
        return False  # (n >= 2 parts: at least total // 2 partitions)
    if _partition_count(total, n) > ENUMERATION_LIMIT:
        return False
    return all(_wide(s, k, total) for s in zeros_merged_values(n, total, k))


def zeros_merged_values(n: int, total: int, k: int) -> list[set[int]]:
    """Per position, the values over every table for which plain and complementary fail."""
    seen: list[set[int]] = [set() for _ in range(n)]
    for part in _partitions(total, n, total):
        small = [v for v in part if v < k]
        large = [v for v in part if v >= k]
        n_large = len(large)
        failing_h = {h for h in set(large) if _fails_both(small, large, h, total, k)}
        if not large and _fails_both(small, large, None, total, k):
            for i in range(n):
                seen[i].update(small)
            continue
        if not failing_h:
            continue
        for i in range(n):
            seen[i].update(small)  # a small count anywhere but the last large position
            for x in set(large):
                rest = list(large)
                rest.remove(x)
                if i >= n_large - 1 and x in failing_h:
                    seen[i].add(x)
                elif i <= n - 2 and any(h in failing_h for h in rest):
                    seen[i].add(x)
    return seen


def zeros_merged_values_slow(n: int, total: int, k: int) -> list[set[int]]:
    """``zeros_merged_values`` by enumerating every composition (tests compare)."""
    seen: list[set[int]] = [set() for _ in range(n)]
    for values in _positive_compositions(total, n):
        v = list(values)
        if plain_fits(v, k) or complementary_fits(v, k):
            continue
        for i, x in enumerate(v):
            seen[i].add(x)
    return seen


def _positive_compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    if parts == 1:
        yield (total,)
        return
    for first in range(1, total - parts + 2):
        for tail in _positive_compositions(total - first, parts - 1):
            yield (first,) + tail


def _zeros_beside_merged(
    codes: list[str], counts: dict[str, int], k: int
) -> list[dict[str, Any]] | None:
    """The empty categories as 0, every other category in one combined row."""
    nonzero = [c for c in codes if counts[c]]
    total = sum(counts[c] for c in codes)
    if not zeros_merged_fits(len(nonzero), total, k):
        return None
    rows = [_row(c, 0, k) for c in codes if not counts[c]]
    return [_merged(nonzero, total, nonzero=True)] + rows


#: The forms of a single-valued table, most informative first (see the docstring).
SINGLE_FORMS = ("plain", "complementary", "zeros_merged", "merged")


def protect_counts(
    codes: list[str], counts: dict[str, int], k: int
) -> tuple[list[dict[str, Any]], str]:
    """Rows of one single-valued table over ``codes`` and which form was taken.

    The first form that fits (see the module docstring); each is checked by
    the audit too, and the last, everything combined, always fits.
    """
    total = sum(counts[c] for c in codes)
    values = [counts[c] for c in codes]
    if plain_fits(values, k):
        return [_row(c, counts[c], k) for c in codes], "plain"
    for how, make in (("complementary", _complementary), ("zeros_merged", _zeros_beside_merged)):
        rows = make(codes, counts, k)
        if rows is None:
            continue
        table = {"rows": rows}
        if single_table_safe(table, k, total) and not rule_knowing_problems(table, k, total):
            return rows, how
    return [_merged(list(codes), total, nonzero=False)], "merged"


def protect_single(tid: str, counts: dict[str, int], k: int) -> tuple[list[dict[str, Any]], str]:
    """Rows for one single-valued table and the form taken (``SINGLE_FORMS``)."""
    return protect_counts(listed_codes(tid, counts), counts, k)


@dataclass(frozen=True)
class Earlier:
    """What earlier written reports and invoice specifications of the same
    organisation and year published that binds a report written now (see
    "Re-issues" in the module docstring; ``ledger.earlier`` builds it).

    - ``quarters``: whether the first written report with a breakdown showed
      the quarter table (None: no such report yet);
    - ``none_bounded``: an earlier report bounded "no outcome yet" (open at
      year end published, or the outcome table's ``none`` on a row of its own);
    - ``none_exposed``: an earlier report had ``none`` in a combined row or
      "hidden" (the reverse: a later bound would narrow that report's row);
    - ``invoiced_case_minutes``: casework minutes of this year's months in
      invoice specifications (None: no month of the year invoiced);
    - ``year_invoiced``: specifications cover all twelve months of the year.
    """

    quarters: bool | None = None
    none_bounded: bool = False
    none_exposed: bool = False
    invoiced_case_minutes: int | None = None
    year_invoiced: bool = False


NOTHING_EARLIER = Earlier()


def invoiced_contacts_floor(minutes: int) -> int:
    """The fewest contact moments that ``minutes`` of casework take (24 hours each at most)."""
    return -(-int(minutes) // (24 * 60))


def protect(
    agg: Aggregate,
    threshold: int | None,
    employees: int,
    earlier: Earlier = NOTHING_EARLIER,
) -> dict[str, Any]:
    """The publishable figures of a report (language-neutral), audited.

    ``earlier`` is what earlier written reports and invoices of the same year
    published (re-issues; the default: nothing). Raises ``DisclosureRisk`` if,
    against expectation, the audit finds a leak: nothing is ever published
    that the audit has not passed.
    """
    k = effective_threshold(threshold)
    notes: list[dict[str, Any]] = [{"key": "note_threshold"}]
    figures: dict[str, Any] = {
        "year": agg.year,
        "threshold": k,
        "employees": int(employees or 0),
        "new_cases": None,
        "open_at_year_end": None,
        "consultations": None,
        "contacts_per_100_employees": None,
        "suppressed_figures": [],
        "small_organisation": agg.new_cases < k,
        "withheld": False,
        "tables": [],
        "activities": [
            {"code": code, "count": count, "minutes": minutes}
            for code, (count, minutes) in agg.activities.items()
        ],
        "hours": {
            "cases": round_half_hours(agg.case_minutes),
            "activities": round_half_hours(agg.activity_minutes),
        },
        "notes": notes,
    }
    if agg.new_cases < k:
        figures["suppressed_figures"].append("new_cases")
        notes.append({"key": "note_small_org"})
    else:
        figures["new_cases"] = agg.new_cases
        if employees:
            figures["contacts_per_100_employees"] = round(agg.new_cases * 100 / employees, 1)
        for name in ("open_at_year_end", "consultations"):
            value = getattr(agg, name)
            if 1 <= value < k:
                figures["suppressed_figures"].append(name)
            else:
                figures[name] = value
        contacts_withheld = _contacts_beside_invoices(agg, k, earlier)
        if contacts_withheld:
            figures["consultations"] = None
            figures["suppressed_figures"] = [
                name for name in figures["suppressed_figures"] if name != "consultations"
            ]
            notes.append({"key": "note_contacts_invoiced"})
        if earlier.year_invoiced:
            # Invoices for every month of the year gave the hours on cases
            # already: withholding them protects nothing, and the number of
            # contact moments is protected against them (above).
            notes.append({"key": "note_hours_invoiced"})
        elif "consultations" in figures["suppressed_figures"] or contacts_withheld:
            # A contact moment lasts at most 24 hours: the hours would bound the
            # hidden number of contact moments from below (module docstring).
            figures["hours"] = dict(figures["hours"], cases=None)
            notes.append({"key": "note_hours_contacts"})
        _tables(agg, k, figures, notes, earlier)
        _open_beside_outcome(figures, notes)
    notes.append({"key": "note_hours"})
    ensure_safe(figures)
    return figures


def none_exposed(rows: list[dict[str, Any]]) -> bool:
    """Whether the outcome table's ``none`` is in a combined row beside zeros
    (its members known to be nonzero) or shown as "hidden": the forms where a
    bound on ``none`` narrows the other categories. Everything combined is
    not such a form: each category in it may be 0 or hold every case."""
    return any(
        (NONE in (r.get("members") or ()) and bool(r.get("members_nonzero")))
        or (r["code"] == NONE and r.get("suppressed_as") == HIDDEN)
        for r in rows
    )


def outcome_rows(
    counts: dict[str, int], k: int, none_bounded: bool, none_exposed_earlier: bool = False
) -> tuple[list[dict[str, Any]], str, bool]:
    """Rows of the outcome table, the form taken, and whether it was combined
    because of what an earlier report of the year showed of "no outcome yet".

    After such a bound, a form that puts ``none`` in a combined row or shows
    it as "hidden" would let a reader narrow the other categories ("{resolved,
    none} = 10" and an earlier "open at year end: fewer than 5" give resolved
    >= 6); the other way round, after an earlier report that combined or hid
    ``none``, a form that bounds it (its own row, and open at year end beside
    it) narrows that earlier report's row for a reader who assumes it did not
    change. In both cases everything combined is used instead, where every
    category still ranges from 0 to the total.
    """
    rows, how = protect_single("outcome", counts, k)
    exposed = none_exposed(rows)
    if (none_bounded and exposed) or (none_exposed_earlier and not exposed):
        codes = listed_codes("outcome", counts)
        return [_merged(codes, sum(counts[c] for c in codes), nonzero=False)], "merged", True
    return rows, how, False


def _contacts_beside_invoices(agg: Aggregate, k: int, earlier: Earlier) -> bool:
    """Whether the number of contact moments is left out because invoices made
    this year's casework hours known (module docstring, "Re-issues" (c)).

    From invoiced minutes M a reader knows there were at least L = ceil(M / 24 h)
    contact moments. "Fewer than k" then leaves L..k-1; that keeps the
    protection interval only while L <= k - p(k). Above that, the count is
    left out whatever it is (as long as it may be below k), so that its
    absence says nothing about it; from L >= k on it is at least k anyway
    and is published as usual.
    """
    if earlier.invoiced_case_minutes is None:
        return False
    minutes = earlier.invoiced_case_minutes
    if earlier.year_invoiced:  # the report then shows the hours on cases as they are now
        minutes = max(minutes, agg.case_minutes)
    floor = invoiced_contacts_floor(minutes)
    if floor <= k - protection_interval(k):
        return False
    return floor < k or agg.consultations < k


def _tables(
    agg: Aggregate,
    k: int,
    figures: dict[str, Any],
    notes: list[dict[str, Any]],
    earlier: Earlier = NOTHING_EARLIER,
) -> None:
    tables = figures["tables"]
    any_merge = False
    for tid in SINGLE_TABLES:
        if tid == "outcome":
            rows, how, forced = outcome_rows(
                agg.tables[tid], k, earlier.none_bounded, earlier.none_exposed
            )
            if forced:
                notes.append({"key": "note_outcome_earlier", "table": tid})
        else:
            rows, how = protect_single(tid, agg.tables[tid], k)
        tables.append({"id": tid, "multi": False, "total": agg.new_cases, "rows": rows})
        if how != "plain":
            any_merge = True
            notes.append({"key": "note_" + how, "table": tid})
    for tid in MULTI_TABLES:
        rows = multi_rows(tid, agg.tables[tid], k, agg.new_cases)
        tables.append({"id": tid, "multi": True, "total": agg.new_cases, "rows": rows})
    notes.append({"key": "note_multi"})
    if earlier.quarters is True and not all(agg.quarters[q] >= k for q in (1, 2, 3, 4)):
        # Shown in an earlier report of this year: kept, with its cells protected
        # like any single-valued table, so that its absence cannot say that a
        # quarter dropped below k. (With every quarter at k or more it is the
        # ordinary table below.)
        codes = [f"q{q}" for q in (1, 2, 3, 4)]
        counts = {f"q{q}": agg.quarters[q] for q in (1, 2, 3, 4)}
        rows, how = protect_counts(codes, counts, k)
        tables.append(
            {"id": "quarter", "multi": False, "total": agg.new_cases, "rows": rows, "kept": True}
        )
        notes.append({"key": "note_quarters_kept"})
        if how != "plain":
            any_merge = True
            notes.append({"key": "note_" + how, "table": "quarter"})
    elif earlier.quarters is False:
        # Left out in an earlier report of this year: left out again, whatever
        # the quarters hold now, so that its appearance cannot say that a small
        # quarter grew. The note is the same as always (it names this rule).
        notes.append({"key": "note_quarters"})
    elif all(agg.quarters[q] >= k for q in (1, 2, 3, 4)):
        tables.append(
            {
                "id": "quarter",
                "multi": False,
                "total": agg.new_cases,
                "rows": [
                    {"code": f"q{q}", "count": agg.quarters[q], "suppressed": False}
                    for q in (1, 2, 3, 4)
                ],
            }
        )
    else:
        notes.append({"key": "note_quarters"})
    if any_merge or any(r["suppressed"] for t in tables for r in t["rows"]):
        notes.append({"key": "note_secondary"})
    if any(r.get("suppressed_as") == HIDDEN for t in tables for r in t["rows"]):
        notes.append({"key": "note_hidden"})


def _open_beside_outcome(figures: dict[str, Any], notes: list[dict[str, Any]]) -> None:
    """Open at year end is left out when the outcome table's ``none`` row is in a
    combined row or shown as "hidden" (see the module docstring: it bounds that row)."""
    outcome = next((t for t in figures["tables"] if t["id"] == "outcome"), None)
    if outcome is None:
        return
    exposed = any(
        (NONE in (r.get("members") or ()))
        or (r["code"] == NONE and r.get("suppressed_as") == HIDDEN)
        for r in outcome["rows"]
    )
    if not exposed:
        return
    figures["open_at_year_end"] = None
    figures["suppressed_figures"] = [
        name for name in figures["suppressed_figures"] if name != "open_at_year_end"
    ]
    notes.append({"key": "note_open_withheld"})


def withhold_case_figures(figures: dict[str, Any], issued: str) -> dict[str, Any]:
    """The figures with every case figure withheld (re-issue after late changes).

    Only the prevention work, the hours and the texts remain: all that an
    outsider learns is that something about the cases changed, which the
    re-issue itself already says. Withholding only the cells that changed
    would not do: which cells are missing would itself tell where the late
    case belongs ("the behaviour row for sexual harassment is withheld").
    """
    out = dict(figures)
    out.update(
        {
            "new_cases": None,
            "open_at_year_end": None,
            "consultations": None,
            "contacts_per_100_employees": None,
            "suppressed_figures": [],
            "tables": [],
            "withheld": True,
            # not stated either: "now a small organisation" would say that the
            # number of new cases dropped below k
            "small_organisation": None,
        }
    )
    out["notes"] = [n for n in figures["notes"] if n["key"] in ("note_threshold", "note_hours")]
    out["notes"].append({"key": "note_withheld", "issued": issued})
    ensure_safe(out)
    return out
