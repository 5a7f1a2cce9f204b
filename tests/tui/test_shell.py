"""The shell of the desk, driven as a person would with Pilot: first run, unlock,
organisations, settings, help, locking (by key and by idle time) and drafts.

Every test runs the real ``VpDeskApp`` on a real data folder (SQLCipher files,
Argon2id at its floor) and checks what was stored through the Desk API.
"""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

from tests.conftest import PASSPHRASE
from tests.portable import assert_mode
from tests.tui.cases_support import screen_text
from tests.tui.conftest import SIZE, make_app, relock, settle, unlock, wait_for
from vp_desk.services.desk import Desk
from vp_desk.tui import drafts
from vp_desk.tui.app import SETTING_AUTO_LOCK, SETTING_LANG
from vp_desk.tui.dialogs.restore_drafts import RestoreDraftsDialog
from vp_desk.tui.screens.dashboard import DashboardScreen
from vp_desk.tui.screens.help import HelpScreen
from vp_desk.tui.screens.organisations import OrgFormScreen, OrgSwitcher
from vp_desk.tui.screens.settings import SettingsScreen
from vp_desk.tui.screens.setup import SetupScreen
from vp_desk.tui.screens.unlock import UnlockScreen
from vp_desk.tui.textual_compat import bindings, notifications
from vp_desk.vault.lock import FolderLock

pytestmark = pytest.mark.asyncio

STRONG = "Zeven zwanen zwemmen zachtjes zuidwaarts"


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


def org_by_name(desk, name: str):
    return next(o for o in desk.organisations() if o.name == name)


async def open_case_list(pilot, name: str):
    """Put the dashboard's cursor on ``name`` and press c; returns the organisation."""
    app = pilot.app
    org = org_by_name(app.desk, name)
    app.screen.select_org(org.id)
    await pilot.press("c")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "CaseListScreen")
    await settle(pilot)
    return org


# -- getting in ---------------------------------------------------------------------------


async def test_first_run_sets_up_a_folder_that_opens_with_that_passphrase(tmp_path, capfd):
    data = tmp_path / "nieuw"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen))
        first = app.screen.query_one("#new-passphrase", Input)
        assert first.password, "the passphrase is masked"
        await type_text(pilot, "kort")
        text = screen_text(app)
        assert "Gebruik minstens 15 tekens" in text
        assert "kort" not in text
        assert app.screen.query_one("#setup-create").disabled
        first.value = STRONG
        await pilot.pause()
        assert "Sterkte:" in screen_text(app) and "Gebruik minstens" not in screen_text(app)
        repeat = app.screen.query_one("#repeat-passphrase", Input)
        repeat.value = STRONG + "!"
        await pilot.pause()
        assert "De twee wachtzinnen verschillen." in screen_text(app)
        assert app.screen.query_one("#setup-create").disabled
        repeat.value = STRONG
        await pilot.pause()
        assert not app.screen.query_one("#setup-create").disabled
        repeat.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.desk is not None)
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await settle(pilot)
        assert "Er zijn nog geen organisaties" in screen_text(app)
    assert app.desk is None
    # The app is gone: the folder opens with that passphrase (and the lock was released).
    with Desk.open(data, STRONG) as desk:
        assert desk.organisations() == []
    assert_mode(data, 0o700)
    out, err = capfd.readouterr()
    assert err == ""


async def test_wrong_passphrase_says_so_clears_the_field_and_then_unlocks(sample_dir, capfd):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
        field = app.screen.query_one("#passphrase", Input)
        assert field.password
        field.value = "dit is niet de goede wachtzin"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "klopt niet" in screen_text(app))
        assert app.desk is None
        assert field.value == "" and not field.disabled
        assert app.focused is field
        await unlock(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "Stichting Voorbeeld" in screen_text(app)
    out, err = capfd.readouterr()
    assert err == ""


async def test_a_damaged_index_vault_is_named_and_nothing_crashes(sample_dir, capfd):
    index = sample_dir / "index.db"
    raw = bytearray(index.read_bytes())
    raw[0:16] = bytes(16)  # the salt of page 1
    index.write_bytes(bytes(raw))
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        await wait_for(pilot, lambda: "beschadigd" in screen_text(app))
        assert "indexkluis" in screen_text(app)
        assert app.desk is None
    out, err = capfd.readouterr()
    assert err == ""


async def test_a_damaged_key_file_is_named_and_a_good_copy_is_used(sample_dir, capfd):
    current, previous = sample_dir / "keyfile.json", sample_dir / "keyfile.prev.json"
    current.write_text('{"format": 1, "garbage": true}')
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)  # the previous generation still opens it
        assert any("vorige kopie" in n.message for n in notifications(app))
    assert current.read_bytes() != b'{"format": 1, "garbage": true}', "rewritten from the copy"

    for path in (current, previous):
        path.write_text('{"format": 1, "garbage": true}')
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        await wait_for(pilot, lambda: "sleutelbestand" in screen_text(app))
        assert "beschadigd" in screen_text(app) and app.desk is None
    out, err = capfd.readouterr()
    assert err == ""


