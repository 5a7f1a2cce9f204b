"""The residual report risks of our own attack pass (docs/threat-model.md), each
reproduced end to end: write report 1, change the data, write report 2 (or an
invoice), and show what a reader holding both derives. Each failed on main
before its fix (h19-residual)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from itertools import product

import pytest

from tests.reports.bruteforce import compositions
from tests.reports.conftest import YEAR, case_data
from vp_desk.domain.models import ConsultationInput, OrganisationInput
from vp_desk.reports.audit import protection_interval
from vp_desk.reports.errors import LedgerConflict
from vp_desk.services import reporting

TODAY = date(YEAR + 1, 2, 1)


def _export(desk, org_id: int, **kw) -> dict:
    result = reporting.export(desk, org_id, YEAR, "json", final=True, today=TODAY, **kw)
    return json.loads(result.data)


def _table(data: dict, tid: str) -> dict | None:
    return next((t for t in data["tables"] if t["id"] == tid), None)


def _figures(desk, org_id: int) -> dict:
    """The ledger's figures of the last written report (what the employer holds)."""
    from vp_desk.reports import ledger

    return ledger.entries(desk.index, org_id, YEAR)[-1].figures


# -- (a) "no outcome yet" bounded by an earlier report -------------------------------------


def _worlds(table: dict, k: int, total: int, none_max: int) -> list[dict[str, int]]:
    """Every outcome table consistent with the published rows (a reader who uses
    the equations) in which "no outcome yet" is at most ``none_max``."""
    codes: list[str] = []
    for row in table["rows"]:
        for c in row.get("members") or [row["code"]]:
            codes.append(c)
    out = []
    for values in compositions(total, len(codes)):
        world = dict(zip(codes, values))
        if world.get("none", 0) > none_max:
            continue
        ok = True
        for row in table["rows"]:
            members = row.get("members")
            if members:
                ok = sum(world[c] for c in members) == row["count"] and (
                    not row.get("members_nonzero") or all(world[c] for c in members)
                )
            elif row.get("suppressed_as") == "hidden":
                ok = world[row["code"]] >= k
            elif row.get("suppressed"):
                ok = 1 <= world[row["code"]] < k
            else:
                ok = world[row["code"]] == row["count"]
            if not ok:
                break
        if ok:
            out.append(world)
    return out


def test_an_earlier_open_count_does_not_narrow_a_combined_outcome_table(desk):
    """10 cases, k = 5. Report 1: outcome resolved 1, talk with manager 5, no
    outcome yet 4 (plain) and "open at the end of the year: fewer than 5". Then
    the 5 talks are corrected to "resolved by the melder". Report 2 passes the
    re-issue check (every change is 5 or more, or hidden) and combines
    {resolved, none} = 10. A reader who assumes the open count did not change
    has none <= 4, so resolved >= 6: all but fewer than k (group disclosure)."""
    org = desk.add_organisation(OrganisationInput("Tien BV", 60, 5, 12, "nl"))
    items = []
    for i in range(10):
        opened = date(YEAR, 1 + i, 3)
        closed = date(YEAR, 1 + i, 20)
        if i == 0:
            data = case_data(opened, "bullying", closed=closed)
        elif i <= 5:
            data = replace(
                case_data(opened, "bullying", closed=closed), outcome="talk_with_manager"
            )
        else:
            data = case_data(opened, "bullying")  # still open, no outcome yet
        items.append((data, []))
    desk.insert_cases(org.id, items, event="test")
    first = _figures_after_export(desk, org.id)
    assert "open_at_year_end" in first["suppressed_figures"]  # "fewer than 5"
    outcome = _table(first, "outcome")
    assert not any(r.get("members") or r.get("suppressed_as") for r in outcome["rows"])
    for case_id, outcome_code in desk.conn(org.id).execute("SELECT id, outcome FROM cases"):
        if outcome_code == "talk_with_manager":
            data = desk.get_case(org.id, case_id).to_input()
            desk.update_case(org.id, case_id, replace(data, outcome="resolved_self"))
    second = _figures_after_export(desk, org.id)
    k, total = second["threshold"], second["new_cases"]
    table = _table(second, "outcome")
    worlds = _worlds(table, k, total, none_max=k - 1)  # the reader's assumption
    assert worlds
    hidden = {
        c
        for r in table["rows"]
        if r["suppressed"] or r.get("members")
        for c in (r.get("members") or [r["code"]])
    }
    for code in hidden:
        values = {w[code] for w in worlds}
        assert min(values) <= total - k, (code, sorted(values))
        assert max(values) - min(values) + 1 >= protection_interval(k), (code, sorted(values))
    assert "note_outcome_earlier" in {
        n["key"] for n in reporting.build(desk, org.id, YEAR).figures["notes"]
    }


