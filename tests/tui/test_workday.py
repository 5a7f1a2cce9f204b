"""Issue 13 ("A desk for the whole working day"), the TUI parts: drafts of every
form over a lock, no stray shortcuts while typing, exports that never replace a
file unasked, whole contact notes on the case view, and the small things.
Every assertion is on what the Desk stored, what was written, or what is shown."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Input, TextArea

from tests.conftest import PASSPHRASE
from tests.tui.cases_support import (
    TODAY,
    add_case,
    add_contact,
    choose,
    run_screen,
    screen_text,
    settle,
)
from tests.tui.conftest import SIZE, make_app, unlock, wait_for
from vp_desk.domain.models import OrganisationInput
from vp_desk.tui.screens.case_view import CaseViewScreen
from vp_desk.tui.screens.cases import CaseListScreen
from vp_desk.tui.screens.consultation_form import ConsultationFormScreen

pytestmark = pytest.mark.asyncio


async def type_text(pilot, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()


async def wait_locked(pilot) -> None:
    await wait_for(pilot, lambda: pilot.app.is_locked)


async def unlock_to_offer(pilot) -> None:
    """Unlock with the passphrase and wait for the drafts offered back (bounded)."""
    from vp_desk.tui.dialogs.restore_drafts import RestoreDraftsDialog

    app = pilot.app
    await wait_for(pilot, lambda: app.screen.query("#passphrase"))
    app.screen.query_one("#passphrase", Input).value = PASSPHRASE
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog), timeout=10)


# -- item 1: every form with typed text comes back after a lock ----------------------------


@pytest.mark.parametrize("how", ["ctrl+l", "auto-lock"])
async def test_a_half_typed_contact_moment_comes_back_after_a_lock(desk, org, how):
    case = add_case(desk, org.id, date(2026, 1, 5))
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        app = pilot.app
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ConsultationFormScreen)
        await type_text(pilot, "#minutes", "35")
        await type_text(pilot, "#notes", "Gesprek over het rooster")
        if how == "ctrl+l":
            await pilot.press("ctrl+l")
        else:
            app.auto_lock_seconds = 0.1
        await wait_locked(pilot)
        assert not any(isinstance(s, ConsultationFormScreen) for s in app.screen_stack)
        app.auto_lock_seconds = 300
        await unlock_to_offer(pilot)
        offer = screen_text(app)
        assert "Contactmoment" in offer and "2026-001" in offer
        assert "rooster" not in offer  # the offer names the case, never the note
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ConsultationFormScreen) and form.case_id == case.id
        assert form.query_one("#notes", TextArea).text == "Gesprek over het rooster"
        assert form.query_one("#minutes", Input).value == "35"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseViewScreen) and app.screen.case_id == case.id
        assert app.desk.drafts() == {}
    [stored] = desk.get_case(org.id, case.id).consultations
    assert (stored.notes, stored.minutes, stored.date) == ("Gesprek over het rooster", 35, TODAY)


async def test_editing_a_contact_moment_comes_back_after_a_lock(desk, org):
    case = add_case(desk, org.id, date(2026, 1, 5))
    contact = add_contact(desk, org.id, case.id, date(2026, 2, 1), 20, "Eerste")
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        app = pilot.app
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConsultationFormScreen)
        notes = app.screen.query_one("#notes", TextArea)
        notes.focus()
        await pilot.press("end", *" en tweede")
        await pilot.press("ctrl+l")
        await wait_locked(pilot)
        await unlock_to_offer(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#notes", TextArea).text == "Eerste en tweede"
        await pilot.press("ctrl+s")
        await settle(pilot)
    [stored] = desk.get_case(org.id, case.id).consultations
    assert stored.id == contact.id and stored.notes == "Eerste en tweede"


async def test_a_half_filled_closing_dialog_comes_back_after_a_lock(desk, org):
    from vp_desk.tui.dialogs.case_dialogs import CloseCaseScreen

    case = add_case(desk, org.id, date(2026, 1, 5))
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        app = pilot.app
        await pilot.press("x")
        await settle(pilot)
        await pilot.press(*"2026-03-01")
        await choose(pilot, "#outcome", "talk_with_manager")
        await pilot.press("ctrl+l")
        await wait_locked(pilot)
        await unlock_to_offer(pilot)
        assert "Casus sluiten" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CloseCaseScreen)
        assert app.screen.query_one("#closed", Input).value == "2026-03-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseViewScreen)
    stored = desk.get_case(org.id, case.id)
    assert (stored.closed, stored.outcome) == (date(2026, 3, 1), "talk_with_manager")


@pytest.mark.parametrize("how", ["ctrl+l", "auto-lock"])
async def test_a_typed_export_file_name_comes_back_after_a_lock(desk, org, tmp_path, how):
    """The dossier export dialog's typed file name and format come back after
    unlock (old main lost them); the draft is kept only in the encrypted index
    vault: the name is in no file on disk while locked."""
    from textual.widgets import RadioButton

    from vp_desk.tui.dialogs.export import ExportDialog

    case = add_case(desk, org.id, date(2026, 1, 5), notes="Inzage gevraagd")
    target = tmp_path / "out" / "inzage-voor-de-melder-7319.pdf"
    target.parent.mkdir()
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        app = pilot.app
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        await settle(pilot)
        app.screen.query_one("#fmt-pdf", RadioButton).value = True
        await pilot.pause()
        field = app.screen.query_one("#export-path", Input)
        field.focus()
        field.value = ""
        await pilot.press(*str(target))
        if how == "ctrl+l":
            await pilot.press("ctrl+l")
        else:
            app.auto_lock_seconds = 0.1
        await wait_locked(pilot)
        assert not any(isinstance(s, ExportDialog) for s in app.screen_stack)
        app.auto_lock_seconds = 300
        # Kept encrypted: the typed name is in no file (the vaults are SQLCipher).
        for file in tmp_path.rglob("*"):
            if file.is_file():
                assert target.name.encode() not in file.read_bytes(), file
        await unlock_to_offer(pilot)
        offer = screen_text(app)
        assert "Dossier exporteren" in offer and case.code in offer
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#export-path", Input).value == str(target)
        assert dialog.fmt() == "pdf"
        assert app.desk.drafts() == {}
        dialog.query_one("#export-go").press()  # pressed: a notice may lie over it
        await wait_for(pilot, lambda: isinstance(app.screen, CaseViewScreen), timeout=60)
        assert app.screen.case_id == case.id
    assert target.read_bytes().startswith(b"%PDF")


async def test_a_half_typed_legal_hold_reason_comes_back_after_a_lock(sample_dir):
    from vp_desk.tui.screens.retention import HoldDialog, RetentionScreen

    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlocked_sample(pilot)
        app.push_screen(RetentionScreen(today=app.fixed_today))
        await wait_for(pilot, lambda: app.screen.items)
        await settle(pilot)
        item = app.screen.selected()
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HoldDialog))
        await pilot.press(*"Lopende procedure bij de rechter")
        await pilot.press("ctrl+l")
        await wait_locked(pilot)
        await unlock_to_offer(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HoldDialog))
        field = app.screen.query_one("#hold-reason", Input)
        assert field.value == "Lopende procedure bij de rechter"
        field.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RetentionScreen))
        case = app.desk.get_case(item.org_id, item.case_id)
        assert case.legal_hold and case.hold_reason == "Lopende procedure bij de rechter"


# -- item 3: letters typed in a text field are text; every focus stop can be seen ----------


def every_screen(app, ids: dict[str, int]):
    """(name, make the screen, tab to show) for every screen and dialog of the desk."""
    from vp_desk.tui.dialogs.backup import BackupDialog
    from vp_desk.tui.dialogs.case_dialogs import CloseCaseScreen
    from vp_desk.tui.dialogs.confirm import ConfirmDialog
    from vp_desk.tui.dialogs.export import ExportDialog
    from vp_desk.tui.screens.activities import ActivityFormScreen, ActivityScreen
    from vp_desk.tui.screens.audit import AuditScreen
    from vp_desk.tui.screens.case_form import CaseFormScreen
    from vp_desk.tui.screens.help import HelpScreen
    from vp_desk.tui.screens.import_screen import ImportScreen
    from vp_desk.tui.screens.organisations import OrgFormScreen, OrgSwitcher
    from vp_desk.tui.screens.report import PortfolioScreen, ReportScreen
    from vp_desk.tui.screens.retention import HoldDialog, RetentionScreen
    from vp_desk.tui.screens.settings import SettingsScreen

    org = ids["Stichting Voorbeeld"]
    day = app.fixed_today
    return [
        ("dashboard", None, None),
        ("cases", lambda: CaseListScreen(org, today=day), None),
        ("case view", lambda: CaseViewScreen(org, 1, today=day), None),
        ("case form", lambda: CaseFormScreen(org, 1, today=day), None),
        ("new case", lambda: CaseFormScreen(org, today=day), None),
        ("contact", lambda: ConsultationFormScreen(org, 1, today=day), None),
        ("close case", lambda: CloseCaseScreen(org, 2, "2026-002", "nl", day), None),
        ("export", lambda: ExportDialog(org, 1, "2026-001", "nl"), None),
        ("activities", lambda: ActivityScreen(org, today=day), None),
        ("activity", lambda: ActivityFormScreen(org, today=day), None),
        ("report preview", lambda: ReportScreen(org, 2026, today=day), "tab-preview"),
        ("report texts", lambda: ReportScreen(org, 2026, today=day), "tab-texts"),
        ("report export", lambda: ReportScreen(org, 2026, today=day), "tab-export"),
        ("portfolio", lambda: PortfolioScreen(today=day), None),
        ("settings", SettingsScreen, None),
        ("retention", lambda: RetentionScreen(today=day), None),
        ("hold", lambda: HoldDialog("2024-001", "nl"), None),
        ("audit", AuditScreen, None),
        ("import", lambda: ImportScreen(org), None),
        ("backup", lambda: BackupDialog("nl", Path("/nonexistent/backup.vpbak")), None),
        ("new org", OrgFormScreen, None),
        ("edit org", lambda: OrgFormScreen(org), None),
        ("switch org", OrgSwitcher, None),
        ("help", HelpScreen, None),
        ("confirm", lambda: ConfirmDialog("Zeker?"), None),
    ]


@asynccontextmanager
async def each_screen(pilot, ids):
    """Yield an async iterator over (name, screen), each shown on its own over the dashboard."""

    async def walk():
        app = pilot.app
        for name, make, tab in every_screen(app, ids):
            if make is not None:
                app.push_screen(make())
            await settle(pilot)
            if tab is not None:
                app.screen.query_one("#report-tabs").active = tab
                await settle(pilot)
            yield name, app.screen
            while len(app.screen_stack) > 1:
                app.pop_screen()
            await settle(pilot)

    yield walk()


async def unlocked_sample(pilot) -> dict[str, int]:
    await unlock(pilot)
    app = pilot.app
    while len(app.screen_stack) > 1:  # reminders offered after unlock
        app.pop_screen()
    await settle(pilot)
    return {o.name: o.id for o in app.desk.organisations()}


async def test_every_screen_sn_typed_is_text_and_every_focus_stop_is_visible(sample_dir):
    """One walk over every screen and dialog at 80x24 (one unlock, to stay fast):
    typing ``sn`` into each text field triggers no action, and each focus stop is
    on screen, wide enough to use, and looks different when it has the focus."""
    app = make_app(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        ids = await unlocked_sample(pilot)
        fields_seen = 0
        async with each_screen(pilot, ids) as screens:
            async for name, screen in screens:
                for widget in list(screen.focus_chain):
                    what = f"{name}: {type(widget).__name__}#{widget.id}"
                    widget.focus()
                    await step(pilot)
                    try:  # focusing scrolls the widget into view, a refresh later
                        await wait_for(pilot, lambda w=widget: _visible(screen, w).area, 3)
                    except AssertionError:
                        raise AssertionError(f"{what} is off screen") from None
                    region = _visible(screen, widget)
                    if isinstance(widget, Input):  # a date (10) or a search fits
                        assert region.width >= 10, f"{what} is {region.width} wide"
                    focused = _pixels(screen, region)
                    screen.set_focus(None)
                    await step(pilot)
                    shows_focus = _pixels(screen, region) != focused
                    assert shows_focus, f"{what} shows no focus"
                stack = list(app.screen_stack)
                for field in [w for w in screen.focus_chain if isinstance(w, (Input, TextArea))]:
                    field.focus()
                    await step(pilot)
                    await pilot.press("s", "n")
                    await step(pilot)
                    assert app.screen_stack == stack, f"{name}: {field.id} opened something"
                    assert app.focused is field, f"{name}: {field.id} lost the focus"
                    fields_seen += 1
        assert fields_seen >= 30  # the walk really reached the forms


async def step(pilot) -> None:
    """Let the app handle what is queued (no wait for an idle CPU: the walks are long)."""
    await pilot.pause(0)
    await pilot.pause(0)


def _visible(screen, widget) -> Region:
    """The part of ``widget`` the terminal shows (clipped by its scrolling parents)."""
    shown = screen._compositor.visible_widgets.get(widget)
    return shown[0].intersection(shown[1]) if shown else Region()


def _pixels(screen, region) -> list:
    """What the terminal shows in ``region`` of ``screen`` (only those lines are drawn)."""
    chops = screen._compositor._render_chops(region, lambda y: region.y <= y < region.bottom)
    return [
        [(s.text, s.style) for strip in chops[y].values() if strip is not None for s in strip]
        for y in range(region.y, region.bottom)
    ]


async def open_report_texts(pilot):
    from vp_desk.tui.screens.report import ReportScreen

    app = pilot.app
    ids = await unlocked_sample(pilot)
    app.current_org_id = ids["Stichting Voorbeeld"]
    await pilot.press("r")
    await wait_for(
        pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.preview is not None
    )
    await settle(pilot)
    screen = app.screen
    screen.query_one("#report-tabs").active = "tab-texts"
    await settle(pilot)
    return screen


async def test_report_texts_one_tab_from_the_tab_bar_lands_in_the_text(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_report_texts(pilot)
        screen.query_one("#report-tabs Tabs").focus()
        await pilot.pause()
        await pilot.press("s", "n", "p", "c")  # on the tab bar: neither text nor commands
        await pilot.pause()
        assert app.screen is screen and len(app.screen_stack) == 2
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is screen.query_one("#signals", TextArea)
        await pilot.press(*"Signalen over werkdruk")
        await pilot.press("tab")  # the text area keeps tab as focus key
        await pilot.pause()
        await pilot.press(*"Stel een sociaal plan op")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not screen.unsaved())
        assert app.screen is screen and len(app.screen_stack) == 2
        from vp_desk.services import reporting

        texts = reporting.get_texts(app.desk, screen.org_id, screen.year)
        assert texts.signals == "Signalen over werkdruk"


async def test_ctrl_e_exports_while_a_text_field_has_the_focus(sample_dir, tmp_path):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_report_texts(pilot)
        out = tmp_path / "verslag.md"
        screen.query_one("#export-format").value = "md"
        screen.query_one("#export-path", Input).value = str(out)
        area = screen.query_one("#recommendations", TextArea)
        area.focus()
        await pilot.press(*"Meer voorlichting")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: out.exists())
        await settle(pilot)
        assert area.text == "Meer voorlichting"  # ctrl+e did not move into the text
        assert "Meer voorlichting" in out.read_text(encoding="utf-8")


# -- item 2: dossier exports carry the organisation and never replace a file unasked -------


async def export_from_case_view(pilot, org_id: int, case_id: int):
    from vp_desk.tui.dialogs.export import ExportDialog

    app = pilot.app
    app.push_screen(CaseViewScreen(org_id, case_id, today=app.fixed_today))
    await settle(pilot)
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
    return app.screen


async def test_dossier_names_differ_per_organisation_and_a_refused_export_keeps_the_file(
    sample_dir, tmp_path, monkeypatch
):
    from vp_desk.tui.dialogs.confirm import ConfirmDialog
    from vp_desk.tui.dialogs.export import ExportDialog

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    monkeypatch.chdir(out_dir)
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        ids = await unlocked_sample(pilot)
        voorbeeld, korst = ids["Stichting Voorbeeld"], ids["Bakkerij De Korst"]
        first = {
            org: next(c for c in app.desk.list_cases(org) if c.code == "2026-001").id
            for org in (voorbeeld, korst)
        }
        names = []
        for org in (voorbeeld, korst):
            dialog = await export_from_case_view(pilot, org, first[org])
            names.append(dialog.query_one("#export-path", Input).value)
            app.pop_screen()
            app.pop_screen()
            await settle(pilot)
        assert names == [
            str(out_dir / "dossier-stichting-voorbeeld-2026-001.md"),
            str(out_dir / "dossier-bakkerij-de-korst-2026-001.md"),
        ]
        # Another organisation's file under the name typed in: asked, refused, untouched.
        existing = out_dir / "inzage.md"
        existing.write_bytes(b"dossier van een andere organisatie\n")
        dialog = await export_from_case_view(pilot, voorbeeld, first[voorbeeld])
        dialog.query_one("#export-path", Input).value = str(existing)
        await pilot.click("#export-go")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "bestaat al" in screen_text(app)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is dialog)
        await settle(pilot)
        assert existing.read_bytes() == b"dossier van een andere organisatie\n"
        assert "niet aangeraakt" in screen_text(app)
        # Asked again and replaced on an explicit yes.
        await pilot.click("#export-go")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: not isinstance(app.screen, (ExportDialog, ConfirmDialog)))
        assert existing.read_text(encoding="utf-8").startswith("# Dossier 2026-001")
        assert sorted(p.name for p in out_dir.iterdir()) == ["inzage.md"]


async def test_safe_file_part_of_hostile_and_accented_names():
    from vp_desk.tui.dialogs.export import default_name, safe_file_part

    assert safe_file_part('Stichting Café "De Hoek"') == "stichting-cafe-de-hoek"
    assert safe_file_part("../../etc/passwd") == "etc-passwd"
    assert safe_file_part("\x1b[2J\u202e") == "2j"
    assert safe_file_part("日本") == "organisatie"
    assert default_name("A/B BV", "2026-001", "pdf") == "dossier-a-b-bv-2026-001.pdf"


# -- item 5: every contact note in full on the case view ----------------------------------


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_the_case_view_shows_every_contact_note_in_full(desk, org, size):
    case = add_case(desk, org.id, date(2026, 1, 5), notes="Casusnotitie.")
    long_note = " ".join(f"woord{i}" for i in range(90)) + " EINDE-VAN-DE-NOTITIE"
    add_contact(desk, org.id, case.id, date(2026, 1, 6), 30, "Kort: eerste gesprek.")
    add_contact(desk, org.id, case.id, date(2026, 2, 6), 45, long_note)
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY), size=size
    ) as pilot:
        app = pilot.app
        body = app.screen.query_one("#case-view-body")
        assert body.scroll_y == 0  # opens at the top: the case's own fields first
        body.scroll_end(animate=False, immediate=True)
        await settle(pilot)
        shown = " ".join(screen_text(app).split())
        assert "Kort: eerste gesprek." in shown
        assert long_note in shown  # wrapped over lines, every word of it


# -- item 8: the small things, through the screens -----------------------------------------


async def test_closing_before_a_contact_moment_is_refused_in_the_dialog(desk, org):
    from vp_desk.tui.dialogs.case_dialogs import CloseCaseScreen

    case = add_case(desk, org.id, date(2026, 1, 5))
    add_contact(desk, org.id, case.id, date(2026, 2, 10), 30, "")
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        app = pilot.app
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, CloseCaseScreen)
        await pilot.press(*"2026-02-01")  # the prefilled date is replaced, not appended
        assert app.screen.query_one("#closed", Input).value == "2026-02-01"
        await choose(pilot, "#outcome", "resolved_self")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CloseCaseScreen)
        error = app.screen.query_one("#err-closed")
        assert str(error.render()) == "De sluitdatum ligt voor een contactmoment van deze casus."
        assert error.region.area > 0  # shown under the field
    assert desk.get_case(org.id, case.id).status == "open"


async def test_reopening_in_the_case_view_clears_the_outcome(desk, org):
    case = add_case(
        desk, org.id, date(2026, 1, 5), closed=date(2026, 2, 1), outcome="formal_complaint"
    )
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "Formele klacht" not in screen_text(pilot.app)
    stored = desk.get_case(org.id, case.id)
    assert (stored.status, stored.outcome) == ("open", None)


async def test_typing_into_the_prefilled_date_replaces_it(desk, org):
    case = add_case(desk, org.id, date(2026, 1, 5))
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"2026-03-02")
        await type_text(pilot, "#minutes", "25")
        await pilot.press("ctrl+s")
        await settle(pilot)
    [stored] = desk.get_case(org.id, case.id).consultations
    assert (stored.date, stored.minutes) == (date(2026, 3, 2), 25)


async def test_the_new_case_form_takes_the_first_conversation(desk, org):
    from tests.tui.cases_support import tick

    async with run_screen(desk, org.id, lambda: CaseListScreen(org.id, today=TODAY)) as pilot:
        app = pilot.app
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"2026-03-02")  # replaces the prefilled opening date
        await tick(pilot, "#behaviours", "bullying")
        await type_text(pilot, "#first_minutes", "50")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseViewScreen)
    [summary] = desk.list_cases(org.id)
    case = desk.get_case(org.id, summary.id)
    assert case.opened == date(2026, 3, 2)
    assert [(c.date, c.minutes) for c in case.consultations] == [(date(2026, 3, 2), 50)]


async def test_an_empty_employee_count_is_refused_in_the_form(sample_dir):
    from vp_desk.tui.screens.organisations import OrgFormScreen

    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlocked_sample(pilot)
        before = len(app.desk.organisations())
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, OrgFormScreen))
        app.screen.query_one("#org-name", Input).value = "Nieuwe Stichting"
        app.screen.query_one("#org-employees", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrgFormScreen)
        assert "Verplicht veld." in screen_text(app)
        assert len(app.desk.organisations()) == before


async def test_the_current_organisation_is_remembered_after_a_restart(sample_dir):
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        ids = await unlocked_sample(pilot)
        korst = ids["Bakkerij De Korst"]
        app.choose_organisation(korst)
        await pilot.press("ctrl+q")
    app = make_app(sample_dir)
    async with app.run_test(size=SIZE) as pilot:
        await unlocked_sample(pilot)
        assert app.current_org_id == korst
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseListScreen))
        assert app.screen.org_id == korst


# -- item 9: narrow terminals and long names ----------------------------------------------


async def test_a_long_organisation_name_keeps_the_last_column_on_the_overview(desk):
    desk.add_organisation(
        OrganisationInput(
            "Stichting voor Samenwerkende Zorginstellingen en Welzijnsorganisaties "
            "in de Regio Noord-Oost Nederland",
            employees=900,
        )
    )
    path = desk.vault.folder.path
    desk.close()
    app = make_app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await unlocked_sample(pilot)
        table = app.screen.query_one("#dash-table")
        assert table.virtual_size.width <= table.size.width  # nothing to scroll sideways
        assert "Uren (maand)" in screen_text(app)  # the last column
