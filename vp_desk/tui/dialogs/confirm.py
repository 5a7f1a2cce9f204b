"""A yes/no question in a modal dialog: ``ConfirmDialog`` dismisses with a bool.

The question may hold user text: pass it as a ``Text`` (``safe_text``) or a
plain string, which is shown literally (never as markup).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_text

STRINGS = {
    "yes": ("Ja", "Yes"),
    "no": ("Nee", "No"),
    "title": ("Bevestigen", "Confirm"),
}


class ConfirmDialog(ModalScreen[bool]):
    CSS_PATH = "confirm.tcss"

    BINDINGS = [
        Binding("escape", "answer(False)", show=False),
        Binding("n", "answer(False)", show=False),
        Binding("y,j", "answer(True)", show=False),
    ]

    def __init__(
        self,
        question: str | Text,
        *,
        lang: str = "nl",
        title: str | None = None,
        yes: str | None = None,
        no: str | None = None,
        danger: bool = False,
    ) -> None:
        super().__init__()
        self.question = question if isinstance(question, Text) else safe_text(question)
        self.lang = lang
        self.heading = title or pick(STRINGS, "title", lang)
        self.yes_label = yes or pick(STRINGS, "yes", lang)
        self.no_label = no or pick(STRINGS, "no", lang)
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.heading), classes="dialog-title")
            yield Static(self.question, id="confirm-question")
            with Horizontal():
                yield Button(Text(self.no_label), id="confirm-no")
                yield Button(
                    Text(self.yes_label),
                    id="confirm-yes",
                    variant="error" if self.danger else "primary",
                )

    def on_mount(self) -> None:
        # The safe answer has the focus: Enter alone never destroys anything.
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
