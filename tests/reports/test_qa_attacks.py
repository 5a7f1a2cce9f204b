"""Attacks by a second tester (h8-qa-reports): each failed on main before its fix."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.reports.conftest import YEAR
from vp_desk.domain.models import ConsultationInput
from vp_desk.services import reporting

TODAY = date(2026, 2, 1)


def _late_contact(desk, org_id: int, day: date, minutes: int = 30) -> None:
    case_id = desk.conn(org_id).execute("SELECT min(id) FROM cases").fetchone()[0]
    desk.add_consultation(org_id, case_id, ConsultationInput(day, minutes))


def test_invoices_written_after_a_report_cannot_show_a_late_contact(desk, acme):
    """Report first, then the year's invoices: their sum would differ from the
    report's hours on cases by the late contact moment."""
    reporting.set_disclose_case_hours(desk, acme.id, True)
    reporting.set_invoice_split(desk, acme.id, True)
    final = reporting.export(desk, acme.id, YEAR, "json", final=True, today=TODAY)
    published = json.loads(final.data)["hours"]["cases"]
    _late_contact(desk, acme.id, date(YEAR, 11, 30))
    first = reporting.invoice(desk, acme.id, date(YEAR, 1, 1), date(YEAR, 6, 30))
    assert reporting.record_invoice(desk, acme.id, first) == "recorded"  # half a year: fine
    rest = reporting.invoice(desk, acme.id, date(YEAR, 7, 1), date(YEAR, 12, 31))
    assert rest.hours()["cases"] + first.hours()["cases"] != published
    with pytest.raises(reporting.InvoiceConflict):
        reporting.record_invoice(desk, acme.id, rest)
    # without the late contact, the same two specifications are fine
    late = (
        desk.conn(acme.id)
        .execute("SELECT id FROM consultations WHERE date = ?", (f"{YEAR}-11-30",))
        .fetchone()[0]
    )
    desk.delete_consultation(acme.id, late)
    rest = reporting.invoice(desk, acme.id, date(YEAR, 7, 1), date(YEAR, 12, 31))
    assert reporting.record_invoice(desk, acme.id, rest) == "recorded"
