"""Making a backup from inside the app (the command line cannot while the app
holds the data folder).

``backup_now(app)`` opens a dialog with a file name (default: the home
folder, dated); Backup writes the sealed backup file in a worker
(``vp_desk.services.backup``) with a progress bar, records the time and an
audit row, and closes with a notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar, Static

from vp_desk.errors import VpDeskError
from vp_desk.i18n import error_text
from vp_desk.tui import drafts
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_text
from vp_desk.tui.widgets.notify import notify_safe
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "title": ("Backup maken", "Make a backup"),
    "explain": (
        "Eén versleuteld bestand met alle organisaties. Het opent alleen met de wachtzin "
        "van vandaag. Bewaar het op een andere schijf dan deze computer.",
        "One encrypted file holding every organisation. It opens only with today's "
        "passphrase. Keep it on another disk than this computer.",
    ),
    "path": ("Opslaan als", "Save as"),
    "go": ("Backup maken", "Make backup"),
    "cancel": ("Annuleren (Esc)", "Cancel (Esc)"),
    "no_path": ("Geef een bestandsnaam.", "Give a file name."),
    "busy": ("Bezig...", "Working..."),
    "done": ("Backup opgeslagen in {path}.", "Backup written to {path}."),
    "failed": ("Geen backup gemaakt: {error}", "No backup made: {error}"),
    "draft_label": ("Backup maken", "Making a backup"),
}
DRAFT_KIND = "backup"


def default_path(today: date, folder: Path | None = None) -> Path:
    return (folder or Path.home()) / f"vp_desk-backup-{today.isoformat()}.vpbackup"


class BackupDialog(drafts.FieldDrafts, WorkerFailures, ModalScreen[Path | None]):
    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    #: A typed file name comes back after a lock (issue 13).
    DRAFT_KIND = DRAFT_KIND
    DRAFT_FIELDS = ("backup-path",)

    CSS_PATH = "backup.tcss"
    AUTO_FOCUS = "#backup-path"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    @dataclass
    class Progress(Message):
        done: int
        total: int

    @dataclass
    class Finished(Message):
        path: Path | None
        error: str | None

    def __init__(self, lang: str, path: Path) -> None:
        super().__init__()
        self.lang = lang
        self.path = path
        self.busy = False

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="dialog"):
            yield Static(Text(pick(STRINGS, "title", lang)), classes="dialog-title")
            yield Static(Text(pick(STRINGS, "explain", lang)))
            yield Static(Text(pick(STRINGS, "path", lang), style="bold"), classes="dialog-hint")
            yield Input(str(self.path), id="backup-path")
            yield ProgressBar(id="backup-progress", show_eta=False)
            yield Static("", id="backup-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(pick(STRINGS, "cancel", lang)), id="backup-cancel")
                yield Button(Text(pick(STRINGS, "go", lang)), id="backup-go", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#backup-progress").display = False

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    @on(Button.Pressed, "#backup-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Input.Submitted, "#backup-path")
    @on(Button.Pressed, "#backup-go")
    def _go(self, event: Message) -> None:
        event.stop()
        if self.busy:
            return
        value = self.query_one("#backup-path", Input).value.strip()
        error = self.query_one("#backup-error", Static)
        if not value:
            error.update(Text(pick(STRINGS, "no_path", self.lang)))
            return
        self.busy = True
        error.update(Text(pick(STRINGS, "busy", self.lang)))
        self.query_one("#backup-progress").display = True
        self._write(Path(value).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="backup")
    def _write(self, path: Path) -> None:
        from vp_desk.services.backup import create_backup

        def progress(done: int, total: int) -> None:
            self.post_message(self.Progress(done, total))

        try:
            result = create_backup(self.app.unlocked_desk, path, progress)
            self.post_message(self.Finished(result.path, None))
        except VpDeskError as exc:
            self.post_message(self.Finished(None, error_text(exc, self.lang)))
        except BaseException:
            self.post_message(self.Finished(None, None))  # the app shows the notice
            raise

    @on(Progress)
    def _progress(self, event: Progress) -> None:
        event.stop()
        self.query_one("#backup-progress", ProgressBar).update(
            total=event.total, progress=event.done
        )

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        event.stop()
        self.busy = False
        if event.path is None:
            self.query_one("#backup-progress").display = False
            self.query_one("#backup-error", Static).update(
                ""
                if event.error is None  # unexpected: the app's notice says what happened
                else safe_text(pick(STRINGS, "failed", self.lang, error=event.error))
            )
            return
        notify_safe(self, pick(STRINGS, "done", self.lang, path=event.path), timeout=8)
        # The reminder about the last backup no longer applies.
        if hasattr(self.app, "reminders"):
            self.app.reminders = None
        self.dismiss(event.path)


def backup_now(app, folder: Path | None = None) -> None:
    """Open the backup dialog (for the command palette or a key of the shell)."""
    today = getattr(app, "today", None) or date.today()
    app.push_screen(BackupDialog(app.lang, default_path(today, folder)))


def _restore_draft(app, payload: dict) -> BackupDialog:
    today = getattr(app, "today", None) or date.today()
    return BackupDialog(app.lang, default_path(today))


drafts.register_restorer(
    DRAFT_KIND, drafts.field_restorer(_restore_draft), label=STRINGS["draft_label"]
)
