"""The dashboard: every organisation at a glance, the screen after unlock.

Open cases, follow-ups due this week, cases past retention and hours this
month per organisation (``Desk.org_stats``), with the reminders of the
lifecycle part on top. The figures are read in a thread worker so the first
frame never waits for 20 vaults; one damaged vault shows as one damaged row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static

from vp_desk.domain.models import Organisation
from vp_desk.i18n import choose, format_hours, format_number, register
from vp_desk.services.desk import OrgStats
from vp_desk.tui.desk_guard import DeskLocked, hold
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line, safe_text
from vp_desk.tui.widgets.agenda import AgendaList, open_agenda_item
from vp_desk.tui.widgets.footer import CoalescingFooter
from vp_desk.tui.widgets.header import DeskHeader
from vp_desk.tui.widgets.lang import LocalisedScreen, localise
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.services.agenda import AgendaItem

STRINGS = {
    "subtitle": ("Overzicht", "Overview"),
    "heading": ("Overzicht van alle organisaties", "All organisations at a glance"),
    "col_org": ("Organisatie", "Organisation"),
    "col_open": ("Open", "Open"),
    "col_due": ("Vervolg (week)", "Follow-up (week)"),
    "col_past": ("Over bewaartermijn", "Past retention"),
    "col_hours": ("Uren (maand)", "Hours (month)"),
    "total": ("Totaal", "Total"),
    "damaged": ("beschadigd", "damaged"),
    "loading": ("Gegevens laden…", "Loading…"),
    "empty": (
        "Er zijn nog geen organisaties. Druk op n om de eerste toe te voegen.",
        "There are no organisations yet. Press n to add the first one.",
    ),
    "current": ("Huidige organisatie: ", "Current organisation: "),
    "no_current": (
        "Nog geen organisatie gekozen (o om te kiezen).",
        "No organisation chosen yet (o to choose).",
    ),
    "reminders": ("Herinneringen", "Reminders"),
    "week": ("week", "week"),
    "reminders_failed": (
        "De controles bij het ontgrendelen konden niet worden uitgevoerd; "
        "voer 'vp-desk verify' uit.",
        "The checks at unlock could not be run; run 'vp-desk verify'.",
    ),
    "damaged_note": (
        "Een kluisbestand kon niet worden gelezen; 'vp-desk verify' geeft details.",
        "A vault file could not be read; 'vp-desk verify' gives details.",
    ),
    "key.cases": ("Casussen", "Cases"),
    "key.activities": ("Activiteiten", "Activities"),
    "key.report": ("Jaarverslag", "Report"),
    "key.switch_org": ("Organisatie", "Organisation"),
    "key.settings": ("Instellingen", "Settings"),
    "key.new_org": ("Nieuw", "New"),
    "key.edit_org": ("Bewerken", "Edit"),
    "key.open_org": ("Casussen", "Cases"),
    "key.retention": ("Bewaartermijn", "Retention"),
    "key.agenda": ("Agenda", "Agenda"),
    "key.remove_org": ("Wissen", "Remove"),
    "key.handover": ("Overdracht", "Hand-over"),
    "key.import": ("Overdracht importeren", "Import hand-over"),
    "agenda_title": ("Agenda (Enter opent)", "Agenda (Enter opens)"),
}

#: Seconds between the figures' frame and reading the agenda.
AGENDA_DELAY = 0.05
#: Reminder kinds the agenda shows as lines of its own.
AGENDA_KINDS = ("retention", "backup")

#: Names of the days (0 = Monday) and months (1 = January) for the date line.
DATE_NAMES = {
    "weekday0": ("maandag", "Monday"),
    "weekday1": ("dinsdag", "Tuesday"),
    "weekday2": ("woensdag", "Wednesday"),
    "weekday3": ("donderdag", "Thursday"),
    "weekday4": ("vrijdag", "Friday"),
    "weekday5": ("zaterdag", "Saturday"),
    "weekday6": ("zondag", "Sunday"),
    "month1": ("januari", "January"),
    "month2": ("februari", "February"),
    "month3": ("maart", "March"),
    "month4": ("april", "April"),
    "month5": ("mei", "May"),
    "month6": ("juni", "June"),
    "month7": ("juli", "July"),
    "month8": ("augustus", "August"),
    "month9": ("september", "September"),
    "month10": ("oktober", "October"),
    "month11": ("november", "November"),
    "month12": ("december", "December"),
}
register("vp_desk.tui.screens.dashboard:DATE_NAMES", DATE_NAMES)


def long_date(day: date, lang: str) -> str:
    weekday = pick(DATE_NAMES, f"weekday{day.weekday()}", lang)
    month = pick(DATE_NAMES, f"month{day.month}", lang)
    week = pick(STRINGS, "week", lang)
    return f"{weekday} {day.day} {month} {day.year} · {week} {day.isocalendar()[1]}"


def hours(minutes: int, lang: str) -> str:
    return format_hours(lang=lang, minutes=minutes, grouping=False)


def number(value: int, lang: str) -> str:
    return format_number(value, lang)


@dataclass(frozen=True)
class Row:
    org: Organisation
    stats: OrgStats | None  # None: the vault could not be read


@dataclass(frozen=True)
class Notice:
    """A reminder of the shell's own (same shape as services.reminders.Reminder)."""

    kind: str
    nl: str
    en: str