async def test_a_second_instance_gets_a_clear_message(sample_dir):
    other = FolderLock(sample_dir).acquire()  # what another running vp_desk holds
    try:
        app = make_app(sample_dir, lang="en")
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
            await pilot.pause()
            assert "already open on this data folder" in screen_text(app)
            app.screen.query_one("#passphrase", Input).value = PASSPHRASE
            await pilot.press("enter")
            await wait_for(pilot, lambda: not app.screen.busy)
            assert app.desk is None
            assert "already open" in screen_text(app)
            other.release()  # the other window closes; Enter again now works
            await unlock(pilot)
            assert app.desk is not None
            await pilot.press("ctrl+l")
            await wait_for(pilot, lambda: app.is_locked)
            assert "already open" not in screen_text(app)
    finally:
        other.release()


async def test_the_folder_lock_is_held_while_locked(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.is_locked)
        assert app.folder.lock.held
        from vp_desk.errors import AlreadyRunning

        with pytest.raises(AlreadyRunning):
            FolderLock(sample_dir).acquire()


# -- organisations ------------------------------------------------------------------------


async def test_add_an_organisation_through_the_form(empty_dir):
    app = make_app(empty_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgFormScreen))
        form = app.screen
        form.query_one("#org-threshold", Input).value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "Verplicht veld." in text
        assert "De drempel is minimaal 3." in text
        assert app.desk.organisations() == []
        assert isinstance(app.screen, OrgFormScreen)
        form.query_one("#org-name", Input).value = "Zorggroep Oost"
        form.query_one("#org-employees", Input).value = "abc"
        form.query_one("#org-threshold", Input).value = "4"
        form.query_one("#org-retention", Input).value = "18"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Geen geheel getal." in screen_text(app)
        form.query_one("#org-employees", Input).value = "250"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await settle(pilot)
        [org] = app.desk.organisations()
        assert (org.name, org.employees, org.threshold, org.retention_months, org.lang) == (
            "Zorggroep Oost",
            250,
            4,
            18,
            "nl",
        )
        assert app.current_org_id == org.id
        assert "Zorggroep Oost" in screen_text(app)
    with Desk.open(empty_dir, PASSPHRASE) as desk:
        assert [o.name for o in desk.organisations()] == ["Zorggroep Oost"]


async def test_a_duplicate_name_is_refused_next_to_the_field(sample_dir):
    app = make_app(sample_dir, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgFormScreen))
        app.screen.query_one("#org-name", Input).value = "stichting voorbeeld"
        app.screen.query_one("#org-employees", Input).value = "12"  # required (issue 13)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "There is already an organisation with this name." in screen_text(app)
        assert len(app.desk.organisations()) == 3


async def test_edit_an_organisation(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        korst = org_by_name(app.desk, "Bakkerij De Korst")
        app.screen.select_org(korst.id)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgFormScreen))
        assert app.screen.query_one("#org-name", Input).value == "Bakkerij De Korst"
        app.screen.query_one("#org-employees", Input).value = "16"
        app.screen.query_one("#org-retention", Input).value = "9"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        stored = app.desk.organisation(korst.id)
        assert (stored.employees, stored.retention_months, stored.threshold) == (16, 9, 3)


