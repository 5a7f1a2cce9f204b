"""Issue 13, items 4 and 7 in the app: the agenda on the overview, the case
list's flags and follow-up order, and the command line's work (passphrase,
removing an organisation, hand-over) in the app. Real data folders, real
keys, the real app driven with Pilot; every assertion is on what was stored
or written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.conftest import PASSPHRASE
from tests.tui.conftest import TODAY, make_app, settle, unlock, wait_for
from vp_desk.domain.models import CaseInput
from vp_desk.errors import WrongPassphrase
from vp_desk.services import contracts
from vp_desk.services.desk import Desk
from vp_desk.vault.store import DataFolder

pytestmark = pytest.mark.asyncio

NEW_PASSPHRASE = "a rather different passphrase 42"


def _add(data_dir: Path, fill) -> dict:
    with Desk.open(data_dir, PASSPHRASE) as desk:
        return fill(desk)


def _org(desk, name: str):
    return desk.find_organisation(name)


async def _dashboard(pilot):
    await unlock(pilot)
    app = pilot.app
    await wait_for(pilot, lambda: app.screen_stack[0].agenda is not None)
    for screen in app.screen_stack[1:]:  # drafts offered after unlock
        if screen.is_modal:
            app.pop_screen()
    await settle(pilot)
    return app.screen_stack[0]


async def test_agenda_lists_what_is_due_and_opens_the_case(sample_dir):
    def fill(desk):
        org = _org(desk, "Stichting Voorbeeld")
        late = desk.create_case(
            org.id,
            CaseInput(opened=date(2026, 2, 20), behaviours=["bullying"], follow_up="2026-03-09"),
        )
        contracts.set_terms(desk, org.id, start="2025-01-01", end="2026-04-30", agreed_hours=40)
        return {"org": org.id, "late": late.id, "late_code": late.code}

    ids = _add(sample_dir, fill)
    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        dash = await _dashboard(pilot)
        kinds = [(i.kind, i.org_name, i.code) for i in dash.agenda]
        assert kinds[0] == ("overdue", "Stichting Voorbeeld", ids["late_code"])
        assert ("due", "Bakkerij De Korst", "2026-001") in kinds
        assert ("quiet", "Northwind Trading BV", "2025-001") in kinds
        assert [(i.org_name, i.count) for i in dash.agenda if i.kind == "retention"] == [
            ("Bakkerij De Korst", 1),
            ("Stichting Voorbeeld", 1),
        ]
        assert ("contract", "Stichting Voorbeeld", "") in kinds
        assert any(i.kind == "backup" and i.count == -1 for i in dash.agenda)
        # One keystroke from its case: g to the agenda, Enter on the first line.
        await pilot.press("g")
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert type(screen).__name__ == "CaseViewScreen"
        assert (screen.org_id, screen.case_id) == (ids["org"], ids["late"])


async def test_quiet_weeks_is_a_setting_that_moves_cases_off_the_agenda(sample_dir):
    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        dash = await _dashboard(pilot)
        assert any(i.kind == "quiet" for i in dash.agenda)
        app = pilot.app
        app.action_settings()
        await settle(pilot)
        app.screen.query_one("#settings-quiet", Input).value = "30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.desk.get_setting("agenda.quiet_weeks") == "30"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is dash)
        await wait_for(pilot, lambda: not any(i.kind == "quiet" for i in dash.agenda))


async def test_case_list_flags_past_retention_and_sorts_by_follow_up(sample_dir):
    from tests.tui.cases_support import screen_text

    def fill(desk):
        org = _org(desk, "Stichting Voorbeeld")
        soon = desk.create_case(
            org.id,
            CaseInput(opened=date(2025, 6, 1), behaviours=["bullying"], follow_up="2026-03-19"),
        )
        return {"org": org.id, "soon": soon.code}

    ids = _add(sample_dir, fill)
    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        await _dashboard(pilot)
        app = pilot.app
        app.current_org_id = ids["org"]
        app.action_cases()
        await wait_for(pilot, lambda: getattr(app.screen, "last_query", None) is not None)
        table = app.screen.query_one("#case-table")
        rows = [table.row(i) for i in range(table.total)]
        # The case closed 2024-09-01 with 12 months' retention is past it on 2026-03-18.
        assert "past retention" in screen_text(app)
        past = [r for r in rows if r.closed is not None]
        assert table._cells(past[0])[-1].plain == "past retention"
        assert rows[0].code != ids["soon"]  # newest first
        await pilot.press("f")
        await wait_for(pilot, lambda: app.screen.last_query.flt.sort == "follow_up")
        rows = [table.row(i) for i in range(table.total)]
        assert [r.code for r in rows[:2]] == [ids["soon"], "2026-001"]
        assert [r.follow_up for r in rows[:2]] == [date(2026, 3, 19), date(2026, 3, 20)]


async def test_passphrase_change_in_the_app(sample_dir):
    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        await _dashboard(pilot)
        app = pilot.app
        app.action_change_passphrase()
        await settle(pilot)
        dialog = app.screen

        def fill(old: str, new: str, again: str) -> None:
            for key, value in (("old", old), ("new", new), ("again", again)):
                dialog.query_one(f"#pw-{key}", Input).value = value

        # A weak new passphrase: the CLI's policy refuses it.
        fill(PASSPHRASE, "short", "short")
        await pilot.click("#task-go")
        await settle(pilot)
        assert "15" in str(dialog.query_one("#task-error").render())
        # A wrong current passphrase: nothing changes.
        fill("not the passphrase at all", NEW_PASSPHRASE, NEW_PASSPHRASE)
        await pilot.click("#task-go")
        await wait_for(pilot, lambda: not dialog.busy)
        assert app.screen is dialog
        fill(PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE)
        await pilot.click("#task-go")
        await wait_for(pilot, lambda: app.screen is not dialog)
        await app.action_quit()
    with Desk.open(sample_dir, NEW_PASSPHRASE) as desk:
        assert len(desk.organisations()) == 3
    with pytest.raises(WrongPassphrase):
        DataFolder(sample_dir).keyfile.unlock(PASSPHRASE)


async def test_remove_an_organisation_needs_its_typed_name(sample_dir):
    with Desk.open(sample_dir, PASSPHRASE) as desk:
        org = _org(desk, "Bakkerij De Korst")
        vault_file = desk.vault.org_path(org.vault_id)
    assert vault_file.exists()
    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        await _dashboard(pilot)
        app = pilot.app
        app.current_org_id = org.id
        app.action_remove_org()
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#rm-name", Input).value = "Bakkerij"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and vault_file.exists()
        dialog.query_one("#rm-name", Input).value = "Bakkerij De Korst"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is not dialog)
        await settle(pilot)
        assert [r.org.name for r in app.screen_stack[0].rows] == [
            "Northwind Trading BV",
            "Stichting Voorbeeld",
        ]
    assert not vault_file.exists()
    with Desk.open(sample_dir, PASSPHRASE) as desk:
        assert [o.name for o in desk.organisations()] == [
            "Northwind Trading BV",
            "Stichting Voorbeeld",
        ]
        assert org.vault_id not in desk.vault.org_vault_ids()


async def test_handover_export_shows_the_passphrase_once_and_it_opens_the_file(
    sample_dir, empty_dir, tmp_path
):
    from vp_desk.services.handover import import_organisation

    out = tmp_path / "korst.vphandover"
    out.write_bytes(b"someone else's file")
    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        await _dashboard(pilot)
        app = pilot.app
        org_id = next(r.org.id for r in app.screen_stack[0].rows if r.org.name.startswith("Bak"))
        app.current_org_id = org_id
        await pilot.press("h")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#ho-path", Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot)
        assert out.read_bytes() == b"someone else's file"  # never replaced
        out.unlink()
        dialog.query_one("#ho-path", Input).value = str(out)
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.query_one("#ho-secret").display)
        shown = str(dialog.query_one("#ho-secret").render())
        one_time = shown.strip().splitlines()[-1].strip()
        assert len(one_time) == 39 and one_time.count("-") == 7
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is not dialog)
        # Shown once: kept nowhere in the data folder.
        assert all(one_time not in str(v) for v in app.desk.drafts().values())
        assert all(
            one_time not in (app.desk.get_setting(k) or "")
            for (k,) in app.desk.index.execute("SELECT key FROM settings").fetchall()
        )
    assert out.exists()
    with Desk.open(empty_dir, PASSPHRASE) as other:
        org = import_organisation(other, out, one_time)
        assert org.name == "Bakkerij De Korst"
        assert other.count_cases(org.id) == 2


async def test_handover_import_in_the_app(sample_dir, tmp_path):
    from vp_desk.services.handover import export_organisation

    out = tmp_path / "korst.vphandover"
    with Desk.open(sample_dir, PASSPHRASE) as desk:
        result = export_organisation(desk, _org(desk, "Bakkerij De Korst").id, out)
    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        await _dashboard(pilot)
        app = pilot.app
        app.action_handover_import()
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#hi-path", Input).value = str(out)
        dialog.query_one("#hi-pass", Input).value = "AAAA-BBBB"
        dialog.query_one("#hi-name", Input).value = "Korst (overgenomen)"
        await pilot.click("#task-go")
        await wait_for(pilot, lambda: not dialog.busy)
        assert app.screen is dialog  # the wrong one-time passphrase
        dialog.query_one("#hi-pass", Input).value = result.passphrase
        await pilot.click("#task-go")
        await wait_for(pilot, lambda: app.screen is not dialog)
    with Desk.open(sample_dir, PASSPHRASE) as desk:
        names = [o.name for o in desk.organisations()]
        assert "Korst (overgenomen)" in names
        assert desk.count_cases(desk.find_organisation("Korst (overgenomen)").id) == 2


async def test_the_palette_offers_the_new_commands(sample_dir):
    from vp_desk.tui.commands import DeskCommands

    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        await _dashboard(pilot)
        provider = DeskCommands(pilot.app.screen, None)
        titles = [title for title, _ in provider._entries()]
        for wanted in (
            "Change the passphrase",
            "Remove the current organisation for good",
            "Hand-over export (current organisation)",
            "Hand-over import",
        ):
            assert wanted in titles
    assert TODAY == date(2026, 3, 18)


async def test_the_organisation_form_keeps_the_appointment_terms(sample_dir):
    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        await _dashboard(pilot)
        app = pilot.app
        org = app.desk.find_organisation("Northwind Trading BV")
        app.current_org_id = org.id
        dash = app.screen_stack[0]
        dash.action_edit_org()
        await settle(pilot)
        form = app.screen
        form.query_one("#org-contract_start", Input).value = "2025-02-01"
        form.query_one("#org-contract_end", Input).value = "2024-01-31"  # before the start
        form.query_one("#org-agreed_hours", Input).value = "36"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert contracts.get_terms(app.desk, org.id).empty  # nothing half-saved
        form.query_one("#org-contract_end", Input).value = "2027-01-31"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        terms = contracts.get_terms(app.desk, org.id)
        assert (terms.start, terms.end, terms.agreed_hours) == (
            date(2025, 2, 1),
            date(2027, 1, 31),
            36,
        )


async def test_the_portfolio_writes_every_report(sample_dir, tmp_path):
    from textual.widgets import Select

    out = tmp_path / "jaarverslagen"
    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        await _dashboard(pilot)
        app = pilot.app
        app.action_portfolio()
        await settle(pilot)
        assert type(app.screen).__name__ == "PortfolioScreen"
        await pilot.press("w")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#ra-dir", Input).value = str(out)
        dialog.query_one("#ra-format", Select).value = "json"
        dialog.query_one("#ra-dir", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.results is not None, timeout=60)
        assert sorted(r.organisation for r in dialog.results if r.written) == [
            "Bakkerij De Korst",
            "Northwind Trading BV",
            "Stichting Voorbeeld",
        ]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is not dialog)
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "jaarverslag-bakkerij-de-korst-2025.json",
        "jaarverslag-northwind-trading-bv-2025.json",
        "jaarverslag-stichting-voorbeeld-2025.json",
    ]


async def test_hostile_organisation_names_are_literal_in_the_agenda_and_dialogs(empty_dir):
    from tests.tui.cases_support import screen_text
    from tests.tui.conftest import HOSTILE_NAMES
    from vp_desk.domain.models import OrganisationInput

    with Desk.open(empty_dir, PASSPHRASE) as desk:
        for i, name in enumerate(HOSTILE_NAMES[:3]):
            org = desk.add_organisation(OrganisationInput(name, employees=50))
            desk.create_case(
                org.id,
                CaseInput(
                    opened=date(2026, 3, 1), behaviours=["bullying"], follow_up=f"2026-03-0{i + 2}"
                ),
            )
    async with make_app(empty_dir, "en").run_test(size=(120, 36)) as pilot:
        dash = await _dashboard(pilot)
        app = pilot.app
        assert [i.org_name for i in dash.agenda if i.kind == "overdue"] == HOSTILE_NAMES[:3]
        shown = screen_text(app)
        for name in HOSTILE_NAMES[:3]:
            assert name in shown
        app.current_org_id = dash.agenda[0].org_id
        app.action_remove_org()
        await settle(pilot)
        assert HOSTILE_NAMES[0] in screen_text(app)
        assert app.is_running


async def test_the_demos_cases_past_retention_are_flagged(tmp_path):
    """Issue 13: the Flags column stayed empty for the demo's cases past retention."""
    from vp_desk.services import synthetic

    folder = tmp_path / "demo"
    with Desk.create(folder, PASSPHRASE) as desk:
        synthetic.build(desk, "demo", today=TODAY)
        stats = {s.org.id: s.past_retention for s in desk.dashboard(TODAY)}
    org_id = max(stats, key=stats.get)
    assert stats[org_id] > 0
    async with make_app(folder, "en").run_test(size=(120, 36)) as pilot:
        await _dashboard(pilot)
        app = pilot.app
        app.current_org_id = org_id
        app.action_cases()
        await wait_for(pilot, lambda: getattr(app.screen, "last_query", None) is not None)
        table = app.screen.query_one("#case-table")
        flagged = [
            row
            for row in (table.row(i) for i in range(table.total))
            if "past retention" in table._cells(row)[-1].plain
        ]
        assert len(flagged) == stats[org_id]


