"""The report use cases on a real encrypted vault."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.reports.conftest import YEAR, add_org, case_data
from vp_desk.reports.aggregate import aggregate
from vp_desk.reports.errors import LedgerConflict, TextNeedsReview
from vp_desk.services import reporting

TODAY = date(2026, 2, 1)


def _events(desk, org_id: int) -> list[tuple[str, str]]:
    return [tuple(r) for r in desk.conn(org_id).execute("SELECT event, subject FROM audit")]


def test_sql_aggregate_counts_the_cases_opened_in_the_year(desk, acme):
    agg = aggregate(desk.conn(acme.id), YEAR)
    assert agg.new_cases == 12
    assert agg.open_at_year_end == 4
    assert agg.consultations == 24 and agg.case_minutes == 12 * 75
    assert agg.tables["behaviour"]["bullying"] == 7
    assert agg.tables["behaviour"]["sexual_harassment"] == 1
    assert agg.tables["outcome"]["none"] == 4
    assert agg.tables["referrals"]["hr"] == 2
    assert agg.tables["help"]["advice"] == 12
    assert agg.quarters == {1: 3, 2: 3, 3: 3, 4: 3}
    assert agg.activities["awareness"] == (2, 210)
    assert aggregate(desk.conn(acme.id), YEAR + 1).new_cases == 0


def test_report_hides_the_single_harassment_case_and_logs_the_export(desk, acme):
    result = reporting.export(desk, acme.id, YEAR, "json", today=TODAY)
    data = json.loads(result.data)
    assert data["new_cases"] == 12 and data["language"] == "nl"
    behaviour = next(t for t in data["tables"] if t["id"] == "behaviour")
    sh = next(r for r in behaviour["rows"] if r["code"] == "sexual_harassment")
    assert sh == {
        "code": "sexual_harassment",
        "label": "Seksuele intimidatie",
        "count": None,
        "suppressed": True,
    }
    assert data["hours"] == {"cases": 15.0, "activities": 4.5}
    assert data["activities"][0] == {"code": "awareness", "count": 2, "minutes": 210}
    assert ("report", f"{YEAR} json draft") in _events(desk, acme.id)
    assert data["draft"] is True and data["status"] == "CONCEPT"


def test_english_override_and_organisation_language(desk, acme):
    english = reporting.build(desk, acme.id, YEAR, lang="en", today=TODAY)
    assert english.to_json()["tables"][0]["title"] == "Type of behaviour"
    dutch = reporting.build(desk, acme.id, YEAR, today=TODAY)
    assert dutch.to_json()["tables"][0]["title"] == "Aard van het gedrag"


def test_free_text_with_personal_data_waits_for_an_edit_or_a_confirmation(desk, acme):
    reporting.save_texts(
        desk, acme.id, YEAR, "Bel mij op 06-12345678.", "Mail naar fictief@example.org."
    )
    with pytest.raises(TextNeedsReview) as err:
        reporting.export(desk, acme.id, YEAR, "md", today=TODAY)
    message = str(err.value)
    assert "signals: a phone number" in message
    assert "recommendations: an e-mail address" in message
    assert "06-12345678" not in message and "example.org" not in message
    # editing the text is one way out
    reporting.save_texts(
        desk, acme.id, YEAR, "Bel de vertrouwenspersoon.", "Mail naar fictief@example.org."
    )
    with pytest.raises(TextNeedsReview):
        reporting.export(desk, acme.id, YEAR, "md", today=TODAY)
    # confirming is the other; a later change drops the confirmation again
    reporting.confirm_texts(desk, acme.id, YEAR)
    assert b"fictief@example" in reporting.export(desk, acme.id, YEAR, "md", today=TODAY).data
    reporting.save_texts(desk, acme.id, YEAR, "Andere tekst, mail fictief@example.org.", "")
    assert reporting.get_texts(desk, acme.id, YEAR).confirmed is False
    assert ("report.texts", str(YEAR)) in _events(desk, acme.id)


def test_texts_are_stored_in_the_encrypted_organisation_vault(desk, acme, data_dir):
    reporting.save_texts(desk, acme.id, YEAR, "Zeer herkenbaar signaal XYZZY", "")
    desk.close()
    for path in data_dir.iterdir():
        if path.is_file():
            assert b"XYZZY" not in path.read_bytes()


def test_reissue_after_one_late_case_is_refused_with_a_way_out(desk, acme):
    first = reporting.export(desk, acme.id, YEAR, "json", final=True, today=TODAY)
    assert first.ledger == "recorded"
    again = reporting.export(desk, acme.id, YEAR, "json", final=True, today=TODAY)
    assert again.ledger == "unchanged"
    # one late case for that year
    desk.insert_cases(acme.id, [(case_data(date(YEAR, 11, 2), "bullying"), [])], event="test")
    with pytest.raises(LedgerConflict) as err:
        reporting.export(desk, acme.id, YEAR, "json", today=TODAY)
    message = str(err.value)
    assert "already written" in message and "fewer than 5 cases" in message
    assert "New cases" in message and "--withhold-changes" in message
    # the way out: the same report with the case figures withheld
    withheld = reporting.export(desk, acme.id, YEAR, "json", final=True, withhold=True, today=TODAY)
    data = json.loads(withheld.data)
    assert withheld.withheld and data["withheld"] is True
    assert data["new_cases"] is None and data["tables"] == []
    assert data["hours"]["activities"] == 4.5
    assert any("not published again" in n or "niet opnieuw" in n for n in data["notes"])
    assert withheld.ledger == "recorded"


def test_reissue_with_at_least_k_new_cases_is_allowed(desk, acme):
    reporting.export(desk, acme.id, YEAR, "json", final=True, today=TODAY)
    late = [(case_data(date(YEAR, 11, d), "bullying"), []) for d in range(2, 7)]
    desk.insert_cases(acme.id, late, event="test")
    result = reporting.export(desk, acme.id, YEAR, "json", final=True, today=TODAY)
    assert json.loads(result.data)["new_cases"] == 17
    assert result.ledger == "recorded"


def test_a_late_case_that_moves_a_published_count_by_one_is_refused(desk, acme):
    reporting.export(desk, acme.id, YEAR, "json", final=True, today=TODAY)
    # five late cases - enough for 'new cases' - but bullying goes from 7 to 11:
    # four late cases would be singled out as bullying
    late = [(case_data(date(YEAR, 11, d), "bullying"), []) for d in range(2, 6)]
    late.append((case_data(date(YEAR, 11, 7), "discrimination"), []))
    desk.insert_cases(acme.id, late, event="test")
    with pytest.raises(LedgerConflict) as err:
        reporting.export(desk, acme.id, YEAR, "md", today=TODAY)
    assert "Type of behaviour" in str(err.value)


def test_small_organisation_report(desk):
    org = add_org(desk, "Bakkerij Klein", employees=15)
    conn = desk.conn(org.id)
    with desk.vault.transaction(conn):
        conn.execute("DELETE FROM cases WHERE id > 3")
    data = json.loads(reporting.export(desk, org.id, YEAR, "json", today=TODAY).data)
    assert data["new_cases"] is None and data["tables"] == []
    assert data["contacts_per_100_employees"] is None
    assert data["small_organisation"] is True
    assert data["activities"][0]["count"] == 2


def test_portfolio_and_hours(desk, acme):
    other = add_org(desk, "Zorg BV", employees=200)
    rows = reporting.portfolio(desk, YEAR)
    assert {r.name for r in rows} == {"Acme BV", "Zorg BV"}
    acme_row = next(r for r in rows if r.org_id == acme.id)
    assert acme_row.new_cases == 12 and acme_row.case_minutes == 900
    assert acme_row.total_minutes == 900 + 270
    summary = reporting.hours(desk, other.id, date(YEAR, 1, 1), date(YEAR, 3, 31), lang="en")
    assert summary.case_minutes == 3 * 75
    assert summary.activities["awareness"] == (1, 120)
    md = reporting.render_hours(summary, "md").decode()
    assert "| Awareness / training | 1 | 120 | 2.00 |" in md
    assert "**Total**" in md
    csv_text = reporting.render_hours(summary, "csv").decode("utf-8-sig")
    assert '"cases";"Cases (contact moments)";"";225;"3,75"' in csv_text
    assert "For your own use only" in csv_text and "For your own use only" in md


# -- item 1: every written report counts, drafts included ------------------------------------


def test_two_drafts_around_one_late_case_are_refused_like_a_final_reissue(desk, acme):
    from vp_desk.reports import ledger

    first = reporting.export(desk, acme.id, YEAR, "md", today=TODAY)  # a draft, not final
    assert first.ledger == "recorded" and first.report.draft
    entries = ledger.entries(desk.index, acme.id, YEAR)
    assert [(e.final, e.fmt) for e in entries] == [(False, "md")]
    desk.insert_cases(
        acme.id,
        [(case_data(date(YEAR, 12, 1), "sexual_harassment", channel="phone"), [])],
        event="test",
    )
    for fmt in ("md", "csv", "json"):
        with pytest.raises(LedgerConflict):
            reporting.export(desk, acme.id, YEAR, fmt, today=TODAY)
    assert len(ledger.entries(desk.index, acme.id, YEAR)) == 1  # nothing else recorded
    withheld = reporting.export(desk, acme.id, YEAR, "json", withhold=True, today=TODAY)
    data = json.loads(withheld.data)
    assert data["new_cases"] is None and data["tables"] == [] and data["hours"]["cases"] is None


def test_a_draft_is_marked_in_every_format_and_a_final_is_not(desk, acme):
    from docx import Document

    draft = {
        fmt: reporting.export(desk, acme.id, YEAR, fmt, lang="en", today=TODAY).data
        for fmt in ("md", "html", "csv", "json", "docx", "pdf")
    }
    assert b"DRAFT - Annual report" in draft["md"]
    assert b"<h1>DRAFT - Annual report" in draft["html"]
    assert b"<title>DRAFT - " in draft["html"]
    assert b'"status";"Status";"DRAFT"' in draft["csv"]
    assert json.loads(draft["json"])["draft"] is True
    import io

    doc = Document(io.BytesIO(draft["docx"]))
    assert doc.paragraphs[0].text.startswith("DRAFT - ")
    assert doc.core_properties.title.startswith("DRAFT - ")
    assert draft["pdf"].startswith(b"%PDF") and b"DRAFT - " in draft["pdf"]  # document title
    dutch = reporting.export(desk, acme.id, YEAR, "md", today=TODAY).data
    assert dutch.startswith(b"# CONCEPT - Jaarverslag")
    final = reporting.export(desk, acme.id, YEAR, "md", lang="en", final=True, today=TODAY)
    assert b"DRAFT" not in final.data and not final.report.draft


def test_the_preview_writes_and_records_nothing(desk, acme):
    from vp_desk.reports import ledger

    before = _events(desk, acme.id)
    preview = reporting.preview(desk, acme.id, YEAR, today=TODAY)
    assert preview.report.figures["new_cases"] == 12
    assert ledger.entries(desk.index, acme.id, YEAR) == []
    assert _events(desk, acme.id) == before


def test_forgetting_drafts_needs_a_confirmation_and_leaves_an_audit_row(desk, acme):
    from vp_desk.errors import UsageError
    from vp_desk.reports import ledger

    reporting.export(desk, acme.id, YEAR, "md", today=TODAY)
    reporting.export(desk, acme.id, YEAR, "md", final=True, today=TODAY)
    with pytest.raises(UsageError):
        reporting.forget_drafts(desk, acme.id, YEAR, confirm=False)
    assert len(ledger.entries(desk.index, acme.id, YEAR)) == 2
    assert reporting.forget_drafts(desk, acme.id, YEAR, confirm=True) == 1
    assert [e.final for e in ledger.entries(desk.index, acme.id, YEAR)] == [True]
    events = [r[0] for r in desk.index.execute("SELECT event FROM audit")]
    assert "report.forget_drafts" in events


# -- item 2: hours --------------------------------------------------------------------------------


def _same_activities(desk, name: str, cases: int):
    from vp_desk.domain.models import ActivityInput, OrganisationInput

    org = desk.add_organisation(OrganisationInput(name, 30, 5, 12, "en"))
    items = [
        (
            case_data(date(YEAR, 2 + i, 3), "bullying"),
            [{"date": date(YEAR, 2 + i, 3), "minutes": 120}],
        )
        for i in range(cases)
    ]
    if items:
        desk.insert_cases(org.id, items, event="test")
    desk.insert_activities(
        org.id, [ActivityInput(date(YEAR, 4, 1), "awareness", 90, "")], event="test"
    )
    return org


def test_an_empty_year_and_a_three_case_year_give_identical_figures(desk):
    empty = _same_activities(desk, "Leeg BV", 0)
    three = _same_activities(desk, "Drie BV", 3)
    a = json.loads(reporting.export(desk, empty.id, YEAR, "json", today=TODAY).data)
    b = json.loads(reporting.export(desk, three.id, YEAR, "json", today=TODAY).data)
    for data in (a, b):
        data.pop("organisation")
        data.pop("employees")
    assert a == b
    assert a["hours"] == {"cases": None, "activities": 1.5}
    md = reporting.export(desk, three.id, YEAR, "md", today=TODAY).data.decode()
    assert "6.0" not in md and "0.0" not in md


def test_disclosed_casework_hours_are_published_and_the_report_says_so(desk):
    three = _same_activities(desk, "Drie BV", 3)
    reporting.set_disclose_case_hours(desk, three.id, True)
    data = json.loads(reporting.export(desk, three.id, YEAR, "json", today=TODAY).data)
    assert data["hours"] == {"cases": 6.0, "activities": 1.5}
    assert any("chose to disclose the hours on cases" in n for n in data["notes"])


def test_hours_on_cases_across_a_reissue_are_refused(desk, acme):
    final = reporting.export(desk, acme.id, YEAR, "json", final=True, today=TODAY)
    assert json.loads(final.data)["hours"]["cases"] == 15.0
    # one late contact moment of 30 minutes on an existing case
    from vp_desk.domain.models import ConsultationInput

    case_id = desk.conn(acme.id).execute("SELECT min(id) FROM cases").fetchone()[0]
    desk.add_consultation(acme.id, case_id, ConsultationInput(date(YEAR, 11, 30), 30))
    with pytest.raises(LedgerConflict) as err:
        reporting.export(desk, acme.id, YEAR, "json", today=TODAY)
    assert "Hours on cases" in str(err.value)


def test_invoice_specification_whole_months_half_hours_combined_and_checked(desk, acme):
    from vp_desk.domain.models import ConsultationInput
    from vp_desk.errors import UsageError

    with pytest.raises(UsageError):  # casework hours not disclosed for this organisation
        reporting.invoice(desk, acme.id, date(YEAR, 1, 1), date(YEAR, 3, 31))
    reporting.set_disclose_case_hours(desk, acme.id, True)
    for start, end in (
        (date(YEAR, 11, 30), date(YEAR, 11, 30)),  # one day
        (date(YEAR, 1, 15), date(YEAR, 2, 14)),  # a month long, but not whole months
        (date(YEAR, 1, 1), date(YEAR, 2, 27)),
    ):
        with pytest.raises(UsageError):
            reporting.invoice(desk, acme.id, start, end)
    spec = reporting.invoice(desk, acme.id, date(YEAR, 1, 1), date(YEAR, 3, 31), lang="en")
    # 3 cases x 75 minutes + 120 minutes of training = 345 minutes: 5.75 -> 6.0 hours
    assert spec.hours() == {"total": 6.0}
    md = reporting.render_invoice(spec, "md").decode()
    assert "| Hours of the confidential adviser (cases and prevention combined) | 6.0 |" in md
    assert "75" not in md and "345" not in md
    assert reporting.record_invoice(desk, acme.id, spec) == "recorded"
    assert reporting.record_invoice(desk, acme.id, spec) == "unchanged"
    # a late contact moment of 30 minutes in February
    case_id = desk.conn(acme.id).execute("SELECT min(id) FROM cases").fetchone()[0]
    desk.add_consultation(acme.id, case_id, ConsultationInput(date(YEAR, 2, 27), 30))
    again = reporting.invoice(desk, acme.id, date(YEAR, 1, 1), date(YEAR, 3, 31))
    with pytest.raises(reporting.InvoiceConflict) as err:
        reporting.record_invoice(desk, acme.id, again)
    assert f"{YEAR}-02" in str(err.value)
    later = reporting.invoice(desk, acme.id, date(YEAR, 4, 1), date(YEAR, 6, 30))
    assert reporting.record_invoice(desk, acme.id, later) == "recorded"
    reporting.set_invoice_split(desk, acme.id, True)
    split = reporting.invoice(desk, acme.id, date(YEAR, 7, 1), date(YEAR, 9, 30))
    assert set(split.hours()) == {"cases", "activities"}


def test_a_report_that_would_show_a_late_contact_against_a_years_invoices_is_refused(desk, acme):
    from vp_desk.domain.models import ConsultationInput

    reporting.set_disclose_case_hours(desk, acme.id, True)
    for first, last in ((1, 6), (7, 12)):
        spec = reporting.invoice(
            desk, acme.id, date(YEAR, first, 1), reporting._month_end(date(YEAR, last, 1))
        )
        reporting.record_invoice(desk, acme.id, spec)
    reporting.prepare(desk, acme.id, YEAR, today=TODAY)  # consistent: fine (nothing written)
    assert ledger_entries(desk, acme.id) == []
    case_id = desk.conn(acme.id).execute("SELECT min(id) FROM cases").fetchone()[0]
    desk.add_consultation(acme.id, case_id, ConsultationInput(date(YEAR, 11, 30), 30))
    with pytest.raises(LedgerConflict) as err:
        reporting.export(desk, acme.id, YEAR, "json", today=TODAY)
    assert "Hours on cases" in str(err.value)
    withheld = reporting.export(desk, acme.id, YEAR, "json", withhold=True, today=TODAY)
    assert json.loads(withheld.data)["hours"]["cases"] is None


def ledger_entries(desk, org_id: int):
    from vp_desk.reports import ledger

    return ledger.entries(desk.index, org_id, YEAR)
