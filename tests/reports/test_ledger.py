"""The re-issue check: ranges of sums are exact, differences below k are caught."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reports.bruteforce import compositions
from tests.reports.test_disclosure import case
from vp_desk.reports.aggregate import from_cases
from vp_desk.reports.audit import groups_of
from vp_desk.reports.disclosure import protect, protect_single, withhold_case_figures
from vp_desk.reports.ledger import digest, isolations, ledger_figures, sum_range

CODES = ["in_person", "phone", "video", "written", "none"]


def _worlds(rows: list[dict], k: int, total: int):
    """Every count vector consistent with the published rows (brute force)."""
    for counts in compositions(total, len(CODES)):
        world = dict(zip(CODES, counts))
        ok = True
        for row in rows:
            members = row.get("members") or [row["code"]]
            value = sum(world[c] for c in members)
            if row["suppressed"] and row.get("suppressed_as") == "hidden":
                ok = ok and value >= k  # complementary suppression (disclosure.py)
            elif row["suppressed"]:
                ok = ok and 1 <= value <= k - 1
            else:
                ok = ok and value == row["count"]
            if row.get("members_below_threshold"):
                ok = ok and all(world[c] <= k - 1 for c in members)
            if row.get("members_nonzero"):
                ok = ok and all(world[c] >= 1 for c in members)
        if ok:
            yield world


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(0, 6), min_size=5, max_size=5),
    k=st.integers(3, 5),
    subset=st.sets(st.sampled_from(CODES), min_size=1),
)
def test_sum_range_is_exact(counts, k, subset):
    world = dict(zip(CODES, counts))
    total = sum(counts)
    rows, _ = protect_single("channel", world, k)
    sums = [sum(w[c] for c in subset) for w in _worlds(rows, k, total)]
    assert sums, "the true table must be consistent with its own publication"
    assert sum_range(groups_of({"rows": rows}, k), total, set(subset)) == (min(sums), max(sums))


def _figures(cases, k=5):
    return ledger_figures(protect(from_cases(2026, cases), k, 100))


def test_identical_figures_have_no_isolations_and_the_same_digest():
    cases = [case("bullying")] * 7 + [case("work_conflict")] * 4 + [case("sexual_harassment")]
    assert isolations(_figures(cases), _figures(cases)) == []
    assert digest(_figures(cases)) == digest(_figures(list(cases)))


def test_one_more_case_isolates_it():
    cases = [case("bullying")] * 7 + [case("work_conflict")] * 4 + [case("sexual_harassment")]
    found = isolations(_figures(cases), _figures(cases + [case("bullying")]), "2026-01-15")
    assert any(f.table is None and f.codes == ("new_cases",) for f in found)
    assert any(f.table == "behaviour" and f.codes == ("bullying",) for f in found)


def test_changes_of_at_least_k_everywhere_are_fine():
    cases = [case("bullying")] * 7 + [case("work_conflict")] * 4 + [case("sexual_harassment")]
    assert isolations(_figures(cases), _figures(cases + [case("bullying")] * 5)) == []


def test_a_hidden_cell_growing_into_view_is_caught():
    # work conflict goes from 'fewer than 5' (4) to 5: a difference of 1 to 4
    cases = (
        [case("bullying")] * 7
        + [case("work_conflict")] * 4
        + [case("sexual_harassment"), case("integrity")]
    )
    # (integrity 1 -> 4: with 1 and 2 hidden the later table would not be plain, since
    # its two hidden rows could only be "1 or 2": the protection interval)
    later = cases + [case("work_conflict")] + [case("bullying")] * 5 + [case("integrity")] * 3
    found = isolations(_figures(cases), _figures(later))
    assert any(f.codes == ("work_conflict",) for f in found)


def test_from_small_organisation_to_a_breakdown_is_caught_when_close():
    few = [case()] * 4
    assert any(
        f.codes == ("new_cases",) for f in isolations(_figures(few), _figures(few + [case()]))
    )
    # from "fewer than 5" to 12: at least 8 new cases, nothing singled out
    assert not any(
        f.codes == ("new_cases",) for f in isolations(_figures(few), _figures(few + [case()] * 8))
    )


def test_withheld_figures_never_isolate():
    cases = [case("bullying")] * 7 + [case("work_conflict")] * 4 + [case("sexual_harassment")]
    later = protect(from_cases(2026, cases + [case("sexual_harassment")]), 5, 100)
    assert (
        isolations(_figures(cases), ledger_figures(withhold_case_figures(later, "2026-01-15")))
        == []
    )
