"""Lifecycle screens driven with real keys in the real app: retention review
(hold, lift, destroy), audit view, import with its dry run first, dossier
export after a warning. Every assertion is on what was stored or written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Button, Input

from tests.conftest import PASSPHRASE
from tests.portable import assert_mode
from tests.tui.cases_support import screen_text
from tests.tui.conftest import TODAY, make_app, settle, unlock, wait_for
from vp_desk.domain.models import CaseInput, ConsultationInput, OrganisationInput
from vp_desk.services.desk import Desk
from vp_desk.vault import audit

pytestmark = pytest.mark.asyncio
SIZE = (120, 36)
SECRET = "Gesprek over pesten in team B."
CONTACT = "Tweede gesprek: opties besproken."
HOSTILE_ORG = "[b]Vet[/b] \x1b[2JBV"


def build_folder(path: Path, *, hostile: bool = False) -> dict:
    """Two (or three) organisations with cases around their retention dates."""
    ids: dict = {}
    with Desk.create(path, PASSPHRASE) as desk:
        voorbeeld = desk.add_organisation(
            OrganisationInput("Stichting Voorbeeld", 120, retention_months=12)
        )
        korst = desk.add_organisation(
            OrganisationInput("Bakkerij De Korst", 14, 3, retention_months=6)
        )

        def case(org, opened, closed=None, notes="", behaviours=("bullying",), **kw):
            return desk.create_case(
                org.id,
                CaseInput(
                    opened=opened,
                    closed=closed,
                    outcome="resolved_self" if closed else None,
                    behaviours=list(behaviours),
                    notes=notes,
                    channel="phone",
                    contact_role="affected",
                    relation="colleague",
                    help=["advice"],
                    **kw,
                ),
            )

        first = case(
            voorbeeld, date(2024, 2, 5), date(2024, 4, 10), SECRET, ("bullying", "intimidation")
        )
        desk.add_consultation(
            voorbeeld.id, first.id, ConsultationInput(date(2024, 2, 6), 45, "phone", CONTACT)
        )
        second = case(
            voorbeeld,
            date(2024, 6, 3),
            date(2024, 9, 1),
            "Conflict over rooster.",
            ("work_conflict",),
        )
        case(voorbeeld, date(2025, 5, 1), date(2025, 6, 1), "Nog niet verlopen.")
        open_case = case(voorbeeld, date(2026, 1, 12), None, "Loopt nog.", ("discrimination",))
        korst_case = case(
            korst, date(2025, 1, 8), date(2025, 2, 1), "Klant werd boos.", ("aggression_violence",)
        )
        ids.update(
            voorbeeld=voorbeeld.id,
            korst=korst.id,
            first=first.id,
            second=second.id,
            open=open_case.id,
            korst_case=korst_case.id,
            voorbeeld_vault=voorbeeld.vault_id,
        )
        if hostile:
            evil = desk.add_organisation(OrganisationInput(HOSTILE_ORG, 30))
            case(evil, date(2024, 1, 3), date(2024, 2, 1), "x")
            ids["evil"] = evil.id
    return ids


async def shows(pilot, text: str) -> None:
    """Wait until ``text`` is on the terminal (tables lay out after a refresh)."""
    try:
        await wait_for(pilot, lambda: text in screen_text(pilot.app))
    except AssertionError:
        raise AssertionError(f"{text!r} is not shown:\n{screen_text(pilot.app)}") from None


async def open_screen(pilot, action: str, cls_name: str) -> None:
    app = pilot.app
    getattr(app, action)()
    await wait_for(pilot, lambda: type(app.screen).__name__ == cls_name)
    await settle(pilot)


# -- retention ------------------------------------------------------------------------------


async def test_retention_review_hold_lift_and_destroy(tmp_path):
    from vp_desk.tui.screens.retention import HoldDialog, RetentionScreen

    ids = build_folder(tmp_path / "data", hostile=True)
    app = make_app(tmp_path / "data", "nl")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        app.action_retention()
        await wait_for(
            pilot, lambda: isinstance(app.screen, RetentionScreen) and app.screen.items is not None
        )
        screen = app.screen
        await shows(pilot, "Bakkerij De Korst")
        text = screen_text(app)
        assert "2024-001" in text and "2024-002" in text and "Bakkerij De Korst" in text
        assert "[b]Vet[/b] [2JBV" in text  # shown literally, the ESC itself removed
        assert SECRET not in text and "2025-002" not in text and "2026-001" not in text
        assert [i.code for i in screen.items if i.org_id == ids["voorbeeld"]] == [
            "2024-001",
            "2024-002",
        ]
        # Put the first case of Stichting Voorbeeld on hold, with a reason.
        row = next(
            n
            for n, i in enumerate(screen.items)
            if i.case_id == ids["first"] and i.org_id == ids["voorbeeld"]
        )
        screen.query_one("#retention-table").move_cursor(row=row)
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HoldDialog))
        await pilot.press("enter")  # empty reason: refused, dialog stays
        await pilot.pause()
        assert isinstance(app.screen, HoldDialog)
        await pilot.press(*"Klachtprocedure loopt")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RetentionScreen))
        await settle(pilot)
        held = app.desk.get_case(ids["voorbeeld"], ids["first"])
        assert held.legal_hold and held.hold_reason == "Klachtprocedure loopt"
        await shows(pilot, "Bewaarplicht: Klachtprocedure loopt")
        # A held case cannot be destroyed from here.
        row = next(
            n
            for n, i in enumerate(screen.items)
            if i.case_id == ids["first"] and i.org_id == ids["voorbeeld"]
        )
        screen.query_one("#retention-table").move_cursor(row=row)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, RetentionScreen)
        assert app.desk.get_case(ids["voorbeeld"], ids["first"]).destroyed is None
        # Destroy the second case after confirming.
        row = next(
            n
            for n, i in enumerate(screen.items)
            if i.case_id == ids["second"] and i.org_id == ids["voorbeeld"]
        )
        screen.query_one("#retention-table").move_cursor(row=row)
        await pilot.press("d")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await shows(pilot, "2024-002")
        await pilot.press("enter")  # the focus is on "No": Enter alone destroys nothing
        await settle(pilot)
        assert app.desk.get_case(ids["voorbeeld"], ids["second"]).destroyed is None
        await pilot.press("d")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("y")
        await wait_for(
            pilot, lambda: app.desk.get_case(ids["voorbeeld"], ids["second"]).destroyed is not None
        )
        await settle(pilot)
        gone = app.desk.get_case(ids["voorbeeld"], ids["second"])
        assert gone.destroyed == TODAY and gone.notes == ""
        assert "2024-002" not in [i.code for i in screen.items if i.org_id == ids["voorbeeld"]]
        # Lift the hold again.
        row = next(
            n
            for n, i in enumerate(screen.items)
            if i.case_id == ids["first"] and i.org_id == ids["voorbeeld"]
        )
        screen.query_one("#retention-table").move_cursor(row=row)
        await pilot.press("u")
        await settle(pilot)
        assert not app.desk.get_case(ids["voorbeeld"], ids["first"]).legal_hold
        # Destroy everything that is due.
        await pilot.press("D")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, RetentionScreen)
                and not app.screen.busy
                and app.screen.items == []
            ),
        )
        await shows(pilot, "Er zijn geen dossiers over hun bewaartermijn")
    with Desk.open(tmp_path / "data", PASSPHRASE) as desk:
        first = desk.get_case(ids["voorbeeld"], ids["first"])
        assert first.destroyed == TODAY and first.notes == ""
        assert [c.notes for c in first.consultations] == [""]
        assert [c.minutes for c in first.consultations] == [45]
        assert desk.get_case(ids["korst"], ids["korst_case"]).destroyed == TODAY
        assert desk.get_case(ids["voorbeeld"], ids["open"]).notes == "Loopt nog."
        log = (
            desk.conn(ids["voorbeeld"])
            .execute("SELECT code FROM destruction_log ORDER BY id")
            .fetchall()
        )
        assert log == [("2024-002",), ("2024-001",)]
        assert desk.verify() == []


# -- audit ----------------------------------------------------------------------------------


async def test_audit_view_shows_each_trail_and_a_broken_one(tmp_path):

    ids = build_folder(tmp_path / "data")
    app = make_app(tmp_path / "data", "en")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await open_screen(pilot, "action_audit", "AuditScreen")
        await wait_for(pilot, lambda: app.screen.trails is not None)
        screen = app.screen
        assert [t.name for t in screen.trails] == [None, "Bakkerij De Korst", "Stichting Voorbeeld"]
        assert all(not t.problems for t in screen.trails)
        await wait_for(pilot, lambda: screen_text(app).count("✓ Intact") == 3)
        text = screen_text(app)
        assert "Index (organisations, settings)" in text and "Organisation added" in text
        # Rows of Stichting Voorbeeld: cases created, no content.
        await pilot.press("down", "down")
        await shows(pilot, "Rows of: Stichting Voorbeeld")
        text = screen_text(app)
        assert "Rows of: Stichting Voorbeeld" in text and "Case created" in text
        assert "2024-001" in text and SECRET not in text
        # Someone changes a row behind the app's back: F5 shows the break.
        app.desk.vault.org(ids["voorbeeld_vault"]).execute(
            "UPDATE audit SET subject = '2024-009' WHERE seq = 3"
        )
        await pilot.press("f5")
        await wait_for(pilot, lambda: any(t.problems for t in app.screen.trails or []))
        await settle(pilot)
        await shows(pilot, "BROKEN: audit row 3 was changed")
        broken = [t.name for t in app.screen.trails if t.problems]
        assert broken == ["Stichting Voorbeeld"]


# -- import ---------------------------------------------------------------------------------

GOOD_CSV = (
    "geopend;gesloten;gedrag;relatie;hulp;vervolg;contactmomenten;minuten;notities\n"
    "3-2-2026;;pesten;collega;opvang;;2;60;Eerste melding\n"
    "2026-02-10;2026-03-01;intimidatie|pesten;leidinggevende;advice;zelf opgelost;1;45;\n"
)
BAD_CSV = GOOD_CSV + "2026-02-31;;onbekend gedrag;;;;1;30;kapot\n"


async def _import_app(tmp_path, lang="nl"):
    ids = build_folder(tmp_path / "data")
    app = make_app(tmp_path / "data", lang)
    return ids, app


async def test_import_shows_the_dry_run_before_anything_is_written(tmp_path):
    from vp_desk.tui.screens.import_screen import ImportScreen

    ids, app = await _import_app(tmp_path)
    source = tmp_path / "meldingen.csv"
    source.write_text(GOOD_CSV, encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        app.current_org_id = ids["korst"]
        await open_screen(pilot, "action_import_cases", "ImportScreen")
        before = app.desk.count_cases(ids["korst"])
        await pilot.press("ctrl+s")  # nothing checked yet: nothing happens
        await settle(pilot)
        assert app.desk.count_cases(ids["korst"]) == before
        field = app.screen.query_one("#import-path", Input)
        field.value = str(source)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.plan is not None)
        await shows(pilot, "Proefrun:")
        text = screen_text(app)
        assert "Proefrun: 2 van 2 regels zijn in orde (3 contactmomenten, 1,8 uur)" in text
        assert "Er is nog niets opgeslagen" in text
        assert app.desk.count_cases(ids["korst"]) == before  # the dry run wrote nothing
        assert not app.screen.query_one("#import-apply", Button).disabled
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.desk.count_cases(ids["korst"]) == before + 2)
        await settle(pilot)
        await shows(pilot, "2 casus(sen) geïmporteerd: 2026-001 t/m 2026-002")
        assert isinstance(app.screen, ImportScreen) and app.screen.plan is None
        await pilot.press("ctrl+s")  # the same plan is not imported twice
        await settle(pilot)
        assert app.desk.count_cases(ids["korst"]) == before + 2
    with Desk.open(tmp_path / "data", PASSPHRASE) as desk:
        cases = [desk.get_case(ids["korst"], c.id) for c in desk.list_cases(ids["korst"])]
        new = {c.code: c for c in cases if c.opened.year == 2026}
        assert new["2026-001"].notes == "Eerste melding"
        assert len(new["2026-001"].consultations) == 2
        assert new["2026-002"].behaviours == ("intimidation", "bullying")
        assert new["2026-002"].outcome == "resolved_self"
        events = [r.event for r in audit.rows(desk.conn(ids["korst"]))]
        assert events.count("import") == 1


async def test_import_with_a_bad_row_needs_skip_bad(tmp_path):
    ids, app = await _import_app(tmp_path, "en")
    source = tmp_path / "bad.csv"
    source.write_text(BAD_CSV, encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        app.current_org_id = ids["korst"]
        await open_screen(pilot, "action_import_cases", "ImportScreen")
        before = app.desk.count_cases(ids["korst"])
        app.screen.query_one("#import-path", Input).value = str(source)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.plan is not None)
        await shows(pilot, "Dry run:")
        text = screen_text(app)
        assert "Dry run: 2 of 3 rows are valid" in text and "1 row(s) are not" in text
        assert "kapot" not in text  # reasons never quote notes
        assert app.screen.query_one("#import-errors").row_count == 1
        assert app.screen.query_one("#import-apply", Button).disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.desk.count_cases(ids["korst"]) == before
        app.screen.query_one("#import-skip-bad").value = True
        await settle(pilot)
        assert not app.screen.query_one("#import-apply", Button).disabled
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.desk.count_cases(ids["korst"]) == before + 2)
        # A file that does not exist: a plain message, nothing else.
        app.screen.query_one("#import-path", Input).value = str(tmp_path / "nope.csv")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.screen.busy)
        await settle(pilot)
        await shows(pilot, "nope.csv")
        assert app.screen.plan is None


# -- dossier export -------------------------------------------------------------------------


async def test_export_warns_first_then_writes(tmp_path, monkeypatch):
    from vp_desk.tui.dialogs.export import ExportDialog
    from vp_desk.tui.screens.case_view import CaseViewScreen

    ids = build_folder(tmp_path / "data")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    monkeypatch.chdir(out_dir)
    app = make_app(tmp_path / "data", "nl")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        app.push_screen(CaseViewScreen(ids["voorbeeld"], ids["first"]))
        await wait_for(pilot, lambda: isinstance(app.screen, CaseViewScreen))
        await settle(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        await shows(pilot, "Let op")
        text = screen_text(app)
        assert "Let op: het bestand bevat alle notities" in text
        assert "Dossier 2024-001 exporteren" in text
        # Enter on the focused Cancel button: nothing is written.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseViewScreen))
        assert list(out_dir.iterdir()) == []
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        dialog = app.screen
        assert dialog.query_one("#export-path", Input).value == str(
            out_dir / "dossier-stichting-voorbeeld-2024-001.md"
        )
        await pilot.click("#fmt-pdf")
        await pilot.pause()
        assert dialog.query_one("#export-path", Input).value == str(
            out_dir / "dossier-stichting-voorbeeld-2024-001.pdf"
        )
        await pilot.click("#export-go")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseViewScreen))
        pdf = out_dir / "dossier-stichting-voorbeeld-2024-001.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        assert_mode(pdf, 0o600)
        # Markdown, to a name typed in.
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(out_dir / "inzage.md")
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseViewScreen))
    md = (out_dir / "inzage.md").read_text(encoding="utf-8")
    assert SECRET in md and CONTACT in md and "Inzageverzoek (AVG artikel 15)" in md
    with Desk.open(tmp_path / "data", PASSPHRASE) as desk:
        exports = [
            r.subject
            for r in reversed(audit.rows(desk.conn(ids["voorbeeld"])))
            if r.event == "export"
        ]
        assert exports == ["dossier 2024-001 pdf", "dossier 2024-001 md"]


# -- backup from inside the app -----------------------------------------------------------


async def test_backup_from_the_app(tmp_path):
    from vp_desk.services import backup
    from vp_desk.tui.dialogs.backup import BackupDialog, backup_now

    build_folder(tmp_path / "data")
    out_dir = tmp_path / "usb"
    out_dir.mkdir()
    (out_dir / "old.vpbackup").write_bytes(b"an older backup")
    app = make_app(tmp_path / "data", "en")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        backup_now(app, folder=out_dir)
        await wait_for(pilot, lambda: isinstance(app.screen, BackupDialog))
        await settle(pilot)
        field = app.screen.query_one("#backup-path", Input)
        assert field.value == str(out_dir / "vp_desk-backup-2026-03-18.vpbackup")
        # An existing file is never overwritten: the dialog says so and stays.
        field.value = str(out_dir / "old.vpbackup")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.screen.busy)
        await settle(pilot)
        await shows(pilot, "already exists")
        assert isinstance(app.screen, BackupDialog)
        assert (out_dir / "old.vpbackup").read_bytes() == b"an older backup"
        field.value = str(out_dir / "vp_desk-backup-2026-03-18.vpbackup")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, BackupDialog))
        assert backup.last_backup(app.desk) is not None
    made = out_dir / "vp_desk-backup-2026-03-18.vpbackup"
    count = backup.restore_backup(made, tmp_path / "restored", PASSPHRASE)
    assert count == 2
    with Desk.open(tmp_path / "restored", PASSPHRASE) as desk:
        assert [o.name for o in desk.organisations()] == [
            "Bakkerij De Korst",
            "Stichting Voorbeeld",
        ]