@pytest.mark.parametrize(
    ("kind", "screen"),
    [
        ("retention", "RetentionScreen"),
        ("contract", "HandoverExportDialog"),
        ("backup", "BackupDialog"),
        ("quiet", "CaseViewScreen"),
    ],
)
async def test_each_agenda_line_opens_its_screen(sample_dir, kind, screen):
    def fill(desk):
        org = _org(desk, "Bakkerij De Korst")
        contracts.set_terms(desk, org.id, end="2026-04-01")
        return {}

    _add(sample_dir, fill)
    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        dash = await _dashboard(pilot)
        index = next(i for i, item in enumerate(dash.agenda) if item.kind == kind)
        await pilot.press("g")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == screen


async def test_passphrases_typed_or_shown_in_dialogs_never_become_drafts(sample_dir, tmp_path):
    from tests.tui.conftest import relock

    out = tmp_path / "h.vphandover"
    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        await _dashboard(pilot)
        app = pilot.app
        app.current_org_id = app.screen_stack[0].rows[0].org.id
        await pilot.press("h")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#ho-path", Input).value = str(out)
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.query_one("#ho-secret").display)
        one_time = str(dialog.query_one("#ho-secret").render()).strip().splitlines()[-1].strip()
        await relock(pilot)
        app.action_change_passphrase()
        await settle(pilot)
        app.screen.query_one("#pw-new", Input).value = NEW_PASSPHRASE
        await relock(pilot)
        stored = repr(app.desk.drafts())
        assert one_time not in stored and NEW_PASSPHRASE not in stored


