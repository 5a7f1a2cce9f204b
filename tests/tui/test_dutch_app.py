"""Dutch everywhere in the app (issue 13 item 10): one walk, in Dutch, over every screen
and dialog of the desk, the gate screens, the command palette and the notices after
typical actions and errors. Every text a user can see there (the screen as drawn, footer
keys, button labels, placeholders, Select prompts and options, tooltips, notices) is
checked against a list of English words that are not also Dutch. The same walk in
English is checked, lightly, for Dutch words.

What stays as it is in both languages, on purpose: the names of the two languages in
their own language (Nederlands, English), Textual's theme names, file formats (Markdown,
CSV, PDF), the product name, and command lines and file names quoted in a message. The
command palette's own key descriptions ("Exit the command palette") are never shown: the
palette has no footer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from rich.text import Text
from textual.content import Content
from textual.widgets import Button, Footer, Input, Select, Static, TextArea

from tests.conftest import PASSPHRASE
from tests.tui.cases_support import screen_text, settle, tick
from tests.tui.conftest import make_app, wait_for
from tests.tui.test_workday import unlocked_sample
from vp_desk.tui.textual_compat import notifications, select_allows_blank

pytestmark = pytest.mark.asyncio

#: Words that betray English: common, and not also Dutch words (matched as whole words,
#: case-sensitive where a lower-case form is also Dutch, e.g. "open", "case", "help").
ENGLISH = re.compile(
    r"\b("
    r"the|The|and|to|for|with|from|this|This|that|These|these|your|Your|you|You|"
    r"are|was|has|have|not|no|yes|Yes|No|all|All|any|Any|none|None|"
    r"Press|press|Cancel|cancel|Save|save|Close|close|Search|search|Back|back|"
    r"New|new|Edit|edit|Export|Delete|delete|Help|Commands|Quit|quit|"
    r"cases|Cases|Case|hours|Hours|Select|select|Choose|choose|"
    r"Settings|Report|report|Activities|activities|Overview|Organisation|organisation|"
    r"organisations|Organisations|Year|year|Date|date|Notes|notes|Type|Minutes|minutes|"
    r"Name|name|Employees|employees|Language|language|Import|Lock|Unlock|Passphrase|"
    r"passphrase|Retention|retention|Audit|Backup made|Follow|follow|Outcome|outcome|"
    r"Closed|closed|Opened|opened|Filter|filter|Sort|sort|Status|Remove|remove|Write|write|"
    r"Show|show|Hide|hide|Next|next|Previous|previous|Today|today|Week|Month|month|"
    r"Total|total|Contact|moment|Moments|File|file|Folder|folder|Path|path|"
    r"Yes|Done|done|Error|error|Warning|warning|Loading|loading|Please|please|"
    r"Theme|theme|Palette|palette|Keys|keys|Agenda items|due|overdue|"
    r"Confirm|confirm|Restore|restore|Discard|discard|Change|change|"
    r"Texts|Preview|preview|Format|signals|Recommendations|Add|add|Shred|Hand-over|"
    r"period|Period|From|Until|until|Start|End|Invoice|invoice|Write|Refused|refused|"
    r"Wrong|wrong|invalid|Invalid|required|Required|must|cannot|could|Could|"
    r"by|on|at|It|it|be|been|will|Will|can|Can|should|what|What|which|where|when|"
    r"Ok|OK|Cancelled|nothing|Nothing|empty|Empty|Do|quit"
    r")\b"
)

#: Words and codes that read the same in Dutch (or are names/identifiers).
ALLOWED = {
    "vp_desk",
    "vp-desk",
    "ctrl",
    "esc",
    "enter",
    "tab",
    "F1",
    "md",
    "pdf",
    "csv",
    "json",
    "html",
    "Stichting Voorbeeld",
    "Bakkerij De Korst",
    "Northwind Trading BV",
    "backup",
    "Backup",
    "status",
    "Status",
    "Format",
    "Filter",
    "filter",
    "Start",
    "Audit",
    "Type",
    "week",
    "Week",
    "in",
}


#: File names and command lines quoted in a text (identifiers, the same in both languages).
PATH = re.compile(r"/\S*|\S*pytest-of-\S*|--[\w-]+(?: (?:yes|no)\b)?|vp-desk [\w-]+")


#: A word cut by the edge of a dialog or a field (a block character beside it).
CUT = re.compile(r"\w*[█▎▊▌▐▀▄▔▁]+\w*")


def english_words(text: str) -> list[str]:
    found = []
    text = PATH.sub("", text)  # file names shown (the test's temporary folders)
    for match in ENGLISH.finditer(text):
        word = match.group(1)
        if word in ALLOWED:
            continue
        start, end = match.span()
        context = text[max(0, start - 30) : end + 30].replace("\n", " ")
        found.append(f"{word!r} in …{context}…")
    return found


#: Words that betray Dutch in the English app (not also English words).
DUTCH = re.compile(
    r"\b(de|het|een|en|van|voor|niet|geen|Opslaan|Annuleren|Sluiten|Zoeken|Terug|Nieuwe|"
    r"Nieuw|Bewerken|Exporteren|Verwijderen|Hulp|Opdrachten|Afsluiten|Casussen|uren|Uren|"
    r"Kies|kiezen|Jaarverslag|Instellingen|Organisatie|organisatie|Wachtzin|wachtzin|"
    r"Bewaartermijn|Datum|datum|Notities|Naam|Medewerkers|Taal|Vergrendelen|Ontgrendelen|"
    r"bestand|map|Ja|Nee|Alle|alle|Geen|Overzicht|Activiteiten|Zoek|Toon|Wissen|wissen|"
    r"Herstellen|Later verder|Bevestigen|met|bij|naar|wordt|zijn|is niet)\b"
)
DUTCH_ALLOWED = {
    "Stichting Voorbeeld",
    "Bakkerij De Korst",
    "De",  # Bakkerij De Korst
}


def dutch_words(text: str) -> list[str]:
    found = []
    text = PATH.sub("", text)
    for name in ("Stichting Voorbeeld", "Bakkerij De Korst", "Korst"):
        text = text.replace(name, "")
    for match in DUTCH.finditer(text):
        word = match.group(1)
        if word in DUTCH_ALLOWED:
            continue
        start, end = match.span()
        context = text[max(0, start - 30) : end + 30].replace("\n", " ")
        found.append(f"{word!r} in …{context}…")
    return found


def visible_texts(app) -> Iterable[str]:
    """Everything a user can see on the current screen, or get to see on it."""
    screen = app.screen
    # Words cut off by a dialog drawn over them are not words.
    yield CUT.sub(" ", screen_text(app))
    for shown in [s for s in app.screen_stack if s.query(Footer)]:  # a footer's own keys
        for found in shown.active_bindings.values():
            if found.binding.show and found.binding.description:
                yield found.binding.description
            if found.binding.tooltip:
                yield found.binding.tooltip
    for widget in screen.query("*"):
        tooltip = getattr(widget, "tooltip", None)
        if tooltip:
            yield str(tooltip)
        if isinstance(widget, Static):  # whole, also where it is scrolled out of view
            shown = widget.render()
            if isinstance(shown, (str, Text, Content)):
                yield shown.plain if isinstance(shown, (Text, Content)) else shown
        if isinstance(widget, Input):
            yield widget.placeholder or ""
        elif isinstance(widget, TextArea):
            yield str(getattr(widget, "placeholder", "") or "")
        elif isinstance(widget, Button):
            yield str(widget.label)
        elif isinstance(widget, Select):
            if select_allows_blank(widget):  # the prompt is shown while nothing is chosen
                yield str(widget.prompt)
            yield from (str(prompt) for prompt, _value in widget._options)
    for notice in notifications(app):
        yield str(notice.title or "")
        yield str(notice.message)


def every_screen(app, org: int, tmp: Path):
    """(name, make the screen or None, tab to show) for every screen and dialog of the
    desk in the app's language (as tests/tui/test_workday.py walks them), the desk-task
    dialogs, hours, the command palette and the theme list."""
    from vp_desk.tui.dialogs.backup import BackupDialog
    from vp_desk.tui.dialogs.case_dialogs import CloseCaseScreen
    from vp_desk.tui.dialogs.confirm import ConfirmDialog
    from vp_desk.tui.dialogs.desk_tasks import (
        AllReportsDialog,
        HandoverExportDialog,
        HandoverImportDialog,
        PassphraseDialog,
        RemoveOrgDialog,
    )
    from vp_desk.tui.dialogs.export import ExportDialog
    from vp_desk.tui.dialogs.hours import HoursDialog
    from vp_desk.tui.screens.activities import ActivityFormScreen, ActivityScreen
    from vp_desk.tui.screens.audit import AuditScreen
    from vp_desk.tui.screens.case_form import CaseFormScreen
    from vp_desk.tui.screens.case_view import CaseViewScreen
    from vp_desk.tui.screens.cases import CaseListScreen
    from vp_desk.tui.screens.consultation_form import ConsultationFormScreen
    from vp_desk.tui.screens.help import HelpScreen
    from vp_desk.tui.screens.import_screen import ImportScreen
    from vp_desk.tui.screens.organisations import OrgFormScreen, OrgSwitcher
    from vp_desk.tui.screens.report import PortfolioScreen, ReportScreen
    from vp_desk.tui.screens.retention import HoldDialog, RetentionScreen
    from vp_desk.tui.screens.settings import SettingsScreen

    day = app.fixed_today
    lang = app.lang
    case = min(app.desk.list_cases(org), key=lambda c: c.id)
    first, code = case.id, case.code
    name = app.desk.organisation(org).name
    return [
        ("dashboard", None, None),
        ("cases", lambda: CaseListScreen(org, today=day), None),
        ("case view", lambda: CaseViewScreen(org, first, today=day), None),
        ("case form", lambda: CaseFormScreen(org, first, today=day), None),
        ("new case", lambda: CaseFormScreen(org, today=day), None),
        ("contact", lambda: ConsultationFormScreen(org, first, today=day), None),
        ("close case", lambda: CloseCaseScreen(org, first, code, lang, day), None),
        ("export", lambda: ExportDialog(org, first, code, lang), None),
        ("activities", lambda: ActivityScreen(org, today=day), None),
        ("activity", lambda: ActivityFormScreen(org, today=day), None),
        ("report preview", lambda: ReportScreen(org, 2026, today=day), "tab-preview"),
        ("report texts", lambda: ReportScreen(org, 2026, today=day), "tab-texts"),
        ("report export", lambda: ReportScreen(org, 2026, today=day), "tab-export"),
        ("portfolio", lambda: PortfolioScreen(today=day), None),
        ("settings", SettingsScreen, None),
        ("retention", lambda: RetentionScreen(today=day), None),
        ("hold", lambda: HoldDialog("2024-001", lang), None),
        ("audit", AuditScreen, None),
        ("import", lambda: ImportScreen(org), None),
        ("backup", lambda: BackupDialog(lang, Path("/nonexistent/backup.vpbak")), None),
        ("new org", OrgFormScreen, None),
        ("edit org", lambda: OrgFormScreen(org), None),
        ("switch org", OrgSwitcher, None),
        ("help", HelpScreen, None),
        ("confirm", lambda: ConfirmDialog("?", lang=lang), None),
        ("passphrase", lambda: PassphraseDialog(lang), None),
        ("remove org", lambda: RemoveOrgDialog(lang, org, name), None),
        ("hand-over export", lambda: HandoverExportDialog(lang, org, name, tmp / "h.vpho"), None),
        ("hand-over import", lambda: HandoverImportDialog(lang), None),
        ("all reports", lambda: AllReportsDialog(lang, 2026, tmp), None),
        ("hours", lambda: HoursDialog(org, lang, today=day), None),
        ("palette", None, None),
        ("themes", None, None),
        ("ctrl+c", None, None),
    ]


async def collect(pilot, org_name: str, tmp: Path) -> dict[str, list[str]]:
    """Walk every screen of the unlocked desk; return the texts seen per screen."""
    app = pilot.app
    seen: dict[str, list[str]] = {}
    ids = await unlocked_sample(pilot)
    app.current_org_id = ids[org_name]
    for name, make, tab in every_screen(app, ids[org_name], tmp):
        if make is not None:
            app.push_screen(make())
        elif name == "palette":
            app.action_command_palette()
        elif name == "themes":
            app.action_change_theme()
        elif name == "ctrl+c":
            await pilot.press("ctrl+c")  # Textual's hint: ctrl+c does not quit
        await settle(pilot)
        if tab is not None:
            app.screen.query_one("#report-tabs").active = tab
            await settle(pilot)
        seen[name] = list(visible_texts(app))
        if name not in ("palette", "themes"):  # the keys of this screen, in the help
            app.action_help()
            await settle(pilot)
            seen[f"help on {name}"] = list(visible_texts(app))
        while len(app.screen_stack) > 1:
            app.pop_screen()
        app.clear_notifications()
        await settle(pilot)
    return seen


async def after_actions(pilot, org: int, tmp: Path) -> dict[str, list[str]]:
    """The notices and messages after typical actions and errors: field errors in a form,
    a saved case, a refused export over an existing file, the drafts offered after a lock."""
    from vp_desk.tui.dialogs.confirm import ConfirmDialog
    from vp_desk.tui.dialogs.export import ExportDialog
    from vp_desk.tui.dialogs.restore_drafts import RestoreDraftsDialog
    from vp_desk.tui.screens.case_form import CaseFormScreen
    from vp_desk.tui.screens.consultation_form import ConsultationFormScreen
    from vp_desk.tui.screens.organisations import OrgFormScreen

    app = pilot.app
    seen: dict[str, list[str]] = {}
    day = app.fixed_today

    async def look(name: str) -> None:
        await settle(pilot)
        seen[name] = list(visible_texts(app))

    async def back() -> None:
        while len(app.screen_stack) > 1:
            app.pop_screen()
        app.clear_notifications()
        await settle(pilot)

    # An empty organisation form, saved: a message beside each field.
    app.push_screen(OrgFormScreen())
    await settle(pilot)
    app.screen.query_one("#org-employees", Input).value = ""
    await pilot.press("ctrl+s")
    await look("org form errors")
    await back()
    # A case form with a date that is no date, then a case saved.
    app.push_screen(CaseFormScreen(org, today=day))
    await settle(pilot)
    app.screen.query_one("#opened", Input).value = "2026-13-45"
    await pilot.press("ctrl+s")
    await look("case form errors")
    app.screen.query_one("#opened", Input).value = day.isoformat()
    await tick(pilot, "#behaviours", "bullying")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: not isinstance(app.screen, CaseFormScreen))
    await look("case saved")
    await back()
    # An export over an existing file: asked, refused, told.
    case = min(app.desk.list_cases(org), key=lambda c: c.id)
    existing = tmp / "inzage.md"
    existing.write_bytes(b"ander dossier\n")
    dialog = ExportDialog(org, case.id, case.code, app.lang)
    app.push_screen(dialog)
    await settle(pilot)
    dialog.query_one("#export-path", Input).value = str(existing)
    dialog.query_one("#export-go", Button).press()
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
    await look("export asks")
    await pilot.press("n")
    await wait_for(pilot, lambda: app.screen is dialog)
    await look("export refused")
    assert existing.read_bytes() == b"ander dossier\n"
    await back()
    # The questions asked on the case view: delete, destroy, delete a contact, reopen.
    from vp_desk.tui.screens.case_view import CaseViewScreen

    closed = [c for c in app.desk.list_cases(org) if c.closed is not None]
    for key, target in [("w", case), ("v", case)] + [("h", c) for c in closed[:1]]:
        app.push_screen(CaseViewScreen(org, target.id, today=day))
        await settle(pilot)
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await look(f"case view {key}")
        await back()
    app.push_screen(CaseViewScreen(org, case.id, today=day))
    await settle(pilot)
    app.screen.action_delete_contact()
    await look("delete contact")
    await back()
    # A form with changes left with Esc: asked whether to discard.
    app.push_screen(CaseFormScreen(org, case.id, today=day))
    await settle(pilot)
    app.screen.query_one("#notes", TextArea).text = "iets nieuws"
    await settle(pilot)
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
    await look("discard changes")
    await back()
    # The desk tasks' messages: refused input, a wrong passphrase, results.
    from vp_desk.tui.dialogs.desk_tasks import (
        AllReportsDialog,
        HandoverImportDialog,
        PassphraseDialog,
        RemoveOrgDialog,
    )
    from vp_desk.tui.dialogs.hours import HoursDialog
    from vp_desk.tui.screens.import_screen import ImportScreen
    from vp_desk.tui.screens.report import ReportScreen

    strong = "Een nieuwe lange wachtzin voor 2026!"
    tasks = [
        ("passphrases differ", PassphraseDialog(app.lang), {"pw-new": strong, "pw-again": "x"}),
        ("passphrase weak", PassphraseDialog(app.lang), {"pw-new": "kort", "pw-again": "kort"}),
        (
            "passphrase wrong",
            PassphraseDialog(app.lang),
            {"pw-old": "niet de wachtzin, echt niet", "pw-new": strong, "pw-again": strong},
        ),
        (
            "remove org wrong name",
            RemoveOrgDialog(app.lang, org, app.desk.organisation(org).name),
            {"rm-name": "Xyz"},
        ),
        (
            "hand-over import missing file",
            HandoverImportDialog(app.lang),
            {"hi-path": str(tmp / "missing.vpho"), "hi-pass": "abc def ghi", "hi-name": "X"},
        ),
        ("all reports", AllReportsDialog(app.lang, 2026, tmp / "reports"), {}),
    ]
    for name, dialog, values in tasks:
        app.push_screen(dialog)
        await settle(pilot)
        for field, value in values.items():
            dialog.query_one(f"#{field}", Input).value = value
        dialog.query_one("#task-go", Button).press()
        for _ in range(3):
            await settle(pilot)
            await pilot.pause(0.3)
        await look(name)
        await back()
    hours = HoursDialog(org, app.lang, today=day)
    app.push_screen(hours)
    await settle(pilot)
    hours.query_one("#hours-show", Button).press()
    await settle(pilot)
    hours.query_one("#hours-path", Input).value = str(tmp / "uren.md")
    hours.query_one("#hours-write", Button).press()
    result = hours.query_one("#hours-result", Static)
    await wait_for(pilot, lambda: str(result.render()).strip() != "" or app.screen is not hours)
    await look("hours written")
    await back()
    app.push_screen(ImportScreen(org, str(tmp / "missing.csv")))
    await settle(pilot)
    app.screen.query_one("#import-path", Input).focus()
    await pilot.press("enter")
    await look("import missing file")
    await back()
    report = ReportScreen(org, 2026, today=day)
    app.push_screen(report)
    await settle(pilot)
    report.query_one("#report-tabs").active = "tab-export"
    await settle(pilot)
    report.query_one("#export-format").value = "md"
    report.query_one("#export-path", Input).value = str(tmp / "verslag.md")
    await pilot.press("ctrl+e")
    await wait_for(pilot, lambda: (tmp / "verslag.md").exists())
    await look("report written")
    await back()
    # A backup written, a hold reason left empty, the question before destroying.
    from vp_desk.tui.dialogs.backup import BackupDialog
    from vp_desk.tui.screens.retention import HoldDialog, RetentionScreen

    backup = BackupDialog(app.lang, tmp / "backup.vpbak")
    app.push_screen(backup)
    await settle(pilot)
    backup.query_one("#backup-go", Button).press()
    await wait_for(pilot, lambda: app.screen is not backup)
    await look("backup written")
    await back()
    hold = HoldDialog("2024-001", app.lang)
    app.push_screen(hold)
    await settle(pilot)
    hold.query_one("#hold-save", Button).press()
    await look("hold without reason")
    await back()
    app.push_screen(RetentionScreen(today=day))
    await settle(pilot)
    await pilot.press("D")
    await look("retention destroy all")
    await back()
    # A half-typed contact moment over a lock: offered back after unlock.
    app.push_screen(ConsultationFormScreen(org, case.id, today=day))
    await settle(pilot)
    app.screen.query_one("#minutes", Input).value = "35"
    await pilot.press("ctrl+l")
    await wait_for(pilot, lambda: app.is_locked)
    await wait_for(pilot, lambda: app.screen.query("#passphrase"))
    await look("locked")
    app.screen.query_one("#passphrase", Input).value = PASSPHRASE
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftsDialog))
    await look("drafts offered")
    return seen


async def setup_texts(folder: Path, lang: str) -> dict[str, list[str]]:
    """The setup screen of a new data folder, and its message for passphrases that differ."""
    app = make_app(folder, lang)
    seen = {}
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#new-passphrase"))
        await settle(pilot)
        seen["setup"] = list(visible_texts(app))
        app.screen.query_one("#new-passphrase", Input).value = PASSPHRASE
        app.screen.query_one("#repeat-passphrase", Input).value = PASSPHRASE + "x"
        await settle(pilot)
        app.screen.query_one("#setup-create", Button).press()
        await settle(pilot)
        seen["setup mismatch"] = list(visible_texts(app))
    return seen


async def gate_texts(app, pilot) -> dict[str, list[str]]:
    """The unlock screen, and the notice after a wrong passphrase."""
    seen = {}
    await wait_for(pilot, lambda: app.screen.query("#passphrase"))
    await settle(pilot)
    seen["unlock"] = list(visible_texts(app))
    app.screen.query_one("#passphrase", Input).value = "not the passphrase at all"
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen.query("#passphrase"))
    await settle(pilot)
    await pilot.pause(1)
    await settle(pilot)
    seen["wrong passphrase"] = list(visible_texts(app))
    return seen


def findings(seen: dict[str, list[str]], check) -> list[str]:
    found = []
    for name, texts in seen.items():
        for text in texts:
            found += [f"{name}: {hit}" for hit in check(text)]
    return sorted(set(found))


async def test_the_dutch_app_shows_no_english(sample_dir, tmp_path):
    app = make_app(sample_dir, "nl")
    async with app.run_test(size=(120, 36)) as pilot:
        seen = await gate_texts(app, pilot)
        seen.update(await collect(pilot, "Stichting Voorbeeld", tmp_path))
        seen.update(await after_actions(pilot, app.current_org_id, tmp_path))
    seen.update(await setup_texts(tmp_path / "new-folder", "nl"))
    assert len(seen) >= 40
    found = findings(seen, english_words)
    assert not found, "\n".join(found)


async def test_the_english_app_shows_no_dutch(sample_dir, tmp_path):
    app = make_app(sample_dir, "en")
    async with app.run_test(size=(120, 36)) as pilot:
        seen = await gate_texts(app, pilot)
        seen.update(await collect(pilot, "Northwind Trading BV", tmp_path))
        seen.update(await after_actions(pilot, app.current_org_id, tmp_path))
    seen.update(await setup_texts(tmp_path / "new-folder", "en"))
    found = findings(seen, dutch_words)
    assert not found, "\n".join(found)


async def test_the_word_list_sees_english_and_passes_dutch():
    assert english_words("Press enter to save the case")
    assert english_words("Search for commands…")
    assert not english_words("Druk op enter om de casus op te slaan. Zoeken naar opdrachten…")
    assert dutch_words("Opslaan en sluiten")
    assert not dutch_words("Save and close the case")


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [("nl", "om het dossier te schrijven", "the dossier"), ("en", "write the dossier", "het")],
)
async def test_a_full_disk_on_a_dossier_export_is_told_in_the_users_language(
    sample_dir, tmp_path, monkeypatch, lang, expected, absent
):
    """The part a full disk kept from being written is named in the user's language
    (it was English inside the Dutch sentence), and no file is left behind."""
    import errno

    from vp_desk.tui.dialogs.export import ExportDialog
    from vp_desk.vault import atomic

    def full(step: str) -> None:
        if step == "write":
            raise OSError(errno.ENOSPC, "No space left on device")

    app = make_app(sample_dir, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        ids = await unlocked_sample(pilot)
        org = ids["Stichting Voorbeeld"]
        case = min(app.desk.list_cases(org), key=lambda c: c.id)
        dialog = ExportDialog(org, case.id, case.code, lang)
        app.push_screen(dialog)
        await settle(pilot)
        out = tmp_path / "dossier.md"
        dialog.query_one("#export-path", Input).value = str(out)
        monkeypatch.setattr(atomic, "step_hook", full)
        dialog.query_one("#export-go", Button).press()
        error = dialog.query_one("#export-error", Static)
        await wait_for(pilot, lambda: str(error.render()).strip() != "", timeout=10)
        told = " ".join(str(error.render()).split())
        assert expected in told and absent not in told, told
        assert app.screen is dialog
    assert not out.exists()
