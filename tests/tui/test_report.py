"""The report screen and the portfolio, driven with Pilot on the real app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.tui.conftest import make_app, settle, unlock, wait_for

pytestmark = pytest.mark.asyncio

HOSTILE_ORG = "[link=https://x]y[/link] \x1b[2J BV"


def build_report_folder(path: Path) -> dict[str, int]:
    """Acme BV (12 cases in 2025, one of them sexual harassment) and a small hostile-named one."""
    from tests.reports.conftest import add_org
    from vp_desk.services.desk import Desk

    with Desk.create(path, PASSPHRASE) as desk:
        acme = add_org(desk, "Acme BV", employees=40)
        small = add_org(desk, HOSTILE_ORG, employees=15, lang="en")
        conn = desk.conn(small.id)
        with desk.vault.transaction(conn):
            conn.execute("DELETE FROM cases WHERE id > 2")
        return {"acme": acme.id, "small": small.id}


@pytest.fixture(scope="session")
def report_template(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("report-template") / "data"
    return path, build_report_folder(path)


@pytest.fixture
def report_dir(report_template, tmp_path) -> tuple[Path, dict[str, int]]:
    source, ids = report_template
    target = tmp_path / "data"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".lock"))
    return target, ids


async def open_report(pilot, org_id: int):
    from vp_desk.tui.screens.report import ReportScreen

    app = pilot.app
    await unlock(pilot)
    app.current_org_id = org_id
    await pilot.press("r")
    await wait_for(
        pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.preview is not None
    )
    await settle(pilot)
    return app.screen


def screen_text(app) -> str:
    import re

    svg = app.export_screenshot()
    return re.sub(r"&#160;|\s+", " ", svg)


async def test_preview_shows_the_protected_report(report_dir):
    folder, ids = report_dir
    app = make_app(folder, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot, ids["acme"])
        assert screen.year == 2025  # in March the adviser writes about last year
        figures = screen.preview.report.figures
        behaviour = next(t for t in figures["tables"] if t["id"] == "behaviour")
        sh = next(r for r in behaviour["rows"] if r["code"] == "sexual_harassment")
        assert sh["suppressed"] and sh["count"] is None
        from textual_plotext import PlotextPlot

        assert len(screen.query(PlotextPlot)) == len(figures["tables"]) + 1
        text = screen_text(app)
        assert "Seksuele" in text and "minder dan 5" in text


async def test_texts_are_checked_saved_and_confirmed(report_dir):
    from textual.widgets import Button, TextArea

    from vp_desk.services import reporting

    folder, ids = report_dir
    app = make_app(folder, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot, ids["acme"])
        screen.query_one("#report-tabs").active = "tab-texts"
        await pilot.pause()
        area = screen.query_one("#signals", TextArea)
        area.focus()
        await pilot.press(*"Bel 06-12345678")
        await pilot.pause()
        shown = str(screen.query_one("#signals-pii").render())
        assert "telefoonnummer (regel 1)" in shown and "12345678" not in shown
        assert screen.draft_payload is not None  # unsaved: the lock keeps a draft
        assert screen.draft_payload()["signals"] == "Bel 06-12345678"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.saved_texts.signals == "Bel 06-12345678")
        assert screen.draft_payload is None
        assert reporting.get_texts(app.desk, ids["acme"], 2025).confirmed is False
        confirm = screen.query_one("#texts-confirm", Button)
        assert not confirm.disabled
        await pilot.click("#texts-confirm")
        await wait_for(pilot, lambda: screen.saved_texts.confirmed)
        assert reporting.get_texts(app.desk, ids["acme"], 2025).confirmed is True
        assert "Bevestigd" in str(screen.query_one("#signals-pii").render())


async def test_export_runs_in_a_worker_and_records_the_final_report(report_dir, tmp_path):
    from textual.widgets import Checkbox, Input, Select

    from vp_desk.reports import ledger

    folder, ids = report_dir
    app = make_app(folder, "en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot, ids["acme"])
        screen.query_one("#report-tabs").active = "tab-export"
        await pilot.pause()
        screen.query_one("#export-format", Select).value = "md"
        await pilot.pause()
        out = tmp_path / "report.md"
        screen.query_one("#export-path", Input).value = str(out)
        screen.query_one("#export-final", Checkbox).value = True
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: "Written to" in screen.export_message)
        assert "Recorded in the ledger" in screen.export_message
        assert "minder dan 5" in out.read_text(encoding="utf-8")  # the organisation's language
        assert [e.final for e in ledger.entries(app.desk.index, ids["acme"], 2025)] == [True]
        # the same file again, now as an English draft: the app asks before replacing it
        from vp_desk.tui.dialogs.confirm import ConfirmDialog

        before = out.read_bytes()
        screen.query_one("#export-lang", Select).value = "en"
        screen.query_one("#export-final", Checkbox).value = False
        screen.export_message = ""
        await pilot.click("#export-go")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")  # the focused answer keeps the file
        await wait_for(pilot, lambda: "Nothing written" in screen.export_message)
        assert out.read_bytes() == before
        await pilot.click("#export-go")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#confirm-yes")
        await wait_for(pilot, lambda: "Written to" in screen.export_message)
        text = out.read_text(encoding="utf-8")
        assert "fewer than 5" in text and text.startswith("# DRAFT - Annual report")
        # every written report counts: the draft is in the ledger too
        entries = ledger.entries(app.desk.index, ids["acme"], 2025)
        assert [(e.final, e.fmt) for e in entries] == [(True, "md"), (False, "md")]


async def test_the_default_file_name_carries_the_organisation_and_the_year(report_dir):
    from textual.widgets import Input

    folder, ids = report_dir
    app = make_app(folder, "en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot, ids["acme"])
        path = Path(screen.query_one("#export-path", Input).value)
        assert path.name == "jaarverslag-acme-bv-2025.pdf"


async def test_hours_dialog_shows_hours_and_writes_an_invoice_specification(report_dir, tmp_path):
    from textual.widgets import Button, Checkbox, Input

    from vp_desk.reports import ledger
    from vp_desk.services import reporting
    from vp_desk.tui.dialogs.hours import HoursDialog

    folder, ids = report_dir
    app = make_app(folder, "en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot, ids["acme"])
        screen.query_one("#report-tabs").active = "tab-export"
        await pilot.pause()
        await pilot.click("#export-hours")
        await wait_for(pilot, lambda: isinstance(app.screen, HoursDialog))
        dialog = app.screen
        dialog.query_one("#hours-from", Input).value = "2025-01-01"
        dialog.query_one("#hours-to", Input).value = "2025-03-31"
        dialog.query_one("#hours-show", Button).press()
        await wait_for(pilot, lambda: dialog.summary is not None)
        assert dialog.summary.total_minutes == 345 and dialog.summary.case_minutes == 225
        out = tmp_path / "spec.md"
        dialog.query_one("#hours-path", Input).value = str(out)
        dialog.query_one("#hours-write", Button).press()  # casework hours not disclosed: refused
        await wait_for(pilot, lambda: "not disclosed" in dialog.message)
        assert not out.exists()
        dialog.query_one("#hours-disclose", Checkbox).value = True
        await wait_for(pilot, lambda: reporting.disclose_case_hours(app.desk, ids["acme"]))
        await pilot.pause()
        dialog.query_one("#hours-write", Button).press()
        await wait_for(pilot, lambda: "Specification written" in dialog.message)
        assert "combined) | 6.0 |" in out.read_text(encoding="utf-8")
        assert len(ledger.all_entries(app.desk.index, ids["acme"], "invoice")) == 1
        dialog.query_one("#hours-to", Input).value = "2025-03-30"  # not a whole month
        dialog.query_one("#hours-write", Button).press()
        await wait_for(pilot, lambda: "whole months" in dialog.message)


async def test_export_refuses_unconfirmed_personal_data(report_dir, tmp_path):
    from textual.widgets import Input

    from vp_desk.services import reporting

    folder, ids = report_dir
    app = make_app(folder, "en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot, ids["acme"])
        reporting.save_texts(app.desk, ids["acme"], 2025, "", "Mail fictief@example.org")
        screen.query_one("#report-tabs").active = "tab-export"
        await pilot.pause()
        out = tmp_path / "r.pdf"
        screen.query_one("#export-path", Input).value = str(out)
        await pilot.click("#export-go")
        await wait_for(pilot, lambda: "Not exported" in screen.export_message)
        assert "recommendations: an e-mail address" in screen.export_message
        assert "example.org" not in screen.export_message
        assert not out.exists()


async def test_hostile_organisation_name_and_small_report(report_dir):
    folder, ids = report_dir
    app = make_app(folder, "en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot, ids["small"])
        assert screen.preview.report.figures["tables"] == []
        heading = str(screen.query_one("#report-heading").render())
        assert "[link=https://x]y[/link]" in heading and "\x1b" not in heading
        statics = " ".join(str(w.render()) for w in screen.query("#report-preview Static"))
        assert "There is no breakdown" in statics
        assert app.is_running


async def test_year_keys_and_portfolio(report_dir):
    from vp_desk.tui.screens.report import PortfolioScreen

    folder, ids = report_dir
    app = make_app(folder, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot, ids["acme"])
        await pilot.press("plus")
        await wait_for(pilot, lambda: screen.preview.report.year == 2026)
        assert screen.preview.report.figures["new_cases"] is None
        await pilot.press("minus")
        await wait_for(pilot, lambda: screen.preview.report.year == 2025)
        await settle(pilot)
        await pilot.press("p")
        await wait_for(
            pilot, lambda: isinstance(app.screen, PortfolioScreen) and app.screen.rows is not None
        )
        rows = {r.org_id: r for r in app.screen.rows}
        assert rows[ids["acme"]].new_cases == 12  # true counts, for the adviser only
        assert rows[ids["small"]].new_cases == 2
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)


async def test_report_draft_kind_is_registered() -> None:
    from vp_desk.tui import drafts
    from vp_desk.tui.screens import report  # noqa: F401

    assert drafts.restorer("report_texts") is not None


async def test_unsaved_text_survives_a_lock_as_a_draft(report_dir):
    from textual.widgets import TextArea

    from vp_desk.services import reporting
    from vp_desk.tui.dialogs.restore_drafts import RestoreDraftsDialog
    from vp_desk.tui.screens.report import ReportScreen

    folder, ids = report_dir
    app = make_app(folder, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot, ids["acme"])
        screen.query_one("#report-tabs").active = "tab-texts"
        await pilot.pause()
        screen.query_one("#recommendations", TextArea).focus()
        await pilot.press(*"Plan een training")
        await app.action_lock()
        await pilot.pause()
        assert app.desk is None
        await unlock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog))
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.preview is not None
        )
        await settle(pilot)
        restored = app.screen
        assert restored.query_one("#recommendations", TextArea).text == "Plan een training"
        assert restored.unsaved()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not restored.unsaved())
        texts = reporting.get_texts(app.desk, ids["acme"], 2025)
        assert texts.recommendations == "Plan een training"


async def test_hours_dialog_is_on_the_command_palette(report_dir):
    from vp_desk.tui.commands import DeskCommands
    from vp_desk.tui.dialogs.hours import HoursDialog

    folder, ids = report_dir
    app = make_app(folder, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        app.current_org_id = ids["acme"]
        titles = [title for title, _ in DeskCommands(app.screen)._entries()]
        assert "Hours and invoice specification" in titles
        await app.run_action("hours")
        await wait_for(pilot, lambda: isinstance(app.screen, HoursDialog))
        await settle(pilot)
        assert app.screen.query_one("#hours-write").region.bottom <= 24  # reachable at 80x24
