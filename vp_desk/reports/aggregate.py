"""The raw figures of one organisation and year, straight from SQL.

Everything here is the *true* count and stays inside the reports layer: only
``disclosure.protect`` turns an ``Aggregate`` into something publishable.

What is counted (docs/architecture.md, "Domain rules"; docs/en/annual-report.md):
- the tables count the cases **opened** in the year (``opened`` between 1 January
  and 31 December), so every single-valued table adds up to ``new_cases``;
  a missing value (no channel recorded, an open case without an outcome, ...)
  is counted under the pseudo-code ``none`` so the rows still add up;
- ``open_at_year_end``: cases opened on or before 31 December and not closed
  on or before it (older cases included);
- contact moments and case hours: contact moments *dated* in the year, for any
  case (the work done that year);
- activities: dated in the year, count and minutes per kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from vp_desk import vocabulary as voc

SINGLE_TABLES = ("behaviour", "relation", "contact_role", "outcome", "channel")
MULTI_TABLES = ("help", "referrals")
NONE = "none"  # pseudo-code: value not recorded

_COLUMNS = {
    "behaviour": "primary_behaviour",
    "relation": "relation",
    "contact_role": "contact_role",
    "outcome": "outcome",
    "channel": "channel",
}

#: One statement for every single-valued table and the quarters.
SINGLE_SQL = " UNION ALL ".join(
    [
        f"SELECT '{table}', coalesce({column}, ''), count(*) FROM cases "
        f"WHERE opened BETWEEN ?1 AND ?2 GROUP BY 2"
        for table, column in _COLUMNS.items()
    ]
    + [
        "SELECT 'quarter', (CAST(substr(opened, 6, 2) AS INTEGER) + 2) / 3, count(*) FROM cases "
        "WHERE opened BETWEEN ?1 AND ?2 GROUP BY 2"
    ]
)

MULTI_SQL = (
    "SELECT v.dimension, v.code, count(*) FROM case_values v "
    "JOIN cases c ON c.id = v.case_id "
    "WHERE c.opened BETWEEN ?1 AND ?2 AND v.dimension IN ('help', 'referrals') "
    "GROUP BY v.dimension, v.code"
)

SCALAR_SQL = (
    "SELECT (SELECT count(*) FROM cases WHERE opened BETWEEN ?1 AND ?2), "
    "(SELECT count(*) FROM cases WHERE opened <= ?2 AND "
    " (closed IS NULL OR closed > ?2)), "
    "(SELECT count(*) FROM consultations WHERE date BETWEEN ?1 AND ?2), "
    "(SELECT coalesce(sum(minutes), 0) FROM consultations WHERE date BETWEEN ?1 AND ?2)"
)

ACTIVITY_SQL = (
    "SELECT kind, count(*), coalesce(sum(minutes), 0) FROM activities "
    "WHERE date BETWEEN ?1 AND ?2 GROUP BY kind"
)

#: The statements a report runs, in order (the benchmark times them bare).
STATEMENTS = (SINGLE_SQL, MULTI_SQL, SCALAR_SQL, ACTIVITY_SQL)

if TYPE_CHECKING:
    from vp_desk.vault.sqlcipher import Connection


@dataclass
class Aggregate:
    """True counts for one organisation and year. Never published as such."""

    year: int
    new_cases: int = 0
    open_at_year_end: int = 0
    consultations: int = 0
    case_minutes: int = 0
    #: table id -> {code: count}; every code of the dimension is present (0 if none)
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    quarters: dict[int, int] = field(default_factory=dict)
    #: activity code -> (count, minutes); every kind present
    activities: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def activity_minutes(self) -> int:
        return sum(m for _, m in self.activities.values())


def table_codes(table: str) -> list[str]:
    """The codes of a table in vocabulary order (single tables end with ``none``)."""
    codes = list(voc.DIMENSIONS[table])
    if table in SINGLE_TABLES:
        codes.append(NONE)
    return codes


def year_bounds(year: int) -> tuple[str, str]:
    return date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()


def aggregate(conn: Connection, year: int) -> Aggregate:
    """All figures of ``year`` from an organisation vault connection."""
    start, end = year_bounds(year)
    params = (start, end)
    agg = Aggregate(year)
    agg.tables = {t: {c: 0 for c in table_codes(t)} for t in SINGLE_TABLES + MULTI_TABLES}
    agg.quarters = {1: 0, 2: 0, 3: 0, 4: 0}
    for table, code, count in conn.execute(SINGLE_SQL, params):
        if table == "quarter":
            agg.quarters[int(code)] = count
            continue
        counts = agg.tables[table]
        key = code if code in counts else NONE  # unknown legacy codes count as not recorded
        counts[key] += count
    for table, code, count in conn.execute(MULTI_SQL, params):
        if code in agg.tables[table]:
            agg.tables[table][code] += count
    agg.new_cases, agg.open_at_year_end, agg.consultations, agg.case_minutes = conn.execute(
        SCALAR_SQL, params
    ).fetchone()
    agg.activities = {code: (0, 0) for code in voc.ACTIVITIES}
    for kind, count, minutes in conn.execute(ACTIVITY_SQL, params):
        if kind in agg.activities:
            agg.activities[kind] = (count, minutes)
    return agg


def from_cases(
    year: int,
    cases: list[dict[str, Any]],
    *,
    open_at_year_end: int = 0,
    consultations: int = 0,
    case_minutes: int = 0,
    activities: dict[str, tuple[int, int]] | None = None,
) -> Aggregate:
    """An Aggregate from plain case dicts (tests and property checks).

    A case dict holds ``behaviour`` (primary), ``relation``, ``contact_role``,
    ``outcome``, ``channel`` (code or None), ``help`` and ``referrals`` (lists)
    and ``quarter`` (1-4).
    """
    agg = Aggregate(
        year,
        new_cases=len(cases),
        open_at_year_end=open_at_year_end,
        consultations=consultations,
        case_minutes=case_minutes,
    )
    agg.tables = {t: {c: 0 for c in table_codes(t)} for t in SINGLE_TABLES + MULTI_TABLES}
    agg.quarters = {1: 0, 2: 0, 3: 0, 4: 0}
    for case in cases:
        for table in SINGLE_TABLES:
            code = case.get(table) or NONE
            agg.tables[table][code if code in agg.tables[table] else NONE] += 1
        for table in MULTI_TABLES:
            for code in set(case.get(table) or ()):
                agg.tables[table][code] += 1
        agg.quarters[int(case.get("quarter", 1))] += 1
    agg.activities = {code: (0, 0) for code in voc.ACTIVITIES}
    agg.activities.update(activities or {})
    return agg
