"""One case: its fields, the repeat-subject signal, contact moments and timeline.

Every note is shown in full, read-only and wrapped: the case notes under the
fields, each contact moment's notes in the timeline. The whole case scrolls as
one; below 100 columns the two columns stack, so an 80x24 terminal shows the
timeline at full width instead of cut.
"""

from __future__ import annotations

import importlib.util
from datetime import date
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import events, getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from vp_desk import vocabulary as voc
from vp_desk.domain import models
from vp_desk.domain.models import Case, Consultation
from vp_desk.errors import VpDeskError
from vp_desk.i18n import error_text
from vp_desk.tui.dialogs.case_dialogs import CloseCaseScreen
from vp_desk.tui.dialogs.confirm import ConfirmDialog
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line, safe_text
from vp_desk.tui.widgets.case_keys import localise_bindings
from vp_desk.tui.widgets.clipboard import copy_to_clipboard
from vp_desk.tui.widgets.notify import notify_safe

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "title": ("Casus {code}", "Case {code}"),
    "opened": ("Geopend", "Opened"),
    "closed": ("Gesloten", "Closed"),
    "status": ("Status", "Status"),
    "behaviours": ("Gedrag", "Behaviour"),
    "primary": ("hoofdgedrag", "primary"),
    "follow_up": ("Volgende vervolgafspraak", "Next follow-up"),
    "notes": ("Notities", "Notes"),
    "hold": ("Bewaarplicht", "Legal hold"),
    "destroyed": ("Dossier vernietigd op {day}", "Dossier destroyed on {day}"),
    "repeat_one": (
        "Let op: 1 andere casus gaat over dezelfde persoon.",
        "Note: 1 other case is about this person.",
    ),
    "repeat_many": (
        "Let op: {n} andere casussen gaan over dezelfde persoon.",
        "Note: {n} other cases are about this person.",
    ),
    "contacts": ("Contactmomenten ({n}, {minutes} min)", "Contact moments ({n}, {minutes} min)"),
    "timeline": ("Tijdlijn", "Timeline"),
    "col_date": ("Datum", "Date"),
    "col_minutes": ("Min", "Min"),
    "col_channel": ("Kanaal", "Channel"),
    "col_notes": ("Notities", "Notes"),
    "ev_opened": ("Casus geopend", "Case opened"),
    "ev_consultation": ("Contactmoment, {minutes} min", "Contact moment, {minutes} min"),
    "ev_follow_up": ("Vervolgafspraak", "Follow-up"),
    "ev_closed": ("Casus gesloten", "Case closed"),
    "edit": ("Bewerken", "Edit"),
    "add_contact": ("Nieuw contact", "New contact"),
    "delete_contact": ("Wis contact", "Delete contact"),
    "close": ("Sluiten", "Close case"),
    "reopen": ("Heropenen", "Reopen"),
    "copy": ("Kopieer", "Copy code"),
    "export": ("Exporteren", "Export"),
    "back": ("Terug", "Back"),
    "delete_case": ("Verwijder casus", "Delete case"),
    "destroy_case": ("Vernietig nu", "Destroy now"),
    "confirm_delete": ("Contactmoment van {day} wissen?", "Delete the contact moment of {day}?"),
    "confirm_reopen": ("Casus {code} heropenen?", "Reopen case {code}?"),
    "closed_note": ("Casus {code} gesloten.", "Case {code} closed."),
    "reopened_note": ("Casus {code} heropend.", "Case {code} reopened."),
    "copied": (
        "Code {code} gekopieerd; het klembord wordt over 20 s gewist.",
        "Code {code} copied; the clipboard is cleared in 20 s.",
    ),
    "no_export": (
        "Dossier exporteren is nog niet beschikbaar.",
        "Exporting a dossier is not available yet.",
    ),
    "no_contact": ("Kies eerst een contactmoment.", "Choose a contact moment first."),
    "contact_keys": ("enter bewerken · del wissen", "enter edit · del delete"),
}

FIELDS = ("channel", "contact_role", "relation", "help", "referrals", "outcome")


def _day(value: date | None) -> str:
    return value.isoformat() if value else "—"


