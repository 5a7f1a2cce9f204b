"""The unlock screen: the first screen of every later run, and the lock screen.

The key derivation takes about a second, so unlocking runs in a thread
worker; the result comes back as a message (``Unlocked`` to the app, or
``GateFailed`` to this screen). A wrong passphrase, a damaged file or a second
instance on the same folder each give a plain sentence here, never a crash.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import KW_ONLY, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.message import Message
from textual.widgets import Footer, Input, Static

from vp_desk.errors import (
    AlreadyRunning,
    DamagedFile,
    NewerSchema,
    NotInitialised,
    StorageFull,
    UnsafeSQLite,
    VpDeskError,
    WrongPassphrase,
)
from vp_desk.i18n import os_reason
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line, safe_text
from vp_desk.tui.widgets.lang import LocalisedScreen

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

STRINGS = {
    "title_start": ("Ontgrendelen", "Unlock"),
    "title_locked": ("Vergrendeld", "Locked"),
    "locked": ("Het bureau is vergrendeld.", "The desk is locked."),
    "welcome": ("Welkom terug.", "Welcome back."),
    "folder": ("Gegevensmap: ", "Data folder: "),
    "prompt": (
        "Typ uw wachtzin en druk op Enter. Ctrl+q sluit vp_desk af.",
        "Type your passphrase and press Enter. Ctrl+q closes vp_desk.",
    ),
    "passphrase": ("Wachtzin", "Passphrase"),
    "working": ("Ontgrendelen…", "Unlocking…"),
    "wrong": (
        "De wachtzin klopt niet. Probeer het opnieuw; er is niets veranderd.",
        "The passphrase is wrong. Try again; nothing was changed.",
    ),
    "running": (
        "vp_desk is al geopend op deze gegevensmap. Sluit eerst het andere venster "
        "en typ dan opnieuw uw wachtzin.",
        "vp_desk is already open on this data folder. Close the other window first, "
        "then type your passphrase again.",
    ),
    "missing": (
        "Er is geen vp_desk-gegevensmap (meer) op deze plek.",
        "There is no vp_desk data folder at this place (any more).",
    ),
    "full": (
        "Er is niet genoeg schijfruimte. Er is niets veranderd; maak ruimte vrij en "
        "probeer het opnieuw.",
        "There is not enough disk space. Nothing was changed; free some space and try again.",
    ),
    "unsafe": (
        "De geïnstalleerde SQLite kan niet versleutelen (SQLCipher ontbreekt). "
        "vp_desk weigert zonder; installeer het pakket 'sqlcipher3' opnieuw.",
        "The installed SQLite has no encryption (SQLCipher missing). vp_desk refuses "
        "to run without it; reinstall the 'sqlcipher3' package.",
    ),
    "io": (
        "Een bestand kon niet worden gelezen of geschreven ({reason}).",
        "A file could not be read or written ({reason}).",
    ),
    "db": (
        "Een kluisbestand is beschadigd: een pagina faalde de controle. "
        "'vp-desk verify' laat zien welk; zet het terug uit een back-up.",
        "A vault file is damaged: a page failed its check. 'vp-desk verify' shows "
        "which one; restore it from a backup.",
    ),
}


def describe_error(exc: BaseException, lang: str) -> str:
    """One or two plain sentences for a failed unlock or setup."""
    if isinstance(exc, WrongPassphrase):
        return pick(STRINGS, "wrong", lang)
    if isinstance(exc, DamagedFile | NewerSchema):
        return exc.text(lang)  # the part named in ``lang`` too
    if isinstance(exc, AlreadyRunning):
        return pick(STRINGS, "running", lang)
    if isinstance(exc, NotInitialised):
        return pick(STRINGS, "missing", lang)
    if isinstance(exc, StorageFull):
        return pick(STRINGS, "full", lang)
    if isinstance(exc, UnsafeSQLite):
        return pick(STRINGS, "unsafe", lang)
    if isinstance(exc, VpDeskError):
        return exc.text(lang)
    if isinstance(exc, OSError):
        reason = os_reason(exc, lang)
        if exc.filename:
            reason += ": " + os.path.basename(str(exc.filename))
        return pick(STRINGS, "io", lang, reason=reason)
    return pick(STRINGS, "db", lang)


def folder_display(path: Path) -> str:
    """The data folder, with the home folder shortened to ~."""
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, RuntimeError, OSError):
        return str(path)


def preload_desk_screens() -> None:
    for name in (
        "vp_desk.tui.screens.dashboard",
        "vp_desk.tui.screens.organisations",
        "vp_desk.tui.dialogs.restore_drafts",
    ):
        importlib.import_module(name)


@dataclass
class Unlocked(Message):
    """Posted to the app when a desk is open (unlocked or newly created)."""

    desk: Desk
    _: KW_ONLY
    created: bool = False


@dataclass
class GateFailed(Message):
    """Posted to the setup or unlock screen when opening failed."""

    error: BaseException


class GateScreen(LocalisedScreen):
    """What the setup and unlock screens share: the box, messages, failures."""

    STRINGS = STRINGS

    def __init__(self) -> None:
        super().__init__()
        self.busy = False

    def brand(self) -> Static:
        return Static(Text("vp_desk", style="bold"), classes="gate-brand")

    def show_error(self, error: BaseException) -> None:
        message = self.query_one("#gate-message", Static)
        message.update(safe_text(describe_error(error, self.lang)))
        message.set_class(True, "-error")

    def show_status(self, text: str) -> None:
        message = self.query_one("#gate-message", Static)
        message.update(Text(text))
        message.set_class(False, "-error")

    def start_work(self) -> None:
        """Clear and disable the fields while the worker derives the key."""
        self.busy = True
        for field in self.query(Input):
            field.value = ""
            field.disabled = True

    @on(GateFailed)
    def _failed(self, event: GateFailed) -> None:
        event.stop()
        self.busy = False
        fields = list(self.query(Input))
        for field in fields:
            field.disabled = False
            field.value = ""
        if fields:
            fields[0].focus()
        self.show_error(event.error)


class UnlockScreen(GateScreen):
    """Ask for the passphrase; ``locked`` when the desk was locked during a session."""

    AUTO_FOCUS = "#passphrase"

    def __init__(self, *, locked: bool = False, error: BaseException | None = None) -> None:
        super().__init__()
        self.locked = locked
        self.initial_error = error

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Center():
            with Vertical(id="gate-box", classes="gate-box"):
                yield self.brand()
                yield Static(
                    Text(pick(STRINGS, "locked" if self.locked else "welcome", lang)),
                    id="gate-state",
                )
                folder = Text(pick(STRINGS, "folder", lang), style="dim")
                folder.append_text(safe_line(folder_display(self.app.folder.path)))
                yield Static(folder, id="gate-folder")
                yield Static(Text(pick(STRINGS, "prompt", lang)), classes="gate-prompt")
                yield Input(
                    password=True, placeholder=pick(STRINGS, "passphrase", lang), id="passphrase"
                )
                yield Static("", id="gate-message", classes="gate-message")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "vp_desk"
        self.sub_title = pick(STRINGS, "title_locked" if self.locked else "title_start", self.lang)
        if self.initial_error is not None:
            self.show_error(self.initial_error)
        # While the passphrase is typed: load what the first screen after
        # unlock needs, so the dashboard is not kept waiting for imports. On a
        # short timer: a callback after the next refresh still runs before the
        # first frame reaches the terminal and held up this screen by ~50 ms
        # (benchmarks/bench_tui.py).
        self.set_timer(0.25, preload_desk_screens)

    @on(Input.Submitted, "#passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy or not event.value:
            return
        passphrase = event.value
        self.start_work()
        self.show_status(pick(STRINGS, "working", self.lang))
        self._unlock(passphrase)

    @work(thread=True, exclusive=True, exit_on_error=False, group="gate")
    def _unlock(self, passphrase: str) -> None:
        from vp_desk.services.desk import Desk

        try:
            desk = Desk(self.app.folder.unlock(passphrase))
        except BaseException as exc:  # every failure is shown on the screen
            # A failed unlock lets go of the folder lock: take it back.
            self.app.hold_folder_lock()
            self.post_message(GateFailed(exc))
            return
        self.app.post_message(Unlocked(desk))
