"""Hours over a chosen period, and the invoice specification for the employer.

``HoursDialog(org_id, lang)`` (command palette "Hours and invoice
specification", and a button on the report's Export tab):

- **Show hours** lists the exact hours per activity type and on cases for any
  period: the adviser's own view, marked as such, never written anywhere;
- **Write specification** writes the invoice specification that is safe to
  send to the employer (``reporting.invoice``): whole months, half hours,
  casework and prevention combined unless the organisation's choice says
  otherwise, checked against every earlier specification and recorded. An
  existing file is only replaced after a confirmation;
- two per-organisation choices, stored at once: disclose casework hours (the
  annual report then says so) and show casework and prevention separately.

The same rules as ``vp-desk hours ORG [--invoice]``: both call the services.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from vp_desk.errors import VpDeskError
from vp_desk.i18n import error_text, message
from vp_desk.services import reporting
from vp_desk.tui import drafts
from vp_desk.tui.desk_guard import DeskLocked
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line, safe_text
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "title": ("Uren · {org}", "Hours · {org}"),
    "from": ("Van", "From"),
    "to": ("Tot en met", "To"),
    "show": ("Tonen (voor uzelf)", "Show (for yourself)"),
    "own_use": (
        "Alleen voor uzelf: exacte minuten per dag kunnen één contact verraden. Stuur de "
        "werkgever de urenspecificatie hieronder.",
        "For your own use only: exact minutes per day can give away a single contact. Send "
        "the employer the specification below.",
    ),
    "invoice_heading": (
        "Urenspecificatie voor de werkgever (hele maanden, halve uren)",
        "Invoice specification for the employer (whole months, half hours)",
    ),
    "disclose": (
        "Uren aan meldingen van deze organisatie bekendmaken (het jaarverslag vermeldt dat)",
        "Disclose this organisation's casework hours (the annual report says so)",
    ),
    "split": (
        "Meldingen en preventie apart op de specificatie",
        "Cases and prevention separately on the specification",
    ),
    "path": ("Bestand", "File"),
    "write": ("Specificatie schrijven", "Write specification"),
    "close": ("Sluiten (Esc)", "Close (Esc)"),
    "bad_date": (
        "Geef de datums als 2026-01-31 of 31-1-2026.",
        "Give the dates as 2026-01-31 or 31-1-2026.",
    ),
    "no_path": ("Geef een bestandsnaam.", "Give a file name."),
    "activity": ("Soort", "Kind"),
    "count": ("Aantal", "Number"),
    "minutes": ("Minuten", "Minutes"),
    "hours": ("Uren", "Hours"),
    "written": ("Specificatie geschreven naar {path}.", "Specification written to {path}."),
    "recorded": (" Vastgelegd bij de eerdere specificaties.", " Recorded with the earlier ones."),
    "unchanged": (" Dezelfde specificatie was er al.", " The same specification existed."),
    "not_replaced": (
        "Niets geschreven: het bestand bestaat al.",
        "Nothing written: the file exists.",
    ),
    "failed": ("Niet gelukt: {error}", "That did not work: {error}"),
    "choice_saved": ("Keuze opgeslagen.", "Choice saved."),
    # The suggested file name (the employer reads it too).
    "file_stem": ("urenspecificatie", "hours-specification"),
    "draft_label": ("Uren en urenspecificatie", "Hours and invoice specification"),
}
DRAFT_KIND = "hours"


def previous_month(today: date) -> tuple[date, date]:
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


class HoursDialog(drafts.FieldDrafts, WorkerFailures, ModalScreen[None]):
    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    #: The period, the format and the file name come back after a lock (issue 13);
    #: the two choices are stored as soon as they are ticked.
    DRAFT_KIND = DRAFT_KIND
    DRAFT_FIELDS = ("hours-from", "hours-to", "hours-format", "hours-path")

    CSS_PATH = "hours.tcss"
    AUTO_FOCUS = "#hours-from"
    BINDINGS = [Binding("escape", "close", show=False)]

    class Shown(Message):
        def __init__(
            self,
            table: Table | None,
            text: str,
            ok: bool,
            summary: reporting.HoursSummary | None = None,
        ) -> None:
            super().__init__()
            self.table, self.text, self.ok = table, text, ok
            self.summary = summary

    def __init__(self, org_id: int, lang: str, *, today: date | None = None) -> None:
        super().__init__()
        self.org_id = org_id
        self.lang = lang
        self.today = today or date.today()
        self.message = ""
        self.summary: reporting.HoursSummary | None = None  # what is shown
        self._lock = threading.Lock()
        self._ready = False

    def _s(self, key: str, **params: object) -> str:
        return pick(STRINGS, key, self.lang, **params)

    def draft_extra(self) -> dict:
        return {"org_id": self.org_id}

    def compose(self) -> ComposeResult:
        s = self._s
        desk = self.app.unlocked_desk
        org = desk.organisation(self.org_id)
        first, last = previous_month(self.today)
        with Vertical(classes="dialog"):
            yield Static(safe_line(s("title", org=org.name)), classes="dialog-title")
            with VerticalScroll(id="hours-body"):
                yield from self._body(org.name, first, last)
            yield Static("", id="hours-result")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(s("close")), id="hours-close")
                yield Button(Text(s("write")), id="hours-write", variant="primary")

    def _body(self, name: str, first: date, last: date) -> ComposeResult:
        s = self._s
        desk = self.app.unlocked_desk
        with Horizontal(id="hours-period"):
            yield Label(s("from"))
            yield Input(first.isoformat(), id="hours-from", max_length=10)
            yield Label(s("to"))
            yield Input(last.isoformat(), id="hours-to", max_length=10)
            yield Button(Text(s("show")), id="hours-show")
        yield Static("", id="hours-detail")
        yield Static(Text(s("own_use")), id="hours-own")
        yield Static(Text(s("invoice_heading"), style="bold"))
        yield Checkbox(
            s("disclose"),
            reporting.disclose_case_hours(desk, self.org_id),
            id="hours-disclose",
        )
        yield Checkbox(s("split"), reporting.invoice_split(desk, self.org_id), id="hours-split")
        with Horizontal(id="hours-invoice-row"):
            yield Select(
                [("Markdown", "md"), ("CSV", "csv")],
                value="md",
                allow_blank=False,
                id="hours-format",
            )
            yield Input(self._default_path(name, first, "md"), id="hours-path")

    def on_mount(self) -> None:
        self._ready = True

    def _default_path(self, name: str, first: date, fmt: str) -> str:
        stem = pick(STRINGS, "file_stem", self.lang)
        part = reporting.safe_file_part(name)
        return str(Path.home() / f"{stem}-{part}-{first:%Y-%m}.{fmt}")

    def _period(self) -> tuple[date, date] | None:
        from vp_desk.domain.models import parse_date

        try:
            first = parse_date(self.query_one("#hours-from", Input).value.strip())
            last = parse_date(self.query_one("#hours-to", Input).value.strip())
        except (ValueError, OverflowError):
            first = last = None
        if first is None or last is None:
            self._result(self._s("bad_date"), False)
            return None
        return first, last

    def _result(self, text: str, ok: bool) -> None:
        self.message = text
        self.query_one("#hours-result", Static).update(safe_text(text, "" if ok else "bold"))

    # -- choices -------------------------------------------------------------------------------
    @on(Checkbox.Changed, "#hours-disclose")
    def _disclose_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if self._ready:
            with self._lock:
                reporting.set_disclose_case_hours(self.app.unlocked_desk, self.org_id, event.value)
            self._result(self._s("choice_saved"), True)

    @on(Checkbox.Changed, "#hours-split")
    def _split_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if self._ready:
            with self._lock:
                reporting.set_invoice_split(self.app.unlocked_desk, self.org_id, event.value)
            self._result(self._s("choice_saved"), True)

    @on(Select.Changed, "#hours-format")
    def _format_changed(self, event: Select.Changed) -> None:
        event.stop()
        field = self.query_one("#hours-path", Input)
        # The format shown now: the Select's first Changed (on mount) may come after
        # a restored draft put its values back.
        fmt = str(self.query_one("#hours-format", Select).value)
        if field.value.strip():
            field.value = str(Path(field.value.strip()).with_suffix("." + fmt))

    # -- the adviser's own view ------------------------------------------------------------------
    @on(Button.Pressed, "#hours-show")
    @on(Input.Submitted, "#hours-from, #hours-to")
    def _show_pressed(self, event: Message) -> None:
        event.stop()
        period = self._period()
        if period is not None:
            self._show(*period)

    @work(thread=True, exclusive=True, exit_on_error=False, group="hours")
    def _show(self, first: date, last: date) -> None:
        desk = self.app.unlocked_desk  # DeskLocked ends the worker silently
        try:
            with self._lock:
                summary = reporting.hours(desk, self.org_id, first, last, lang=self.lang)
        except DeskLocked:  # locked meanwhile: the dialog is going away (before VpDeskError)
            return
        except VpDeskError as exc:
            self.post_message(
                self.Shown(None, self._s("failed", error=error_text(exc, self.lang)), False)
            )
            return
        from vp_desk import vocabulary as voc
        from vp_desk.reports.strings import number_text

        table = Table(expand=True, show_edge=False)
        table.add_column(self._s("activity"))
        table.add_column(self._s("count"), justify="right")
        table.add_column(self._s("minutes"), justify="right")
        table.add_column(self._s("hours"), justify="right")
        rows = [(reporting_label("cases", self.lang), "", summary.case_minutes)]
        rows += [
            (voc.label("activity", code, self.lang), str(count), minutes)
            for code, (count, minutes) in summary.activities.items()
            if count or minutes
        ]
        for label, count, minutes in rows:
            table.add_row(Text(label), count, str(minutes), number_text(minutes / 60, self.lang, 2))
        table.add_row(
            Text(reporting_label("total", self.lang), style="bold"),
            "",
            str(summary.total_minutes),
            Text(number_text(summary.total_minutes / 60, self.lang, 2), style="bold"),
        )
        self.post_message(self.Shown(table, "", True, summary))

    @on(Shown)
    def _shown(self, event: Shown) -> None:
        event.stop()
        if event.table is not None:
            self.summary = event.summary
            self.query_one("#hours-detail", Static).update(event.table)
        self._result(event.text, event.ok)

    # -- the specification ------------------------------------------------------------------------
    @on(Button.Pressed, "#hours-write")
    def _write_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        period = self._period()
        if period is None:
            return
        try:  # before asking about the file: a period that can never go out
            reporting.check_invoice_period(*period)
        except VpDeskError as exc:
            self._result(self._s("failed", error=error_text(exc, self.lang)), False)
            return
        value = self.query_one("#hours-path", Input).value.strip()
        if not value:
            self._result(self._s("no_path"), False)
            return
        path = Path(value).expanduser()
        fmt = str(self.query_one("#hours-format", Select).value)
        from vp_desk.tui.dialogs.export import confirm_overwrite

        confirm_overwrite(
            self,
            path,
            self.lang,
            lambda replace: self._write(*period, fmt, path, replace),
            lambda: self._result(self._s("not_replaced"), False),
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="hours")
    def _write(self, first: date, last: date, fmt: str, path: Path, replace: bool) -> None:
        desk = self.app.unlocked_desk  # DeskLocked ends the worker silently
        try:
            with self._lock:
                reporting.check_out_path(path, force=replace)
                spec = reporting.invoice(desk, self.org_id, first, last, lang=self.lang)
                data = reporting.render_invoice(spec, fmt)
                status = reporting.record_invoice(desk, self.org_id, spec)
                from vp_desk.services.storage import atomic_write

                atomic_write(path, data, what=message("what_hours_file"))
                desk.record_event(
                    self.org_id, "hours.invoice", f"{first.isoformat()}..{last.isoformat()}"
                )
        except DeskLocked:  # locked meanwhile (a VpDeskError: caught first)
            return
        except VpDeskError as exc:
            self.post_message(
                self.Shown(None, self._s("failed", error=error_text(exc, self.lang)), False)
            )
            return
        except OSError as exc:
            error = exc.strerror or "I/O"
            self.post_message(self.Shown(None, self._s("failed", error=error), False))
            return
        text = self._s("written", path=str(path)) + self._s(status)
        self.post_message(self.Shown(None, text, True))

    # -- closing -------------------------------------------------------------------------------
    @on(Button.Pressed, "#hours-close")
    def _close_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def reporting_label(key: str, lang: str) -> str:
    from vp_desk.reports.strings import s

    return s("hours_cases_row" if key == "cases" else "total", lang)


def open_hours(app, org_id: int) -> None:
    app.push_screen(HoursDialog(org_id, app.lang, today=getattr(app, "fixed_today", None)))


def _restore_draft(app, payload: dict) -> HoursDialog:
    return HoursDialog(int(payload["org_id"]), app.lang, today=getattr(app, "fixed_today", None))


drafts.register_restorer(
    DRAFT_KIND, drafts.field_restorer(_restore_draft), label=STRINGS["draft_label"]
)
