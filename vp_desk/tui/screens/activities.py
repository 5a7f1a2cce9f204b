"""The activity log of one organisation: prevention and other work outside cases.

A year at a time: the list of activities and the hours per type, which the
annual report shows as the VP's prevention work.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Select, Static

from vp_desk import vocabulary as voc
from vp_desk.domain import models
from vp_desk.domain.models import Activity, ActivityInput
from vp_desk.i18n import format_hours
from vp_desk.tui.dialogs.confirm import ConfirmDialog
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line
from vp_desk.tui.screens.form_base import RecordForm, register_draft_kind
from vp_desk.tui.widgets.case_keys import localise_bindings
from vp_desk.tui.widgets.notify import notify_safe

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

DRAFT_KIND = "activity_form"

STRINGS = {
    "title": ("Activiteiten", "Activities"),
    "year": ("Jaar", "Year"),
    "col_date": ("Datum", "Date"),
    "col_kind": ("Soort", "Type"),
    "col_minutes": ("Min", "Min"),
    "col_notes": ("Notities", "Notes"),
    "totals": ("Uren per soort in {year}", "Hours per type in {year}"),
    "total": ("Totaal", "Total"),
    "hours": ("{h} u", "{h} h"),
    "empty": ("Nog geen activiteiten in {year}.", "No activities in {year} yet."),
    "new": ("Nieuwe activiteit", "New activity"),
    "edit": ("Bewerken", "Edit"),
    "delete": ("Wissen", "Delete"),
    "back": ("Terug", "Back"),
    "confirm_delete": (
        "Activiteit van {day} ({kind}) wissen?",
        "Delete the activity of {day} ({kind})?",
    ),
    "deleted": ("Activiteit gewist.", "Activity deleted."),
    "none_selected": ("Kies eerst een activiteit.", "Choose an activity first."),
    # the form
    "new_title": ("Nieuwe activiteit", "New activity"),
    "edit_title": ("Activiteit bewerken", "Edit activity"),
    "date": ("Datum", "Date"),
    "kind": ("Soort activiteit", "Type of activity"),
    "minutes": ("Minuten (0-1440)", "Minutes (0-1440)"),
    "notes": ("Notities", "Notes"),
    "choose": ("Kies…", "Choose…"),
    "save": ("Opslaan", "Save"),
    "cancel": ("Terug", "Back"),
    "saved": ("Activiteit opgeslagen.", "Activity saved."),
}


def hours(minutes: int, lang: str) -> str:
    return pick(STRINGS, "hours", lang, h=format_hours(lang=lang, minutes=minutes, grouping=False))


class ActivityScreen(Screen):
    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "activities.tcss"

    BINDINGS = [
        Binding("n", "new", "new", id="activities.new"),
        Binding("e", "edit", "edit", id="activities.edit"),
        Binding("delete,d", "delete", "delete", id="activities.delete"),
        Binding("escape", "back", "back", id="activities.back"),
    ]

    def __init__(self, org_id: int, *, year: int | None = None, today: date | None = None) -> None:
        super().__init__()
        self.org_id = org_id
        self.today = today or models.today()
        self.year = year or self.today.year
        self.activities: list[Activity] = []

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "nl")

    def compose(self) -> ComposeResult:
        lang = self.lang
        org = self.app.unlocked_desk.organisation(self.org_id)
        title = Text(pick(STRINGS, "title", lang) + " — ")
        title.append_text(safe_line(org.name))
        yield Label(title, id="activities-title")
        years = self._years()
        with Horizontal(id="activities-top"):
            yield Label(pick(STRINGS, "year", lang))
            yield Select(
                [(Text(str(y)), y) for y in years],
                value=self.year,
                allow_blank=False,
                id="activity-year",
                compact=True,
            )
        with Horizontal(id="activities-body"):
            yield DataTable(id="activity-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="activity-totals")
        yield Footer()

    def _years(self) -> list[int]:
        found = {a.date.year for a in self.app.unlocked_desk.list_activities(self.org_id)}
        return sorted(found | {self.today.year, self.year}, reverse=True)

    def on_mount(self) -> None:
        localise_bindings(self, STRINGS, self.lang)
        table = self.query_one("#activity-table", DataTable)
        for key, width in (
            ("col_date", 10),
            ("col_kind", 26),
            ("col_minutes", 5),
            ("col_notes", 26),
        ):
            table.add_column(pick(STRINGS, key, self.lang), width=width, key=key)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    @on(Select.Changed, "#activity-year")
    def _year_changed(self, event: Select.Changed) -> None:
        if event.value != Select.NULL and event.value != self.year:
            self.year = int(str(event.value))
            self.reload()

    def reload(self) -> None:
        desk = self.app.desk
        if desk is None:
            return
        self.activities = desk.list_activities(
            self.org_id, start=date(self.year, 1, 1), end=date(self.year, 12, 31)
        )
        table = self.query_one("#activity-table", DataTable)
        keep = table.cursor_row
        table.clear()
        for a in self.activities:
            table.add_row(
                safe_line(a.date.isoformat()),
                safe_line(voc.label("activity", a.kind, self.lang)),
                safe_line(str(a.minutes)),
                safe_line(a.notes, limit=60),
                key=str(a.id),
            )
        if self.activities:
            table.move_cursor(row=min(keep, len(self.activities) - 1))
        self.query_one("#activity-totals", Static).update(self._totals())

    def _totals(self) -> Table | Text:
        lang = self.lang
        if not self.activities:
            return Text(pick(STRINGS, "empty", lang, year=self.year))
        per_kind: Counter[str] = Counter()
        for a in self.activities:
            per_kind[a.kind] += a.minutes
        grid = Table(
            title=pick(STRINGS, "totals", lang, year=self.year),
            title_justify="left",
            box=None,
            show_header=False,
            padding=(0, 1),
        )
        grid.add_column()
        grid.add_column(justify="right", no_wrap=True)
        for code, term in voc.ACTIVITIES.items():
            if per_kind[code]:
                grid.add_row(Text(term.label(lang)), Text(hours(per_kind[code], lang)))
        grid.add_row(
            Text(pick(STRINGS, "total", lang), style="bold"),
            Text(hours(sum(per_kind.values()), lang), style="bold"),
        )
        return grid

    def selected(self) -> Activity | None:
        table = self.query_one("#activity-table", DataTable)
        if not self.activities or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        found = [a for a in self.activities if str(a.id) == key]
        return found[0] if found else None

    def action_new(self) -> None:
        default = self.today if self.year == self.today.year else date(self.year, 1, 1)
        self.app.push_screen(ActivityFormScreen(self.org_id, today=default))

    @on(DataTable.RowSelected, "#activity-table")
    def action_edit(self) -> None:
        activity = self.selected()
        if activity is None:
            notify_safe(self, Text(pick(STRINGS, "none_selected", self.lang)), severity="warning")
            return
        self.app.push_screen(ActivityFormScreen(self.org_id, activity, today=self.today))

    def action_delete(self) -> None:
        activity = self.selected()
        if activity is None:
            notify_safe(self, Text(pick(STRINGS, "none_selected", self.lang)), severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.unlocked_desk.delete_activity(self.org_id, activity.id)
                self.reload()
                notify_safe(self, Text(pick(STRINGS, "deleted", self.lang)))

        question = pick(
            STRINGS,
            "confirm_delete",
            self.lang,
            day=activity.date.isoformat(),
            kind=voc.label("activity", activity.kind, self.lang),
        )
        self.app.push_screen(ConfirmDialog(question, lang=self.lang, danger=True), answered)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


class ActivityFormScreen(RecordForm):
    """Adding or editing one activity; dismisses with True once saved."""

    DRAFT_KIND = DRAFT_KIND
    CHOICE = "kind"
    DIMENSION = "activity"
    STRINGS = STRINGS

    def heading(self) -> str:
        return pick(STRINGS, "edit_title" if self.record else "new_title", self.lang)

    def draft_identity(self) -> dict[str, Any]:
        return {
            "org_id": self.org_id,
            "title": self.heading(),
            "activity_id": self.record.id if self.record else None,
        }

    def store(self, values: dict[str, Any]) -> None:
        data = ActivityInput(values["date"], values["kind"], values["minutes"], values["notes"])
        if self.record is None:
            self.app.unlocked_desk.add_activity(self.org_id, data)
        else:
            self.app.unlocked_desk.update_activity(self.org_id, self.record.id, data)
        notify_safe(self, Text(pick(STRINGS, "saved", self.lang)))


def restore_draft(app, payload: dict) -> None:
    org_id = int(payload["org_id"])
    wanted = payload.get("activity_id")
    found = [a for a in app.desk.list_activities(org_id) if a.id == wanted] if wanted else []
    app.push_screen(ActivityFormScreen(org_id, found[0] if found else None, draft=payload))


register_draft_kind(DRAFT_KIND, restore_draft, ("Activiteit", "Activity"))
