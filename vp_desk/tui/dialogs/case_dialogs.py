"""Closing a case: the closing date and the outcome, in a modal dialog."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from vp_desk import vocabulary as voc
from vp_desk.errors import ValidationError, VpDeskError
from vp_desk.i18n import error_text
from vp_desk.tui import drafts
from vp_desk.tui.i18n import pick
from vp_desk.tui.widgets.field_errors import labelled, show_field_errors
from vp_desk.tui.widgets.notify import notify_safe

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp
DRAFT_KIND = "close_case"

STRINGS = {
    "close_title": ("Casus {code} sluiten", "Close case {code}"),
    "closed": ("Sluitdatum", "Closing date"),
    "outcome": ("Vervolg", "Outcome"),
    "choose": ("Kies…", "Choose…"),
    "close": ("Sluiten", "Close case"),
    "cancel": ("Annuleren", "Cancel"),
}


class CloseCaseScreen(ModalScreen[bool]):
    """Ask the closing date and the outcome, then close the case through the Desk."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "case_dialogs.tcss"
    BINDINGS = [
        Binding("escape", "dismiss_dialog", show=False),
        Binding("ctrl+s", "close_case", show=False),
    ]

    def __init__(
        self,
        org_id: int,
        case_id: int,
        code: str,
        lang: str,
        today: date,
        *,
        closed: str | None = None,
        outcome: str | None = None,
    ) -> None:
        super().__init__()
        self.org_id, self.case_id, self.code = org_id, case_id, code
        self.lang = lang
        self.today = today
        #: What the dialog opens with (a draft kept over a lock brings its own).
        self.start = {"closed": closed or today.isoformat(), "outcome": outcome}

    def _values(self) -> dict:
        outcome = self.query_one("#outcome", Select).value
        return {
            "closed": self.query_one("#closed", Input).value.strip(),
            "outcome": None if outcome == Select.NULL else outcome,
        }

    def draft_payload(self) -> dict | None:
        """Kept over a lock once something was typed or chosen (issue 13)."""
        if not self.is_attached:
            return None
        values = self._values()
        if values == {"closed": self.today.isoformat(), "outcome": None}:
            return None
        return {
            "kind": DRAFT_KIND,
            "org_id": self.org_id,
            "case_id": self.case_id,
            "title": self.code,
            **values,
        }

    def compose(self) -> ComposeResult:
        lang = self.lang
        outcomes = [(Text(term.label(lang)), code) for code, term in voc.OUTCOMES.items()]
        with Vertical():
            yield Label(
                Text(pick(STRINGS, "close_title", lang, code=self.code)), classes="question"
            )
            yield labelled(
                "closed",
                pick(STRINGS, "closed", lang),
                Input(self.start["closed"], id="closed", compact=True),
            )
            yield labelled(
                "outcome",
                pick(STRINGS, "outcome", lang),
                Select(
                    outcomes,
                    id="outcome",
                    compact=True,
                    prompt=pick(STRINGS, "choose", lang),
                    value=self.start["outcome"] or Select.NULL,
                ),
            )
            with Horizontal():
                yield Button(pick(STRINGS, "cancel", lang), id="cancel")
                yield Button(pick(STRINGS, "close", lang), id="ok", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self.action_close_case()
        else:
            self.dismiss(False)

    def action_dismiss_dialog(self) -> None:
        self.dismiss(False)

    def action_close_case(self) -> None:
        outcome = self.query_one("#outcome", Select).value
        closed = self.query_one("#closed", Input).value
        try:
            self.app.unlocked_desk.close_case(
                self.org_id, self.case_id, closed, None if outcome == Select.NULL else outcome
            )
        except ValidationError as exc:
            for text in show_field_errors(self, exc.field_errors, self.lang):
                notify_safe(self, Text(text), severity="error")
            return
        except VpDeskError as exc:
            notify_safe(self, Text(error_text(exc, self.lang)), severity="error")
            return
        self.dismiss(True)


def restore_draft(app, payload: dict) -> None:
    """Reopen the case with its half-filled closing dialog on top."""
    from vp_desk.tui.screens.case_view import CaseViewScreen

    org_id, case_id = int(payload["org_id"]), int(payload["case_id"])
    case = app.desk.get_case(org_id, case_id)
    today = getattr(app, "today", None) or date.today()
    app.push_screen(CaseViewScreen(org_id, case_id, today=getattr(app, "fixed_today", None)))
    app.push_screen(
        CloseCaseScreen(
            org_id,
            case_id,
            case.code,
            app.lang,
            today,
            closed=payload.get("closed"),
            outcome=payload.get("outcome"),
        )
    )


drafts.register_restorer(DRAFT_KIND, restore_draft, label=("Casus sluiten", "Closing a case"))
