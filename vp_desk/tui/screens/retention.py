"""Retention review: cases past their retention period, legal holds, destruction.

Shows every closed case that is due or on hold, over all organisations
(never notes). The VP puts a case on legal hold with a reason (h), lifts a
hold (u), destroys one case (d) or everything due (D), each after a
confirmation. Destruction runs in a worker: it vacuums the vault.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Static

from vp_desk.domain.models import MAX_HOLD_REASON
from vp_desk.errors import VpDeskError
from vp_desk.i18n import error_text, t
from vp_desk.services import retention
from vp_desk.tui import drafts
from vp_desk.tui.dialogs.confirm import ConfirmDialog
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line, safe_text
from vp_desk.tui.widgets.header import DeskHeader
from vp_desk.tui.widgets.lang import localise
from vp_desk.tui.widgets.notify import notify_safe
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "subtitle": ("Bewaartermijnen", "Retention"),
    "intro": (
        "Gesloten dossiers die over hun bewaartermijn zijn, en dossiers met een "
        "bewaarplicht. Vernietigen wist de notities voorgoed; de gecodeerde gegevens "
        "blijven voor de jaarverslagen.",
        "Closed cases past their retention period, and cases on legal hold. Destroying "
        "erases the notes for good; the coded fields stay for the annual reports.",
    ),
    "col_org": ("Organisatie", "Organisation"),
    "col_case": ("Casus", "Case"),
    "col_closed": ("Gesloten", "Closed"),
    "col_due": ("Termijn verstreken", "Retention ended"),
    "col_due_short": ("Verlopen", "Ended"),
    "col_state": ("Status", "Status"),
    "due": ("Te vernietigen", "Due"),
    "waiting": ("Nog niet verlopen", "Not yet due"),
    "held": ("Bewaarplicht: {reason}", "Legal hold: {reason}"),
    "loading": ("Laden...", "Loading..."),
    "empty": (
        "Er zijn geen dossiers over hun bewaartermijn en geen dossiers met bewaarplicht.",
        "No cases are past their retention period and none is on legal hold.",
    ),
    "summary": (
        "{due} te vernietigen · {held} met bewaarplicht",
        "{due} due · {held} on legal hold",
    ),
    "confirm_one": (
        "Casus {code} van {org} vernietigen? De notities en de notities van de "
        "contactmomenten worden voorgoed gewist. Dit kan niet ongedaan worden gemaakt.",
        "Destroy case {code} of {org}? Its notes and the notes of its contact "
        "moments are erased for good. This cannot be undone.",
    ),
    "confirm_all": (
        "Alle {n} dossiers die over hun bewaartermijn zijn vernietigen? De notities "
        "worden voorgoed gewist. Dit kan niet ongedaan worden gemaakt.",
        "Destroy all {n} cases past their retention period? Their notes are erased "
        "for good. This cannot be undone.",
    ),
    "destroy": ("Vernietigen", "Destroy"),
    "cancel": ("Annuleren", "Cancel"),
    "destroyed": ("{n} dossier(s) vernietigd.", "{n} case(s) destroyed."),
    "not_due": (
        "Casus {code} is nog niet over de bewaartermijn; vernietig alleen wat verlopen is.",
        "Case {code} is not past its retention period yet.",
    ),
    "on_hold": (
        "Casus {code} heeft een bewaarplicht; hef die eerst op (u).",
        "Case {code} is on legal hold; lift the hold first (u).",
    ),
    "no_hold": ("Casus {code} heeft geen bewaarplicht.", "Case {code} is not on legal hold."),
    "nothing_due": ("Er is niets te vernietigen.", "Nothing is due."),
    "hold_title": ("Bewaarplicht voor casus {code}", "Legal hold for case {code}"),
    "hold_reason": (
        "Reden (bijvoorbeeld een lopende klachtprocedure; geen namen)",
        "Reason (for example a complaint procedure in progress; no names)",
    ),
    "hold_save": ("Vastleggen (Enter)", "Save (Enter)"),
    "hold_set": ("Casus {code} heeft nu een bewaarplicht.", "Case {code} is now on legal hold."),
    "hold_lifted": (
        "De bewaarplicht van casus {code} is opgeheven.",
        "The legal hold on case {code} was lifted.",
    ),
    "failed": ("Dat is niet gelukt: {error}", "That did not work: {error}"),
    "key.hold": ("Bewaarplicht", "Legal hold"),
    "key.unhold": ("Opheffen", "Lift hold"),
    "key.destroy": ("Vernietigen", "Destroy"),
    "key.destroy_all": ("Alles vernietigen", "Destroy all due"),
    "key.back": ("Terug", "Back"),
}


HOLD_DRAFT = "legal_hold"

# (key, width) of the columns when the terminal is wide enough for all of them.
WIDE_COLUMNS = (("org", 30), ("case", 9), ("closed", 10), ("due", 18), ("state", 38))
DATE = 10  # an ISO date; never cut (issue 13)
MIN_ORG, MIN_STATE = 10, 14


def column_widths(width: int) -> list[tuple[str, int]]:
    """The columns for a table ``width`` cells wide (issue 13: no sideways scroll at 80x24).

    Every column costs its width plus 2 for the cell padding. Narrower: the
    retention-ended column takes a date's width under a shorter heading, the
    organisation and the status share what is left, and below about 64 the
    closing date goes.
    """
    if sum(w + 2 for _, w in WIDE_COLUMNS) <= width:
        return list(WIDE_COLUMNS)
    fixed = {"case": 9, "closed": DATE, "due": DATE}
    if MIN_ORG + MIN_STATE + sum(w + 2 for w in fixed.values()) + 4 > width:
        del fixed["closed"]
    rest = width - sum(w + 2 for w in fixed.values()) - 4
    org = min(30, max(MIN_ORG, rest * 2 // 5))
    state = min(38, max(MIN_STATE, rest - org))
    widths = {"org": org, **fixed, "state": state}
    return [(key, widths[key]) for key, _ in WIDE_COLUMNS if key in widths]


class HoldDialog(ModalScreen[str | None]):
    """Ask for the reason of a legal hold; dismisses with the reason or None."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "retention.tcss"
    AUTO_FOCUS = "#hold-reason"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(
        self,
        code: str,
        lang: str,
        *,
        org_id: int | None = None,
        case_id: int | None = None,
        reason: str = "",
    ) -> None:
        super().__init__(classes="lifecycle-dialog")
        self.code = code
        self.lang = lang
        self.org_id, self.case_id, self.reason = org_id, case_id, reason

    def draft_payload(self) -> dict | None:
        """A typed reason is kept over a lock (issue 13)."""
        if not self.is_attached or self.org_id is None or self.case_id is None:
            return None
        reason = self.query_one("#hold-reason", Input).value
        if not reason.strip():
            return None
        return {
            "kind": HOLD_DRAFT,
            "org_id": self.org_id,
            "case_id": self.case_id,
            "title": self.code,
            "reason": reason,
        }

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="dialog"):
            yield Static(
                Text(pick(STRINGS, "hold_title", lang, code=self.code)), classes="dialog-title"
            )
            yield Static(Text(pick(STRINGS, "hold_reason", lang)))
            yield Input(self.reason, id="hold-reason", max_length=MAX_HOLD_REASON)
            yield Static("", id="hold-error", classes="dialog-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(pick(STRINGS, "cancel", lang)), id="hold-cancel")
                yield Button(
                    Text(pick(STRINGS, "hold_save", lang)), id="hold-save", variant="primary"
                )

    @on(Input.Submitted, "#hold-reason")
    @on(Button.Pressed, "#hold-save")
    def _save(self, event: Message) -> None:
        event.stop()
        reason = self.query_one("#hold-reason", Input).value.strip()
        if not reason:
            self.query_one("#hold-error", Static).update(Text(t("required", self.lang)))
            self.query_one("#hold-reason", Input).focus()
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#hold-cancel")
    def _cancel_button(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RetentionScreen(WorkerFailures, Screen):
    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "retention.tcss"
    BINDINGS = [
        Binding("h", "hold", "key.hold", id="retention.hold"),
        Binding("u", "unhold", "key.unhold", id="retention.unhold"),
        Binding("d", "destroy", "key.destroy", id="retention.destroy"),
        Binding("D", "destroy_all", "key.destroy_all", id="retention.destroy_all"),
        Binding("escape", "back", "key.back", id="retention.back"),
    ]

    @dataclass
    class Loaded(Message):
        items: list[retention.RetentionItem]

    @dataclass
    class Done(Message):
        count: int
        error: str | None

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self._today = today
        self.items: list[retention.RetentionItem] | None = None
        self.busy = False

    @property
    def lang(self) -> str:
        return self.app.lang

    @property
    def today(self) -> date:
        return self._today or getattr(self.app, "today", None) or date.today()

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield DeskHeader(icon="")
        yield Static(Text(pick(STRINGS, "intro", lang)), id="retention-intro")
        yield Static(Text(pick(STRINGS, "loading", lang), style="dim"), id="retention-summary")
        yield DataTable(id="retention-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        localise(self, STRINGS, self.lang)
        self.sub_title = pick(STRINGS, "subtitle", self.lang)
        self._columns: list[tuple[str, int]] = []
        self._set_columns()
        self.reload()

    def _set_columns(self) -> bool:
        """Fixed widths that fit the terminal: the layout does not jump (or lag)
        when rows change, and nothing scrolls sideways. True when they changed."""
        # The table's margin (2) and its vertical scrollbar (2) are not for cells.
        columns = column_widths(self.app.size.width - 4)
        if columns == self._columns:
            return False
        self._columns = columns
        table = self.query_one("#retention-table", DataTable)
        table.clear(columns=True)
        for key, width in columns:
            heading = "col_due_short" if key == "due" and width < 18 else f"col_{key}"
            table.add_column(Text(pick(STRINGS, heading, self.lang)), key=key, width=width)
        return True

    def on_resize(self) -> None:
        if self._set_columns() and self.items is not None:
            self.show(self.items)

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="retention")
    def _load(self) -> None:
        desk = self.app.desk
        if desk is None:
            return
        items = retention.review(desk, self.today)
        self.post_message(self.Loaded(items))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        event.stop()
        self.show(event.items)

    def show(self, items: list[retention.RetentionItem]) -> None:
        self.items = items
        lang = self.lang
        table = self.query_one("#retention-table", DataTable)
        keep = table.cursor_row
        table.clear()
        widths = dict(self._columns)
        for item in items:
            if item.legal_hold:
                state = Text(pick(STRINGS, "held", lang, reason=""), style="bold yellow")
                room = max(0, widths["state"] - len(state))
                state.append_text(safe_line(item.hold_reason, limit=room))
            elif item.is_due(self.today):
                state = Text(pick(STRINGS, "due", lang), style="bold red")
            else:
                state = Text(pick(STRINGS, "waiting", lang), style="dim")
            cells = {
                "org": safe_line(item.org_name, limit=widths["org"]),
                "case": Text(item.code),
                "closed": Text(item.closed.isoformat()),
                "due": Text(item.due_on.isoformat()),
                "state": state,
            }
            table.add_row(*(cells[key] for key in widths), key=f"{item.org_id}:{item.case_id}")
        if items:
            table.move_cursor(row=min(keep, len(items) - 1))
        due = sum(1 for i in items if i.is_due(self.today))
        held = sum(1 for i in items if i.legal_hold)
        summary = self.query_one("#retention-summary", Static)
        if items:
            summary.update(Text(pick(STRINGS, "summary", lang, due=due, held=held), style="bold"))
        else:
            summary.update(Text(pick(STRINGS, "empty", lang)))
        table.display = bool(items)

    def selected(self) -> retention.RetentionItem | None:
        if not self.items:
            return None
        table = self.query_one("#retention-table", DataTable)
        row = table.cursor_row
        return self.items[row] if 0 <= row < len(self.items) else None

    # -- actions ---------------------------------------------------------------------------
    def _fail(self, exc: Exception) -> None:
        notify_safe(
            self,
            pick(STRINGS, "failed", self.lang, error=error_text(exc, self.lang)),
            severity="error",
        )

    def action_hold(self) -> None:
        item = self.selected()
        if item is None or self.busy:
            return

        def chosen(reason: str | None) -> None:
            if not reason or self.app.desk is None:
                return
            try:
                retention.set_legal_hold(self.app.desk, item.org_id, item.case_id, reason)
            except VpDeskError as exc:
                self._fail(exc)
                return
            notify_safe(self, pick(STRINGS, "hold_set", self.lang, code=item.code))
            self.reload()

        self.app.push_screen(
            HoldDialog(item.code, self.lang, org_id=item.org_id, case_id=item.case_id), chosen
        )

    def action_unhold(self) -> None:
        item = self.selected()
        if item is None or self.busy:
            return
        if not item.legal_hold:
            notify_safe(
                self, pick(STRINGS, "no_hold", self.lang, code=item.code), severity="warning"
            )
            return
        try:
            retention.clear_legal_hold(self.app.unlocked_desk, item.org_id, item.case_id)
        except VpDeskError as exc:
            self._fail(exc)
            return
        notify_safe(self, pick(STRINGS, "hold_lifted", self.lang, code=item.code))
        self.reload()

    def action_destroy(self) -> None:
        item = self.selected()
        if item is None or self.busy:
            return
        if item.legal_hold:
            notify_safe(
                self, pick(STRINGS, "on_hold", self.lang, code=item.code), severity="warning"
            )
            return
        if not item.is_due(self.today):
            notify_safe(
                self, pick(STRINGS, "not_due", self.lang, code=item.code), severity="warning"
            )
            return
        # safe_text: a Text (never markup) with control characters removed.
        text = safe_text(pick(STRINGS, "confirm_one", self.lang, code=item.code, org=item.org_name))
        self._confirm(text, {item.org_id: [item.case_id]})

    def action_destroy_all(self) -> None:
        if self.busy or not self.items:
            return
        groups: dict[int, list[int]] = {}
        for item in self.items:
            if item.is_due(self.today):
                groups.setdefault(item.org_id, []).append(item.case_id)
        count = sum(len(v) for v in groups.values())
        if not count:
            notify_safe(self, pick(STRINGS, "nothing_due", self.lang))
            return
        self._confirm(Text(pick(STRINGS, "confirm_all", self.lang, n=count)), groups)

    def _confirm(self, question: Text, groups: dict[int, list[int]]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self._destroy(groups)

        self.app.push_screen(
            ConfirmDialog(
                question,
                lang=self.lang,
                danger=True,
                yes=pick(STRINGS, "destroy", self.lang),
                no=pick(STRINGS, "cancel", self.lang),
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="retention-destroy")
    def _destroy(self, groups: dict[int, list[int]]) -> None:
        desk = self.app.unlocked_desk
        count = 0
        error = None
        try:
            for org_id, case_ids in groups.items():
                count += len(retention.destroy_cases(desk, org_id, case_ids, self.today))
        except VpDeskError as exc:
            error = error_text(exc, self.lang)
        except BaseException:
            self.post_message(self.Done(count, None))  # the app shows the notice
            raise
        self.post_message(self.Done(count, error))

    @on(Done)
    def _done(self, event: Done) -> None:
        event.stop()
        self.busy = False
        if event.error:
            notify_safe(
                self, pick(STRINGS, "failed", self.lang, error=event.error), severity="error"
            )
        if event.count:
            notify_safe(self, pick(STRINGS, "destroyed", self.lang, n=event.count))
        self.reload()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


def _restore_hold(app, payload: dict) -> None:
    """Reopen the retention review with the half-typed legal-hold reason on top."""
    org_id, case_id = int(payload["org_id"]), int(payload["case_id"])
    code = app.desk.get_case(org_id, case_id).code
    screen = RetentionScreen(today=getattr(app, "fixed_today", None))
    app.push_screen(screen)

    def chosen(reason: str | None) -> None:
        if not reason or app.desk is None:
            return
        try:
            retention.set_legal_hold(app.desk, org_id, case_id, reason)
        except VpDeskError as exc:
            screen._fail(exc)
            return
        notify_safe(screen, pick(STRINGS, "hold_set", app.lang, code=code))
        screen.reload()

    app.push_screen(
        HoldDialog(
            code, app.lang, org_id=org_id, case_id=case_id, reason=str(payload.get("reason", ""))
        ),
        chosen,
    )


drafts.register_restorer(HOLD_DRAFT, _restore_hold, label=("Bewaarplicht", "Legal hold"))
