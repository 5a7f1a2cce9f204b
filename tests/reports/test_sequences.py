"""Sequences of written reports on a real vault (issue 12, property tests).

For random case sets, thresholds and up to 3 written reports (drafts and
finals) with late cases, closings, reopenings, deletions, extra contact
moments and retention runs in between, driven through the report service:

- every written report passes the disclosure audit (no published figure gives
  a hidden count away), and hours on cases follow the small-organisation rule;
- no two written reports differ in a way that isolates fewer than k cases -
  checked with the ledger's rule for every pair and, independently, by brute
  force over the channel table (tests/reports/bruteforce_reissue.py);
- hours on cases never change between two written reports unless at least k
  contact moments more (or fewer) are published in both;
- no invoice specification covers less than a month or shows a month whose
  hours changed since an earlier specification.

Example counts are kept small so the whole file runs in seconds.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports.bruteforce_reissue import additive_split, difference_ranges, isolates
from tests.reports.conftest import YEAR, case_data
from vp_desk.domain.models import ConsultationInput, OrganisationInput
from vp_desk.reports import ledger
from vp_desk.reports.audit import ensure_safe
from vp_desk.reports.errors import LedgerConflict
from vp_desk.services import reporting

CHANNELS = ["in_person", "phone", "video", "written", "none"]
TODAY = date(YEAR + 1, 2, 1)
_COUNTER = iter(range(10**6))

case_st = st.fixed_dictionaries(
    {
        "behaviour": st.sampled_from(["bullying", "work_conflict", "sexual_harassment"]),
        "channel": st.sampled_from(["in_person", "phone", "written"]),
        "month": st.integers(1, 12),
        "minutes": st.sampled_from([0, 30, 45, 60]),
    }
)
step_st = st.one_of(
    st.tuples(st.just("late_case"), case_st),
    st.tuples(st.just("close"), st.integers(0, 20)),
    st.tuples(st.just("reopen"), st.integers(0, 20)),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("contact"), st.integers(0, 20)),
    st.tuples(st.just("retention"), st.integers(0, 20)),
)


def _insert(desk, org_id: int, c: dict) -> None:
    opened = date(YEAR, c["month"], 3)
    data = case_data(opened, c["behaviour"], channel=c["channel"])
    desk.insert_cases(org_id, [(data, [{"date": opened, "minutes": c["minutes"]}])], event="t")


def _case_ids(desk, org_id: int, status: str | None = None) -> list[int]:
    sql = "SELECT id FROM cases WHERE destroyed IS NULL" + (" AND status = ?" if status else "")
    args = (status,) if status else ()
    return [r[0] for r in desk.conn(org_id).execute(sql + " ORDER BY id", args)]


def _apply(desk, org_id: int, step) -> None:
    from vp_desk.services.retention import destroy_cases

    kind, arg = step
    if kind == "late_case":
        _insert(desk, org_id, arg)
        return
    ids = _case_ids(desk, org_id, {"close": "open", "reopen": "closed"}.get(kind))
    if kind == "retention":
        ids = _case_ids(desk, org_id, "closed")
    if not ids:
        return
    case_id = ids[arg % len(ids)]
    if kind == "close":
        # on the last day: never before a contact moment (which the desk refuses)
        desk.close_case(org_id, case_id, date(YEAR, 12, 31), "no_follow_up")
    elif kind == "reopen":
        desk.reopen_case(org_id, case_id)
    elif kind == "delete":  # a case logged by mistake
        conn = desk.conn(org_id)
        with desk.vault.transaction(conn):
            conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))
    elif kind == "contact":
        desk.add_consultation(org_id, case_id, ConsultationInput(date(YEAR, 12, 30), 30))
    elif kind == "retention":
        destroy_cases(desk, org_id, [case_id], TODAY)


def _write(desk, org_id: int, final: bool) -> dict:
    try:
        result = reporting.export(desk, org_id, YEAR, "json", final=final, today=TODAY)
    except LedgerConflict:
        result = reporting.export(
            desk, org_id, YEAR, "json", final=final, withhold=True, today=TODAY
        )
    return ledger.ledger_figures(result.report.figures)


def _channel(figures: dict):
    return next((t for t in figures["tables"] if t["id"] == "channel"), None)


def _bruteforce_pair(old: dict, new: dict) -> None:
    t_old, t_new = _channel(old), _channel(new)
    if t_old is None or t_new is None:
        return
    k = max(old["threshold"], new["threshold"])
    brute = difference_ranges(
        t_old["rows"],
        t_new["rows"],
        CHANNELS,
        old["threshold"],
        new["threshold"],
        t_old["total"],
        t_new["total"],
    )
    for subset, rng in brute.items():
        assert not isolates(rng, k) or additive_split(subset, brute), (subset, rng)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cases=st.lists(case_st, min_size=0, max_size=9),
    k=st.integers(3, 5),
    disclose=st.booleans(),
    plan=st.lists(st.tuples(st.booleans(), st.lists(step_st, max_size=3)), min_size=1, max_size=3),
)
def test_no_sequence_of_written_reports_singles_anyone_out(desk, cases, k, disclose, plan):
    org = desk.add_organisation(OrganisationInput(f"Org {next(_COUNTER)}", 60, k, 12, "en"))
    for c in cases:
        _insert(desk, org.id, c)
    if disclose:
        reporting.set_disclose_case_hours(desk, org.id, True)
    written: list[dict] = []
    for final, steps in plan:
        figures = _write(desk, org.id, final)
        ensure_safe(figures)
        if figures["small_organisation"] and not disclose:
            assert figures["hours"]["cases"] is None
        written.append(figures)
        for step in steps:
            _apply(desk, org.id, step)
    entries = ledger.entries(desk.index, org.id, YEAR)
    assert {e.digest for e in entries} == {ledger.digest(f) for f in written}
    for i, old in enumerate(written):
        for new in written[i + 1 :]:
            assert ledger.isolations(old, new) == []
            _bruteforce_pair(old, new)
            h_old, h_new = old["hours"]["cases"], new["hours"]["cases"]
            if h_old is not None and h_new is not None and h_old != h_new:
                c_old, c_new = old["consultations"], new["consultations"]
                assert c_old is not None and c_new is not None
                assert abs(c_new - c_old) >= max(old["threshold"], new["threshold"])


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    periods=st.lists(
        st.tuples(st.integers(1, 12), st.integers(0, 3), st.booleans()), min_size=1, max_size=3
    ),
    late=st.lists(st.tuples(st.integers(1, 12), st.sampled_from([15, 30])), max_size=3),
)
def test_no_invoice_specification_shows_a_late_change(desk, periods, late):
    from tests.reports.conftest import twelve_cases

    org = desk.add_organisation(OrganisationInput(f"Inv {next(_COUNTER)}", 40, 5, 12, "nl"))
    desk.insert_cases(org.id, twelve_cases(), event="t")
    reporting.set_disclose_case_hours(desk, org.id, True)
    case_id = _case_ids(desk, org.id)[0]
    sent: list[reporting.InvoiceSpec] = []
    for (month, extra, add_late), late_item in zip(periods, late + [None] * 3):
        last_month = min(12, month + extra)
        start = date(YEAR, month, 1)
        end = reporting._month_end(date(YEAR, last_month, 1))
        spec = reporting.invoice(desk, org.id, start, end)
        try:
            reporting.record_invoice(desk, org.id, spec)
            sent.append(spec)
        except reporting.InvoiceConflict:
            pass
        if add_late and late_item is not None:
            m, minutes = late_item
            desk.add_consultation(org.id, case_id, ConsultationInput(date(YEAR, m, 28), minutes))
    for i, a in enumerate(sent):
        assert (a.end - a.start).days >= 27 and a.start.day == 1
        for b in sent[i + 1 :]:
            for month in set(a.months) & set(b.months):
                assert a.months[month] == b.months[month], month