async def test_escape_on_a_changed_form_asks_first(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgFormScreen))
        app.screen.query_one("#org-name", Input).value = "Half ingevuld"
        await pilot.press("escape")
        await pilot.pause()
        assert "Weggooien?" in screen_text(app)
        await pilot.press("n")  # no: keep editing
        await pilot.pause()
        assert isinstance(app.screen, OrgFormScreen)
        assert app.screen.query_one("#org-name", Input).value == "Half ingevuld"


async def test_switch_organisation_with_o_and_with_the_command_palette(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        ids = {o.name: o.id for o in app.desk.organisations()}
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgSwitcher))
        await type_text(pilot, "north")
        await pilot.pause()
        options = app.screen.query_one("#org-options")
        assert [
            str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
        ] == ["Northwind Trading BV"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert app.current_org_id == ids["Northwind Trading BV"]
        assert "Huidige organisatie: Northwind Trading BV" in screen_text(app)

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, "Voorbeeld")
        await wait_for(pilot, lambda: "Organisatie: Stichting Voorbeeld" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current_org_id == ids["Stichting Voorbeeld"])
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "Huidige organisatie: Stichting Voorbeeld" in screen_text(app)


async def test_cases_key_opens_the_case_list_of_the_current_organisation(sample_dir):
    from vp_desk.tui.screens.cases import CaseListScreen

    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        voorbeeld = await open_case_list(pilot, "Stichting Voorbeeld")
        assert isinstance(app.screen, CaseListScreen)
        assert app.screen.org_id == voorbeeld.id
        # o on the case list: the list follows the new organisation.
        await settle(pilot)
        korst = org_by_name(app.desk, "Bakkerij De Korst")
        app.choose_organisation(korst.id)
        await wait_for(
            pilot, lambda: isinstance(app.screen, CaseListScreen) and app.screen.org_id == korst.id
        )
        assert len(app.screen_stack) == 2, "the dashboard stays the only screen below"
        # Enter on a row of the dashboard opens that organisation's cases.
        await settle(pilot)
        app.action_dashboard()
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await settle(pilot)
        app.screen.select_org(voorbeeld.id)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, CaseListScreen) and app.screen.org_id == voorbeeld.id,
        )
        korst = org_by_name(app.desk, "Bakkerij De Korst")
        app.choose_organisation(korst.id)
        await wait_for(
            pilot, lambda: isinstance(app.screen, CaseListScreen) and app.screen.org_id == korst.id
        )
        assert len(app.screen_stack) == 2, "the dashboard stays the only screen below"
        # Let the new list finish mounting before the app shuts down (its org_id is
        # set when it is made, before it is on the screen).
        await settle(pilot)


async def test_the_other_parts_open_from_the_dashboard_and_the_palette(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RetentionScreen")
        for action, name in [
            ("audit", "AuditScreen"),
            ("portfolio", "PortfolioScreen"),
            ("backup", "BackupDialog"),
            ("report", "ReportScreen"),
            ("activities", "ActivityScreen"),
            ("import_cases", "ImportScreen"),
        ]:
            if isinstance(app.screen, ModalScreen):
                app.pop_screen()  # the backup dialog
            app.action_dashboard()
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
            await app.run_action(action)
            await wait_for(pilot, lambda: type(app.screen).__name__ == name)
            await settle(pilot)
            assert len(app.screen_stack) == 2, "always one step from the dashboard"
        app.action_dashboard()
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, "Audittrail")
        await wait_for(pilot, lambda: "Audittrail" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AuditScreen")


# -- locking -------------------------------------------------------------------------------


async def test_ctrl_l_with_a_modal_open_locks_and_unlock_restores_the_draft(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgFormScreen))
        app.screen.query_one("#org-name", Input).value = "Nog niet opgeslagen BV"
        app.screen.query_one("#org-employees", Input).value = "42"
        desk = app.desk
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.is_locked)
        assert app.desk is None
        assert desk.vault.ring.keys == {} and desk.vault.ring.kek == b""
        assert desk.vault._index is None or not _usable(desk.vault._index)
        assert app.screen.locked
        assert "Het bureau is vergrendeld." in screen_text(app)
        assert len(app.screen_stack) == 1 and not any(
            isinstance(s, (OrgFormScreen, DashboardScreen)) for s in app.screen_stack
        )
        # No command palette, no system commands while locked.
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert not CommandPalette.is_open(app)
        assert list(app.get_system_commands(app.screen)) == []
        assert not app.use_command_palette

        await unlock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog))
        assert "Organisatieformulier" in screen_text(app)
        assert "Nog niet opgeslagen BV" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgFormScreen))
        assert app.screen.query_one("#org-name", Input).value == "Nog niet opgeslagen BV"
        assert app.screen.query_one("#org-employees", Input).value == "42"
        assert app.desk.drafts() == {}, "a restored draft leaves the vault"
        assert app.use_command_palette


