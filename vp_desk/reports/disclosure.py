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
- **secondary protection** for single-valued tables (each case in exactly one
  row, rows add up to ``new_cases``, which is published): hidden rows must not
  be computable from the published rows and the total. With m hidden rows
  summing to R (R is known: the total minus the published rows), a hidden row
  is pinned exactly when m = 1, or R = m (all ones), or R = m(k-1). So per
  table:

  1. plain primary suppression when the audit finds nothing pinned (the
     condition only involves m and R, which the published table shows anyway,
     so choosing this form gives nothing away);
  2. otherwise the table is **merged into one row**, "all categories
     combined", equal to the total: no breakdown for that dimension, and a
     note says why. The same happens when the total is exactly k and some
     category is below k (then plain suppression could only have failed with
     k categories of one case each).

  Why not merge only the small categories into "other" and keep the large
  ones? Because the open-source rule is known: seeing such a partial merge,
  an outsider knows plain suppression failed, i.e. that m = 1, R = m or
  R = m(k-1) - "every merged category holds exactly 0 or 1 case", and with no
  zero among them, exactly 1. An exhaustive search over every table of 3 to 9
  categories with small totals (k = 3..6), grouping the tables by what they
  would publish, found such leaks for every partial-merge variant we tried
  and none for the rule above; tests/reports/test_disclosure.py keeps that
  check for the rule above ("even knowing the rule").
  We never hide a count of k or more behind "fewer than k" (that would be
  false), and we never suppress the total: it is ``new_cases``.
- **multi-valued tables** (help, referrals): a case may be in several rows or in
  none, so the rows are not tied by an equation; primary suppression is enough
  (a hidden row ranges over 1..k-1). No "none" row is published because it
  would add exactly such an equation.
- **quarters** are published only when every quarter has at least k cases.

Why hours, contact moments and open cases are handled as they are:

- *Hours* are not counts of people. A contact moment may last anything from 0
  to 24 hours, so no number of people follows from them. They are rounded to
  half hours. What hours on cases do reveal is *that* casework happened in the
  year (perhaps on a case from an earlier year) - the domain rules explicitly keep
  hours in the small-organisation report, for the parliamentary question on
  prevention time, and the rounding removes the exact-minute fingerprint.
- *Contact moments* are counted like cases: 0 or at least k, else "fewer than
  k", and left out under the small-organisation rule - one contact moment in a
  year would tell that exactly one person came.
- *Open at year end* is a count of cases (older cases included), so it follows
  the same rule. It is not a linear function of any published table (it
  includes earlier years' cases), so no secondary protection is needed.
- *Cases per 100 employees* is published only with ``new_cases`` itself.
- *Activities* are the adviser's own work (trainings, advice to management),
  not people, and are published in full with their hours.
"""

from __future__ import annotations

from typing import Any

from vp_desk.domain.models import MIN_THRESHOLD
from vp_desk.reports.aggregate import MULTI_TABLES, NONE, SINGLE_TABLES, Aggregate, table_codes
from vp_desk.reports.audit import ensure_safe, groups_of, single_table_safe

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


def protect_single(tid: str, counts: dict[str, int], k: int) -> tuple[list[dict[str, Any]], str]:
    """Rows for one single-valued table and how: ``"plain"`` or ``"merged"``."""
    total = sum(counts.values())
    plain = table_rows(tid, counts, k)
    if not any(r["suppressed"] for r in plain):
        return plain, "plain"
    if total != k and single_table_safe(groups_of({"rows": plain}, k), total):
        return plain, "plain"
    merged = {
        "code": MERGED,
        "count": total,
        "suppressed": False,
        "members": listed_codes(tid, counts),
        "members_below_threshold": False,
    }
    return [merged], "merged"


def protect(agg: Aggregate, threshold: int | None, employees: int) -> dict[str, Any]:
    """The publishable figures of a report (language-neutral), audited.

    Raises ``DisclosureRisk`` if, against expectation, the audit finds a leak:
    nothing is ever published that the audit has not passed.
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
        _tables(agg, k, figures, notes)
    notes.append({"key": "note_hours"})
    ensure_safe(figures)
    return figures


def _tables(agg: Aggregate, k: int, figures: dict[str, Any], notes: list[dict[str, Any]]) -> None:
    tables = figures["tables"]
    any_merge = False
    for tid in SINGLE_TABLES:
        rows, how = protect_single(tid, agg.tables[tid], k)
        tables.append({"id": tid, "multi": False, "total": agg.new_cases, "rows": rows})
        if how != "plain":
            any_merge = True
            notes.append({"key": "note_" + how, "table": tid})
    for tid in MULTI_TABLES:
        rows = table_rows(tid, agg.tables[tid], k)
        tables.append({"id": tid, "multi": True, "total": agg.new_cases, "rows": rows})
    notes.append({"key": "note_multi"})
    if all(agg.quarters[q] >= k for q in (1, 2, 3, 4)):
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
        }
    )
    out["notes"] = [n for n in figures["notes"] if n["key"] in ("note_threshold", "note_hours")]
    out["notes"].append({"key": "note_withheld", "issued": issued})
    ensure_safe(out)
    return out
