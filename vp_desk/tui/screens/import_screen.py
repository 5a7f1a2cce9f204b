"""Importing cases from a spreadsheet (CSV or XLSX) for one organisation.

Two steps, as on the command line (``vp_desk.services.importer``): first a
dry run that reads and checks the file and shows what would be imported and
which rows are wrong (nothing is written), then, only on request, the import
itself in one transaction. Both run in workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, DataTable, Footer, Input, Static

from vp_desk.errors import VpDeskError
from vp_desk.i18n import error_text, format_hours
from vp_desk.tui import drafts
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line, safe_text
from vp_desk.tui.widgets.header import DeskHeader
from vp_desk.tui.widgets.lang import localise
from vp_desk.tui.widgets.notify import notify_safe
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "subtitle": ("Casussen importeren", "Import cases"),
    "into": ("Importeren in: ", "Import into: "),
    "intro": (
        "Een CSV- of Excelbestand (XLSX) met één casus per regel. Eerst volgt een "
        "proefrun: er wordt niets opgeslagen tot u op Importeren drukt.",
        "A CSV or Excel (XLSX) file with one case per row. A dry run comes first: "
        "nothing is stored until you press Import.",
    ),
    "path": ("Bestand", "File"),
    "path_hint": ("/pad/naar/bestand.csv", "/path/to/file.csv"),
    "skip_bad": (
        "Foute regels overslaan (anders wordt bij een fout niets geïmporteerd)",
        "Skip bad rows (otherwise one bad row stops the whole import)",
    ),
    "check": ("Controleren (Enter)", "Check (Enter)"),
    "apply": ("Importeren (ctrl+s)", "Import (ctrl+s)"),
    "checking": ("Het bestand wordt gecontroleerd...", "Checking the file..."),
    "importing": ("Bezig met importeren...", "Importing..."),
    "no_path": ("Geef eerst de naam van een bestand.", "Give the name of a file first."),
    "report": (
        "Proefrun: {ok} van {total} regels zijn in orde ({contacts} contactmomenten, "
        "{hours} uur); {bad} regel(s) niet. Er is nog niets opgeslagen.",
        "Dry run: {ok} of {total} rows are valid ({contacts} contact moments, "
        "{hours} hours); {bad} row(s) are not. Nothing has been stored yet.",
    ),
    "ready": (
        "Druk op Importeren (ctrl+s) om {n} casus(sen) op te slaan.",
        "Press Import (ctrl+s) to store {n} case(s).",
    ),
    "blocked": (
        "Er zijn foute regels: verbeter het bestand, of vink 'Foute regels overslaan' aan.",
        "There are bad rows: correct the file, or tick 'Skip bad rows'.",
    ),
    "nothing": ("Er is geen goede regel om te importeren.", "There is no valid row to import."),
    "check_first": ("Controleer het bestand eerst (Enter).", "Check the file first (Enter)."),
    "col_line": ("Regel", "Line"),
    "col_reason": ("Wat is er mis", "What is wrong"),
    "done": (
        "{n} casus(sen) geïmporteerd: {first} t/m {last}.",
        "Imported {n} case(s): {first} to {last}.",
    ),
    "failed": ("Niet geïmporteerd: {error}", "Not imported: {error}"),
    "key.check": ("Controleren", "Check"),
    "key.apply": ("Importeren", "Import"),
    "key.back": ("Terug", "Back"),
    "draft_label": ("Casussen importeren", "Importing cases"),
}
DRAFT_KIND = "import_cases"


class ImportScreen(drafts.FieldValues, WorkerFailures, Screen):
    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    #: The typed file name and "skip bad rows" come back after a lock (issue 13).
    DRAFT_KIND = DRAFT_KIND
    DRAFT_FIELDS = ("import-path", "import-skip-bad")
    #: The navigation keys keep working with a file name typed (as before drafts).
    draft_keeps_navigation = True

    CSS_PATH = "import_screen.tcss"
    BINDINGS = [
        Binding("ctrl+s", "apply", "key.apply", id="import.apply"),
        Binding("escape", "back", "key.back", id="import.back"),
    ]
    AUTO_FOCUS = "#import-path"

    @dataclass
    class Planned(Message):
        plan: Any
        error: str | None

    @dataclass
    class Applied(Message):
        result: Any
        error: str | None

    def __init__(self, org_id: int, path: str | None = None) -> None:
        super().__init__()
        self.org_id = org_id
        self.initial_path = path or ""
        self.plan = None
        self.busy = False
        self._imported_path: str | None = None

    @property
    def lang(self) -> str:
        return self.app.lang

    @property
    def draft_payload(self):
        """The drafts contract, a callable only while something was typed (like the
        report screen: the app keeps navigation keys away from a screen with one)."""
        return self.field_draft if self.field_draft() is not None else None

    def draft_extra(self) -> dict:
        return {"org_id": self.org_id}

    def draft_wanted(self) -> bool:
        # A file just imported is not brought back (it would be imported twice).
        return self.query_one("#import-path", Input).value != self._imported_path

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield DeskHeader(icon="")
        with Vertical(id="import-body"):
            into = Text(pick(STRINGS, "into", lang), style="bold")
            into.append_text(safe_line(self.app.unlocked_desk.organisation(self.org_id).name))
            yield Static(into, id="import-into")
            yield Static(Text(pick(STRINGS, "intro", lang)), id="import-intro")
            yield Input(
                self.initial_path, placeholder=pick(STRINGS, "path_hint", lang), id="import-path"
            )
            yield Checkbox(Text(pick(STRINGS, "skip_bad", lang)), id="import-skip-bad")
            with Horizontal(id="import-buttons"):
                yield Button(Text(pick(STRINGS, "check", lang)), id="import-check")
                yield Button(
                    Text(pick(STRINGS, "apply", lang)),
                    id="import-apply",
                    variant="primary",
                    disabled=True,
                )
        yield Static("", id="import-report")
        yield DataTable(id="import-errors", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        localise(self, STRINGS, self.lang)
        self.sub_title = pick(STRINGS, "subtitle", self.lang)
        table = self.query_one("#import-errors", DataTable)
        table.add_column(
            Text(pick(STRINGS, "col_line", self.lang), justify="right"), key="line", width=6
        )
        table.add_column(Text(pick(STRINGS, "col_reason", self.lang)), key="reason", width=104)
        table.display = False

    def _say(self, text: Text | str, style: str = "") -> None:
        self.query_one("#import-report", Static).update(
            text if isinstance(text, Text) else Text(text, style=style)
        )

    # -- step 1: dry run -------------------------------------------------------------------
    @on(Input.Changed, "#import-path")
    def _path_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.plan is not None:
            self.plan = None
            self._refresh_state()
            self._say("")
            self.query_one("#import-errors", DataTable).display = False

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#import-check")
    def action_check(self, event: Message | None = None) -> None:
        if event is not None:
            event.stop()
        if self.busy:
            return
        value = self.query_one("#import-path", Input).value.strip()
        if not value:
            self._say(pick(STRINGS, "no_path", self.lang), "bold red")
            return
        self.busy = True
        self.plan = None
        self._refresh_state()
        self._say(pick(STRINGS, "checking", self.lang), "dim")
        self._plan(Path(value).expanduser(), self.lang)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _plan(self, path: Path, lang: str) -> None:
        from vp_desk.services import importer

        try:
            self.post_message(self.Planned(importer.plan_import(path, lang), None))
        except VpDeskError as exc:
            self.post_message(self.Planned(None, error_text(exc, self.lang)))
        except BaseException:
            self.post_message(self.Planned(None, None))  # the app shows the notice
            raise

    @on(Planned)
    def _planned(self, event: Planned) -> None:
        event.stop()
        self.busy = False
        table = self.query_one("#import-errors", DataTable)
        table.clear()
        if event.plan is None:
            self._say(safe_text(event.error, "bold red") if event.error else "")
            table.display = False
            self._refresh_state()
            return
        plan = self.plan = event.plan
        lang = self.lang
        report = Text(
            pick(
                STRINGS,
                "report",
                lang,
                ok=plan.ok_count,
                total=plan.total_rows,
                contacts=plan.consultation_count,
                bad=plan.bad_count,
                hours=_hours(plan.minutes, lang),
            ),
            style="bold",
        )
        report.append("\n")
        report.append_text(self._next_step())
        self._say(report)
        for error in plan.errors:
            table.add_row(
                Text(str(error.line), justify="right"),
                safe_line(" ".join(error.reasons), limit=104),
            )
        table.display = bool(plan.errors)
        self._refresh_state()

    def _next_step(self) -> Text:
        plan = self.plan
        if plan is None:
            return Text("")
        if not plan.rows:
            return Text(pick(STRINGS, "nothing", self.lang), style="red")
        if plan.errors and not self._skip_bad():
            return Text(pick(STRINGS, "blocked", self.lang), style="yellow")
        return Text(pick(STRINGS, "ready", self.lang, n=plan.ok_count), style="green")

    def _skip_bad(self) -> bool:
        return self.query_one("#import-skip-bad", Checkbox).value

    def _can_apply(self) -> bool:
        plan = self.plan
        return (
            plan is not None
            and not self.busy
            and bool(plan.rows)
            and (not plan.errors or self._skip_bad())
        )

    def _refresh_state(self) -> None:
        self.query_one("#import-apply", Button).disabled = not self._can_apply()

    @on(Checkbox.Changed, "#import-skip-bad")
    def _skip_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._refresh_state()
        if self.plan is not None:
            self._planned(self.Planned(self.plan, None))

    # -- step 2: the import ----------------------------------------------------------------
    @on(Button.Pressed, "#import-apply")
    def _apply_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        if self.plan is None:
            notify_safe(self, pick(STRINGS, "check_first", self.lang), severity="warning")
            return
        if not self._can_apply():
            notify_safe(self, pick(STRINGS, "blocked", self.lang), severity="warning")
            return
        self.busy = True
        self._refresh_state()
        self._say(pick(STRINGS, "importing", self.lang), "dim")
        self._apply(self.plan, self._skip_bad())

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _apply(self, plan, skip_bad: bool) -> None:
        from vp_desk.services import importer

        try:
            result = importer.apply_import(
                self.app.unlocked_desk, self.org_id, plan, skip_bad=skip_bad
            )
            self.post_message(self.Applied(result, None))
        except VpDeskError as exc:
            self.post_message(self.Applied(None, error_text(exc, self.lang)))
        except BaseException:
            self.post_message(self.Applied(None, None))  # the app shows the notice
            raise

    @on(Applied)
    def _applied(self, event: Applied) -> None:
        event.stop()
        self.busy = False
        self.plan = None
        self._refresh_state()
        if event.result is None:
            if event.error is None:
                self._say("")
            else:
                self._say(
                    safe_text(pick(STRINGS, "failed", self.lang, error=event.error), "bold red")
                )
            return
        self._imported_path = self.query_one("#import-path", Input).value
        codes = event.result.codes
        text = pick(
            STRINGS,
            "done",
            self.lang,
            n=len(codes),
            first=codes[0] if codes else "-",
            last=codes[-1] if codes else "-",
        )
        self._say(text, "bold green")
        self.query_one("#import-errors", DataTable).display = False
        notify_safe(self, text)

    def action_back(self) -> None:
        if self.busy:
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


def _hours(minutes: int, lang: str) -> str:
    return format_hours(lang=lang, minutes=minutes, grouping=False)


def _restore_draft(app, payload: dict) -> ImportScreen:
    return ImportScreen(int(payload["org_id"]))


drafts.register_restorer(
    DRAFT_KIND, drafts.field_restorer(_restore_draft), label=STRINGS["draft_label"]
)
