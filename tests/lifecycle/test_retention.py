"""Retention: due cases, legal hold, and destruction that leaves a tombstone
and no readable trace in any byte on disk (decrypted page by page)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.lifecycle.helpers import (
    TODAY,
    add_case,
    add_org,
    audit_events,
    coded_aggregates,
    index_key,
)
from tests.lifecycle.sqlcipher_pages import plaintext_of
from vp_desk.errors import UsageError, ValidationError
from vp_desk.services import dossier, retention
from vp_desk.services.desk import Desk
from vp_desk.vault.store import INDEX_FILE

NOTE = "NOTE-ALPHA-7f3k"
CONTACT = "CONTACT-BRAVO-9q2w"
DRAFT = "DRAFT-CHARLIE-4z8x"
KEEP = "KEEP-DELTA-1m5n"


@pytest.fixture
def scene(desk):
    org = add_org(desk, "Stichting Bewaar", retention_months=12)
    other = add_org(desk, "Andere Klant BV", retention_months=24)
    # Long notes spill onto overflow pages, which are freed on destruction.
    due = add_case(
        desk,
        org.id,
        "2024-02-01",
        closed="2024-03-01",
        notes=(NOTE + " lang verhaal. ") * 400,
        contacts=(
            ("2024-02-02", 45, f"{CONTACT} eerste gesprek"),
            ("2024-02-20", 30, f"{CONTACT} tweede gesprek"),
        ),
        behaviours=("intimidation", "bullying"),
        referrals=("care",),
    )
    held = add_case(desk, org.id, "2024-01-10", closed="2024-02-01", notes=f"{KEEP} vastgehouden")
    still_open = add_case(desk, org.id, "2024-05-01", notes=f"{KEEP} open")
    recent = add_case(desk, org.id, "2025-11-01", closed="2026-01-15", notes=f"{KEEP} recent")
    other_case = add_case(
        desk, other.id, "2024-01-05", closed="2024-06-02", notes=f"{KEEP} andere klant"
    )
    desk.set_subject(org.id, due.id, "Piet Voorbeeld")
    desk.set_subject(org.id, held.id, "Piet Voorbeeld")
    retention.set_legal_hold(desk, org.id, held.id, "Klachtprocedure loopt")
    desk.save_draft(
        f"org{org.id}:case{due.id}",
        {"kind": "case_form", "org_id": org.id, "case_id": due.id, "notes": DRAFT},
    )
    desk.save_draft(
        "other", {"kind": "case_form", "org_id": org.id, "case_id": held.id, "notes": KEEP}
    )
    return {
        "org": org,
        "other": other,
        "due": due,
        "held": held,
        "open": still_open,
        "recent": recent,
        "other_case": other_case,
    }


def _reports(desk: Desk, org_id: int) -> dict:
    """The annual reports as published (JSON and Markdown) and their true counts."""
    from vp_desk.reports.aggregate import aggregate
    from vp_desk.services import reporting

    out = {}
    for year in (2024, 2025, 2026):
        report = reporting.build(desk, org_id, year, lang="nl", today=TODAY)
        out[year] = (
            reporting.render(report, "json"),
            reporting.render(report, "md"),
            repr(aggregate(desk.conn(org_id), year)),
        )
    return out


def _all_plaintext(desk: Desk) -> dict[str, bytes]:
    """Every vault file of the data folder, WAL included, decrypted with its key."""
    out = {INDEX_FILE: plaintext_of(desk.vault.path / INDEX_FILE, index_key(desk))}
    for vault_id in desk.vault.org_vault_ids():
        out[vault_id] = plaintext_of(desk.vault.org_path(vault_id), desk.vault.ring.keys[vault_id])
    return out


def test_due_lists_only_closed_unheld_cases_past_the_period(desk, scene):
    due = retention.due_cases(desk, TODAY)
    assert [(i.org_name, i.code) for i in due] == [("Stichting Bewaar", scene["due"].code)]
    assert due[0].closed == date(2024, 3, 1)
    review = retention.review(desk, TODAY)
    assert {i.code: (i.legal_hold, i.hold_reason) for i in review} == {
        scene["due"].code: (False, ""),
        scene["held"].code: (True, "Klachtprocedure loopt"),
    }
    # The other organisation keeps 24 months: due a few days later.
    later = retention.due_cases(desk, date(2026, 6, 2))
    assert scene["other_case"].code in [i.code for i in later]
    # The dashboard counts the same cases.
    assert desk.org_stats(scene["org"], TODAY).past_retention == 1


def test_legal_hold_needs_a_reason_and_can_be_lifted(desk, scene):
    org, held = scene["org"], scene["held"]
    with pytest.raises(ValidationError):
        retention.set_legal_hold(desk, org.id, scene["due"].id, "   ")
    case = desk.get_case(org.id, held.id)
    assert case.legal_hold and case.hold_reason == "Klachtprocedure loopt"
    with pytest.raises(UsageError):
        retention.destroy_cases(desk, org.id, [held.id], TODAY)
    with pytest.raises(UsageError):
        retention.destroy_cases(desk, org.id, [scene["open"].id], TODAY)
    retention.clear_legal_hold(desk, org.id, held.id)
    assert not desk.get_case(org.id, held.id).legal_hold
    assert held.code in [i.code for i in retention.due_cases(desk, TODAY)]
    events = audit_events(desk.conn(org.id))
    assert ("case.hold", held.code) in events and ("case.unhold", held.code) in events


def test_destruction_leaves_a_tombstone_and_no_trace_on_disk(desk, scene):
    org, due = scene["org"], scene["due"]
    before_aggregates = {y: coded_aggregates(desk, org.id, y) for y in (2024, 2025, 2026)}
    before_reports = _reports(desk, org.id)
    # The decryptor must find the text first, or the test below proves nothing.
    plain = _all_plaintext(desk)
    assert NOTE.encode() in plain[org.vault_id]
    assert CONTACT.encode() in plain[org.vault_id]
    assert DRAFT.encode() in plain[INDEX_FILE]

    done = retention.destroy_due(desk, TODAY)
    assert [i.code for i in done] == [due.code]

    tomb = desk.get_case(org.id, due.id)
    assert tomb.destroyed == TODAY and tomb.notes == ""
    assert [(c.date.isoformat(), c.minutes, c.channel, c.notes) for c in tomb.consultations] == [
        ("2024-02-02", 45, "in_person", ""),
        ("2024-02-20", 30, "in_person", ""),
    ]
    assert (
        tomb.opened,
        tomb.closed,
        tomb.behaviours,
        tomb.primary_behaviour,
        tomb.referrals,
        tomb.help,
        tomb.relation,
        tomb.outcome,
    ) == (
        due.opened,
        due.closed,
        due.behaviours,
        due.primary_behaviour,
        due.referrals,
        due.help,
        due.relation,
        due.outcome,
    )
    assert not desk.has_subject(org.id, due.id)
    assert desk.repeat_subject_count(org.id, scene["held"].id) == 0
    assert list(desk.drafts()) == ["other"]
    log = desk.conn(org.id).execute("SELECT date, code FROM destruction_log").fetchall()
    assert log == [(TODAY.isoformat(), due.code)]
    assert ("case.destroy", due.code) in audit_events(desk.conn(org.id))
    assert retention.due_cases(desk, TODAY) == []
    # Past reports stay the same.
    assert {y: coded_aggregates(desk, org.id, y) for y in (2024, 2025, 2026)} == before_aggregates
    assert _reports(desk, org.id) == before_reports

    md = dossier.render(desk, org.id, due.id, "md", "en").decode()
    assert NOTE not in md and CONTACT not in md and "destroyed on 2026-06-01" in md

    for when in ("open", "closed"):
        plain = _all_plaintext(desk)
        for name, data in plain.items():
            for needle in (NOTE, CONTACT, DRAFT, "Piet Voorbeeld"):
                assert needle.encode() not in data, (when, name, needle)
        # What was not destroyed is still there (the scan does read the pages).
        assert KEEP.encode() in plain[org.vault_id]
        if when == "open":
            desk.close()
            desk = Desk.open(desk.vault.path, PASSPHRASE)
    desk.close()


def test_cli_lists_without_notes_and_applies_after_confirmation(desk, data_dir, scene):
    due = scene["due"]
    # The command uses the real date: ask the service what is due today.
    expected = retention.due_cases(desk, date.today())
    assert due.code in [i.code for i in expected]
    desk.close()
    listed = run_cli("retention", data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    assert "Stichting Bewaar" in listed.stdout and due.code in listed.stdout
    assert "2024-03-01" in listed.stdout
    assert NOTE not in listed.stdout and KEEP not in listed.stdout
    assert scene["held"].code not in listed.stdout

    refused = run_cli("retention", "--apply", data_dir=data_dir)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    applied = run_cli("retention", "--apply", "--yes", data_dir=data_dir)
    assert applied.returncode == 0, applied.stderr
    assert f"Destroyed {len(expected)} case(s)" in applied.stdout
    with Desk.open(data_dir, PASSPHRASE) as again:
        assert again.get_case(scene["org"].id, due.id).destroyed is not None
        assert again.get_case(scene["org"].id, scene["held"].id).notes.startswith(KEEP)
    assert run_cli("verify", data_dir=data_dir).returncode == 0


def test_a_tombstone_cannot_get_its_notes_back(desk, scene):
    from vp_desk.domain.models import CaseInput, ConsultationInput

    org, due = scene["org"], scene["due"]
    retention.destroy_cases(desk, org.id, [due.id], TODAY)
    tomb = desk.get_case(org.id, due.id)
    with pytest.raises(UsageError):
        desk.update_case(
            org.id,
            due.id,
            CaseInput(
                opened=tomb.opened,
                closed=tomb.closed,
                outcome=tomb.outcome,
                behaviours=list(tomb.behaviours),
                notes="opnieuw",
            ),
        )
    with pytest.raises(UsageError):
        desk.add_consultation(org.id, due.id, ConsultationInput("2024-02-25", 10, None, "x"))
    with pytest.raises(UsageError):
        desk.update_consultation(
            org.id,
            tomb.consultations[0].id,
            ConsultationInput("2024-02-02", 45, "in_person", "terug"),
        )
    with pytest.raises(UsageError):
        desk.reopen_case(org.id, due.id)
    with pytest.raises(UsageError):
        desk.set_subject(org.id, due.id, "Piet Voorbeeld")
    assert desk.get_case(org.id, due.id) == tomb
