"""Issue 13 item 1, the dialogs that still lost typed text on a lock (h21-drafts):
hours over a period, backup, removing an organisation, hand-over export and
import, every organisation's report, the import screen and the report's
Export tab. For each: type, lock (ctrl+l or auto-lock), check the typed text
is in no file on disk while locked, unlock, accept the offer, and find the
dialog back with the values. A passphrase is never in a draft.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Select

from tests.conftest import PASSPHRASE
from tests.tui.conftest import SIZE, make_app, settle, unlock, wait_for

pytestmark = pytest.mark.asyncio


async def unlocked(pilot) -> dict[str, int]:
    await unlock(pilot)
    app = pilot.app
    while len(app.screen_stack) > 1:  # reminders offered after unlock
        app.pop_screen()
    await settle(pilot)
    return {o.name: o.id for o in app.desk.organisations()}


async def type_into(pilot, selector: str, text: str, *, clear: bool = True) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    await pilot.pause()
    if clear:
        field.value = ""
    await pilot.press(*text)
    await pilot.pause()


def assert_nowhere_on_disk(root: Path, *texts: str) -> None:
    for file in root.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            for text in texts:
                assert text.encode() not in data, (file, text)


async def lock_and_offer(pilot, root: Path, typed: list[str], how: str = "ctrl+l") -> dict:
    """Lock; while locked the typed text is in no file under ``root``; unlock up to
    the offer. Returns the drafts as the desk holds them (read after the lock)."""
    from vp_desk.tui.dialogs.restore_drafts import RestoreDraftsDialog

    app = pilot.app
    if how == "ctrl+l":
        await pilot.press("ctrl+l")
    else:
        app.auto_lock_seconds = 0.1
    await wait_for(pilot, lambda: app.is_locked)
    app.auto_lock_seconds = 300
    await settle(pilot)
    assert_nowhere_on_disk(root, *typed)
    await wait_for(pilot, lambda: app.screen.query("#passphrase"))
    app.screen.query_one("#passphrase", Input).value = PASSPHRASE
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog), timeout=10)
    return app.desk.drafts()


async def accept(pilot, cls) -> None:
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, cls))
    await settle(pilot)
    assert pilot.app.desk.drafts() == {}


@pytest.mark.parametrize("how", ["ctrl+l", "auto-lock"])
async def test_hours_period_and_file_come_back_after_a_lock(sample_dir, tmp_path, how):
    from vp_desk.tui.dialogs.hours import HoursDialog, open_hours

    target = str(tmp_path / "uren-kwartaal-8841.csv")
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        ids = await unlocked(pilot)
        org = ids["Bakkerij De Korst"]
        open_hours(app, org)
        await wait_for(pilot, lambda: isinstance(app.screen, HoursDialog))
        await settle(pilot)
        await type_into(pilot, "#hours-from", "2025-10-01")
        await type_into(pilot, "#hours-to", "2025-12-31")
        app.screen.query_one("#hours-format", Select).value = "csv"
        await pilot.pause()
        await type_into(pilot, "#hours-path", target)
        kept = await lock_and_offer(pilot, tmp_path, ["uren-kwartaal-8841"], how)
        [payload] = kept.values()
        assert payload["org_id"] == org, payload
        assert payload["fields"]["hours-path"] == target, payload
        await accept(pilot, HoursDialog)
        dialog = app.screen
        assert dialog.org_id == org
        assert dialog.query_one("#hours-from", Input).value == "2025-10-01"
        assert dialog.query_one("#hours-to", Input).value == "2025-12-31"
        assert dialog.query_one("#hours-format", Select).value == "csv"
        assert dialog.query_one("#hours-path", Input).value == target
        dialog.query_one("#hours-disclose", Checkbox).value = True  # stored at once
        await settle(pilot)
        dialog.query_one("#hours-write").press()  # the restored dialog works
        await wait_for(pilot, lambda: "Keuze" not in dialog.message, timeout=30)
        assert Path(target).exists(), dialog.message


async def test_an_untouched_dialog_keeps_no_draft(sample_dir, tmp_path):
    from vp_desk.tui.dialogs.backup import BackupDialog, backup_now
    from vp_desk.tui.dialogs.hours import HoursDialog, open_hours

    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        ids = await unlocked(pilot)
        open_hours(app, ids["Bakkerij De Korst"])
        await wait_for(pilot, lambda: isinstance(app.screen, HoursDialog))
        backup_now(app, tmp_path)
        await wait_for(pilot, lambda: isinstance(app.screen, BackupDialog))
        await settle(pilot)
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.is_locked)
        await unlock(pilot)
        assert app.desk.drafts() == {}


async def test_a_typed_backup_file_name_comes_back_after_a_lock(sample_dir, tmp_path):
    from vp_desk.tui.dialogs.backup import BackupDialog, backup_now

    target = str(tmp_path / "usb" / "reservekopie-5527.vpbackup")
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlocked(pilot)
        backup_now(app, tmp_path)
        await wait_for(pilot, lambda: isinstance(app.screen, BackupDialog))
        await settle(pilot)
        await type_into(pilot, "#backup-path", target)
        kept = await lock_and_offer(pilot, tmp_path, ["reservekopie-5527"])
        [(draft_id, payload)] = kept.items()
        assert draft_id.startswith("desk:backup:") and "org_id" not in payload
        await accept(pilot, BackupDialog)
        assert app.screen.query_one("#backup-path", Input).value == target


async def test_the_typed_name_in_remove_organisation_comes_back(sample_dir, tmp_path):
    from vp_desk.tui.dialogs.desk_tasks import RemoveOrgDialog, remove_organisation

    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        ids = await unlocked(pilot)
        org = ids["Northwind Trading BV"]
        remove_organisation(app, org)
        await wait_for(pilot, lambda: isinstance(app.screen, RemoveOrgDialog))
        await settle(pilot)
        await type_into(pilot, "#rm-name", "Northwind Trad")
        kept = await lock_and_offer(pilot, tmp_path, ["Northwind Trad"])
        [(draft_id, payload)] = kept.items()
        assert draft_id.startswith(f"org{org}:")  # shredding the organisation erases it
        await accept(pilot, RemoveOrgDialog)
        dialog = app.screen
        assert dialog.org_id == org
        assert dialog.query_one("#rm-name", Input).value == "Northwind Trad"
        await type_into(pilot, "#rm-name", "ing BV", clear=False)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, RemoveOrgDialog), timeout=30)
        assert org not in {o.id for o in app.desk.organisations()}


async def test_hand_over_export_path_comes_back_and_the_passphrase_never_is_kept(
    sample_dir, tmp_path
):
    """The path comes back; once written, the one-time passphrase on screen is
    in no draft (and the finished dialog keeps none)."""
    from vp_desk.tui.dialogs.desk_tasks import HandoverExportDialog, handover_export

    target = tmp_path / "overdracht-opvolger-3310.vphandover"
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        ids = await unlocked(pilot)
        org = ids["Bakkerij De Korst"]
        handover_export(app, org)
        await wait_for(pilot, lambda: isinstance(app.screen, HandoverExportDialog))
        await settle(pilot)
        await type_into(pilot, "#ho-path", str(target))
        kept = await lock_and_offer(pilot, tmp_path, ["overdracht-opvolger-3310"])
        [payload] = kept.values()
        assert payload["org_id"] == org
        await accept(pilot, HandoverExportDialog)
        dialog = app.screen
        assert dialog.query_one("#ho-path", Input).value == str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.query_one("#ho-secret").display, timeout=60)
        secret = str(dialog.query_one("#ho-secret").render()).split()[-1]
        assert len(secret) >= 15 and target.exists()
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.is_locked)
        assert_nowhere_on_disk(tmp_path / "data-sample", secret)
        await unlock(pilot)
        assert secret not in json.dumps(app.desk.drafts())
        assert app.desk.drafts() == {}


@pytest.mark.parametrize("how", ["ctrl+l", "auto-lock"])
async def test_hand_over_import_keeps_the_file_never_the_one_time_passphrase(
    sample_dir, tmp_path, how
):
    from vp_desk.tui.dialogs.desk_tasks import HandoverImportDialog, handover_import

    source = str(tmp_path / "van-vorige-vp-6402.vphandover")
    one_time = "Paard-Kruk-Zomer-Lantaarn-7719"
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlocked(pilot)
        handover_import(app)
        await wait_for(pilot, lambda: isinstance(app.screen, HandoverImportDialog))
        await settle(pilot)
        await type_into(pilot, "#hi-path", source)
        await type_into(pilot, "#hi-pass", one_time)
        await type_into(pilot, "#hi-name", "Opvolger BV")
        kept = await lock_and_offer(
            pilot, tmp_path, ["van-vorige-vp-6402", one_time, "Opvolger BV"], how
        )
        stored = json.dumps(kept)
        assert one_time not in stored and "Lantaarn" not in stored and "hi-pass" not in stored
        await accept(pilot, HandoverImportDialog)
        dialog = app.screen
        assert dialog.query_one("#hi-path", Input).value == source
        assert dialog.query_one("#hi-name", Input).value == "Opvolger BV"
        assert dialog.query_one("#hi-pass", Input).value == ""


async def test_the_passphrase_dialog_keeps_no_draft(sample_dir, tmp_path):
    from vp_desk.tui.dialogs.desk_tasks import PassphraseDialog, change_passphrase

    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlocked(pilot)
        change_passphrase(app)
        await wait_for(pilot, lambda: isinstance(app.screen, PassphraseDialog))
        await settle(pilot)
        await type_into(pilot, "#pw-old", "oud-wachtwoord-9921")
        await type_into(pilot, "#pw-new", "Nieuwe-Lange-Wachtzin-4410")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.is_locked)
        await settle(pilot)
        assert_nowhere_on_disk(tmp_path, "oud-wachtwoord-9921", "Nieuwe-Lange-Wachtzin-4410")
        await unlock(pilot)
        assert app.desk.drafts() == {}


async def test_every_report_dialog_comes_back_on_its_portfolio(sample_dir, tmp_path):
    from vp_desk.tui.dialogs.desk_tasks import AllReportsDialog
    from vp_desk.tui.screens.portfolio import PortfolioScreen

    folder = str(tmp_path / "verslagen-januari-1187")
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlocked(pilot)
        app.push_screen(PortfolioScreen(2025, today=app.fixed_today))
        await settle(pilot)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, AllReportsDialog))
        await settle(pilot)
        app.screen.query_one("#ra-format", Select).value = "md"
        await type_into(pilot, "#ra-dir", folder)
        kept = await lock_and_offer(pilot, tmp_path, ["verslagen-januari-1187"])
        [payload] = kept.values()
        assert payload["year"] == 2025
        await accept(pilot, AllReportsDialog)
        dialog = app.screen
        assert dialog.year == 2025 and isinstance(app.screen_stack[-2], PortfolioScreen)
        assert app.screen_stack[-2].year == 2025
        assert dialog.query_one("#ra-dir", Input).value == folder
        assert dialog.query_one("#ra-format", Select).value == "md"


async def test_a_draft_of_an_organisation_gone_is_dropped_quietly(sample_dir, tmp_path):
    from vp_desk.tui.dialogs.desk_tasks import RemoveOrgDialog
    from vp_desk.tui.dialogs.hours import HoursDialog
    from vp_desk.tui.dialogs.restore_drafts import RestoreDraftsDialog

    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlocked(pilot)
        # A draft made by a version that did not key it to its organisation.
        app.desk.save_draft(
            "desk:hours:old",
            {
                "kind": "hours",
                "org_id": 999,
                "fields": {"hours-path": "/tmp/x.md"},
                "_module": HoursDialog.__module__,
            },
        )
        app.offer_drafts()
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog))
        await pilot.press("enter")
        await settle(pilot)
        assert not any(isinstance(s, (HoursDialog, RemoveOrgDialog)) for s in app.screen_stack)
        assert app.desk.drafts() == {}
        assert not any(n.severity == "error" for n in app._notifications)


@pytest.mark.parametrize("how", ["ctrl+l", "auto-lock"])
async def test_the_import_screen_path_and_choice_come_back(sample_dir, tmp_path, how):
    from vp_desk.tui.screens.import_screen import ImportScreen

    source = str(tmp_path / "oude-registratie-4471.csv")
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        ids = await unlocked(pilot)
        org = ids["Stichting Voorbeeld"]
        app.push_screen(ImportScreen(org))
        await settle(pilot)
        # Untouched: navigation keys work, nothing would be kept.
        assert app.screen.draft_payload is None
        await type_into(pilot, "#import-path", source)
        app.screen.query_one("#import-skip-bad", Checkbox).value = True
        await pilot.pause()
        assert app.check_action("cases", ())  # a typed file name keeps navigation on
        kept = await lock_and_offer(pilot, tmp_path, ["oude-registratie-4471"], how)
        [(draft_id, payload)] = kept.items()
        assert draft_id.startswith(f"org{org}:")
        await accept(pilot, ImportScreen)
        screen = app.screen
        assert screen.org_id == org
        assert screen.query_one("#import-path", Input).value == source
        assert screen.query_one("#import-skip-bad", Checkbox).value is True


async def test_the_report_export_choices_come_back(sample_dir, tmp_path):
    """The Export tab's file name and format come back with the report draft,
    also when no text was changed (old main kept only unsaved texts)."""
    from vp_desk.tui.screens.report import ReportScreen

    target = str(tmp_path / "verslag-voor-directie-6620.docx")
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        ids = await unlocked(pilot)
        org = ids["Stichting Voorbeeld"]
        app.push_screen(ReportScreen(org, 2025, today=app.fixed_today))
        await wait_for(pilot, lambda: app.screen.preview is not None)
        await settle(pilot)
        assert app.screen.draft_payload is None  # as loaded: no draft, navigation works
        app.screen.query_one("#report-tabs").active = "tab-export"
        await settle(pilot)
        app.screen.query_one("#export-format", Select).value = "docx"
        await pilot.pause()
        await type_into(pilot, "#export-path", target)
        app.screen.query_one("#export-final", Checkbox).value = True
        await pilot.pause()
        kept = await lock_and_offer(pilot, tmp_path, ["verslag-voor-directie-6620"])
        [payload] = kept.values()
        assert payload["year"] == 2025 and "signals" not in payload
        await accept(pilot, ReportScreen)
        screen = app.screen
        await wait_for(pilot, lambda: screen.preview is not None)
        await settle(pilot)
        assert screen.year == 2025
        assert screen.query_one("#export-path", Input).value == target
        assert screen.query_one("#export-format", Select).value == "docx"
        assert screen.query_one("#export-final", Checkbox).value is True


async def test_unsaved_settings_come_back_and_saved_ones_leave_no_draft(sample_dir, tmp_path):
    from vp_desk.tui.screens.settings import SettingsScreen

    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlocked(pilot)
        app.push_screen(SettingsScreen())
        await settle(pilot)
        await type_into(pilot, "#settings-auto-lock", "47")
        await type_into(pilot, "#settings-quiet", "9")
        await lock_and_offer(pilot, tmp_path, [])
        await accept(pilot, SettingsScreen)
        screen = app.screen
        assert screen.query_one("#settings-auto-lock", Input).value == "47"
        assert screen.query_one("#settings-quiet", Input).value == "9"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.auto_lock_minutes() == 47
        assert screen.draft_payload is None  # saved: nothing to keep
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.is_locked)
        await unlock(pilot)
        assert app.desk.drafts() == {}


async def test_a_password_field_is_never_kept_even_when_listed():
    """The guard is in the shared part: a dialog that lists its passphrase field
    by mistake still keeps nothing of it, and nothing is put back into it."""
    from textual.app import App

    from vp_desk.tui.dialogs import desk_tasks
    from vp_desk.tui.dialogs.desk_tasks import HandoverImportDialog

    class Careless(HandoverImportDialog):
        CSS_PATH = str(Path(desk_tasks.__file__).with_name("desk_tasks.tcss"))
        DRAFT_FIELDS = ("hi-path", "hi-pass", "hi-name")

    app = App()
    async with app.run_test(size=SIZE) as pilot:
        dialog = Careless("nl")
        dialog.draft_fill = {"hi-pass": "teruggezet-geheim", "hi-path": "/tmp/a.vphandover"}
        app.push_screen(dialog)
        await pilot.pause()
        assert dialog.query_one("#hi-pass", Input).value == ""
        assert dialog.query_one("#hi-path", Input).value == "/tmp/a.vphandover"
        dialog.query_one("#hi-pass", Input).value = "Geheime-Eenmalige-Zin-2231"
        payload = dialog.draft_payload()
        assert payload is not None and "hi-pass" not in payload["fields"]
        assert "Geheime-Eenmalige-Zin-2231" not in json.dumps(payload)