def _none_bound(figures: dict) -> int | None:
    """The bound on "no outcome yet" that a report gives: open at year end, or
    ``none`` on its own row (None: no bound)."""
    k = figures["threshold"]
    bounds = []
    if figures.get("open_at_year_end") is not None:
        bounds.append(figures["open_at_year_end"])
    elif "open_at_year_end" in figures["suppressed_figures"]:
        bounds.append(k - 1)
    for row in (_table(figures, "outcome") or {"rows": []})["rows"]:
        if row["code"] == "none" and not row.get("suppressed_as"):
            bounds.append(k - 1 if row["suppressed"] else row["count"])
    return min(bounds) if bounds else None


def test_a_later_bound_does_not_narrow_an_earlier_combined_outcome_table(desk):
    """The same attack backwards. Report 1: 10 cases, 1 talk with manager and 9
    still open: {talk, none} = 10 beside zeros. Then 5 open cases are closed as
    resolved by the melder. On main report 2 was plain with "open at the end of
    the year: fewer than 5"; a reader who assumes the open count was the same
    before has none <= 4 in report 1, so talk >= 6 there: all but fewer than k."""
    org = desk.add_organisation(OrganisationInput("Terug BV", 60, 5, 12, "nl"))
    items = []
    for i in range(10):
        opened = date(YEAR, 1 + i, 3)
        if i == 0:
            data = replace(
                case_data(opened, "bullying", closed=date(YEAR, 1, 20)),
                outcome="talk_with_manager",
            )
        else:
            data = case_data(opened, "bullying")
        items.append((data, []))
    desk.insert_cases(org.id, items, event="test")
    first = _figures_after_export(desk, org.id)
    table = _table(first, "outcome")
    assert any(r.get("members_nonzero") for r in table["rows"])  # the example's form
    open_ids = [
        r[0] for r in desk.conn(org.id).execute("SELECT id FROM cases WHERE closed IS NULL")
    ]
    for case_id in open_ids[:5]:
        data = desk.get_case(org.id, case_id).to_input()
        closed = replace(data, closed=date(YEAR, 12, 1), outcome="resolved_self")
        desk.update_case(org.id, case_id, closed)
    second = _figures_after_export(desk, org.id)
    k, total = first["threshold"], first["new_cases"]
    bound = _none_bound(second)
    worlds = _worlds(table, k, total, none_max=total if bound is None else bound)
    for code in table["rows"][0]["members"]:
        values = {w[code] for w in worlds}
        assert min(values) <= total - k, (code, sorted(values), bound)


def _figures_after_export(desk, org_id: int) -> dict:
    _export(desk, org_id)
    return _figures(desk, org_id)


