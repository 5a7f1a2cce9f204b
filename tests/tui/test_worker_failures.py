"""One path for failures in background work (issue 14, item 2).

Each worker of the app is made to fail while the real app runs under Pilot:
saving the report texts with a real SQLCipher error (the vault connections
set to read-only), the others by making the service call underneath raise a
real ``DatabaseError``/``OSError`` (only the failure source is patched; the
key, the worker, the message and the notice are the real ones). Every
failure shows the one translated notice; ``DeskLocked`` stays silent; the
screens reset (no "busy" state left, no "?" shown), and nothing is written
to disk beyond the vaults themselves.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from textual.widgets import Button, Input

from tests.conftest import PASSPHRASE
from tests.tui.conftest import make_app, settle, unlock, wait_for
from tests.tui.test_report import build_report_folder
from vp_desk.tui.textual_compat import notifications

pytestmark = pytest.mark.asyncio

NOTICE = {"nl": "Dit is niet gelukt", "en": "This did not work"}
DB = {"nl": "kluisbestand", "en": "vault file"}
FILE = {"nl": "een bestand kon niet", "en": "a file could not"}


def db_error() -> Exception:
    from vp_desk.services.storage import DatabaseError

    return DatabaseError("database disk image is malformed")


def failing(exc: BaseException):
    def fail(*args: object, **kwargs: object):
        raise exc

    return fail


async def failure_notice(pilot, before: int, lang: str, kind: dict[str, str]) -> str:
    app = pilot.app
    await wait_for(pilot, lambda: len(notifications(app)) > before)
    await settle(pilot)
    new = [n.message for n in notifications(app)[before:]]
    found = [m for m in new if m.startswith(NOTICE[lang])]
    assert found, new
    assert kind[lang] in found[0]
    return found[0]


@pytest.fixture
def report_folder(tmp_path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "data"
    return path, build_report_folder(path)


def files_under(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*") if p.is_file()}


async def test_saving_report_texts_on_a_database_error_shows_a_notice(report_folder, tmp_path):
    """ctrl+s on the report texts, the vault refusing the write: a notice, nothing saved."""
    from textual.widgets import TextArea

    from vp_desk.services import reporting
    from vp_desk.tui.screens.report import ReportScreen

    folder, ids = report_folder
    app = make_app(folder, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        await unlock(pilot)
        app.current_org_id = ids["acme"]
        await pilot.press("r")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.preview is not None
        )
        await settle(pilot)
        screen = app.screen
        screen.query_one("#report-tabs").active = "tab-texts"
        await pilot.pause()
        screen.query_one("#signals", TextArea).focus()
        await pilot.press(*"Signaal")
        await pilot.pause()
        # A real database error: every connection of the open desk refuses writes.
        app.desk.index.execute("PRAGMA query_only = ON")
        app.desk.conn(ids["acme"]).execute("PRAGMA query_only = ON")
        disk_before = files_under(tmp_path)
        before = len(notifications(app))
        await pilot.press("ctrl+s")
        message = await failure_notice(pilot, before, "nl", DB)
        assert "Signaal" not in message  # no content in the notice
        assert screen.saved_texts.signals != "Signaal"  # the screen did not pretend
        app.desk.index.execute("PRAGMA query_only = OFF")
        app.desk.conn(ids["acme"]).execute("PRAGMA query_only = OFF")
        assert reporting.get_texts(app.desk, ids["acme"], 2025).signals != "Signaal"
        # Nothing written to disk but the vaults (no log file, no crash dump).
        new_files = files_under(tmp_path) - disk_before
        assert all(name.startswith("data/") for name in new_files), new_files


async def test_every_report_worker_shows_the_notice_and_desk_locked_stays_silent(
    report_folder, tmp_path, monkeypatch
):
    from textual.widgets import Input

    from vp_desk.services import reporting
    from vp_desk.tui.desk_guard import DeskLocked
    from vp_desk.tui.screens.report import PortfolioScreen, ReportScreen

    folder, ids = report_folder
    app = make_app(folder, "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await unlock(pilot)
        app.current_org_id = ids["acme"]
        await pilot.press("r")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.preview is not None
        )
        await settle(pilot)
        screen = app.screen

        # Loading another year.
        monkeypatch.setattr(reporting, "preview", failing(db_error()))
        before = len(notifications(app))
        await pilot.press("plus")
        await failure_notice(pilot, before, "en", DB)
        monkeypatch.undo()

        # Exporting (a file that cannot be written is an expected error, said in place).
        monkeypatch.setattr(reporting, "export", failing(db_error()))
        screen.query_one("#report-tabs").active = "tab-export"
        await pilot.pause()
        screen.query_one("#export-path", Input).value = str(tmp_path / "out.md")
        before = len(notifications(app))
        screen.action_export()
        await failure_notice(pilot, before, "en", DB)
        monkeypatch.undo()

        # The portfolio: first the expected, silent case, then a real failure.
        monkeypatch.setattr(reporting, "portfolio", failing(DeskLocked()))
        before = len(notifications(app))
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PortfolioScreen))
        await settle(pilot)
        assert len(notifications(app)) == before
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        monkeypatch.setattr(reporting, "portfolio", failing(db_error()))
        await pilot.press("p")
        await failure_notice(pilot, before, "en", DB)


async def test_every_desk_worker_shows_the_notice(sample_dir, tmp_path, monkeypatch):
    from textual.widgets import Input

    from vp_desk.services import backup, dossier, importer, retention
    from vp_desk.services.desk import Desk
    from vp_desk.tui.dialogs.backup import BackupDialog
    from vp_desk.tui.dialogs.export import ExportDialog, export_dossier
    from vp_desk.tui.screens import audit
    from vp_desk.tui.screens.audit import AuditScreen
    from vp_desk.tui.screens.cases import CaseListScreen
    from vp_desk.tui.screens.dashboard import DashboardScreen
    from vp_desk.tui.screens.import_screen import ImportScreen
    from vp_desk.tui.screens.retention import RetentionScreen

    app = make_app(sample_dir, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        await unlock(pilot)
        org_id = app.desk.organisations()[0].id
        app.current_org_id = org_id

        async def to_dashboard() -> None:
            app.action_dashboard()
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
            await settle(pilot)

        # The overview's figures.
        monkeypatch.setattr(Desk, "organisations", failing(db_error()))
        before = len(notifications(app))
        app.screen.reload()
        await failure_notice(pilot, before, "nl", DB)
        monkeypatch.undo()

        # The case list.
        monkeypatch.setattr(Desk, "list_cases", failing(db_error()))
        before = len(notifications(app))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await failure_notice(pilot, before, "nl", DB)
        assert app.screen._query_busy is False  # not stuck, and not retried in a loop
        monkeypatch.undo()
        await to_dashboard()

        # Retention review.
        monkeypatch.setattr(retention, "review", failing(db_error()))
        before = len(notifications(app))
        app.action_retention()
        await wait_for(pilot, lambda: isinstance(app.screen, RetentionScreen))
        await failure_notice(pilot, before, "nl", DB)
        monkeypatch.undo()
        await to_dashboard()

        # The audit trail.
        monkeypatch.setattr(audit, "load_trails", failing(db_error()))
        before = len(notifications(app))
        app.action_audit()
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen))
        await failure_notice(pilot, before, "nl", DB)
        monkeypatch.undo()
        await to_dashboard()

        # Import: checking the file, which cannot be read.
        monkeypatch.setattr(
            importer, "plan_import", failing(PermissionError(errno.EACCES, "Permission denied"))
        )
        before = len(notifications(app))
        app.action_import_cases()
        await wait_for(pilot, lambda: isinstance(app.screen, ImportScreen))
        await settle(pilot)
        app.screen.query_one("#import-path", Input).value = str(tmp_path / "cases.xlsx")
        app.screen.action_check()
        await failure_notice(pilot, before, "nl", FILE)
        assert app.screen.busy is False
        monkeypatch.undo()

        # Import: a real file checks out, then writing it fails (ctrl+s).
        source = tmp_path / "cases.csv"
        source.write_text("opened;behaviours\n2026-03-01;bullying\n", encoding="utf-8")
        app.screen.query_one("#import-path", Input).value = str(source)
        app.screen.action_check()
        await wait_for(pilot, lambda: app.screen.plan is not None)
        count = app.desk.count_cases(org_id)
        monkeypatch.setattr(importer, "apply_import", failing(db_error()))
        before = len(notifications(app))
        await pilot.press("ctrl+s")
        await failure_notice(pilot, before, "nl", DB)
        assert app.screen.busy is False
        assert app.desk.count_cases(org_id) == count  # nothing was imported
        monkeypatch.undo()
        await to_dashboard()

        # Retention: destroying the cases past their period fails.
        monkeypatch.setattr(retention, "destroy_cases", failing(db_error()))
        app.action_retention()
        await wait_for(pilot, lambda: isinstance(app.screen, RetentionScreen) and app.screen.items)
        screen = app.screen
        before = len(notifications(app))
        await pilot.press("D")
        await wait_for(pilot, lambda: app.screen is not screen)  # the confirmation
        await pilot.press("y")
        await failure_notice(pilot, before, "nl", DB)
        assert screen.busy is False
        monkeypatch.undo()
        await to_dashboard()

        # A backup.
        monkeypatch.setattr(backup, "create_backup", failing(db_error()))
        before = len(notifications(app))
        app.action_backup()
        await wait_for(
            pilot, lambda: isinstance(app.screen, BackupDialog) and app.screen.query("#backup-path")
        )
        app.screen.query_one("#backup-path", Input).value = str(tmp_path / "b.vpbackup")
        await pilot.click("#backup-go")
        await failure_notice(pilot, before, "nl", DB)
        assert app.screen.busy is False
        assert "?" not in str(app.screen.query_one("#backup-error").render())
        assert not (tmp_path / "b.vpbackup").exists()
        app.pop_screen()
        monkeypatch.undo()

        # Exporting one case's dossier.
        case = app.desk.list_cases(org_id)[0]
        monkeypatch.setattr(dossier, "export_dossier", failing(db_error()))
        before = len(notifications(app))
        export_dossier(app, org_id, case.id, tmp_path)
        await wait_for(
            pilot, lambda: isinstance(app.screen, ExportDialog) and app.screen.query("#export-go")
        )
        await pilot.click("#export-go")
        await failure_notice(pilot, before, "nl", DB)
        assert app.screen.busy is False
        assert "?" not in str(app.screen.query_one("#export-error").render())


async def test_hours_dialog_a_lock_ends_quietly_and_an_expected_error_is_said_in_dutch(
    report_folder, tmp_path, monkeypatch
):
    """``DeskLocked`` is a ``VpDeskError``: the hours dialog's workers must
    catch it first (old main showed "Niet gelukt: The desk is locked." in the
    dialog). Another ``VpDeskError`` is said in the dialog, translated."""
    from textual.widgets import Button, Checkbox, Input

    from vp_desk.errors import StorageFull
    from vp_desk.i18n import error_text
    from vp_desk.services import reporting
    from vp_desk.tui.desk_guard import DeskLocked
    from vp_desk.tui.dialogs.hours import HoursDialog

    folder, ids = report_folder
    app = make_app(folder, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        await unlock(pilot)
        app.current_org_id = ids["acme"]
        await app.run_action("hours")
        await wait_for(pilot, lambda: isinstance(app.screen, HoursDialog))
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#hours-from", Input).value = "2025-01-01"
        dialog.query_one("#hours-to", Input).value = "2025-03-31"
        dialog.query_one("#hours-disclose", Checkbox).value = True
        await settle(pilot)
        message = dialog.message
        before = len(notifications(app))

        # A lock while the hours are counted / the specification is written: quiet.
        monkeypatch.setattr(reporting, "hours", failing(DeskLocked()))
        monkeypatch.setattr(reporting, "invoice", failing(DeskLocked()))
        dialog.query_one("#hours-show", Button).press()
        await settle(pilot)
        out = tmp_path / "spec.md"
        dialog.query_one("#hours-path", Input).value = str(out)
        dialog.query_one("#hours-write", Button).press()
        await settle(pilot)
        assert dialog.message == message  # nothing said in the dialog
        assert len(notifications(app)) == before  # and no notice
        assert not out.exists()

        # Another expected error: its own sentence, in Dutch, in the dialog.
        full = StorageFull()
        monkeypatch.setattr(reporting, "hours", failing(full))
        monkeypatch.setattr(reporting, "invoice", failing(full))
        dialog.query_one("#hours-show", Button).press()
        await wait_for(pilot, lambda: dialog.message != message)
        assert dialog.message == f"Niet gelukt: {error_text(full, 'nl')}"
        assert error_text(full, "nl") != error_text(full, "en")
        dialog.message = message
        dialog.query_one("#hours-write", Button).press()
        await wait_for(pilot, lambda: dialog.message != message)
        assert dialog.message == f"Niet gelukt: {error_text(full, 'nl')}"
        assert len(notifications(app)) == before
        assert not out.exists()


async def test_every_desk_task_worker_shows_the_notice(sample_dir, tmp_path, monkeypatch):
    """The desk-task dialogs (passphrase, removing an organisation, hand-over
    out and in, every report): an unexpected failure goes to the app's one
    notice and the dialog is ready again with an empty error line (old main
    said "an unexpected error" in the dialog and showed no notice); an expected
    ``VpDeskError`` is said in the dialog in Dutch; a lock is silent. Nothing
    was removed, changed or written."""
    from vp_desk.errors import StorageFull
    from vp_desk.i18n import error_text
    from vp_desk.services import all_reports, handover
    from vp_desk.services.desk import Desk
    from vp_desk.tui.desk_guard import DeskLocked
    from vp_desk.tui.dialogs import desk_tasks

    handover_file = tmp_path / "in.vphandover"
    handover_file.write_bytes(b"not looked at: the import fails first")
    app = make_app(sample_dir, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        await unlock(pilot)
        for screen in app.screen_stack[1:]:  # drafts offered after unlock
            if screen.is_modal:
                app.pop_screen()
        await settle(pilot)
        org = app.desk.organisations()[0]
        orgs = [o.name for o in app.desk.organisations()]
        cases = app.desk.count_cases(org.id)

        def fill_passphrase(dialog) -> None:
            dialog.query_one("#pw-old", Input).value = PASSPHRASE
            dialog.query_one("#pw-new", Input).value = "a rather different passphrase 42"
            dialog.query_one("#pw-again", Input).value = "a rather different passphrase 42"

        def fill(selector: str, value: str):
            return lambda dialog: setattr(dialog.query_one(selector, Input), "value", value)

        def fill_import(dialog) -> None:
            dialog.query_one("#hi-path", Input).value = str(handover_file)
            dialog.query_one("#hi-pass", Input).value = "AAAA-BBBB"

        tasks = [
            (
                "passphrase",
                lambda: desk_tasks.change_passphrase(app),
                (Desk, "change_passphrase"),
                fill_passphrase,
            ),
            (
                "remove",
                lambda: desk_tasks.remove_organisation(app, org.id),
                (Desk, "shred_organisation"),
                fill("#rm-name", org.name),
            ),
            (
                "handover export",
                lambda: desk_tasks.handover_export(app, org.id),
                (handover, "export_organisation"),
                fill("#ho-path", str(tmp_path / "out.vphandover")),
            ),
            (
                "handover import",
                lambda: desk_tasks.handover_import(app),
                (handover, "import_organisation"),
                fill_import,
            ),
            (
                "all reports",
                lambda: desk_tasks.all_reports(app, 2025),
                (all_reports, "export_all"),
                fill("#ra-dir", str(tmp_path / "reports")),
            ),
        ]
        full = StorageFull()

        def shown() -> set[str]:
            return {n.identity for n in notifications(app)}

        for name, open_dialog, (owner, attr), fill_in in tasks:
            open_dialog()
            await wait_for(pilot, lambda: isinstance(app.screen, desk_tasks._TaskDialog))
            await settle(pilot)
            dialog = app.screen
            fill_in(dialog)

            # Pressed, not clicked: a notice may lie over the button.
            go = lambda dialog: dialog.query_one("#task-go", Button).press()  # noqa: E731
            error_line = lambda dialog=dialog: str(dialog.query_one("#task-error").render())  # noqa: E731

            # Unexpected: the one notice, the dialog ready again, nothing said in it.
            monkeypatch.setattr(owner, attr, failing(db_error()))
            seen = shown()
            go(dialog)
            await wait_for(pilot, lambda: shown() - seen)
            await settle(pilot)
            [notice] = [n.message for n in notifications(app) if n.identity not in seen]
            assert notice.startswith(NOTICE["nl"]) and DB["nl"] in notice, (name, notice)
            assert app.screen is dialog and not dialog.busy, name
            assert error_line().strip() == "", (name, error_line())
            assert not dialog.query_one("#task-progress").display

            # Expected: its own sentence, in Dutch, in the dialog; no notice.
            monkeypatch.setattr(owner, attr, failing(full))
            seen = shown()
            go(dialog)
            await wait_for(pilot, lambda: error_text(full, "nl") in error_line())
            await settle(pilot)
            assert not dialog.busy, name
            assert not shown() - seen, name

            # A lock meanwhile: nothing said, no notice.
            monkeypatch.setattr(owner, attr, failing(DeskLocked()))
            go(dialog)
            await wait_for(pilot, lambda: dialog.busy)
            await settle(pilot)
            assert not shown() - seen, name
            assert error_line() == "Bezig…", (name, error_line())  # nothing said about it
            monkeypatch.undo()
            dialog.busy = False
            dialog.action_cancel()
            await wait_for(pilot, lambda: app.screen is not dialog)

        assert [o.name for o in app.desk.organisations()] == orgs
        assert app.desk.count_cases(org.id) == cases
        assert not (tmp_path / "out.vphandover").exists()
        assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())
    with Desk.open(sample_dir, PASSPHRASE) as desk:  # the passphrase did not change
        assert [o.name for o in desk.organisations()] == orgs


async def test_a_case_page_that_cannot_be_read_is_told_once(sample_dir, monkeypatch):
    """Scrolling reads further pages outside any worker: a failing read is told
    (once, not per row), never shown as an empty list without a word; a lock is silent."""
    from vp_desk.services.desk import CaseFilter, Desk
    from vp_desk.tui.desk_guard import DeskLocked
    from vp_desk.tui.screens.cases import CaseListScreen

    app = make_app(sample_dir, "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await unlock(pilot)
        app.current_org_id = app.desk.organisations()[0].id
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await settle(pilot)
        screen = app.screen
        assert screen._fetch(CaseFilter(), 0, 5)  # the real read works

        monkeypatch.setattr(Desk, "list_cases", failing(DeskLocked()))
        before = len(notifications(app))
        assert screen._fetch(CaseFilter(), 0, 5) == []
        await settle(pilot)
        assert len(notifications(app)) == before

        monkeypatch.setattr(Desk, "list_cases", failing(db_error()))
        assert screen._fetch(CaseFilter(), 0, 5) == []
        assert screen._fetch(CaseFilter(), 5, 5) == []
        await failure_notice(pilot, before, "en", DB)
        assert len(notifications(app)) == before + 1