class CaseViewScreen(Screen):
    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "case_view.tcss"
    #: Below this width the two columns stack.
    NARROW = 100

    BINDINGS = [
        Binding("e", "edit", "edit", id="case_view.edit"),
        Binding("n", "add_contact", "add_contact", id="case_view.add_contact"),
        Binding(
            "delete,d",
            "delete_contact",
            "delete_contact",
            id="case_view.delete_contact",
            show=False,
        ),
        Binding("x", "close_case", "close", id="case_view.close"),
        Binding("h", "reopen_case", "reopen", id="case_view.reopen"),
        Binding("y", "copy_code", "copy", id="case_view.copy"),
        Binding("p", "export_dossier", "export", id="case_view.export"),
        Binding("escape", "back", "back", id="case_view.back"),
        # h7-desk: a case logged by mistake / erasure at the melder's request.
        Binding("w", "delete_case", "delete_case", show=False, id="case_view.delete_case"),
        Binding("v", "destroy_case", "destroy_case", show=False, id="case_view.destroy_case"),
    ]

    def __init__(self, org_id: int, case_id: int, *, today: date | None = None) -> None:
        super().__init__()
        self.org_id = org_id
        self.case_id = case_id
        self.today = today or models.today()
        self.case: Case | None = None

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "nl")

    def compose(self) -> ComposeResult:
        yield Label("", id="case-view-title")
        with VerticalScroll(id="case-view-body"):
            with Horizontal(id="case-columns"):
                with Vertical(id="case-details"):
                    yield Static("", id="case-fields")
                    yield Label("", id="repeat-signal")
                    yield Label(pick(STRINGS, "notes", self.lang), classes="section")
                    yield Static("", id="case-notes")
                with Vertical(id="case-side"):
                    yield Label("", id="contacts-title", classes="section")
                    yield DataTable(id="contacts", cursor_type="row", zebra_stripes=True)
                    yield Label(pick(STRINGS, "contact_keys", self.lang), id="contact-keys")
                    yield Label(pick(STRINGS, "timeline", self.lang), classes="section")
                    yield Static("", id="timeline")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#case-columns").set_class(event.size.width < self.NARROW, "-narrow")

    def on_mount(self) -> None:
        localise_bindings(self, STRINGS, self.lang)
        table = self.query_one("#contacts", DataTable)
        for key, width in (
            ("col_date", 10),
            ("col_minutes", 4),
            ("col_channel", 12),
            ("col_notes", 22),
        ):
            table.add_column(pick(STRINGS, key, self.lang), width=width, key=key)
        self.reload()
        table.focus(scroll_visible=False)  # the case opens at its top

    def on_screen_resume(self) -> None:
        if self.case is not None:
            self.reload()

    # -- showing -------------------------------------------------------------------------
    def reload(self) -> None:
        desk = self.app.desk
        if desk is None:
            return
        lang = self.lang
        self.case = case = desk.get_case(self.org_id, self.case_id)
        title = Text(pick(STRINGS, "title", lang, code=case.code), style="bold")
        title.append("  " + voc.label("status", case.status, lang))
        self.query_one("#case-view-title", Label).update(title)
        self.query_one("#case-fields", Static).update(self._fields_table(case))
        count = desk.repeat_subject_count(self.org_id, self.case_id)
        signal = self.query_one("#repeat-signal", Label)
        signal.display = count > 0
        signal.update(
            Text(pick(STRINGS, "repeat_one" if count == 1 else "repeat_many", lang, n=count))
        )
        self.query_one("#case-notes", Static).update(safe_text(case.notes or "—"))
        self._fill_contacts(case)
        self.query_one("#timeline", Static).update(self._timeline())
        self.refresh_bindings()

    def _fields_table(self, case: Case) -> Table:
        lang = self.lang
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()

        def row(label: str, value: str | Text) -> None:
            grid.add_row(Text(label), value if isinstance(value, Text) else safe_text(value))

        row(pick(STRINGS, "opened", lang), _day(case.opened))
        row(pick(STRINGS, "closed", lang), _day(case.closed))
        behaviours = [
            voc.label("behaviour", b, lang)
            + (f" ({pick(STRINGS, 'primary', lang)})" if b == case.primary_behaviour else "")
            for b in case.behaviours
        ]
        row(pick(STRINGS, "behaviours", lang), ", ".join(behaviours) or "—")
        for name in FIELDS:
            value = getattr(case, name)
            codes = value if isinstance(value, tuple) else ((value,) if value else ())
            row(
                voc.DIMENSION_TITLES[name].label(lang),
                ", ".join(voc.label(name, c, lang) for c in codes) or "—",
            )
        row(pick(STRINGS, "follow_up", lang), _day(case.follow_up))
        if case.legal_hold:
            row(pick(STRINGS, "hold", lang), safe_text(case.hold_reason or "✓"))
        if case.destroyed:
            grid.add_row(Text(""), Text(pick(STRINGS, "destroyed", lang, day=_day(case.destroyed))))
        return grid

    def _fill_contacts(self, case: Case) -> None:
        table = self.query_one("#contacts", DataTable)
        keep = table.cursor_row
        table.clear()
        for c in case.consultations:
            table.add_row(
                safe_line(_day(c.date)),
                safe_line(str(c.minutes)),
                safe_line(voc.label("channel", c.channel, self.lang) if c.channel else "—"),
                safe_line(c.notes, limit=60),
                key=str(c.id),
            )
        if case.consultations:
            table.move_cursor(row=min(keep, len(case.consultations) - 1))
        self.query_one("#contacts-title", Label).update(
            Text(
                pick(
                    STRINGS, "contacts", self.lang, n=len(case.consultations), minutes=case.minutes
                )
            )
        )

    def _timeline(self) -> Table:
        """Each event on its own line; a contact moment's notes below it, in full."""
        lang = self.lang
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for entry in self.app.unlocked_desk.timeline(self.org_id, self.case_id):
            what = Text(pick(STRINGS, f"ev_{entry.kind}", lang, minutes=entry.minutes))
            what.stylize("bold")
            if entry.channel:
                what.append(f" ({voc.label('channel', entry.channel, lang)})")
            grid.add_row(Text(_day(entry.date)), what)
            if entry.notes:
                grid.add_row(Text(""), safe_text(entry.notes))
        return grid

    # -- actions -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.case is None:
            return True
        if action == "close_case":
            return self.case.status == "open"
        if action == "reopen_case":
            return self.case.status == "closed"
        return True

    def selected_consultation(self) -> Consultation | None:
        table = self.query_one("#contacts", DataTable)
        if self.case is None or not self.case.consultations or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        found = [c for c in self.case.consultations if str(c.id) == key]
        return found[0] if found else None

    def action_edit(self) -> None:
        from vp_desk.tui.screens.case_form import CaseFormScreen

        self.app.push_screen(CaseFormScreen(self.org_id, self.case_id, today=self.today))

    def action_add_contact(self) -> None:
        from vp_desk.tui.screens.consultation_form import ConsultationFormScreen

        self.app.push_screen(ConsultationFormScreen(self.org_id, self.case_id, today=self.today))

    @on(DataTable.RowSelected, "#contacts")
    def _edit_contact(self) -> None:
        from vp_desk.tui.screens.consultation_form import ConsultationFormScreen

        consultation = self.selected_consultation()
        if consultation is not None:
            self.app.push_screen(
                ConsultationFormScreen(self.org_id, self.case_id, consultation, today=self.today)
            )

    def action_delete_contact(self) -> None:
        consultation = self.selected_consultation()
        if consultation is None:
            notify_safe(self, Text(pick(STRINGS, "no_contact", self.lang)), severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.unlocked_desk.delete_consultation(self.org_id, consultation.id)
                self.reload()

        self.app.push_screen(
            ConfirmDialog(
                pick(STRINGS, "confirm_delete", self.lang, day=_day(consultation.date)),
                lang=self.lang,
                danger=True,
            ),
            answered,
        )

    def action_close_case(self) -> None:
        assert self.case is not None
        code = self.case.code

        def done(closed: bool | None) -> None:
            if closed:
                self.reload()
                notify_safe(self, Text(pick(STRINGS, "closed_note", self.lang, code=code)))

        self.app.push_screen(
            CloseCaseScreen(self.org_id, self.case_id, self.case.code, self.lang, self.today), done
        )

    def action_reopen_case(self) -> None:
        assert self.case is not None
        code = self.case.code

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.app.unlocked_desk.reopen_case(self.org_id, self.case_id)
            except VpDeskError as exc:
                notify_safe(self, Text(error_text(exc, self.lang)), severity="error")
                return
            self.reload()
            notify_safe(self, Text(pick(STRINGS, "reopened_note", self.lang, code=code)))

        self.app.push_screen(
            ConfirmDialog(pick(STRINGS, "confirm_reopen", self.lang, code=code), lang=self.lang),
            answered,
        )

    def action_copy_code(self) -> None:
        assert self.case is not None
        copy_to_clipboard(self.app, self.case.code)
        notify_safe(self, Text(pick(STRINGS, "copied", self.lang, code=self.case.code)))

    def action_export_dossier(self) -> None:
        if importlib.util.find_spec("vp_desk.tui.dialogs.export") is None:
            notify_safe(self, Text(pick(STRINGS, "no_export", self.lang)), severity="warning")
            return
        from vp_desk.tui.dialogs.export import export_dossier

        export_dossier(self.app, self.org_id, self.case_id)

    def action_delete_case(self) -> None:
        from vp_desk.tui.dialogs.case_erasure import ask_delete

        ask_delete(self)

    def action_destroy_case(self) -> None:
        from vp_desk.tui.dialogs.case_erasure import ask_destroy

        ask_destroy(self)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