@pytest.mark.parametrize("k", [3, 5])
def test_bruteforce_outcome_table_after_an_earlier_bound_on_no_outcome_yet(k):
    """Every outcome table of two categories plus "no outcome yet" (totals k..10),
    after an earlier report that bounded "no outcome yet" by b (k-1 for "fewer
    than k", or an exact open count from k up): grouped by what the outcome
    table publishes, a reader who knows the rule and assumes none <= b keeps
    every hidden category at least the protection interval wide, and none is
    surely all but fewer than k."""
    from vp_desk.reports.disclosure import outcome_rows

    codes = ["resolved_self", "talk_with_manager", "none"]
    interval = protection_interval(k)
    for total, bound in product(range(k, 11), range(k - 1, 13)):
        groups: dict[str, list[tuple[int, ...]]] = {}
        shown: dict[str, set[str]] = {}
        for counts in compositions(total, 3):
            if counts[2] > bound:
                continue  # the reader's assumption rules these out
            full = dict.fromkeys(
                [
                    "formal_complaint",
                    "misconduct_report",
                    "police_report",
                    "no_follow_up",
                    "unknown",
                ],
                0,
            )
            full.update(zip(codes, counts))
            rows, _, _ = outcome_rows(full, k, none_bounded=True)
            key = repr(rows)
            groups.setdefault(key, []).append(counts)
            shown[key] = {r["code"] for r in rows if not r["suppressed"] and not r.get("members")}
        for key, worlds in groups.items():
            for i, code in enumerate(codes):
                if code in shown[key]:
                    continue
                values = {w[i] for w in worlds}
                if code == "none" and max(values) < k:
                    continue  # what the earlier report said itself
                assert min(values) <= total - k, (total, bound, key, code, values)
                assert max(values) - min(values) + 1 >= interval, (total, bound, key, code, values)


# -- (b) a quarter table that disappears (or appears) in a re-issue -------------------------


def _quarter_org(desk, per_quarter: tuple[int, int, int, int]):
    org = desk.add_organisation(OrganisationInput("Kwartaal BV", 200, 5, 12, "nl"))
    items = []
    for q, n in enumerate(per_quarter):
        for i in range(n):
            items.append((case_data(date(YEAR, 3 * q + 1, 1 + i), "bullying"), []))
    desk.insert_cases(org.id, items, event="test")
    return org


def _move_a_case(desk, org_id: int, quarter: int, to: date) -> None:
    """Correct the opening date of one case of ``quarter`` to ``to``."""
    start = date(YEAR, 3 * quarter - 2, 1).isoformat()
    end = date(YEAR, 3 * quarter, 28).isoformat()
    case_id = (
        desk.conn(org_id)
        .execute("SELECT min(id) FROM cases WHERE opened BETWEEN ? AND ?", (start, end))
        .fetchone()[0]
    )
    data = desk.get_case(org_id, case_id).to_input()
    desk.update_case(org_id, case_id, replace(data, opened=to))


def test_a_quarter_that_drops_below_k_is_not_told_by_a_missing_table(desk):
    """20 cases, 5 per quarter (k = 5): report 1 shows the quarters. One case's
    opening date is corrected from January to April (the year's figures stay
    the same). On main report 2 had no quarter table: a reader holding both
    knows that a quarter that held exactly 5 lost 1 to 4 cases."""
    org = _quarter_org(desk, (5, 5, 5, 5))
    first = _figures_after_export(desk, org.id)
    assert [r["count"] for r in _table(first, "quarter")["rows"]] == [5, 5, 5, 5]
    _move_a_case(desk, org.id, 1, date(YEAR, 4, 20))
    try:
        _export(desk, org.id)
    except LedgerConflict:
        pass  # refused: the kept table shows that 1 case moved, which isolates it
    else:
        second = _figures(desk, org.id)
        assert _table(second, "quarter") is not None, "the quarter table vanished"
    # the way out withholds every case figure, quarters included, like any re-issue
    withheld = _export(desk, org.id, withhold=True)
    assert withheld["withheld"] is True and withheld["tables"] == []
    # and what the app would write now keeps the table's shape
    kept = _table(reporting.build(desk, org.id, YEAR).figures, "quarter")
    assert kept is not None and kept.get("kept") is True