async def test_enter_moves_through_the_task_dialogs_and_starts_them_from_the_last_field(
    sample_dir, tmp_path
):
    """One Enter handler for every desk-task dialog: Enter in a field moves to
    the next, Enter in the last one starts the task (the passphrase change
    really happens; the import says the file is missing)."""
    async with make_app(sample_dir, "en").run_test(size=(120, 36)) as pilot:
        await _dashboard(pilot)
        app = pilot.app
        app.action_handover_import()
        await settle(pilot)
        dialog = app.screen
        assert dialog.focused.id == "hi-path"
        await pilot.press(*"nowhere.vphandover", "enter")
        assert dialog.focused.id == "hi-pass"
        await pilot.press("x", "enter")
        assert dialog.focused.id == "hi-name"
        await pilot.press("enter")
        await settle(pilot)
        assert "does not exist" in str(dialog.query_one("#task-error").render())
        assert app.screen is dialog and not dialog.busy
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not dialog)

        app.action_change_passphrase()
        await settle(pilot)
        dialog = app.screen
        assert dialog.focused.id == "pw-old"
        await pilot.press(*PASSPHRASE, "enter")
        assert dialog.focused.id == "pw-new"
        await pilot.press(*NEW_PASSPHRASE, "enter")
        assert dialog.focused.id == "pw-again"
        await pilot.press(*NEW_PASSPHRASE, "enter")
        await wait_for(pilot, lambda: app.screen is not dialog, timeout=60)
        await app.action_quit()
    with Desk.open(sample_dir, NEW_PASSPHRASE) as desk:
        assert len(desk.organisations()) == 3
