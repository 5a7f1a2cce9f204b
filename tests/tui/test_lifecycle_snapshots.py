"""Snapshots of the lifecycle screens at 120x36 with synthetic data and fixed
dates and times: retention review (Dutch and English), audit trail, import
dry-run report, dossier export warning."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import App

import vp_desk.tui
from tests.conftest import PASSPHRASE
from tests.tui.conftest import make_app, settle, unlock, wait_for
from tests.tui.test_lifecycle import BAD_CSV, build_folder

SIZE = (120, 36)


class _FrozenDatetime(datetime):
    """Audit rows written while building the data all carry this time."""

    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 3, 16, 9, 30, tzinfo=UTC).astimezone(tz)


@pytest.fixture
def frozen(monkeypatch):
    from vp_desk.vault import audit

    monkeypatch.setattr(audit, "datetime", _FrozenDatetime)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _folder(tmp_path: Path) -> Path:
    build_folder(tmp_path / "data")
    return tmp_path / "data"


async def _steady(pilot) -> None:
    await settle(pilot)
    for widget in pilot.app.screen.query("Input"):
        widget.cursor_blink = False
    await pilot.pause()


def _retention(lang: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        await unlock(pilot)
        app.action_retention()
        await wait_for(
            pilot,
            lambda: type(app.screen).__name__ == "RetentionScreen" and app.screen.items is not None,
        )
        # One case on hold, to show how a hold looks.
        from vp_desk.services import retention

        item = app.screen.items[-1]
        retention.set_legal_hold(app.desk, item.org_id, item.case_id, "Klachtprocedure loopt")
        app.screen.reload()
        await wait_for(pilot, lambda: any(i.legal_hold for i in app.screen.items))
        await _steady(pilot)

    return run_before


def test_retention_review_en(snap_compare, tmp_path, frozen):
    assert snap_compare(
        make_app(_folder(tmp_path), "en"), terminal_size=SIZE, run_before=_retention("en")
    )


def test_retention_review_nl(snap_compare, tmp_path, frozen):
    assert snap_compare(
        make_app(_folder(tmp_path), "nl"), terminal_size=SIZE, run_before=_retention("nl")
    )


def test_audit_trail_en(snap_compare, tmp_path, frozen):
    async def run_before(pilot) -> None:
        app = pilot.app
        await unlock(pilot)
        app.action_audit()
        await wait_for(
            pilot,
            lambda: type(app.screen).__name__ == "AuditScreen" and app.screen.trails is not None,
        )
        await pilot.press("down", "down")
        await _steady(pilot)

    assert snap_compare(
        make_app(_folder(tmp_path), "en"), terminal_size=SIZE, run_before=run_before
    )


def test_import_dry_run_nl(snap_compare, tmp_path, frozen, monkeypatch):
    (tmp_path / "meldingen.csv").write_text(BAD_CSV, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    async def run_before(pilot) -> None:
        app = pilot.app
        await unlock(pilot)
        app.current_org_id = 2
        app.action_import_cases()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ImportScreen")
        await settle(pilot)
        app.screen.query_one("#import-path").value = "meldingen.csv"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.plan is not None)
        await _steady(pilot)

    assert snap_compare(
        make_app(_folder(tmp_path), "nl"), terminal_size=SIZE, run_before=run_before
    )


class _Host(App):
    """A bare host for the export dialog, so the snapshot shows only the dialog
    (in the app it opens over the case view, which has its own snapshots)."""

    CSS_PATH = str(Path(vp_desk.tui.__file__).parent / "app.tcss")

    def __init__(self, desk, lang: str) -> None:
        super().__init__()
        self.desk = desk
        self.lang = lang


def test_dossier_export_warning_en(snap_compare, tmp_path, frozen):
    from vp_desk.services.desk import Desk

    desk = Desk.open(_folder(tmp_path), PASSPHRASE)

    async def run_before(pilot) -> None:
        from vp_desk.tui.dialogs.export import export_dossier

        app = pilot.app
        export_dossier(app, 1, 1, folder=Path("/home/vp/Documents"))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ExportDialog")
        await _steady(pilot)

    try:
        assert snap_compare(_Host(desk, "en"), terminal_size=SIZE, run_before=run_before)
    finally:
        desk.close()


def test_retention_review_nl_80x24(snap_compare, tmp_path, frozen):
    """Issue 13: at 80x24 the review fits without sideways scrolling; dates whole."""
    assert snap_compare(
        make_app(_folder(tmp_path), "nl"), terminal_size=(80, 24), run_before=_retention("nl")
    )


@pytest.mark.asyncio
@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_retention_table_fits_80_columns(tmp_path, frozen, lang):
    from textual.widgets import DataTable

    app = make_app(_folder(tmp_path), lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await _retention(lang)(pilot)
        table = app.screen.query_one("#retention-table", DataTable)
        assert table.max_scroll_x == 0
        assert table.virtual_size.width <= table.scrollable_content_region.width
        # Every date is whole: closed and retention-ended of the first row.
        item = app.screen.items[0]
        row = [str(cell) for cell in table.get_row_at(0)]
        assert item.closed.isoformat() in row and item.due_on.isoformat() in row
        # The hold reason is cut to its column, not pushed off the screen.
        held = next(i for i, it in enumerate(app.screen.items) if it.legal_hold)
        state = table.get_row_at(held)[-1]
        assert state.cell_len <= dict(app.screen._columns)["state"]
