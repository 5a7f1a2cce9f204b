"""The audit trail: the chain of the index and of every organisation's vault.

Top: one line per trail with its number of rows and the result of verifying
its HMAC chain (docs/architecture.md, "Security rules", audit trail); a broken chain is shown, not
hidden. Below: the rows of the selected trail, newest first (event and
subject only: the trail never holds content).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from vp_desk.i18n import register
from vp_desk.services.storage import Trail, load_trails
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line
from vp_desk.tui.widgets.header import DeskHeader
from vp_desk.tui.widgets.lang import localise
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "subtitle": ("Audittrail", "Audit trail"),
    "intro": (
        "Elke wijziging en elke export, backup en overdracht staat hier, zonder inhoud. "
        "Elke regel is met een HMAC aan de vorige gekoppeld: een gewijzigde, verwijderde "
        "of verplaatste regel valt op.",
        "Every change and every export, backup and hand-over is listed here, without "
        "content. Each row is tied to the one before by an HMAC: a changed, removed or "
        "moved row shows.",
    ),
    "col_trail": ("Vault", "Vault"),
    "col_count": ("Regels", "Rows"),
    "col_result": ("Controle", "Check"),
    "col_seq": ("#", "#"),
    "col_time": ("Tijd", "Time"),
    "col_event": ("Gebeurtenis", "Event"),
    "col_subject": ("Betreft", "Subject"),
    "index": ("Index (organisaties, instellingen)", "Index (organisations, settings)"),
    "checking": ("Bezig met controleren...", "Checking..."),
    "intact": ("In orde", "Intact"),
    "broken": ("VERBROKEN: {problem}", "BROKEN: {problem}"),
    "unreadable": ("Niet te lezen", "Cannot be read"),
    "rows_of": ("Regels van: ", "Rows of: "),
    "more": ("(de nieuwste {n} van {total} regels)", "(the newest {n} of {total} rows)"),
    "key.back": ("Terug", "Back"),
    "key.reload": ("Opnieuw controleren", "Check again"),
}

EVENTS = {
    "datafolder.create": ("Gegevensmap aangemaakt", "Data folder created"),
    "vault.create": ("Vault aangemaakt", "Vault created"),
    "org.add": ("Organisatie toegevoegd", "Organisation added"),
    "org.update": ("Organisatie gewijzigd", "Organisation changed"),
    "org.shred": ("Organisatie gewist", "Organisation erased"),
    "case.create": ("Casus aangemaakt", "Case created"),
    "case.update": ("Casus gewijzigd", "Case changed"),
    "case.close": ("Casus gesloten", "Case closed"),
    "case.reopen": ("Casus heropend", "Case reopened"),
    "case.subject": ("Herhaalsignaal gewijzigd", "Repeat-subject signal changed"),
    "case.hold": ("Bewaarplicht ingesteld", "Legal hold set"),
    "case.unhold": ("Bewaarplicht opgeheven", "Legal hold lifted"),
    "case.destroy": ("Dossier vernietigd", "Case destroyed"),
    # h7-desk: erasure on request, a case logged by mistake, appointment terms
    "case.destroy_request": (
        "Dossier vernietigd op verzoek van de melder",
        "Case destroyed at the melder's request",
    ),
    "case.delete": ("Casus verwijderd (vergissing)", "Case deleted (logged by mistake)"),
    "org.terms": ("Aanstelling gewijzigd", "Appointment terms changed"),
    "consultation.add": ("Contactmoment toegevoegd", "Contact moment added"),
    "consultation.update": ("Contactmoment gewijzigd", "Contact moment changed"),
    "consultation.delete": ("Contactmoment verwijderd", "Contact moment deleted"),
    "activity.add": ("Activiteit toegevoegd", "Activity added"),
    "activity.update": ("Activiteit gewijzigd", "Activity changed"),
    "activity.delete": ("Activiteit verwijderd", "Activity deleted"),
    "settings.change": ("Instelling gewijzigd", "Setting changed"),
    "passphrase.change": ("Wachtzin gewijzigd", "Passphrase changed"),
    "import": ("Casussen geïmporteerd", "Cases imported"),
    "export": ("Dossier geëxporteerd (inzage)", "Dossier exported (access request)"),
    "backup": ("Backup gemaakt", "Backup made"),
    "handover.export": ("Overdracht geëxporteerd", "Hand-over exported"),
    "handover.import": ("Overdracht geïmporteerd", "Hand-over imported"),
    "draft.destroy": ("Concepten vernietigd", "Drafts destroyed"),
    "report": ("Jaarverslag gemaakt", "Annual report made"),
    "report.final": ("Jaarverslag definitief uitgebracht", "Annual report issued as final"),
    "report.texts": ("Teksten jaarverslag gewijzigd", "Report texts changed"),
    "report.texts.confirm": ("Teksten jaarverslag bevestigd", "Report texts confirmed"),
    "hours": ("Urenoverzicht gemaakt", "Hours overview made"),
    "synthetic": ("Voorbeeldgegevens toegevoegd", "Synthetic data added"),
}
register("vp_desk.tui.screens.audit:EVENTS", EVENTS)


def event_label(event: str, lang: str) -> str:
    if event not in EVENTS:  # an event of a newer version: shown as it is
        return event
    return pick(EVENTS, event, lang)


def local_time(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


class AuditScreen(WorkerFailures, Screen):
    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "audit.tcss"
    BINDINGS = [
        Binding("escape", "back", "key.back", id="audit.back"),
        Binding("f5", "reload", "key.reload", id="audit.reload"),
    ]

    @dataclass
    class Loaded(Message):
        trails: list[Trail]

    def __init__(self) -> None:
        super().__init__()
        self.trails: list[Trail] | None = None

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        yield DeskHeader(icon="")
        yield Static(Text(pick(STRINGS, "intro", self.lang)), id="audit-intro")
        yield DataTable(id="audit-trails", cursor_type="row")
        yield Static("", id="audit-heading")
        yield DataTable(id="audit-rows", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        lang = self.lang
        localise(self, STRINGS, lang)
        self.sub_title = pick(STRINGS, "subtitle", lang)
        trails = self.query_one("#audit-trails", DataTable)
        trails.add_column(Text(pick(STRINGS, "col_trail", lang)), key="trail", width=44)
        # Fixed widths: the layout does not jump (or lag) when rows change.
        trails.add_column(
            Text(pick(STRINGS, "col_count", lang), justify="right"), key="count", width=7
        )
        trails.add_column(Text(pick(STRINGS, "col_result", lang)), key="result", width=60)
        rows = self.query_one("#audit-rows", DataTable)
        rows.add_column(Text(pick(STRINGS, "col_seq", lang), justify="right"), key="seq", width=5)
        rows.add_column(Text(pick(STRINGS, "col_time", lang)), key="time", width=16)
        rows.add_column(Text(pick(STRINGS, "col_event", lang)), key="event", width=36)
        rows.add_column(Text(pick(STRINGS, "col_subject", lang)), key="subject", width=44)
        self.query_one("#audit-heading", Static).update(
            Text(pick(STRINGS, "checking", lang), style="dim")
        )
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="audit")
    def _load(self) -> None:
        desk = self.app.desk
        if desk is None:
            return
        trails = load_trails(desk)
        self.post_message(self.Loaded(trails))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        event.stop()
        self.trails = event.trails
        lang = self.lang
        table = self.query_one("#audit-trails", DataTable)
        keep = table.cursor_row
        table.clear()
        for i, trail in enumerate(event.trails):
            name = (
                Text(pick(STRINGS, "index", lang))
                if trail.name is None
                else safe_line(trail.name, limit=42)
            )
            table.add_row(
                name, Text(str(trail.total), justify="right"), self._result(trail), key=str(i)
            )
        table.move_cursor(row=min(max(keep, 0), len(event.trails) - 1))
        self.show_rows(table.cursor_row)
        table.focus()

    def _result(self, trail: Trail) -> Text:
        if not trail.readable:
            return Text(pick(STRINGS, "unreadable", self.lang), style="bold red")
        if trail.problems:
            return Text(
                pick(STRINGS, "broken", self.lang, problem=trail.problems[0])[:60], style="bold red"
            )
        return Text("✓ " + pick(STRINGS, "intact", self.lang), style="green")

    @on(DataTable.RowHighlighted, "#audit-trails")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_rows(event.cursor_row)

    def show_rows(self, index: int) -> None:
        if not self.trails or not 0 <= index < len(self.trails):
            return
        trail = self.trails[index]
        lang = self.lang
        heading = Text(pick(STRINGS, "rows_of", lang), style="bold")
        heading.append_text(
            Text(pick(STRINGS, "index", lang))
            if trail.name is None
            else safe_line(trail.name, limit=60)
        )
        if trail.total > len(trail.rows):
            heading.append(
                "  " + pick(STRINGS, "more", lang, n=len(trail.rows), total=trail.total),
                style="dim",
            )
        self.query_one("#audit-heading", Static).update(heading)
        table = self.query_one("#audit-rows", DataTable)
        table.clear()
        for row in trail.rows:
            table.add_row(
                Text(str(row.seq), justify="right"),
                Text(local_time(row.time)),
                Text(event_label(row.event, lang)),
                safe_line(row.subject, limit=44),
            )

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
