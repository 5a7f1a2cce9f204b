"""The agenda's rules (issue 13, item 4) on real vaults: follow-ups overdue and
due this week, cases without a contact moment for N weeks (a setting), cases
past retention, the backup, contract ends; never notes."""

from __future__ import annotations

from datetime import date

from tests.lifecycle.helpers import add_case, add_org
from vp_desk.domain.models import CaseInput
from vp_desk.services import agenda, contracts, erasure, retention

TODAY = date(2026, 3, 18)  # a Wednesday: this week ends on Sunday 22 March


def _follow_up(desk, org_id, opened, follow_up, notes=""):
    return desk.create_case(
        org_id,
        CaseInput(opened=opened, behaviours=["bullying"], follow_up=follow_up, notes=notes),
    )


def test_agenda_rules(desk):
    org = add_org(desk, "Zorggroep Agenda", retention_months=12)
    late = _follow_up(desk, org.id, "2026-03-01", "2026-03-10", notes="GEHEIM-NOTE")
    soon = _follow_up(desk, org.id, "2026-03-02", "2026-03-22")
    _follow_up(desk, org.id, "2026-03-03", "2026-03-23")  # next week: not on the agenda
    quiet = add_case(desk, org.id, "2026-01-05", contacts=(("2026-01-20", 30, "x"),))
    add_case(desk, org.id, "2026-01-06", contacts=(("2026-03-01", 30, "x"),))  # recent contact
    add_case(desk, org.id, "2024-01-01", closed="2024-06-01")  # past retention
    held = add_case(desk, org.id, "2024-01-02", closed="2024-06-02")
    retention.set_legal_hold(desk, org.id, held.id, "procedure")

    items = agenda.agenda(desk, TODAY)
    got = [(i.kind, i.code, i.day) for i in items]
    assert got[:3] == [
        ("overdue", late.code, date(2026, 3, 10)),
        ("due", soon.code, date(2026, 3, 22)),
        ("quiet", quiet.code, date(2026, 1, 20)),
    ]
    assert [(i.kind, i.count) for i in items[3:]] == [("retention", 1), ("backup", -1)]
    assert "GEHEIM" not in repr(items)

    # N weeks is a setting: 12 weeks leaves the quiet case off.
    desk.set_setting(agenda.QUIET_SETTING, "12")
    assert "quiet" not in [i.kind for i in agenda.agenda(desk, TODAY)]
    desk.set_setting(agenda.QUIET_SETTING, "rubbish")
    assert agenda.quiet_weeks(desk) == agenda.DEFAULT_QUIET_WEEKS

    # A contract end within 60 days (or past) calls for a hand-over.
    contracts.set_terms(desk, org.id, start="2025-05-01", end="2026-05-01", agreed_hours=60)
    assert [(i.kind, i.day) for i in agenda.agenda(desk, TODAY) if i.kind == "contract"] == [
        ("contract", date(2026, 5, 1))
    ]
    contracts.set_terms(desk, org.id, end="2026-12-31")
    assert "contract" not in [i.kind for i in agenda.agenda(desk, TODAY)]

    # A case deleted by mistake leaves the agenda with it.
    erasure.delete_case(desk, org.id, late.id)
    assert late.code not in [i.code for i in agenda.agenda(desk, TODAY)]


def test_many_follow_ups_fold_into_one_line_per_organisation(desk):
    org = add_org(desk, "Veel BV")
    for day in range(1, 10):
        _follow_up(desk, org.id, "2026-03-01", f"2026-03-0{day}")
    items = agenda.agenda(desk, TODAY, with_backup=False)
    overdue = [i for i in items if i.kind == "overdue"]
    assert len(overdue) == agenda.PER_ORG_LIMIT
    more = [i for i in items if i.kind == "more"]
    assert [(m.of, m.count) for m in more] == [("overdue", 9 - agenda.PER_ORG_LIMIT)]


def test_cli_org_terms_and_shredding_removes_them(desk, data_dir):
    from tests.conftest import PASSPHRASE, run_cli
    from vp_desk.services.desk import Desk

    org = add_org(desk, "Termijn BV")
    desk.close()
    set_ = run_cli(
        "org",
        "terms",
        "Termijn BV",
        "--start",
        "2025-01-01",
        "--end",
        "31-12-2026",
        "--agreed-hours",
        "48",
        "--kind",
        "external",
        data_dir=data_dir,
    )
    assert set_.returncode == 0, set_.stderr
    assert "end: 2026-12-31" in set_.stdout and "agreed hours per year: 48" in set_.stdout
    keep = run_cli("org", "terms", "Termijn BV", "--agreed-hours", "50", data_dir=data_dir)
    assert keep.returncode == 0 and "start: 2025-01-01" in keep.stdout
    for bad in (("--end", "2024-01-01"), ("--agreed-hours", "veel"), ("--start", "gisteren")):
        refused = run_cli("org", "terms", "Termijn BV", *bad, data_dir=data_dir)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
    with Desk.open(data_dir, PASSPHRASE) as again:
        terms = contracts.get_terms(again, org.id)
        assert (terms.start, terms.end, terms.agreed_hours, terms.kind) == (
            date(2025, 1, 1),
            date(2026, 12, 31),
            50,
            "external",
        )
        again.shred_organisation(org.id)
        rows = again.index.execute("SELECT count(*) FROM org_terms").fetchone()[0]
        assert rows == 0


def test_a_damaged_vault_leaves_the_rest_of_the_agenda(desk):
    good = add_org(desk, "Heel BV")
    bad = add_org(desk, "Kapot BV")
    _follow_up(desk, good.id, "2026-03-01", "2026-03-10")
    _follow_up(desk, bad.id, "2026-03-01", "2026-03-10")
    path = desk.vault.org_path(bad.vault_id)
    desk.vault.org(bad.vault_id).close()
    desk.vault._orgs.pop(bad.vault_id)
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):  # every page after the first fails its HMAC
        data[offset + 100] ^= 0xFF
    path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    items = agenda.agenda(desk, TODAY, with_backup=False)
    assert [(i.kind, i.org_name) for i in items] == [("overdue", "Heel BV")]
