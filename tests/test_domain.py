"""Validation rules of docs/architecture.md ("Domain rules"), and the services that apply them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from vp_desk import vocabulary as voc
from vp_desk.domain.models import (
    ActivityInput,
    CaseInput,
    ConsultationInput,
    OrganisationInput,
    parse_date,
    validate_case,
)
from vp_desk.errors import ValidationError
from vp_desk.services.desk import CaseFilter
from vp_desk.textsafe import clean_text


def test_dates_in_both_forms():
    assert parse_date("2026-03-07") == date(2026, 3, 7)
    assert parse_date("7-3-2026") == date(2026, 3, 7)
    assert parse_date(" 07-03-2026 ") == date(2026, 3, 7)
    assert parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("2026-13-01")
    with pytest.raises(ValueError):
        parse_date("next tuesday")


@pytest.mark.parametrize(
    "kwargs, field, code",
    [
        ({"opened": ""}, "opened", "required"),
        ({"opened": "31-2-2026"}, "opened", "bad_date"),
        (
            {"opened": "2026-03-01", "closed": "2026-02-01", "outcome": "unknown"},
            "closed",
            "closed_before_opened",
        ),
        ({"opened": "2026-03-01", "behaviours": []}, "behaviours", "need_behaviour"),
        ({"opened": "2026-03-01", "behaviours": ["gossip"]}, "behaviours", "unknown_code"),
        (
            {
                "opened": "2026-03-01",
                "behaviours": ["bullying"],
                "primary_behaviour": "intimidation",
            },
            "primary_behaviour",
            "primary_not_in_behaviours",
        ),
        ({"opened": "2026-03-01", "closed": "2026-03-05"}, "outcome", "outcome_needed"),
        ({"opened": (date.today() + timedelta(days=30)).isoformat()}, "opened", "date_future"),
    ],
)
def test_case_validation(kwargs, field, code):
    kwargs.setdefault("behaviours", ["bullying"])
    with pytest.raises(ValidationError) as err:
        validate_case(CaseInput(**kwargs))
    assert err.value.field_errors[field] == code


def test_labels_in_either_language_and_primary_first():
    data = validate_case(
        CaseInput(
            opened="1-2-2026",
            behaviours="Pesten | sexual harassment",
            primary_behaviour="SEXUAL HARASSMENT",
            help="Opvang,advice",
        )
    )
    assert data.behaviours == ("sexual_harassment", "bullying")
    assert data.primary_behaviour == "sexual_harassment"
    assert data.help == ("initial_support", "advice")


def test_control_characters_stripped():
    hostile = "a\x1b]52;c;aGk=\x07b\x1b[2Jc\x9bd\u202ee\u2066f\x00g"
    assert clean_text(hostile) == "a]52;c;aGk=b[2Jcdefg"
    data = validate_case(CaseInput(opened="2026-01-01", behaviours=["other"], notes=hostile))
    assert "\x1b" not in data.notes and "\x9b" not in data.notes and "\u202e" not in data.notes


def test_length_limits(desk, org):
    with pytest.raises(ValidationError) as err:
        desk.create_case(
            org.id, CaseInput(opened="2026-01-01", behaviours=["other"], notes="x" * 20_001)
        )
    assert err.value.field_errors == {"notes": "too_long"}
    with pytest.raises(ValidationError):
        desk.add_organisation(OrganisationInput("n" * 121))


def test_organisation_rules(desk):
    with pytest.raises(ValidationError) as err:
        desk.add_organisation(OrganisationInput("Klein BV", threshold=2))
    assert err.value.field_errors == {"threshold": "threshold_min"}
    desk.add_organisation(OrganisationInput("Klein BV"))
    with pytest.raises(ValidationError) as err:
        desk.add_organisation(OrganisationInput("klein bv"))
    assert err.value.field_errors == {"name": "duplicate_name"}


def test_minutes_per_consultation(desk, org):
    case = desk.create_case(org.id, CaseInput(opened="2026-01-01", behaviours=["other"]))
    for bad in (-1, 1441, "abc"):
        with pytest.raises(ValidationError):
            desk.add_consultation(org.id, case.id, ConsultationInput("2026-01-02", bad))
    desk.add_consultation(org.id, case.id, ConsultationInput("2026-01-02", 1440))
    assert desk.get_case(org.id, case.id).minutes == 1440


def test_case_codes_per_organisation_and_year(desk, org):
    from vp_desk.domain.models import OrganisationInput as OI

    other = desk.add_organisation(OI("Tweede BV"))
    codes = [
        desk.create_case(org.id, CaseInput(opened=d, behaviours=["other"])).code
        for d in ("2025-12-30", "2026-01-02", "2026-02-02")
    ]
    assert codes == ["2025-001", "2026-001", "2026-002"]
    assert (
        desk.create_case(other.id, CaseInput(opened="2026-05-05", behaviours=["other"])).code
        == "2026-001"
    )


def test_close_and_reopen(desk, org):
    case = desk.create_case(
        org.id, CaseInput(opened="2026-01-01", behaviours=["bullying"], follow_up="2026-02-01")
    )
    closed = desk.close_case(org.id, case.id, "2026-01-20", "talk_with_manager")
    assert closed.status == "closed" and closed.outcome == "talk_with_manager"
    assert closed.follow_up is None
    with pytest.raises(ValidationError):
        desk.close_case(org.id, case.id, "2025-12-01", "unknown")
    reopened = desk.reopen_case(org.id, case.id)
    assert reopened.status == "open" and reopened.closed is None


def test_filters_and_search(desk, org):
    desk.create_case(org.id, CaseInput(opened="2025-03-01", behaviours=["bullying"], notes="alpha"))
    c2 = desk.create_case(
        org.id, CaseInput(opened="2026-03-01", behaviours=["intimidation", "bullying"])
    )
    desk.add_consultation(org.id, c2.id, ConsultationInput("2026-03-02", 10, notes="beta 50%"))
    desk.close_case(org.id, c2.id, "2026-03-10", "resolved_self")
    assert [c.code for c in desk.list_cases(org.id, CaseFilter(behaviour="bullying"))] == [
        "2026-001",
        "2025-001",
    ]
    assert [c.code for c in desk.list_cases(org.id, CaseFilter(status="open"))] == ["2025-001"]
    assert [c.code for c in desk.list_cases(org.id, CaseFilter(year=2026))] == ["2026-001"]
    assert [c.code for c in desk.list_cases(org.id, CaseFilter(search="ALPHA"))] == ["2025-001"]
    assert [c.code for c in desk.list_cases(org.id, CaseFilter(search="50%"))] == ["2026-001"]
    assert [c.code for c in desk.list_cases(org.id, CaseFilter(search="%"))] == ["2026-001"]
    assert [c.code for c in desk.list_cases(org.id, CaseFilter(search="2025-0"))] == ["2025-001"]
    assert desk.count_cases(org.id, CaseFilter(behaviour="bullying")) == 2
    assert len(desk.list_cases(org.id, limit=1, offset=1)) == 1


def test_repeat_subject_signal_is_a_keyed_hash(desk, org):
    a = desk.create_case(org.id, CaseInput(opened="2026-01-01", behaviours=["bullying"]))
    b = desk.create_case(org.id, CaseInput(opened="2026-02-01", behaviours=["bullying"]))
    c = desk.create_case(org.id, CaseInput(opened="2026-03-01", behaviours=["bullying"]))
    desk.set_subject(org.id, a.id, "Piet de Vries")
    desk.set_subject(org.id, b.id, "  piet  DE vries ")
    desk.set_subject(org.id, c.id, "Someone Else")
    assert desk.repeat_subject_count(org.id, a.id) == 1
    assert desk.repeat_subject_count(org.id, c.id) == 0
    stored = [r[0] for r in desk.conn(org.id).execute("SELECT hash FROM subject_hashes")]
    assert all(len(h) == 64 and "piet" not in h.lower() for h in stored)
    # Another organisation's hash of the same name differs (key per vault).
    other = desk.add_organisation(OrganisationInput("Ander BV"))
    d = desk.create_case(other.id, CaseInput(opened="2026-01-01", behaviours=["bullying"]))
    desk.set_subject(other.id, d.id, "Piet de Vries")
    other_hash = desk.conn(other.id).execute("SELECT hash FROM subject_hashes").fetchone()[0]
    assert other_hash not in stored


def test_dashboard(desk, org):
    today = date(2026, 11, 18)  # a Wednesday
    desk.create_case(
        org.id, CaseInput(opened="2026-11-02", behaviours=["bullying"], follow_up="2026-11-20")
    )
    desk.create_case(
        org.id, CaseInput(opened="2026-11-02", behaviours=["bullying"], follow_up="2026-12-20")
    )
    old = desk.create_case(org.id, CaseInput(opened="2024-01-02", behaviours=["bullying"]))
    desk.close_case(org.id, old.id, "2024-06-01", "resolved_self")
    case = desk.list_cases(org.id, CaseFilter(status="open"))[0]
    desk.add_consultation(org.id, case.id, ConsultationInput("2026-11-03", 50))
    desk.add_activity(org.id, ActivityInput("2026-11-04", "awareness", 70))
    desk.add_activity(org.id, ActivityInput("2026-10-04", "awareness", 999))
    stats = desk.org_stats(org, today)
    assert (
        stats.open_cases,
        stats.follow_ups_due,
        stats.past_retention,
        stats.minutes_this_month,
    ) == (2, 1, 1, 120)


def test_audit_trail_records_changes_without_content(desk, org):
    from vp_desk.vault import audit

    case = desk.create_case(
        org.id, CaseInput(opened="2026-01-01", behaviours=["bullying"], notes="secret words")
    )
    desk.add_consultation(org.id, case.id, ConsultationInput("2026-01-02", 10, notes="more"))
    rows = audit.rows(desk.conn(org.id))
    events = [r.event for r in reversed(rows)]
    assert events == ["vault.create", "case.create", "consultation.add"]
    assert all("secret" not in r.subject for r in rows)
    assert desk.verify() == []


def test_drafts_survive_reopen(desk, data_dir):
    from tests.conftest import PASSPHRASE
    from vp_desk.services.desk import Desk

    desk.save_draft("org1:case:new", {"notes": "half typed", "opened": "2026-01-01"})
    desk.close()
    with Desk.open(data_dir, PASSPHRASE) as again:
        assert again.drafts() == {"org1:case:new": {"notes": "half typed", "opened": "2026-01-01"}}


def test_vocabulary_lookup_round_trip():
    for dim, terms in voc.DIMENSIONS.items():
        for code, term in terms.items():
            assert voc.lookup(dim, term.nl.upper()) == code
            assert voc.lookup(dim, f"  {term.en} ") == code
            assert voc.lookup(dim, code) == code