def load_reminders(desk, today: date) -> list:
    """The lifecycle part's reminders, if that part is there."""
    try:
        from vp_desk.services.reminders import unlock_reminders
    except ImportError:
        return []
    try:
        return list(unlock_reminders(desk, today))
    except DeskLocked:
        raise
    except Exception:  # a check that fails must not pass for a clean bill of health
        nl, en = STRINGS["reminders_failed"]
        return [Notice("error", nl, en)]


class DashboardScreen(WorkerFailures, LocalisedScreen):
    STRINGS = STRINGS
    BINDINGS = [
        Binding("c", "app.cases", "key.cases", id="dashboard.cases"),
        Binding("a", "app.activities", "key.activities", id="dashboard.activities"),
        Binding("r", "app.report", "key.report", id="dashboard.report"),
        Binding("o", "app.switch_org", "key.switch_org", id="dashboard.switch_org"),
        Binding("n", "new_org", "key.new_org", id="dashboard.new_org"),
        Binding("e", "edit_org", "key.edit_org", id="dashboard.edit_org"),
        Binding("s", "app.settings", "key.settings", id="dashboard.settings"),
        Binding("b", "retention", "key.retention", show=False, id="dashboard.retention"),
        Binding("g", "agenda", "key.agenda", id="dashboard.agenda"),
        Binding("delete", "app.remove_org", "key.remove_org", show=False, id="dashboard.remove"),
        Binding("h", "app.handover_export", "key.handover", show=False, id="dashboard.handover"),
        Binding("i", "app.handover_import", "key.import", show=False, id="dashboard.import"),
    ]

    @dataclass
    class Loaded(Message):
        rows: list[Row]

    @dataclass
    class AgendaLoaded(Message):
        items: list[AgendaItem] | None  # None: the agenda could not be read

    @dataclass
    class Reminded(Message):
        reminders: list

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] | None = None
        self.agenda: list[AgendaItem] | None = None
        self._built_lang: str | None = None

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield DeskHeader(icon="")
        yield Static(self._heading(), id="dash-heading")
        yield Static("", id="dash-current")
        yield Static("", id="dash-reminders")
        table: DataTable[Text | str] = DataTable(
            id="dash-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static(Text(pick(STRINGS, "loading", lang), style="dim"), id="dash-empty")
        # The agenda (AgendaList) is mounted when it arrives: not in the first frame's way.
        yield CoalescingFooter(compact=True, show_command_palette=False)

    def _heading(self) -> Text:
        text = Text(pick(STRINGS, "heading", self.lang), style="bold")
        text.append("   " + long_date(self.app.today, self.lang), style="dim")
        return text

    def on_mount(self) -> None:
        self._setup()
        self.reload()

    def _setup(self) -> None:
        self._built_lang = self.lang
        self.sub_title = pick(STRINGS, "subtitle", self.lang)
        table = self.query_one("#dash-table", DataTable)
        lang = self.lang
        table.add_column(Text(pick(STRINGS, "col_org", lang)), key="org")
        for key in ("open", "due", "past", "hours"):
            table.add_column(Text(pick(STRINGS, f"col_{key}", lang), justify="right"), key=key)
        table.display = False
        self._show_reminders(self.app.reminders)
        self._show_current()

    async def on_screen_resume(self) -> None:
        if self._built_lang is not None and self._built_lang != self.lang:
            localise(self, STRINGS, self.lang)
            await self.recompose()
            self._setup()
            if self.rows is not None:
                self.show_rows(self.rows)
            if self.agenda is not None:
                await self.show_agenda(self.agenda)
        if self.rows is not None:
            self.reload()
            self._load_agenda()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="dashboard")
    def _load(self) -> None:
        desk = self.app.desk
        if desk is None:
            return
        today = self.app.today
        rows = []
        with hold(desk):
            for org in desk.organisations():
                try:
                    rows.append(Row(org, desk.org_stats(org, today)))
                except DeskLocked:
                    raise
                except Exception:  # one damaged vault: one damaged row, the others show
                    rows.append(Row(org, None))
        self.post_message(self.Loaded(rows))

    @work(thread=True, exclusive=True, exit_on_error=False, group="reminders")
    def _remind(self) -> None:
        # Checking every audit trail takes a moment: never in the way of the figures.
        desk = self.app.desk
        if desk is None:
            return
        with hold(desk):
            reminders = load_reminders(desk, self.app.today)
        self.post_message(self.Reminded(reminders))

    @work(thread=True, exclusive=True, exit_on_error=False, group="agenda")
    def _load_agenda(self) -> None:
        desk = self.app.desk
        if desk is None:
            return
        from vp_desk.services.agenda import agenda

        try:
            with hold(desk):
                items = agenda(desk, self.app.today)
        except DeskLocked:  # locked under the query: the screen is gone
            return
        except Exception:  # a damaged index vault: the overview names it
            items = None
        self.post_message(self.AgendaLoaded(items))

    @on(AgendaLoaded)
    async def _agenda_loaded(self, event: AgendaLoaded) -> None:
        event.stop()
        if self.app.desk is not None:
            if event.items is not None:
                await self.show_agenda(event.items)
            # The checks come after the figures and the agenda: they hold the
            # interpreter a while and must not delay the first view.
            if self.app.reminders is None:
                self._remind()

    async def show_agenda(self, items: list[AgendaItem]) -> None:
        found = self.query("#dash-agenda")
        if found:
            widget = found.first(AgendaList)
        else:
            widget = AgendaList(id="dash-agenda")
            widget.border_title = pick(STRINGS, "agenda_title", self.lang)
            await self.mount(widget, before=self.query_one(CoalescingFooter))
        widget.show(items, self.lang, self.app.today)
        self.agenda = items

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        event.stop()
        first = self.rows is None
        self.show_rows(event.rows)
        if first:
            # After the figures' frame, never beside the figures' query (both read the
            # same vault connections), and not competing with that frame for the
            # interpreter; the unlock checks (reminders) follow the agenda.
            self.set_timer(AGENDA_DELAY, self._load_agenda)

    @on(Reminded)
    def _reminded(self, event: Reminded) -> None:
        event.stop()
        if self.app.desk is not None:
            self.app.reminders = event.reminders
            self._show_reminders(event.reminders)

    # -- showing --------------------------------------------------------------------------
    def show_rows(self, rows: list[Row]) -> None:
        self.rows = rows
        lang = self.lang
        table = self.query_one("#dash-table", DataTable)
        empty = self.query_one("#dash-empty", Static)
        if not rows:
            table.clear()
            table.display = False
            empty.display = True
            empty.update(Text(pick(STRINGS, "empty", lang)))
            self._show_current()
            return
        empty.display = False
        table.display = True
        if self.focused is None:  # keyboard first: the arrows work at once
            table.focus()
        lines = self._lines(rows)
        keys = [key for key, _cells in lines]
        if [k.value for k in table.rows] == keys:
            # The same organisations: new figures in place, the cursor stays put.
            columns = list(table.columns)
            for key, cells in lines:
                for column, cell in zip(columns, cells):
                    table.update_cell(key, column, cell)
        else:
            table.clear()
            for key, cells in lines:
                table.add_row(*cells, key=key)
            self.select_org(self.app.current_org_id)
        if any(row.stats is None for row in rows):
            empty.display = True
            empty.update(Text(pick(STRINGS, "damaged_note", lang), style="red"))
        self._show_current()

    def _lines(self, rows: list[Row]) -> list[tuple[str, list[Text]]]:
        """(row key, cells) for each organisation, and a total when there are several."""
        lang = self.lang
        totals = [0, 0, 0, 0]
        lines = []
        # A long name is cut so the last column stays on screen (issue 13).
        others = sum(
            max(len(pick(STRINGS, f"col_{key}", lang)), 9) + 2
            for key in ("open", "due", "past", "hours")
        )
        name_room = max(16, min(60, self.app.size.width - others - 6))
        for row in rows:
            if row.stats is None:
                cells = [Text(pick(STRINGS, "damaged", lang), style="red", justify="right")] * 4
            else:
                s = row.stats
                for i, v in enumerate(
                    (s.open_cases, s.follow_ups_due, s.past_retention, s.minutes_this_month)
                ):
                    totals[i] += v
                cells = [
                    Text(number(s.open_cases, lang), justify="right"),
                    Text(
                        number(s.follow_ups_due, lang),
                        justify="right",
                        style="bold yellow" if s.follow_ups_due else "",
                    ),
                    Text(
                        number(s.past_retention, lang),
                        justify="right",
                        style="bold red" if s.past_retention else "",
                    ),
                    Text(hours(s.minutes_this_month, lang), justify="right"),
                ]
            lines.append((str(row.org.id), [safe_line(row.org.name, limit=name_room), *cells]))
        if len(rows) > 1:
            lines.append(
                (
                    "total",
                    [
                        Text(pick(STRINGS, "total", lang), style="bold"),
                        *[Text(number(v, lang), justify="right", style="bold") for v in totals[:3]],
                        Text(hours(totals[3], lang), justify="right", style="bold"),
                    ],
                )
            )
        return lines

    def _show_reminders(self, reminders: list | None) -> None:
        widget = self.query_one("#dash-reminders", Static)
        # Past retention and the backup are lines of the agenda, with a way to act on them.
        reminders = [r for r in reminders or () if getattr(r, "kind", "") not in AGENDA_KINDS]
        if not reminders:
            widget.display = False
            return
        text = Text(pick(STRINGS, "reminders", self.lang), style="bold")
        for reminder in reminders:
            pair = (getattr(reminder, "nl", ""), getattr(reminder, "en", ""))
            line = choose(pair, self.lang)
            text.append("\n• ")
            text.append_text(safe_text(line))
        widget.update(text)
        widget.display = True

    def _show_current(self) -> None:
        widget = self.query_one("#dash-current", Static)
        org = self._org(self.app.current_org_id)
        if org is None:
            widget.update(Text(pick(STRINGS, "no_current", self.lang), style="dim"))
            return
        text = Text(pick(STRINGS, "current", self.lang), style="dim")
        text.append_text(safe_line(org.name, style="bold"))
        widget.update(text)

    def _org(self, org_id: int | None) -> Organisation | None:
        for row in self.rows or []:
            if row.org.id == org_id:
                return row.org
        return None

    def select_org(self, org_id: int | None) -> None:
        """Put the cursor on ``org_id`` (the first organisation if it is not there)."""
        table = self.query_one("#dash-table", DataTable)
        if not self.rows:
            return
        index = next((i for i, r in enumerate(self.rows) if r.org.id == org_id), 0)
        table.move_cursor(row=index)
        self.app.current_org_id = self.rows[index].org.id
        self._show_current()

    @on(DataTable.RowHighlighted, "#dash-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key is not None else None
        if key and key != "total" and self.rows:
            self.app.current_org_id = int(key)
            self._show_current()

    @on(DataTable.RowSelected, "#dash-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value if event.row_key is not None else None
        if key and key != "total":
            self.app.current_org_id = int(key)
            self.app.action_cases()

    # -- actions ----------------------------------------------------------------------------
    def action_new_org(self) -> None:
        from vp_desk.tui.screens.organisations import OrgFormScreen

        self.app.push_screen(OrgFormScreen(), self._after_form)

    def action_edit_org(self) -> None:
        from vp_desk.tui.screens.organisations import OrgFormScreen

        if self.app.current_org_id is not None and self.rows:
            self.app.push_screen(OrgFormScreen(self.app.current_org_id), self._after_form)

    def _after_form(self, org_id: int | None) -> None:
        if org_id is not None:
            self.app.current_org_id = org_id
            self.reload()

    def action_retention(self) -> None:
        self.app.action_retention()

    def action_agenda(self) -> None:
        for widget in self.query("#dash-agenda"):
            widget.focus()

    @on(AgendaList.OptionSelected, "#dash-agenda")
    def _agenda_selected(self, event: AgendaList.OptionSelected) -> None:
        event.stop()
        agenda = self.query_one("#dash-agenda", AgendaList)
        if event.option.id is None:
            return
        open_agenda_item(self.app, agenda.items[int(event.option.id)])
