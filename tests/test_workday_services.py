"""Issue 13, item 8, at the service level: what the Desk and the importer store."""

from __future__ import annotations

from datetime import date

import pytest

from vp_desk.domain.models import CaseInput, ConsultationInput, OrganisationInput
from vp_desk.errors import ValidationError
from vp_desk.i18n import t
from vp_desk.services import importer


def _case_with_contact(desk, org, contact_day: date):
    case = desk.create_case(org.id, CaseInput(opened=date(2026, 1, 5), behaviours=["bullying"]))
    desk.add_consultation(org.id, case.id, ConsultationInput(contact_day, 30, "phone", ""))
    return case


def test_a_closing_date_before_a_contact_moment_is_refused(desk, org):
    case = _case_with_contact(desk, org, date(2026, 2, 10))
    with pytest.raises(ValidationError) as refused:
        desk.close_case(org.id, case.id, "2026-02-01", "resolved_self")
    assert refused.value.field_errors == {"closed": "closed_before_contact"}
    data = desk.get_case(org.id, case.id).to_input()
    data.closed, data.outcome = "2026-02-09", "resolved_self"
    with pytest.raises(ValidationError):
        desk.update_case(org.id, case.id, data)  # the case form's way is refused too
    stored = desk.get_case(org.id, case.id)
    assert (stored.status, stored.closed, stored.outcome) == ("open", None, None)
    closed = desk.close_case(org.id, case.id, "2026-02-10", "resolved_self")  # same day is fine
    assert closed.closed == date(2026, 2, 10)
    for lang in ("nl", "en"):
        assert t("closed_before_contact", lang) != "closed_before_contact"


def test_reopening_clears_the_old_outcome(desk, org):
    case = _case_with_contact(desk, org, date(2026, 1, 6))
    desk.close_case(org.id, case.id, "2026-01-20", "formal_complaint")
    reopened = desk.reopen_case(org.id, case.id)
    assert (reopened.status, reopened.closed, reopened.outcome) == ("open", None, None)


def test_an_empty_employee_count_is_required_but_left_out_stays_zero(desk):
    with pytest.raises(ValidationError) as refused:
        desk.add_organisation(OrganisationInput("Leeg BV", employees=""))
    assert refused.value.field_errors == {"employees": "required"}
    assert [o.name for o in desk.organisations()] == []
    assert desk.add_organisation(OrganisationInput("Zonder aantal BV")).employees == 0


def test_the_first_conversation_is_stored_with_the_case(desk, org):
    case = desk.create_case(
        org.id,
        CaseInput(opened=date(2026, 3, 2), behaviours=["bullying"], channel="video"),
        first_contact=ConsultationInput("2026-03-02", "40", "video", ""),
    )
    [first] = case.consultations
    assert (first.date, first.minutes, first.channel) == (date(2026, 3, 2), 40, "video")
    with pytest.raises(ValidationError):  # a bad number stores neither
        desk.create_case(
            org.id,
            CaseInput(opened=date(2026, 3, 3), behaviours=["bullying"]),
            first_contact=ConsultationInput("2026-03-03", "9999", None, ""),
        )
    assert desk.count_cases(org.id) == 1


def test_an_imported_open_case_dates_no_contact_moment_today(desk, org, tmp_path):
    path = tmp_path / "open.csv"
    path.write_text(
        "opened;behaviours;consultations;minutes\n2025-11-03;bullying;2;90\n", encoding="utf-8"
    )
    plan = importer.plan_import(path)
    assert not plan.errors
    importer.apply_import(desk, org.id, plan)
    [summary] = desk.list_cases(org.id)
    case = desk.get_case(org.id, summary.id)
    assert case.status == "open"
    assert [(c.date, c.minutes) for c in case.consultations] == [
        (date(2025, 11, 3), 45),
        (date(2025, 11, 3), 45),
    ]