def test_a_kept_quarter_table_protects_its_cells_and_passes_the_audit(desk):
    """10, 5, 5, 5 shown; then 7 cases are corrected from the first quarter to
    the last: 3, 5, 5, 12. Every change is 7, so the re-issue is written, and
    the kept table gives the first quarter as "fewer than 5" with secondary
    suppression (the last quarter hidden) instead of dropping the table."""
    org = _quarter_org(desk, (10, 5, 5, 5))
    first = _figures_after_export(desk, org.id)
    assert [r["count"] for r in _table(first, "quarter")["rows"]] == [10, 5, 5, 5]
    for _ in range(7):
        _move_a_case(desk, org.id, 1, date(YEAR, 11, 20))
    second = _figures_after_export(desk, org.id)  # audited before it was written
    quarter = _table(second, "quarter")
    assert quarter is not None and quarter["kept"] is True
    rows = {r["code"]: r for r in quarter["rows"]}
    assert rows["q1"]["suppressed"] and rows["q1"]["count"] is None
    assert rows["q4"]["suppressed"] and rows["q4"].get("suppressed_as") == "hidden"
    assert (rows["q2"]["count"], rows["q3"]["count"]) == (5, 5)
    report = reporting.build(desk, org.id, YEAR, lang="en")
    for fmt in reporting.FORMATS:  # every format renders the kept table
        assert reporting.render(report, fmt)
    assert "Quarter 1 | fewer than 5" in reporting.render(report, "md").decode()


def test_a_quarter_table_that_appears_in_a_reissue_is_not_shown(desk):
    """Report 1: 4, 6, 5, 5 (no quarter table). One case is corrected from
    April to January: 5, 5, 5, 5. On main report 2 showed the table, saying
    that the small quarter grew: by 1 to 4 cases."""
    org = _quarter_org(desk, (4, 6, 5, 5))
    first = _figures_after_export(desk, org.id)
    assert _table(first, "quarter") is None
    _move_a_case(desk, org.id, 2, date(YEAR, 1, 25))
    second = _figures_after_export(desk, org.id)
    assert _table(second, "quarter") is None


# -- (c) invoices beside a report that withholds the hours on cases ------------------------


def _long_contacts_org(desk, k: int = 5):
    """5 cases (k = 5), 3 contact moments of 24 hours: 72 hours on cases."""
    org = desk.add_organisation(OrganisationInput("Lang BV", 60, k, 12, "nl"))
    items = []
    for i in range(5):
        opened = date(YEAR, 2 + i, 3)
        contacts = [{"date": opened, "minutes": 1440}] if i < 3 else []
        items.append((case_data(opened, "bullying"), contacts))
    desk.insert_cases(org.id, items, event="test")
    reporting.set_disclose_case_hours(desk, org.id, True)
    reporting.set_invoice_split(desk, org.id, True)
    return org


def _invoice_year(desk, org_id: int) -> float:
    spec = reporting.invoice(desk, org_id, date(YEAR, 1, 1), date(YEAR, 12, 31), today=TODAY)
    reporting.record_invoice(desk, org_id, spec)
    return spec.hours()["cases"]


