"""The report screen's tabs as widgets of their own (issue 14, item 5), on the real app.

Each tab (``PreviewTab``, ``TextsTab``, ``ExportTab``) is mounted alone on a
plain host screen and driven there: it does its own work (a real vault, a real
file) and tells its parent by message. On the report screen itself, the keys
that cross tabs still work: ctrl+e from the text area saves the texts and
exports them, and texts typed before a lock (ctrl+l) come back as a draft of
the same year.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen

from tests.tui.conftest import make_app, settle, unlock, wait_for
from tests.tui.test_report import build_report_folder, open_report
from tests.tui.test_worker_failures import DB, failure_notice
from vp_desk.tui.screens.report_context import ReportContext
from vp_desk.tui.screens.report_export import ExportTab
from vp_desk.tui.screens.report_preview import PreviewTab
from vp_desk.tui.screens.report_texts import TextsTab
from vp_desk.tui.textual_compat import notifications

pytestmark = pytest.mark.asyncio

YEAR = 2025


@pytest.fixture
def report_folder(tmp_path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "data"
    return path, build_report_folder(path)


class Host(Screen):
    """One tab on a screen of its own; it keeps what the tab tells it."""

    def __init__(self, tab) -> None:
        super().__init__()
        self.tab = tab
        self.heard: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.tab

    @on(TextsTab.Stored)
    @on(ExportTab.Written)
    def _heard(self, event: Message) -> None:
        self.heard.append(event)

    @on(ExportTab.Requested)
    def _requested(self, event: ExportTab.Requested) -> None:
        self.heard.append(event)
        self.tab.start()  # what the report screen does (after saving its texts)


async def host(pilot, org_id: int, make_tab):
    """Unlock, load the report of ``org_id`` for YEAR and show ``make_tab(context)`` alone."""
    from vp_desk.services import reporting

    app = pilot.app
    await unlock(pilot)
    context = ReportContext(org_id, YEAR, today=app.fixed_today)
    context.preview = reporting.preview(app.desk, org_id, YEAR, today=app.fixed_today)
    screen = Host(make_tab(context))
    await app.push_screen(screen)
    await settle(pilot)
    return screen, context


async def test_the_preview_tab_alone_shows_the_protected_report(report_folder):
    from textual.widgets import Static
    from textual_plotext import PlotextPlot

    folder, ids = report_folder
    app = make_app(folder, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        screen, context = await host(pilot, ids["acme"], PreviewTab)
        tab = screen.tab
        assert not tab.query(PlotextPlot)  # nothing until the screen hands a report down
        await tab.show(context.preview)
        await settle(pilot)
        figures = context.preview.report.figures
        assert len(tab.query(PlotextPlot)) == len(figures["tables"]) + 1
        shown = " ".join(str(w.render()) for w in tab.query(Static))
        assert "Zo ziet de werkgever het verslag" in shown
        assert "Nog geen verslag geschreven." in shown


async def test_the_texts_tab_alone_saves_to_the_vault_and_tells_its_screen(report_folder):
    from textual.widgets import Button, TextArea

    from vp_desk.services import reporting

    folder, ids = report_folder
    app = make_app(folder, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        screen, context = await host(pilot, ids["acme"], TextsTab)
        tab = screen.tab
        tab.fill(context.preview.texts)
        assert not tab.unsaved()
        tab.query_one("#signals", TextArea).focus()
        await pilot.press(*"Mail fictief@example.org")
        await pilot.pause()
        assert tab.unsaved() and tab.current() == ("Mail fictief@example.org", "")
        found = str(tab.query_one("#signals-pii").render())
        assert "e-mailadres (regel 1)" in found and "example.org" not in found
        tab.query_one("#texts-save", Button).press()
        await wait_for(pilot, lambda: any(isinstance(m, TextsTab.Stored) for m in screen.heard))
        stored = reporting.get_texts(app.desk, ids["acme"], YEAR)
        assert stored.signals == "Mail fictief@example.org" and not stored.confirmed
        assert not tab.unsaved()
        assert not tab.query_one("#texts-confirm", Button).disabled
        tab.query_one("#texts-confirm", Button).press()
        await wait_for(pilot, lambda: len(screen.heard) == 2)
        last = screen.heard[-1]
        assert isinstance(last, TextsTab.Stored) and last.confirmed
        assert reporting.get_texts(app.desk, ids["acme"], YEAR).confirmed


async def test_the_texts_tab_says_a_refused_save_and_a_failing_one(report_folder):
    """Too long: the tab's own sentence; a database error: the app's one notice."""
    from textual.widgets import Button, TextArea

    from vp_desk.services import reporting

    folder, ids = report_folder
    app = make_app(folder, "en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen, context = await host(pilot, ids["acme"], TextsTab)
        tab = screen.tab
        tab.fill(context.preview.texts)
        tab.query_one("#signals", TextArea).load_text(
            ("x" * 79 + "\n") * (reporting.MAX_TEXT // 80 + 1)
        )
        before = len(notifications(app))
        tab.query_one("#texts-save", Button).press()
        await wait_for(pilot, lambda: len(notifications(app)) > before)
        said = notifications(app)[-1]
        assert said.message.startswith("That did not work: Invalid input (signals")
        assert said.severity == "error"
        assert screen.heard == []  # nothing stored, nothing to reload

        tab.query_one("#signals", TextArea).load_text("Signal")
        app.desk.index.execute("PRAGMA query_only = ON")
        app.desk.conn(ids["acme"]).execute("PRAGMA query_only = ON")
        before = len(notifications(app))
        tab.query_one("#texts-save", Button).press()
        message = await failure_notice(pilot, before, "en", DB)
        assert "Signal" not in message
        assert screen.heard == [] and tab.unsaved()
        app.desk.index.execute("PRAGMA query_only = OFF")
        app.desk.conn(ids["acme"]).execute("PRAGMA query_only = OFF")
        assert reporting.get_texts(app.desk, ids["acme"], YEAR).signals == ""


async def test_the_export_tab_alone_asks_its_screen_then_writes_the_report(report_folder, tmp_path):
    from textual.widgets import Button, Input, Select, Static

    from vp_desk.reports import ledger

    folder, ids = report_folder
    app = make_app(folder, "en")
    async with app.run_test(size=(120, 36)) as pilot:
        screen, context = await host(pilot, ids["acme"], ExportTab)
        tab = screen.tab
        tab.first_load(context.preview.report.lang)
        path = tab.query_one("#export-path", Input)
        assert Path(path.value).name == "jaarverslag-acme-bv-2025.pdf"
        assert tab.query_one("#export-lang", Select).value == "nl"
        tab.query_one("#export-format", Select).value = "md"
        await pilot.pause()
        assert path.value.endswith("2025.md")
        out = tmp_path / "report.md"
        path.value = str(out)
        tab.query_one("#export-go", Button).press()
        await wait_for(pilot, lambda: any(isinstance(m, ExportTab.Written) for m in screen.heard))
        assert isinstance(screen.heard[0], ExportTab.Requested)  # the screen decides first
        assert "Written to" in tab.message
        assert "Written to" in str(tab.query_one("#export-result", Static).render())
        assert "minder dan 5" in out.read_text(encoding="utf-8")
        assert [e.fmt for e in ledger.entries(app.desk.index, ids["acme"], YEAR)] == ["md"]
        tab.clear_path()
        tab.start()  # no file name: said in place, nothing written
        assert tab.message == "Give a file name."


async def test_ctrl_e_in_the_texts_area_saves_the_texts_and_exports_them(report_folder, tmp_path):
    from textual.widgets import Input, Select, TextArea

    from vp_desk.services import reporting

    folder, ids = report_folder
    app = make_app(folder, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot, ids["acme"])
        screen.query_one("#report-tabs").active = "tab-texts"
        await pilot.pause()
        screen.query_one("#export-format", Select).value = "md"
        await pilot.pause()
        out = tmp_path / "verslag.md"
        screen.query_one("#export-path", Input).value = str(out)
        area = screen.query_one("#signals", TextArea)
        area.focus()
        await pilot.press(*"Werkdruk in de zomer")
        assert screen.unsaved()
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: "Geschreven naar" in screen.export_message)
        await settle(pilot)
        assert area.text == "Werkdruk in de zomer" and app.focused is area
        assert "Werkdruk in de zomer" in out.read_text(encoding="utf-8")
        assert reporting.get_texts(app.desk, ids["acme"], YEAR).signals == "Werkdruk in de zomer"
        assert not screen.unsaved()


async def test_texts_typed_before_ctrl_l_come_back_as_a_draft_of_their_year(report_folder):
    from textual.widgets import Input, TextArea

    from vp_desk.services import reporting
    from vp_desk.tui.dialogs.restore_drafts import RestoreDraftsDialog
    from vp_desk.tui.screens.report import ReportScreen

    folder, ids = report_folder
    app = make_app(folder, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot, ids["acme"])
        await pilot.press("minus")  # the year before: the draft must keep its year
        await wait_for(pilot, lambda: screen.preview.report.year == YEAR - 1)
        await settle(pilot)
        screen.query_one("#report-tabs").active = "tab-texts"
        await pilot.pause()
        screen.query_one("#signals", TextArea).focus()
        await pilot.press(*"Signaal")
        screen.query_one("#recommendations", TextArea).focus()
        await pilot.press(*"Advies")
        await pilot.press("ctrl+l")  # from inside the text area
        await wait_for(pilot, lambda: app.desk is None)
        await pilot.pause()
        await unlock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog))
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.preview is not None
        )
        await settle(pilot)
        restored = app.screen
        assert restored is not screen and restored.year == YEAR - 1
        assert restored.query_one("#report-year", Input).value == str(YEAR - 1)
        assert restored.texts_tab.current() == ("Signaal", "Advies")
        assert restored.unsaved()  # a draft, not yet saved
        assert reporting.get_texts(app.desk, ids["acme"], YEAR - 1).signals == ""
        assert restored.export_tab.query_one("#export-path", Input).value.endswith("2024.pdf")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not restored.unsaved())
        texts = reporting.get_texts(app.desk, ids["acme"], YEAR - 1)
        assert (texts.signals, texts.recommendations) == ("Signaal", "Advies")
        assert reporting.get_texts(app.desk, ids["acme"], YEAR).signals == ""
