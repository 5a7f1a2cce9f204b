"""After unlock: offer back the forms that were open when the desk locked.

Each draft can be restored (its form reopens, filled in) or discarded; either
way it leaves the vault. "Later" keeps the rest for the next unlock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from vp_desk.errors import VpDeskError
from vp_desk.tui import drafts
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "title": ("Niet-opgeslagen werk", "Unsaved work"),
    "intro": (
        "Toen het bureau vergrendelde stonden deze formulieren nog open. Wat wilt u ermee doen?",
        "These forms were still open when the desk locked. What would you like to do?",
    ),
    "restore": ("Herstellen (Enter)", "Restore (Enter)"),
    "discard": ("Weggooien (d)", "Discard (d)"),
    "later": ("Later (Esc)", "Later (Esc)"),
    "no_form": ("dit formulier kan niet worden heropend", "this form cannot be reopened"),
    "cannot": (
        "Dit formulier kan in deze versie niet worden heropend; gooi het weg of "
        "bewaar het voor later.",
        "This form cannot be reopened in this version; discard it or keep it for later.",
    ),
}


def describe(payload: dict, desk, lang: str) -> Text:
    """``Casusformulier · Stichting X · 2026-004`` (every part shown literally)."""
    text = Text(drafts.kind_label(str(payload.get("kind", "")), lang), style="bold")
    org_id = payload.get("org_id")
    org_name = None
    if isinstance(org_id, int) and desk is not None:
        try:
            org_name = desk.organisation(org_id).name
        except VpDeskError:
            pass
        else:
            text.append(" · ")
            text.append_text(safe_line(org_name, limit=40))
    title = payload.get("title") or payload.get("code")
    if title and title != org_name:
        text.append(" · ")
        text.append_text(safe_line(title, limit=40))
    if drafts.load_restorer(payload) is None:
        text.append(f"  ({pick(STRINGS, 'no_form', lang)})", style="dim")
    return text


class RestoreDraftsDialog(ModalScreen[tuple[str, dict] | None]):
    """Dismisses with the (id, payload) to restore, or None when nothing is left or later."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    BINDINGS = [
        Binding("escape", "later", show=False),
        Binding("d,delete", "discard", show=False),
    ]

    def __init__(self, pending: dict[str, dict]) -> None:
        super().__init__()
        self.pending = dict(pending)

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with Vertical(classes="dialog"):
            yield Static(Text(pick(STRINGS, "title", lang)), classes="dialog-title")
            yield Static(Text(pick(STRINGS, "intro", lang)))
            yield OptionList(
                *[Option(describe(p, self.app.desk, lang), id=i) for i, p in self.pending.items()],
                id="draft-options",
            )
            yield Static("", id="draft-note", classes="dialog-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(pick(STRINGS, "later", lang)), id="draft-later")
                yield Button(
                    Text(pick(STRINGS, "discard", lang)), id="draft-discard", variant="warning"
                )
                yield Button(
                    Text(pick(STRINGS, "restore", lang)), id="draft-restore", variant="primary"
                )

    def on_mount(self) -> None:
        options = self.query_one("#draft-options", OptionList)
        options.highlighted = 0
        options.focus()

    def _current(self) -> str | None:
        options = self.query_one("#draft-options", OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        return options.get_option_at_index(options.highlighted).id

    @on(OptionList.OptionSelected, "#draft-options")
    @on(Button.Pressed, "#draft-restore")
    def action_restore(self, event=None) -> None:
        if event is not None:
            event.stop()
        draft = self._current()
        if draft is None:
            return
        if drafts.load_restorer(self.pending[draft]) is None:
            self.query_one("#draft-note", Static).update(
                Text(pick(STRINGS, "cannot", self.app.lang))
            )
            return
        self.dismiss((draft, self.pending[draft]))

    @on(Button.Pressed, "#draft-discard")
    def action_discard(self, event=None) -> None:
        if event is not None:
            event.stop()
        draft = self._current()
        if draft is None:
            return
        drafts.discard(self.app, draft)
        del self.pending[draft]
        options = self.query_one("#draft-options", OptionList)
        options.remove_option(draft)
        if not self.pending:
            self.dismiss(None)

    @on(Button.Pressed, "#draft-later")
    def action_later(self, event=None) -> None:
        if event is not None:
            event.stop()
        self.app.drafts_declined = True
        self.dismiss(None)