def _contacts_range(report: dict, invoiced_hours: float) -> tuple[int, int] | None:
    """What a reader holding the invoice and the report knows about the number
    of contact moments when the report gives it as "fewer than k"."""
    k = report["threshold"]
    if "consultations" not in report["suppressed_figures"]:
        return None
    least_minutes = max(0, int(invoiced_hours * 60) - 15)
    return max(1, -(-least_minutes // 1440)), k - 1


def test_invoiced_hours_do_not_narrow_fewer_than_k_contact_moments(desk):
    """Invoice for the whole year first: 72.0 hours on cases. On main the report
    then withheld its hours but gave "contact moments: fewer than 5": with the
    invoice, 3 or 4 - narrower than the protection interval of 3."""
    org = _long_contacts_org(desk)
    invoiced = _invoice_year(desk, org.id)
    assert invoiced == 72.0
    report = _export(desk, org.id)
    k = report["threshold"]
    span = _contacts_range(report, invoiced)
    if span is not None:
        assert span[1] - span[0] + 1 >= protection_interval(k), span
    # honest to the employer: the report gives the hours the invoices gave
    assert report["hours"]["cases"] == invoiced
    assert report["consultations"] is None


def test_an_invoice_after_a_report_with_fewer_than_k_contact_moments_is_refused(desk):
    """Report first ("fewer than 5" contact moments, hours withheld), then the
    year's invoice: 72.0 hours would narrow the count to 3 or 4."""
    org = _long_contacts_org(desk)
    report = _export(desk, org.id)
    assert "consultations" in report["suppressed_figures"]
    with pytest.raises(reporting.InvoiceConflict) as info:
        _invoice_year(desk, org.id)
    assert "minder dan 5 contactmomenten" in info.value.text("nl")
    assert "fewer than 5 contact moments" in info.value.text("en")
    from vp_desk.reports import ledger

    assert ledger.all_entries(desk.index, org.id, "invoice") == []


def test_a_small_organisation_report_after_a_years_invoices_shows_their_hours(desk):
    """Casework hours disclosed and invoiced for the whole year, then disclosure
    switched off: on main the report withheld the hours on cases that the
    employer already had. Now it gives them and says why."""
    org = desk.add_organisation(OrganisationInput("Klein BV", 30, 5, 12, "nl"))
    items = [(case_data(date(YEAR, 3, 3), "bullying"), [{"date": date(YEAR, 3, 3), "minutes": 90}])]
    desk.insert_cases(org.id, items, event="test")
    reporting.set_disclose_case_hours(desk, org.id, True)
    reporting.set_invoice_split(desk, org.id, True)
    invoiced = _invoice_year(desk, org.id)
    reporting.set_disclose_case_hours(desk, org.id, False)
    report = reporting.build(desk, org.id, YEAR, today=TODAY)
    assert report.figures["hours"]["cases"] == invoiced == 1.5
    assert any("gefactureerd" in text for text in report.note_texts())


def test_a_few_invoiced_hours_leave_fewer_than_k_contact_moments_as_they_were(desk):
    """The rule costs nothing where it is not needed: 3 contact moments of an hour."""
    org = desk.add_organisation(OrganisationInput("Kort BV", 60, 5, 12, "nl"))
    items = []
    for i in range(5):
        opened = date(YEAR, 2 + i, 3)
        contacts = [{"date": opened, "minutes": 60}] if i < 3 else []
        items.append((case_data(opened, "bullying"), contacts))
    desk.insert_cases(org.id, items, event="test")
    reporting.set_disclose_case_hours(desk, org.id, True)
    reporting.set_invoice_split(desk, org.id, True)
    invoiced = _invoice_year(desk, org.id)
    report = _export(desk, org.id)
    assert "consultations" in report["suppressed_figures"]
    assert report["hours"]["cases"] == invoiced == 3.0
    desk.add_consultation(
        org.id,
        desk.conn(org.id).execute("SELECT min(id) FROM cases").fetchone()[0],
        ConsultationInput(date(YEAR + 1, 1, 5), 30),
    )  # next year's work changes nothing here
    assert reporting.build(desk, org.id, YEAR).figures["hours"]["cases"] == 3.0


def test_beside_invoiced_hours_the_contact_figure_does_not_depend_on_the_count(desk):
    """72 invoiced hours (k = 5): 3 contact moments of 24 hours, or 20 of 3.6 hours.
    Left out in both, so that leaving it out says nothing about the count."""
    reports = []
    for name, contacts, minutes in (("Drie BV", 3, 1440), ("Twintig BV", 20, 216)):
        org = desk.add_organisation(OrganisationInput(name, 60, 5, 12, "nl"))
        items = []
        for i in range(5):
            opened = date(YEAR, 2 + i, 3)
            mine = (
                [
                    {"date": date(YEAR, 2 + i, 3 + j), "minutes": minutes}
                    for j in range(contacts)
                    if j % 5 == i
                ]
                if contacts > 3
                else ([{"date": opened, "minutes": minutes}] if i < 3 else [])
            )
            items.append((case_data(opened, "bullying"), mine))
        desk.insert_cases(org.id, items, event="test")
        reporting.set_disclose_case_hours(desk, org.id, True)
        reporting.set_invoice_split(desk, org.id, True)
        assert _invoice_year(desk, org.id) == 72.0
        reports.append(_export(desk, org.id))
    few, many = reports
    assert many["consultations"] is None and few["consultations"] is None
    assert "consultations" not in few["suppressed_figures"] + many["suppressed_figures"]
    assert few["hours"] == many["hours"]