def _usable(conn) -> bool:
    try:
        conn.execute("SELECT 1")
        return True
    except Exception:
        return False


class NoteScreen(Screen):
    """A tiny form with unsaved input, as the contract describes."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text

    def compose(self):
        yield TextArea(self.text, id="note")

    def draft_payload(self) -> dict | None:
        value = self.query_one("#note", TextArea).text
        return {"kind": "test_note", "title": "Notitie", "text": value} if value else None


def _restore_note(app, payload: dict) -> None:
    app.push_screen(NoteScreen(payload["text"]))


drafts.register_restorer("test_note", _restore_note, label=("Testnotitie", "Test note"))


async def test_a_draft_can_be_discarded_after_unlock(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        app.push_screen(NoteScreen("eerste gedachte"))
        await pilot.pause()
        await relock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog))
        assert "Testnotitie" in screen_text(app)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert app.desk.drafts() == {}
        await relock(pilot)
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen), "nothing left to offer"


async def test_drafts_kept_for_later_are_offered_at_the_next_unlock(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        app.push_screen(NoteScreen("tweede gedachte"))
        await pilot.pause()
        await relock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert len(app.desk.drafts()) == 1
    # Quitting keeps it too; the next session offers it and restores it.
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        assert app.screen.query_one("#note", TextArea).text == "tweede gedachte"


async def test_the_real_case_form_survives_a_lock(sample_dir):
    from vp_desk.tui.screens.case_form import CaseFormScreen

    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        voorbeeld = await open_case_list(pilot, "Stichting Voorbeeld")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseFormScreen))
        app.screen.query_one("#opened", Input).value = "2026-03-17"
        app.screen.query_one("#notes", TextArea).text = "Melder belt vrijdag terug."
        await pilot.pause()
        await relock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog))
        assert "Stichting Voorbeeld" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseFormScreen))
        await pilot.pause()
        assert app.screen.org_id == voorbeeld.id
        assert app.screen.query_one("#notes", TextArea).text == "Melder belt vrijdag terug."
        assert app.screen.query_one("#opened", Input).value == "2026-03-17"


async def test_ctrl_l_with_the_command_palette_open(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: CommandPalette.is_open(app))
        await type_text(pilot, "Stich")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.is_locked)
        assert not CommandPalette.is_open(app)
        assert [type(s).__name__ for s in app.screen_stack] == ["UnlockScreen"]
        assert "Stich" not in screen_text(app)


async def test_idle_time_locks_the_desk(sample_dir):
    app = make_app(sample_dir, auto_lock_seconds=2.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await pilot.press("o")  # a dialog open does not stop it
        await wait_for(pilot, lambda: isinstance(app.screen, OrgSwitcher))
        await wait_for(pilot, lambda: app.is_locked, timeout=30)
        assert app.screen.locked


async def test_key_presses_keep_the_desk_open(sample_dir):
    app = make_app(sample_dir, auto_lock_seconds=1.5)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        for _ in range(8):  # 2.4 s of work, never 1.5 s idle
            await pilot.press("down")
            await pilot.pause(0.3)
        assert app.desk is not None


# -- help, settings, clipboard, screenshots ------------------------------------------------


async def test_help_lists_the_keys_of_the_screen_and_the_global_ones(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = screen_text(app)
        assert "Op dit scherm — Overzicht" in text
        assert "Nieuw" in text and "Bewerken" in text and "Bewaartermijn" in text
        assert "Overal" in text and "Vergrendelen" in text and "Opdrachten" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = screen_text(app)
        assert "Op dit scherm — Instellingen" in text and "Opslaan" in text
        assert "Casussen" in text, "the global keys are listed too"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)


async def test_help_on_the_unlock_screen_in_english(sample_dir):
    app = make_app(sample_dir, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = screen_text(app)
        assert "On this screen" in text and "Quit" in text
        assert "Cases" not in text, "nothing of the desk is offered while locked"


async def test_settings_switch_language_at_once_and_keep_it(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        assert "Taal van de schermen" in screen_text(app)
        await pilot.click("#lang-en")
        await wait_for(pilot, lambda: "Language of the screens" in screen_text(app))
        assert app.lang == "en"
        assert app.desk.get_setting(SETTING_LANG) == "en"
        await wait_for(pilot, lambda: "Save" in screen_text(app))  # the footer follows
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await settle(pilot)
        text = screen_text(app)
        assert "All organisations at a glance" in text and "Follow-up (week)" in text
        assert "Cases" in text and "Casussen" not in text
    # Stored in the vault: the next session starts in English after unlock, even with --lang nl.
    app = make_app(sample_dir, lang="nl")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        assert app.lang == "en"
        assert "All organisations at a glance" in screen_text(app)


async def test_settings_auto_lock_minutes_are_checked_and_stored(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        field = app.screen.query_one("#settings-auto-lock", Input)
        assert field.value == "5"
        field.value = "0"
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "Moet tussen 1 en 240 liggen." in screen_text(app)
        assert app.desk.get_setting(SETTING_AUTO_LOCK) is None
        field.value = "12"
        await pilot.press("enter")
        await pilot.pause()
        assert app.desk.get_setting(SETTING_AUTO_LOCK) == "12"
        assert app.auto_lock_seconds == 720


async def test_settings_edit_threshold_and_retention_of_an_organisation(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        northwind = org_by_name(app.desk, "Northwind Trading BV")
        app.current_org_id = northwind.id
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        app.screen.query_one("#settings-orgs").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgFormScreen))
        assert app.screen.org_id == northwind.id
        app.screen.query_one("#org-threshold", Input).value = "7"
        app.screen.query_one("#org-retention", Input).value = "3"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        stored = app.desk.organisation(northwind.id)
        assert (stored.threshold, stored.retention_months) == (7, 3)
        row = app.screen.query_one("#settings-orgs").get_row(str(northwind.id))
        assert [str(c) for c in row[2:4]] == ["7", "3"]


async def test_copy_to_clipboard_is_cleared_after_a_while_and_on_lock(sample_dir):
    from vp_desk.tui.widgets.clipboard import copy_to_clipboard

    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        assert copy_to_clipboard(app, "2026-001\x1b[2J", clear_after=0.2) == "2026-001[2J"
        assert app.clipboard == "2026-001[2J"
        await wait_for(pilot, lambda: app.clipboard == "")
        copy_to_clipboard(app, "2026-002")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.is_locked)
        assert app.clipboard == ""


async def test_no_screenshot_can_be_saved(sample_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles and not any("screenshot" in t.lower() for t in titles)
        assert not any("screenshot" in b.action for _k, b in bindings(app))
        for _key, binding in bindings(app.screen):
            assert "screenshot" not in binding.action
        await app.run_action("screenshot")
        app.save_screenshot(path=str(tmp_path))
        app.deliver_screenshot(path=str(tmp_path))
        await pilot.pause(0.3)
        assert not list(tmp_path.glob("*.svg"))


async def test_quit_closes_the_vaults_and_releases_the_folder(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        desk = app.desk
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert desk.vault.ring.keys == {}
    assert not app.folder.lock.held
    FolderLock(sample_dir).acquire().release()


async def test_settings_switch_on_the_repeat_subject_signal(sample_dir):
    """Off by default (docs/architecture.md); switched on in settings, the case form asks for the name."""
    from textual.widgets import Switch

    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        assert app.desk.get_setting("cases.repeat_subject", "off") == "off"
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        switch = app.screen.query_one("#settings-subject", Switch)
        assert switch.value is False
        switch.focus()
        await pilot.press("space")
        await settle(pilot)
        assert app.desk.get_setting("cases.repeat_subject") == "on"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        name = app.desk.organisations()[0].name
        await open_case_list(pilot, name)
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CaseFormScreen")
        await settle(pilot)
        assert app.screen.query("#subject")
