"""Help (F1 or ?): the keys of the screen you came from and the keys that work everywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line
from vp_desk.tui.textual_compat import bindings

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "title": ("Hulp", "Help"),
    "screen": ("Op dit scherm", "On this screen"),
    "global": ("Overal", "Everywhere"),
    "none": ("Dit scherm heeft geen eigen toetsen.", "This screen has no keys of its own."),
    "close": ("Esc, F1 of ? sluit deze hulp.", "Esc, F1 or ? closes this help."),
    "about": (
        "Alles wat u vastlegt staat versleuteld op deze computer. Ctrl+l vergrendelt "
        "meteen; na een paar minuten zonder toetsaanslag gebeurt dat vanzelf.",
        "Everything you record is stored encrypted on this computer. Ctrl+l locks at "
        "once; after a few minutes without a key press that happens by itself.",
    ),
}

#: Textual's own screen keys (focus moves, copy): not what this help is about.
HIDDEN_ACTIONS = {"app.focus_next", "app.focus_previous", "screen.copy_text"}


def key_lines(app, bindings, *, include_hidden: bool = False) -> list[tuple[str, str]]:
    """(key, description) pairs, one per action, in declaration order."""
    seen: dict[str, tuple[str, str]] = {}
    for _key, binding in bindings:
        if not binding.description or binding.action in HIDDEN_ACTIONS:
            continue
        if not (binding.show or include_hidden):
            continue
        display = app.get_key_display(binding)
        if binding.action in seen:
            old_key, description = seen[binding.action]
            if display not in old_key.split(" / "):
                seen[binding.action] = (f"{old_key} / {display}", description)
            continue
        seen[binding.action] = (display, binding.description)
    return list(seen.values())


def key_table(lines: list[tuple[str, str]]) -> Text:
    width = max((len(k) for k, _ in lines), default=0) + 2
    text = Text()
    for i, (key, description) in enumerate(lines):
        if i:
            text.append("\n")
        text.append(key.ljust(width), style="bold")
        text.append_text(safe_line(description))
    return text


class HelpScreen(ModalScreen[None]):
    """Lists the keys of ``source`` (the screen below) and the app's global keys."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    BINDINGS = [
        Binding("escape,f1,question_mark,q", "close", show=False),
    ]

    def __init__(self, source: Screen | None = None, global_bindings: list | None = None) -> None:
        super().__init__()
        self.source = source
        #: (key, Binding) pairs of the app that work on ``source``.
        self.global_bindings = global_bindings or []

    def compose(self) -> ComposeResult:
        app = self.app
        lang = app.lang
        own = key_lines(app, bindings(self.source), include_hidden=True) if self.source else []
        with Vertical(classes="dialog help-dialog"):
            yield Static(Text(pick(STRINGS, "title", lang)), classes="dialog-title")
            with VerticalScroll():
                title = getattr(self.source, "sub_title", "") if self.source else ""
                heading = Text(pick(STRINGS, "screen", lang), style="bold underline")
                if title:
                    heading.append(" — ")
                    heading.append_text(safe_line(title))
                yield Static(heading, classes="help-heading")
                yield Static(
                    key_table(own) if own else Text(pick(STRINGS, "none", lang), style="dim"),
                    id="help-screen-keys",
                )
                yield Static(
                    Text(pick(STRINGS, "global", lang), style="bold underline"),
                    classes="help-heading",
                )
                on_screen = {
                    b.action.removeprefix("app.")
                    for _k, b in (bindings(self.source) if self.source else [])
                }
                everywhere = [(k, b) for k, b in self.global_bindings if b.action not in on_screen]
                yield Static(
                    key_table(key_lines(app, everywhere, include_hidden=True)),
                    id="help-global-keys",
                )
                yield Static(Text(pick(STRINGS, "about", lang), style="dim"), classes="help-about")
            yield Static(Text(pick(STRINGS, "close", lang), style="dim"), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
